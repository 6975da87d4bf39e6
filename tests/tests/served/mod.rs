//! A real server on an ephemeral loopback port, for tests that need a socket, and the
//! trigger that shuts it down.

#![allow(dead_code, reason = "each test binary uses a different subset")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code fails loudly"
)]

use std::{net::SocketAddr, time::Duration};

use mcp_runtime::McpServer;
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};

/// How long a server may take to stop once told to.
const STOP_WITHIN: Duration = Duration::from_secs(10);

/// A server running on its own task until shut down.
#[derive(Debug)]
pub(crate) struct Served {
    pub(crate) addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Served {
    /// Serve `server` on `127.0.0.1:0`.
    pub(crate) async fn start(server: McpServer) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            server
                .serve_listener(listener, async {
                    let _ = stopped.await;
                })
                .await
        });
        Self {
            addr,
            stop: Some(stop),
            task,
        }
    }

    /// Start the graceful shutdown without waiting for it.
    pub(crate) fn begin_shutdown(&mut self) {
        self.stop.take().unwrap().send(()).unwrap();
    }

    /// Wait until the server has stopped (after [`Self::begin_shutdown`]); it must stop cleanly.
    pub(crate) async fn stopped(self) {
        tokio::time::timeout(STOP_WITHIN, self.task)
            .await
            .expect("the server did not stop")
            .unwrap()
            .unwrap();
    }

    /// Shut down and wait until stopped.
    pub(crate) async fn shutdown(mut self) {
        self.begin_shutdown();
        self.stopped().await;
    }
}
