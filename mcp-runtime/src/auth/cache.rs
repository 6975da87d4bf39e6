//! A short-lived cache of verified tokens, so a client reusing its token does not pay for a
//! signature check (or an introspection round trip) on every request.
//!
//! Keyed by the exact token text, per gateway (audiences differ). An entry lives for the
//! configured TTL (default 30 s) but never past the token's `exp`; only accepted tokens are
//! cached, so garbage cannot fill it. The cache is capped in entries: when full, expired
//! entries are dropped, then everything. Revocation seen by introspection takes effect
//! after at most the TTL.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use super::AuthContext;

#[derive(Debug)]
pub(crate) struct VerifiedCache {
    entries: Mutex<HashMap<Box<str>, Entry>>,
    ttl: Duration,
    max: usize,
}

#[derive(Debug)]
struct Entry {
    until: Instant,
    context: AuthContext,
}

impl VerifiedCache {
    pub(crate) fn new(ttl: Duration, max: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            ttl,
            max,
        }
    }

    fn enabled(&self) -> bool {
        !self.ttl.is_zero() && self.max > 0
    }

    pub(crate) fn get(&self, token: &str) -> Option<AuthContext> {
        if !self.enabled() {
            return None;
        }
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let entry = entries.get(token)?;
        (entry.until > Instant::now()).then(|| entry.context.clone())
    }

    pub(crate) fn put(&self, token: &str, context: &AuthContext) {
        if !self.enabled() {
            return;
        }
        let mut ttl = self.ttl;
        if let Some(exp) = context.claim("exp").and_then(serde_json::Value::as_u64) {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            ttl = ttl.min(Duration::from_secs(exp.saturating_sub(now)));
        }
        if ttl.is_zero() {
            return;
        }
        let now = Instant::now();
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= self.max {
            entries.retain(|_, e| e.until > now);
            if entries.len() >= self.max {
                entries.clear();
            }
        }
        entries.insert(
            token.into(),
            Entry {
                until: now + ttl,
                context: context.clone(),
            },
        );
    }
}
