//! The collection page's QR reader on what a camera may show: random frames of any size
//! (noise, a blank wall, a short buffer) never make it panic, and a real code survives
//! random specks of noise around it or reads as nothing, never as other text.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

use handin_scan::{decode_luma, luma_of_rgba};
use proptest::prelude::*;
use qrcode::{Color, EcLevel, QrCode};

/// A QR code of `text` at 4 pixels a module with its quiet zone, in a 320 × 240 frame.
fn frame(text: &str) -> (usize, usize, Vec<u8>) {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).unwrap();
    let w = code.width();
    let colors = code.to_colors();
    let (fw, fh, scale) = (320, 240, 4);
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_frames_never_panic(
        width in 0usize..120,
        height in 0usize..120,
        pixels in proptest::collection::vec(any::<u8>(), 0..14_400),
    ) {
        let _ = decode_luma(width, height, &pixels);
        let rgba: Vec<u8> = pixels.iter().flat_map(|&p| [p, p / 2, 255 - p, 255]).collect();
        let luma = luma_of_rgba(&rgba);
        prop_assert_eq!(luma.len(), pixels.len());
        let _ = decode_luma(width, height, &luma);
    }

    #[test]
    fn a_code_with_specks_of_noise_reads_right_or_not_at_all(
        body in "[A-Za-z0-9_-]{8,60}",
        specks in proptest::collection::vec((0usize..320 * 240, any::<u8>()), 0..400),
    ) {
        let text = format!("GYB~{body}");
        let (w, h, mut img) = frame(&text);
        prop_assert_eq!(decode_luma(w, h, &img), vec![text.clone()]);
        for (at, v) in specks {
            img[at] = v;
        }
        for found in decode_luma(w, h, &img) {
            prop_assert_eq!(&found, &text);
        }
    }
}
