//! A hermetic environment for driving the real `okuri` binary: a temporary home, a fixed
//! scrypt cost for speed (the interop tests use the real cost), and helpers for the real
//! tools recipients and auditors use.
#![allow(dead_code)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub struct Env {
    pub dir: tempfile::TempDir,
    pub home: PathBuf,
    /// The scrypt work factor packages are made with; `None` for the production 18.
    pub log_n: Option<u8>,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn ok(&self) -> &Self {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }
    pub fn code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "expected exit {code}\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Env {
    /// A set-up home whose sender is 山田 太郎 of 総務課.
    pub fn new() -> Env {
        let env = Env::bare();
        env.run(&["init", "--name", "山田 太郎", "--department", "総務課"])
            .ok();
        env
    }

    /// A temporary directory with no home yet.
    pub fn bare() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        let home = dir.path().join("home");
        std::fs::create_dir(dir.path().join("slips")).unwrap();
        std::fs::create_dir(dir.path().join("out")).unwrap();
        Env {
            dir,
            home,
            log_n: Some(10),
        }
    }

    /// Packages made at the production work factor, for tests against the real `age`.
    pub fn interop() -> Env {
        let mut env = Env::new();
        env.log_n = None;
        env
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_okuri"));
        c.env("OKURI_HOME", &self.home)
            .env_remove("OKURI_POLICY")
            .env_remove("OKURI_TEST_SCRYPT_LOG_N")
            .env_remove("OKURI_TEST_PAUSE_MS")
            .current_dir(self.dir.path())
            .stdin(Stdio::null());
        if let Some(n) = self.log_n {
            c.env("OKURI_TEST_SCRYPT_LOG_N", n.to_string());
        }
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.cmd().args(args).output().expect("run okuri").into()
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) -> PathBuf {
        let p = self.path(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// A file labelled with `class` through the extended attribute.
    pub fn labelled(&self, rel: &str, bytes: &[u8], class: &str) -> PathBuf {
        let p = self.write(rel, bytes);
        xattr::set(&p, "user.okuri.class", class.as_bytes()).expect("set xattr");
        p
    }

    /// Packs `file` with the slip in slips/ and the package in out/; returns the run.
    pub fn pack(&self, file: &str, channel: &str, extra: &[&str]) -> Run {
        let slip = format!("slips/{file}.slip.txt");
        let mut args = vec![
            "pack",
            file,
            "--to",
            "株式会社テスト",
            "--channel",
            channel,
            "--out",
            "out",
            "--slip",
            &slip,
            "--json",
        ];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    pub fn record_text(&self) -> String {
        std::fs::read_to_string(self.home.join("record.jsonl")).unwrap_or_default()
    }

    pub fn record_entries(&self) -> Vec<serde_json::Value> {
        self.record_text()
            .lines()
            .map(|l| serde_json::from_str(l).expect("record line is JSON"))
            .collect()
    }

    /// Every file under `rel`, recursively, sorted.
    pub fn files(&self, rel: &str) -> Vec<PathBuf> {
        let mut out = Vec::new();
        walk(&self.path(rel), &mut out);
        out.sort();
        out
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The passphrase from a slip's `Passphrase: ` line.
pub fn passphrase_from_slip(slip: &str) -> String {
    slip.lines()
        .find_map(|l| l.strip_prefix("Passphrase: "))
        .expect("slip has a Passphrase line")
        .trim()
        .to_owned()
}

pub fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Decrypts with Debian's Go `age`, typing the passphrase at its terminal prompt.
/// Returns age's exit code and what it printed.
pub fn age_decrypt(pass: &str, input: &Path, output: &Path) -> (i32, String) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/age-decrypt.exp");
    let o = Command::new("expect")
        .arg(script)
        .arg(age_binary())
        .arg(pass)
        .arg(output)
        .arg(input)
        .output()
        .expect("expect is installed (apt-get install expect)");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

/// The Go age binary from Debian's `age` package.
pub fn age_binary() -> &'static str {
    assert!(
        Path::new("/usr/bin/age").exists(),
        "Debian's age is missing: apt-get install age"
    );
    "/usr/bin/age"
}

/// Decrypts with the age crate (the library rage is built on), at most work factor 18.
pub fn rust_age_decrypt(pass: &str, input: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let f = std::fs::File::open(input).unwrap();
    let reader = age::armor::ArmoredReader::new(std::io::BufReader::new(f));
    let d = age::Decryptor::new(reader).map_err(|e| e.to_string())?;
    let mut id = age::scrypt::Identity::new(age::secrecy::SecretString::from(pass.to_owned()));
    id.set_max_work_factor(18);
    let mut r = d
        .decrypt(std::iter::once(&id as &dyn age::Identity))
        .map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    r.read_to_end(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}
