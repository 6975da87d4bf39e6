//! Which hosts and origins may call, how large a body may be, and the connection limits.

use std::time::Duration;

/// Transport settings: which hosts and origins may call, how large and how slow a request
/// may be, how many connections are served at once and how long shutdown waits.
///
/// The defaults suit a server on a developer's machine: only loopback `Host`s
/// (`localhost`, `127.0.0.1`, `[::1]`, any port) and loopback `Origin`s are accepted, which
/// blocks DNS-rebinding attacks from web pages. A deployment behind a domain lists its own
/// host names with [`HttpConfig::allow_hosts`]; requests without an `Origin` header (every
/// non-browser client) are always accepted.
///
/// The connection settings ([`max_connections`](Self::max_connections),
/// [`header_read_timeout`](Self::header_read_timeout),
/// [`drain_timeout`](Self::drain_timeout)) belong to the accept loop of
/// [`McpServer::serve`](crate::McpServer::serve) and
/// [`serve_listener`](crate::McpServer::serve_listener). A program that embeds
/// [`McpServer::router`](crate::McpServer::router) in its own server runs its own accept loop
/// and must bound connections there; the body limit and body read timeout apply either way.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    hosts: Allow,
    origins: Allow,
    pub(super) body_limit: usize,
    pub(super) body_read_timeout: Duration,
    pub(super) max_connections: usize,
    pub(super) header_read_timeout: Duration,
    pub(super) drain_timeout: Duration,
}

#[derive(Debug, Clone)]
enum Allow {
    Any,
    /// Loopback names plus these (lower-cased) entries.
    List(Vec<String>),
}

impl Allow {
    /// Add entries to a list (compared case-insensitively); `Any` stays `Any`.
    fn extend<S: Into<String>>(&mut self, entries: impl IntoIterator<Item = S>) {
        if let Self::List(list) = self {
            list.extend(entries.into_iter().map(Into::into));
        }
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            hosts: Allow::List(Vec::new()),
            origins: Allow::List(Vec::new()),
            body_limit: 4 << 20,
            body_read_timeout: Duration::from_secs(30),
            max_connections: 1024,
            // Above the 60 s idle timeout common at load balancers: the balancer, not this
            // server, closes an idle upstream connection, so no request races the close.
            header_read_timeout: Duration::from_secs(65),
            drain_timeout: Duration::from_secs(30),
        }
    }
}

impl HttpConfig {
    /// Also accept these `Host` names (without port; e.g. `mcp.example.com`).
    pub fn allow_hosts<S: Into<String>>(mut self, hosts: impl IntoIterator<Item = S>) -> Self {
        self.hosts.extend(hosts);
        self
    }

    /// Accept any `Host` (when a reverse proxy already checks it).
    pub fn allow_any_host(mut self) -> Self {
        self.hosts = Allow::Any;
        self
    }

    /// Also accept these `Origin`s (exact, e.g. `https://chatgpt.com`).
    pub fn allow_origins<S: Into<String>>(mut self, origins: impl IntoIterator<Item = S>) -> Self {
        self.origins.extend(origins);
        self
    }

    /// Accept any `Origin` (only for servers that authenticate every request).
    pub fn allow_any_origin(mut self) -> Self {
        self.origins = Allow::Any;
        self
    }

    /// The largest request body accepted, in bytes (default 4 MiB); larger ones get 413.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// How long a request body may take to arrive in full (default 30 s); a slower one gets
    /// 408 and its connection is closed. This bounds slow-loris bodies: at the default body
    /// limit, a client must send at least ~140 KiB/s. Zero is raised to 1 ms.
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.body_read_timeout = timeout.max(Duration::from_millis(1));
        self
    }

    /// How many connections are served at once (default 1024; zero is raised to 1). At the
    /// limit the server stops accepting: new connections wait in the kernel's listen backlog
    /// until one closes, so a flood slows callers down instead of exhausting file descriptors
    /// and memory. Keep it below the process's open-file limit (`ulimit -n`).
    pub fn max_connections(mut self, max: usize) -> Self {
        self.max_connections = max.max(1);
        self
    }

    /// How long an HTTP/1 client may take to send a request's headers (default 65 s); the
    /// connection is then closed. The clock also runs while a keep-alive connection waits
    /// for its next request, so this is the keep-alive idle bound too. Keep it above the idle
    /// timeout of the load balancer in front (60 s at most cloud balancers; Google Cloud
    /// load balancers want more than 600 s), or a request can race the close and fail.
    /// Zero is raised to 1 ms.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout.max(Duration::from_millis(1));
        self
    }

    /// How long shutdown waits for in-flight requests (default 30 s). Idle connections close
    /// at once. While requests are still running, `/healthz` answers 503, new connections are
    /// still answered (one request each) and every response closes its connection, so load
    /// balancers move away; requests still running at the end are cut off.
    pub fn drain_timeout(mut self, timeout: Duration) -> Self {
        self.drain_timeout = timeout;
        self
    }

    pub(super) fn host_allowed(&self, host: &str) -> bool {
        let name = strip_port(host);
        match &self.hosts {
            Allow::Any => true,
            Allow::List(list) => {
                is_loopback_name(name) || list.iter().any(|h| h.eq_ignore_ascii_case(name))
            }
        }
    }

    pub(super) fn origin_allowed(&self, origin: &str) -> bool {
        match &self.origins {
            Allow::Any => true,
            Allow::List(list) => {
                let rest = strip_prefix_ignore_case(origin, "http://")
                    .or_else(|| strip_prefix_ignore_case(origin, "https://"));
                let loopback = rest
                    .is_some_and(|rest| !rest.contains('/') && is_loopback_name(strip_port(rest)));
                loopback || list.iter().any(|o| o.eq_ignore_ascii_case(origin))
            }
        }
    }
}

fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map_or(host, |end| &host[..=end]);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// `localhost`, `[::1]` and the whole 127.0.0.0/8 range (a dotted quad starting with 127).
fn is_loopback_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("localhost")
        || name == "[::1]"
        || name
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        let c = HttpConfig::default();
        assert!(c.host_allowed("localhost:8080"));
        assert!(c.host_allowed("127.0.0.1:1"));
        assert!(c.host_allowed("[::1]:3000"));
        assert!(c.host_allowed("LOCALHOST"));
        assert!(!c.host_allowed("evil.example.com"));
        assert!(!c.host_allowed("evil.example.com:8080"));
        let c = c.allow_hosts(["mcp.example.com"]);
        assert!(c.host_allowed("mcp.example.com:443"));
        assert!(!c.host_allowed("localhost.evil.com"));
    }

    #[test]
    fn origins() {
        let c = HttpConfig::default();
        assert!(c.origin_allowed("http://localhost:3000"));
        assert!(c.origin_allowed("http://127.0.0.1:8080"));
        assert!(!c.origin_allowed("http://evil.example.com"));
        assert!(!c.origin_allowed("null"));
        assert!(!c.origin_allowed("http://localhost.evil.com"));
        let c = c.allow_origins(["https://chatgpt.com"]);
        assert!(c.origin_allowed("https://chatgpt.com"));
    }
}
