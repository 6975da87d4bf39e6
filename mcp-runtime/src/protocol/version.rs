//! Protocol revisions this runtime speaks.

use serde::Serialize;

/// An MCP protocol revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[non_exhaustive]
pub enum ProtocolVersion {
    /// 2025-03-26: first Streamable HTTP revision; JSON-RPC batches allowed.
    #[serde(rename = "2025-03-26")]
    V2025_03_26,
    /// 2025-06-18: structured output, `MCP-Protocol-Version` header.
    #[serde(rename = "2025-06-18")]
    V2025_06_18,
    /// 2025-11-25: the last handshake ("legacy") revision.
    #[serde(rename = "2025-11-25")]
    V2025_11_25,
    /// 2026-07-28: stateless, per-request `_meta` ("modern").
    #[serde(rename = "2026-07-28")]
    V2026_07_28,
}

impl ProtocolVersion {
    /// Handshake revisions, newest first (the first is offered when a client asks for one we
    /// do not speak).
    pub const LEGACY: [Self; 3] = [Self::V2025_11_25, Self::V2025_06_18, Self::V2025_03_26];
    /// Per-request-metadata revisions, newest first.
    pub const MODERN: [Self; 1] = [Self::V2026_07_28];
    /// Every revision, newest first.
    pub const ALL: [Self; 4] = [
        Self::V2026_07_28,
        Self::V2025_11_25,
        Self::V2025_06_18,
        Self::V2025_03_26,
    ];

    /// The revision's date string.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::V2025_03_26 => "2025-03-26",
            Self::V2025_06_18 => "2025-06-18",
            Self::V2025_11_25 => "2025-11-25",
            Self::V2026_07_28 => "2026-07-28",
        }
    }

    /// Parse a date string; `None` for revisions we do not speak.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// True for 2026-07-28 and later (no handshake, `_meta` on every request).
    pub const fn is_modern(self) -> bool {
        matches!(self, Self::V2026_07_28)
    }

    /// True where results may carry `structuredContent`/`outputSchema` (2025-06-18+).
    pub const fn has_structured_output(self) -> bool {
        !matches!(self, Self::V2025_03_26)
    }
}

impl std::fmt::Display for ProtocolVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
