//! The process's log subscriber: `RUST_LOG` filter, text or JSON lines on stderr.
//!
//! Binaries install it before they parse their arguments (so argument errors are logged
//! too), which is before `--log-format` is known: the format layer sits behind a reload
//! handle, and `serve_main` switches it once the flag is read.

use std::sync::OnceLock;

use tracing_subscriber::{
    EnvFilter, Layer, Registry, layer::SubscriberExt as _, reload, util::SubscriberInitExt as _,
};

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines (ANSI colours on a terminal).
    #[default]
    Text,
    /// One JSON object per line, span fields included (for Loki, Elasticsearch, Cloud Logging…).
    Json,
}

impl LogFormat {
    /// `MCP_LOG_FORMAT=json` selects JSON; anything else (or nothing) text.
    pub fn from_env() -> Self {
        match std::env::var("MCP_LOG_FORMAT") {
            Ok(f) if f.eq_ignore_ascii_case("json") => Self::Json,
            _ => Self::Text,
        }
    }
}

type BoxedLayer = Box<dyn Layer<Registry> + Send + Sync>;

/// The installed subscriber's format switch and its current format.
static INSTALLED: OnceLock<(reload::Handle<BoxedLayer, Registry>, LogFormat)> = OnceLock::new();

fn layer(format: LogFormat) -> BoxedLayer {
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let fmt = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    match format {
        LogFormat::Text => fmt.with_ansi(ansi).boxed(),
        // Span fields (trace ids, tool names) in every line: what makes JSON logs joinable.
        LogFormat::Json => fmt
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .boxed(),
    }
}

/// Install the subscriber (filter from `RUST_LOG`, default `info`) unless one is installed.
pub(crate) fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let (fmt, handle) = reload::Layer::new(layer(format));
    if tracing_subscriber::registry()
        .with(fmt)
        .with(filter)
        .try_init()
        .is_ok()
    {
        let _ = INSTALLED.set((handle, format));
    }
}

/// Switch the installed subscriber to `format` (no-op if another subscriber was installed,
/// e.g. by a test harness, or if it already writes `format`).
pub(crate) fn set_format(format: LogFormat) {
    match INSTALLED.get() {
        Some((handle, current)) if *current != format => {
            if handle.reload(layer(format)).is_err() {
                tracing::warn!(target: "mcp_runtime::cli", "could not switch the log format");
            }
        }
        Some(_) => {}
        None => init(format),
    }
}
