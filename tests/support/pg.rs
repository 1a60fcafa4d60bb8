//! A throwaway PostgreSQL cluster for the tests: Debian's server (`/usr/lib/postgresql/N/bin`,
//! installed by scripts/test.sh), `initdb` in a temporary directory, listening on a free
//! loopback port and a socket in that directory. `initdb` refuses to run as root, so as root
//! the cluster belongs to the `postgres` user. The tests' clusters skip fsync: they check what
//! the service acknowledged, not what the disk keeps after a power cut (that is PostgreSQL's
//! own promise); the benchmark's fsyncs every commit.
//!
//! The cluster outlives nothing: a watchdog shell stops it and removes its directory when the
//! test process ends, however it ends.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A free loopback port (bound, then released for the service to take).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The effective uid, read from /proc rather than pulling in libc for one call.
pub fn euid() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap()
}

/// One running cluster.
pub struct Cluster {
    pub port: u16,
    /// The directory of its Unix socket (and its data).
    pub dir: PathBuf,
    bin: PathBuf,
    /// Root runs the server's programs as `postgres`.
    as_postgres: bool,
    /// Every commit is fsynced (else fsync is off).
    durable: bool,
}

/// The cluster the tests of this process share (made on first use).
pub fn shared() -> &'static Cluster {
    static SHARED: OnceLock<Cluster> = OnceLock::new();
    SHARED.get_or_init(Cluster::start)
}

/// Debian's server programs: the newest version installed.
fn bin_dir() -> PathBuf {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path().join("bin"))
                .collect()
        })
        .unwrap_or_default();
    versions.retain(|b| b.join("initdb").is_file());
    versions.sort();
    versions.pop().expect(
        "PostgreSQL's server is not installed (no /usr/lib/postgresql/*/bin/initdb): \
         scripts/test.sh installs Debian's postgresql; run it, or apt-get install postgresql",
    )
}

impl Cluster {
    /// A new cluster of its own, for a test that stops and starts it.
    pub fn start() -> Cluster {
        Cluster::start_with(false)
    }

    /// A new cluster; `durable`, it fsyncs every commit as a production server does (the
    /// benchmark), else it skips fsync (the tests).
    pub fn start_with(durable: bool) -> Cluster {
        let c = Cluster::init(durable);
        c.run_server();
        c
    }

    /// A new cluster that offers TLS with this certificate and key (PEM) besides plain text.
    pub fn start_tls(cert: &str, key: &str) -> Cluster {
        let c = Cluster::init(false);
        let data = c.data();
        std::fs::write(data.join("server.crt"), cert).unwrap();
        std::fs::write(data.join("server.key"), key).unwrap();
        std::fs::set_permissions(
            data.join("server.key"),
            std::os::unix::fs::PermissionsExt::from_mode(0o600),
        )
        .unwrap();
        if c.as_postgres {
            let ok = Command::new("chown")
                .arg("postgres:postgres")
                .arg(data.join("server.crt"))
                .arg(data.join("server.key"))
                .status()
                .unwrap()
                .success();
            assert!(ok, "chown the server's certificate");
        }
        let conf = data.join("postgresql.conf");
        let text = std::fs::read_to_string(&conf).unwrap();
        std::fs::write(&conf, format!("{text}\nssl = on\n")).unwrap();
        c.run_server();
        c
    }

    /// A cluster made (`initdb`), not yet started.
    fn init(durable: bool) -> Cluster {
        let bin = bin_dir();
        let as_postgres = euid() == 0;
        // A directory the postgres user can enter: not under root's 0700 temporary dirs.
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = PathBuf::from(format!(
            "/tmp/okuri-pg-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        if as_postgres {
            let ok = Command::new("chown")
                .args(["postgres:postgres"])
                .arg(&dir)
                .status()
                .unwrap()
                .success();
            assert!(ok, "chown postgres {}", dir.display());
        }
        let c = Cluster {
            port: free_port(),
            dir,
            bin,
            as_postgres,
            durable,
        };
        let out = c
            .command("initdb")
            .args([
                "-A",
                "trust",
                "--no-sync",
                "--locale=C",
                "-E",
                "UTF8",
                "-U",
                "postgres",
                "-D",
            ])
            .arg(c.data())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "initdb failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        c
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// One of the server's programs, run as its owner.
    fn command(&self, program: &str) -> Command {
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(self.bin.join(program));
            c
        } else {
            Command::new(self.bin.join(program))
        }
    }

    /// Starts the server (again) and waits until it answers. A watchdog stops it when this
    /// process ends, and the last watchdog removes the directory.
    pub fn run_server(&self) {
        let postgres = self.command("postgres");
        let mut argv: Vec<String> = std::iter::once(postgres.get_program())
            .chain(postgres.get_args())
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        argv.extend(
            [
                "-D",
                &self.data().display().to_string(),
                "-p",
                &self.port.to_string(),
                "-k",
                &self.dir.display().to_string(),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "max_connections=300",
            ]
            .map(String::from),
        );
        if !self.durable {
            for setting in [
                "fsync=off",
                "synchronous_commit=off",
                "full_page_writes=off",
            ] {
                argv.extend(["-c".to_owned(), setting.to_owned()]);
            }
        }
        let quoted: Vec<String> = argv.iter().map(|a| format!("'{a}'")).collect();
        // The watchdog: the server in the background; when the test process is gone (however
        // it ended), the server is thawed if a test froze it, stopped (fast: SIGINT to the
        // postmaster its pid file names) and its directory removed. One per start; they all
        // wait for the test process, and the first to see it gone cleans up.
        let script = format!(
            "{} >>'{dir}/server.log' 2>&1 & pg=$!; \
             while kill -0 {test} 2>/dev/null; do sleep 0.5; done; \
             p=$(head -1 '{dir}/data/postmaster.pid' 2>/dev/null); \
             if [ -n \"$p\" ]; then pkill -CONT -P $p; kill -CONT $p; kill -INT $p; fi; \
             for i in $(seq 1 100); do kill -0 $pg 2>/dev/null || break; sleep 0.1; done; \
             rm -rf '{dir}'",
            quoted.join(" "),
            dir = self.dir.display(),
            test = std::process::id(),
        );
        // Never waited for: it outlives this process on purpose, to clean up after it.
        #[allow(clippy::zombie_processes)]
        Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.wait_ready();
    }

    fn wait_ready(&self) {
        let started = Instant::now();
        loop {
            let ok = Command::new(self.bin.join("pg_isready"))
                .args(["-q", "-h", "127.0.0.1", "-p", &self.port.to_string()])
                .status()
                .unwrap()
                .success();
            if ok {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "PostgreSQL did not start:\n{}",
                std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops the server now (`pg_ctl stop -m fast`: clients are disconnected).
    pub fn stop(&self) {
        let out = self
            .command("pg_ctl")
            .args(["stop", "-m", "fast", "-w", "-D"])
            .arg(self.data())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pg_ctl stop: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Freezes (`STOP`) or thaws (`CONT`) the server and its backends: a server that accepts
    /// connections and answers nothing, as behind a cut network.
    pub fn signal_all(&self, signal: &str) {
        let pid = std::fs::read_to_string(self.data().join("postmaster.pid")).unwrap();
        let pid = pid.lines().next().unwrap().trim().to_owned();
        // Backends first, so that none is started unfrozen after the postmaster stops.
        let _ = Command::new("pkill")
            .args([&format!("-{signal}"), "-P", &pid])
            .status();
        let ok = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -{signal} {pid}");
    }

    /// Runs SQL as the superuser in `db`; the output, which must be a success.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let out = self.psql_command(db, sql).output().unwrap();
        assert!(
            out.status.success(),
            "psql {sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// `psql` as the superuser in `db`, not yet run (for a session held open).
    pub fn psql_command(&self, db: &str, sql: &str) -> Command {
        let mut c = Command::new("psql");
        c.args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h"])
            .arg(&self.dir)
            .args([
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                "-d",
                db,
                "-c",
                sql,
            ]);
        c
    }

    /// A new, empty database, and its URL for the service's configuration.
    pub fn database(&self) -> String {
        static N: AtomicUsize = AtomicUsize::new(0);
        let name = format!("okuri_{}", N.fetch_add(1, Ordering::Relaxed));
        self.psql("postgres", &format!("CREATE DATABASE {name}"));
        self.url(&name)
    }

    /// The URL of database `name` over TCP (no TLS on loopback).
    pub fn url(&self, name: &str) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{}/{name}?sslmode=disable",
            self.port
        )
    }
}

/// The database name in a URL this module made.
pub fn name_of(url: &str) -> &str {
    let tail = url.rsplit('/').next().unwrap();
    tail.split('?').next().unwrap()
}
