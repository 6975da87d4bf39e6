//! Tiny media samples for the content fixtures.

use mcp_runtime::Content;

/// A 1×1 PNG, as the conformance reference server sends it.
const PNG_1X1: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

pub(crate) fn png_bytes() -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(PNG_1X1)
        .unwrap_or_default()
}

pub(crate) fn png() -> Content {
    Content::Image {
        data: PNG_1X1.to_owned(),
        mime_type: "image/png".to_owned(),
    }
}

/// 10 ms of silence: 8 kHz, 8-bit mono PCM in a RIFF/WAVE container.
pub(crate) fn wav() -> Content {
    const SAMPLES: u32 = 80;
    let mut bytes = Vec::with_capacity(44 + SAMPLES as usize);
    bytes.extend_from_slice(b"RIFF");
    bytes.extend_from_slice(&(36 + SAMPLES).to_le_bytes());
    bytes.extend_from_slice(b"WAVEfmt ");
    bytes.extend_from_slice(&16u32.to_le_bytes()); // fmt chunk size
    bytes.extend_from_slice(&1u16.to_le_bytes()); // PCM
    bytes.extend_from_slice(&1u16.to_le_bytes()); // mono
    bytes.extend_from_slice(&8000u32.to_le_bytes()); // sample rate
    bytes.extend_from_slice(&8000u32.to_le_bytes()); // byte rate
    bytes.extend_from_slice(&1u16.to_le_bytes()); // block align
    bytes.extend_from_slice(&8u16.to_le_bytes()); // bits per sample
    bytes.extend_from_slice(b"data");
    bytes.extend_from_slice(&SAMPLES.to_le_bytes());
    bytes.extend(std::iter::repeat_n(128u8, SAMPLES as usize)); // 8-bit PCM silence
    Content::audio(bytes, "audio/wav")
}
