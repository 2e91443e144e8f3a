//! Reading QR codes from camera frames, in the browser (the collection page): Chromium on
//! Linux has no `BarcodeDetector`, so frames are decoded here with `rqrr`.
//!
//! [`decode_luma`] is pure (tested natively); the wasm binding takes the RGBA pixels of a
//! canvas, turns them to grey and returns every code's text in the frame.

/// The texts of every QR code found in a greyscale image (`width * height` bytes).
pub fn decode_luma(width: usize, height: usize, luma: &[u8]) -> Vec<String> {
    if width == 0 || height == 0 || luma.len() < width * height {
        return Vec::new();
    }
    let mut img =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| luma[y * width + x]);
    img.detect_grids()
        .into_iter()
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect()
}

/// Grey levels of RGBA pixels (ITU-R BT.601 weights, in integers).
pub fn luma_of_rgba(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .map(|p| {
            let (r, g, b) = (u32::from(p[0]), u32::from(p[1]), u32::from(p[2]));
            ((r * 299 + g * 587 + b * 114) / 1000) as u8
        })
        .collect()
}

/// The browser binding: `scan_rgba(pixels, width, height)` → the texts found.
#[cfg(target_arch = "wasm32")]
mod wasm {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    pub fn scan_rgba(rgba: &[u8], width: u32, height: u32) -> Vec<String> {
        let luma = super::luma_of_rgba(rgba);
        super::decode_luma(width as usize, height as usize, &luma)
    }
}

#[cfg(test)]
mod tests {
    use qrcode::{Color, EcLevel, QrCode};

    /// A QR code drawn at `scale` pixels a module, with a quiet zone, inside a larger
    /// grey frame (as a camera would see a phone screen).
    fn frame(text: &str, scale: usize) -> (usize, usize, Vec<u8>) {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).unwrap();
        let w = code.width();
        let colors = code.to_colors();
        let (fw, fh) = (640, 480);
        let mut img = vec![128u8; fw * fh];
        let side = (w + 8) * scale;
        let (ox, oy) = ((fw - side) / 2, (fh - side) / 2);
        for y in 0..side {
            for x in 0..side {
                let (mx, my) = ((x / scale) as isize - 4, (y / scale) as isize - 4);
                let dark = mx >= 0
                    && my >= 0
                    && (mx as usize) < w
                    && (my as usize) < w
                    && colors[my as usize * w + mx as usize] == Color::Dark;
                img[(oy + y) * fw + ox + x] = if dark { 20 } else { 235 };
            }
        }
        (fw, fh, img)
    }

    #[test]
    fn reads_a_long_hand_in_code_from_a_frame() {
        let text = format!("GYB~{}", "AbCd-_0123".repeat(33));
        let (w, h, luma) = frame(&text, 5);
        assert_eq!(super::decode_luma(w, h, &luma), vec![text]);
    }

    #[test]
    fn an_empty_frame_has_no_code() {
        assert!(super::decode_luma(64, 64, &[200; 64 * 64]).is_empty());
        assert!(super::decode_luma(64, 64, &[]).is_empty());
    }
}
