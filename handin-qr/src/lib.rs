//! QR codes as SVG: the survey link on a program's page and poster (made natively when
//! the site is built) and the hand-in code on the survey page (the same function compiled
//! to wasm, loaded only after a check finds no error).
//!
//! One renderer: dark modules as one `<path>` of horizontal runs, a quiet zone of four
//! modules, black on white, scaled by the SVG's `viewBox` so that the page sets its size.

use qrcode::{Color, EcLevel, QrCode};

/// Error correction: M (15 %) holds a 400-character hand-in code in a version-15 symbol
/// that a phone reads from another phone's screen.
const LEVEL: EcLevel = EcLevel::M;
const QUIET: usize = 4;

/// The QR code of `text` as an SVG element (no XML prolog), or `None` when the text is
/// too long for any QR version. `label` becomes the SVG's accessible name.
pub fn svg(text: &str, label: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), LEVEL).ok()?;
    let w = code.width();
    let colors = code.to_colors();
    let size = w + 2 * QUIET;
    let mut d = String::new();
    for y in 0..w {
        let mut x = 0;
        while x < w {
            if colors[y * w + x] == Color::Dark {
                let start = x;
                while x < w && colors[y * w + x] == Color::Dark {
                    x += 1;
                }
                d.push_str(&format!(
                    "M{} {}h{}v1h-{}z",
                    start + QUIET,
                    y + QUIET,
                    x - start,
                    x - start
                ));
            } else {
                x += 1;
            }
        }
    }
    Some(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges" role="img" aria-label="{}"><rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{d}"/></svg>"##,
        escape(label)
    ))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The browser binding: `qr_svg(text, label)`, `""` when the text does not fit.
#[cfg(target_arch = "wasm32")]
mod wasm {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    pub fn qr_svg(text: &str, label: &str) -> String {
        super::svg(text, label).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn svg_is_one_path_with_a_quiet_zone() {
        let s = super::svg("GYB~AAAA", "提交码").unwrap();
        assert!(
            s.starts_with("<svg") && s.contains("viewBox=\"0 0 29 29\""),
            "{s}"
        );
        assert_eq!(s.matches("<path").count(), 1);
        assert!(s.contains("M4 4h7v1h-7z"), "finder pattern row: {s}");
    }

    #[test]
    fn too_long_text_is_none() {
        assert!(super::svg(&"x".repeat(5000), "").is_none());
    }
}
