//! Request metadata: the `_meta` keys and `Mcp-*` headers of the 2026-07-28 revision.

use std::borrow::Cow;

use base64::Engine as _;

pub(crate) const PROTOCOL_VERSION: &str = "io.modelcontextprotocol/protocolVersion";
pub(crate) const CLIENT_CAPABILITIES: &str = "io.modelcontextprotocol/clientCapabilities";
pub(crate) const CLIENT_INFO: &str = "io.modelcontextprotocol/clientInfo";
pub(crate) const LOG_LEVEL: &str = "io.modelcontextprotocol/logLevel";
pub(crate) const SERVER_INFO: &str = "io.modelcontextprotocol/serverInfo";
pub(crate) const SUBSCRIPTION_ID: &str = "io.modelcontextprotocol/subscriptionId";
pub(crate) const PROGRESS_TOKEN: &str = "progressToken";

/// The MCP-specific headers of one HTTP request, as the transport read them.
#[derive(Debug, Default)]
pub(crate) struct McpHeaders<'a> {
    /// `MCP-Protocol-Version`.
    pub(crate) protocol_version: Option<&'a str>,
    /// `Mcp-Method`, decoded.
    pub(crate) method: Option<Cow<'a, str>>,
    /// `Mcp-Name`, decoded.
    pub(crate) name: Option<Cow<'a, str>>,
}

/// Decode an `Mcp-*` header value: `=?base64?<b64 of UTF-8>?=` carries non-ASCII values;
/// anything else is taken literally. `None` for a malformed base64 form.
pub(crate) fn decode_header_value(value: &str) -> Option<Cow<'_, str>> {
    let Some(inner) = value
        .strip_prefix("=?base64?")
        .and_then(|v| v.strip_suffix("?="))
    else {
        return Some(Cow::Borrowed(value));
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(inner)
        .ok()?;
    String::from_utf8(bytes).ok().map(Cow::Owned)
}

#[cfg(test)]
mod tests {
    use super::decode_header_value;

    #[test]
    fn header_values() {
        assert_eq!(
            decode_header_value("tools/call").as_deref(),
            Some("tools/call")
        );
        assert_eq!(
            decode_header_value("=?base64?w6Rkdw==?=").as_deref(),
            Some("ädw")
        );
        assert_eq!(decode_header_value("=?base64?***?="), None);
    }
}
