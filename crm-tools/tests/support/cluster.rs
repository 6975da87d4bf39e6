//! A private PostgreSQL cluster for tests that stop and restart their server: `initdb` and
//! `pg_ctl` from `/usr/lib/postgresql/<version>/bin` (or `PATH`), a temp directory, a free
//! loopback port, trust auth. Run as the `postgres` OS user when the tests run as root
//! (PostgreSQL refuses to run as root). Never the shared server other tests use.
//!
//! Missing binaries fail the test with instructions, unless `CRM_TEST_POSTGRES=skip`.

#![allow(dead_code, reason = "each test binary uses a different subset")]
#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

use std::path::PathBuf;
use std::process::{Command, Output};

/// A running private cluster; stopped (immediately) and deleted on drop.
#[derive(Debug)]
pub(crate) struct Cluster {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    as_postgres: bool,
    _dir: tempfile::TempDir,
}

/// The directory holding `initdb` and `pg_ctl`: the newest `/usr/lib/postgresql/*/bin`, else
/// the one on `PATH`.
fn binaries() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("pg_ctl").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .find(|p| p.join("pg_ctl").exists() && p.join("initdb").exists())
    })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Cluster {
    /// Creates and starts a cluster; `None` when skipped on request.
    pub(crate) fn start() -> Option<Self> {
        let Some(bin) = binaries() else {
            if crate::support::pg::skipped() {
                return None;
            }
            panic!(
                "no PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin or on PATH.\n\
                 This test runs a private PostgreSQL cluster that it stops and restarts. Install them \
                 (`apt-get install -y postgresql`), or set CRM_TEST_POSTGRES=skip to skip the \
                 PostgreSQL tests."
            );
        };
        let dir = tempfile::tempdir().unwrap();
        let as_postgres = is_root();
        if as_postgres {
            // PostgreSQL will not run as root; the cluster's files belong to `postgres`.
            run(Command::new("chown").arg("postgres:").arg(dir.path()));
        }
        let cluster = Self {
            data: dir.path().join("data"),
            bin,
            port: free_port(),
            as_postgres,
            _dir: dir,
        };
        cluster.run_tool(
            "initdb",
            &[
                "-D".as_ref(),
                cluster.data.as_os_str(),
                "-U".as_ref(),
                "postgres".as_ref(),
                "--auth=trust".as_ref(),
                "--no-sync".as_ref(),
                "-E".as_ref(),
                "UTF8".as_ref(),
                "--locale=C".as_ref(),
            ],
        );
        cluster.start_again();
        Some(cluster)
    }

    /// `postgres://postgres@127.0.0.1:<port>/<database>`.
    pub(crate) fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// Starts the (stopped) server and waits until it accepts connections.
    pub(crate) fn start_again(&self) {
        let socket_dir = self.data.parent().unwrap();
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -k {} -c fsync=off -c max_connections=20",
            self.port,
            socket_dir.display()
        );
        let log = socket_dir.join("server.log");
        self.run_tool(
            "pg_ctl",
            &[
                "-D".as_ref(),
                self.data.as_os_str(),
                "-o".as_ref(),
                options.as_ref(),
                "-l".as_ref(),
                log.as_os_str(),
                "-w".as_ref(),
                "start".as_ref(),
            ],
        );
    }

    /// Kills the server the way a crash or a pulled plug does (`-m immediate`): no goodbye to
    /// the clients, their connections just break.
    pub(crate) fn stop_immediately(&self) {
        self.run_tool(
            "pg_ctl",
            &[
                "-D".as_ref(),
                self.data.as_os_str(),
                "-m".as_ref(),
                "immediate".as_ref(),
                "-w".as_ref(),
                "stop".as_ref(),
            ],
        );
    }

    fn tool(&self, name: &str, args: &[&std::ffi::OsStr]) -> Command {
        let program = self.bin.join(name);
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        };
        command.args(args).current_dir(self.data.parent().unwrap());
        command
    }

    fn run_tool(&self, name: &str, args: &[&std::ffi::OsStr]) {
        run(&mut self.tool(name, args));
    }
}

fn run(command: &mut Command) -> Output {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?} failed: {}\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // Already stopped is fine; a failure here must not mask the test's own.
        let args: [&std::ffi::OsStr; 6] = [
            "-D".as_ref(),
            self.data.as_os_str(),
            "-m".as_ref(),
            "immediate".as_ref(),
            "-w".as_ref(),
            "stop".as_ref(),
        ];
        let _ = self.tool("pg_ctl", &args).output();
    }
}
