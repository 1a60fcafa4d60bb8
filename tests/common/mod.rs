//! A hermetic environment for driving the real `okuri` binary: a temporary home, a fixed
//! scrypt cost for speed (the interop tests use the real cost), and helpers for the real
//! tools recipients and auditors use.
#![allow(dead_code)]

pub mod ftl;
#[path = "../support/pg.rs"]
pub mod pg;
#[path = "../support/proxy.rs"]
pub mod proxy;
pub mod schema;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

pub struct Env {
    pub dir: tempfile::TempDir,
    pub home: PathBuf,
    /// The scrypt work factor packages are made with; `None` for the production 18.
    pub log_n: Option<u8>,
    /// The policy in force: the repository's policy.toml plus the fixture trust list.
    pub policy: PathBuf,
    pub recipients: PathBuf,
    /// Environment every okuri run of this Env gets (e.g. the key passphrase file).
    pub extra_env: Vec<(String, String)>,
    /// The language okuri speaks in this Env (`OKURI_LANG`).
    pub lang: &'static str,
    /// The city's documents are installed in `etc/` with a trust anchor ([`Env::signed`]);
    /// otherwise `etc/` does not exist and okuri runs in development mode. Either way no
    /// test reads the machine's /etc/okuri.
    pub city: bool,
    /// The service's database for this Env, made on first use ([`Env::database`]).
    pub database: std::cell::OnceCell<String>,
}

/// Which database the services a test starts use: tests/service.rs runs each test on both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

thread_local! {
    static BACKEND: std::cell::Cell<Backend> = const { std::cell::Cell::new(Backend::Sqlite) };
}

/// The backend of this test (each test runs on its own thread).
pub fn backend() -> Backend {
    BACKEND.get()
}

/// Runs `f` with services on `b`.
pub fn with_backend(b: Backend, f: impl FnOnce()) {
    BACKEND.set(b);
    f()
}

/// Keys made once per test binary with the real `okuri keygen` (bcrypt lowered through the
/// test hook), and the trust list and recipient register that name them.
pub struct Fixture {
    pub dir: PathBuf,
    pub pass: PathBuf,
    pub trust: String,
    pub recipients: String,
    /// The trust list's `[[administrator]]` who signs the staff directory (signed cities).
    pub administrator: String,
}

/// The people of the fixture: (id, role).
pub const PEOPLE: [(&str, &str); 12] = [
    ("yamada.taro", "staff"),
    ("kimura.jiro", "staff"),
    ("kansa.hanako", "staff"),
    ("tanaka.ichiro", "officer"),
    ("suzuki.hanako", "custodian"),
    ("sato.jiro", "custodian"),
    ("kato.expired", "custodian"),
    ("ito.revoked", "custodian"),
    ("mallory", "custodian"),
    ("ciso.one", "ciso"),
    ("ciso.two", "ciso"),
    ("kanri.admin", "administrator"),
];

pub const KEY_PASSPHRASE: &str = "correct horse battery staple";

impl Fixture {
    pub fn get() -> &'static Fixture {
        static F: OnceLock<Fixture> = OnceLock::new();
        F.get_or_init(|| {
            let dir = tempfile::tempdir().unwrap().keep();
            let pass = dir.join("key-pass");
            std::fs::write(&pass, format!("{KEY_PASSPHRASE}\n")).unwrap();
            std::fs::set_permissions(&pass, PermissionsExt::from_mode(0o600)).unwrap();
            for (id, role) in PEOPLE {
                let o = Command::new(env!("CARGO_BIN_EXE_okuri"))
                    .args([
                        "keygen",
                        "--id",
                        id,
                        "--role",
                        role,
                        "--key-passphrase-file",
                    ])
                    .arg(&pass)
                    .arg("--out")
                    .arg(dir.join(id))
                    .env("OKURI_TEST_KDF_ROUNDS", "1")
                    .env("OKURI_HOME", dir.join("home"))
                    // Never the machine's /etc/okuri: a directory that does not exist.
                    .env("OKURI_SYSTEM_DIR", dir.join("etc"))
                    .output()
                    .unwrap();
                assert!(
                    o.status.success(),
                    "keygen: {}",
                    String::from_utf8_lossy(&o.stderr)
                );
            }
            let public = |id: &str| {
                std::fs::read_to_string(dir.join(format!("{id}.pub")))
                    .unwrap()
                    .trim()
                    .to_owned()
            };
            let trust = format!(
                r#"
[[custodian]]
id = "suzuki.hanako"
name = "鈴木 花子"
department = "総務課"
classes = ["I", "II"]
departments = ["総務課"]
keys = [{{ key = "{suzuki}", valid_after = 2026-01-01, valid_before = 2099-01-01 }}]

[[custodian]]
id = "sato.jiro"
name = "佐藤 次郎"
department = "総務課"
classes = ["II"]
departments = ["総務課"]
keys = [{{ key = "{sato}" }}]

[[custodian]]
id = "kato.expired"
name = "加藤 三郎"
department = "総務課"
classes = ["I", "II"]
departments = ["*"]
keys = [{{ key = "{kato}", valid_after = 2025-04-01, valid_before = 2026-04-01 }}]

[[custodian]]
id = "ito.revoked"
name = "伊藤 四郎"
department = "総務課"
classes = ["I", "II"]
departments = ["*"]
keys = [{{ key = "{ito}" }}]
revoked = [{{ key = "{ito}", revoked_at = 2026-06-01, reason = "PC紛失" }}]

[[officer]]
id = "tanaka.ichiro"
name = "田中 一郎"
department = "総務部"
classes = ["I", "II", "III"]
departments = ["総務課", "税務課"]
keys = [{{ key = "{tanaka}" }}]
"#,
                suzuki = public("suzuki.hanako"),
                sato = public("sato.jiro"),
                kato = public("kato.expired"),
                ito = public("ito.revoked"),
                tanaka = public("tanaka.ichiro"),
            );
            let recipients = r#"version = 1

[[recipient]]
id = "kameoka-print"
name = "株式会社亀岡印刷"
contract = "亀総契第2026-0123号"
classes = ["II", "III"]
channels = ["email", "hand", "media"]
agreement_ends = 2099-03-31
[recipient.slip]
method = "phone"
phone = "0771-22-0000"
contact = "印刷 太郎"

[[recipient]]
id = "kyoto-pref"
name = "京都府 税務課"
contract = "地方税法に基づく提供"
classes = ["I", "II"]
channels = ["lgwan", "email"]
agreement_ends = 2099-03-31
[recipient.slip]
method = "fax"
fax = "075-000-0000"
contact = "府 税務担当"

[[recipient]]
id = "old-vendor"
name = "旧委託業者株式会社"
contract = "亀総契第2025-0001号"
classes = ["II"]
channels = ["email"]
agreement_ends = 2026-06-30
[recipient.slip]
method = "post"
address = "京都府亀岡市"
contact = "旧 担当"
"#
            .to_owned();
            let administrator = format!(
                "\n[[administrator]]\nid = \"kanri.admin\"\nname = \"管理 花子\"\ndepartment = \"情報政策課\"\nkeys = [{{ key = \"{}\" }}]\n",
                public("kanri.admin")
            );
            Fixture {
                dir,
                pass,
                trust,
                recipients,
                administrator,
            }
        })
    }

    pub fn key(&self, id: &str) -> PathBuf {
        self.dir.join(id)
    }

    /// The public key line of a fixture person.
    pub fn public(&self, id: &str) -> String {
        std::fs::read_to_string(self.dir.join(format!("{id}.pub")))
            .unwrap()
            .trim()
            .to_owned()
    }

    /// The staff directory: yamada.taro and kimura.jiro staff of 総務課, kansa.hanako auditor.
    pub fn staff(&self) -> String {
        format!(
            "version = 1\n\n[[person]]\nid = \"yamada.taro\"\nname = \"山田 太郎\"\ndepartment = \"総務課\"\nroles = [\"staff\"]\nkeys = [\"{}\"]\n\n[[person]]\nid = \"kimura.jiro\"\nname = \"木村 次郎\"\ndepartment = \"総務課\"\nroles = [\"staff\"]\nkeys = [\"{}\"]\n\n[[person]]\nid = \"kansa.hanako\"\nname = \"監査 花子\"\ndepartment = \"監査委員事務局\"\nroles = [\"auditor\"]\nkeys = [\"{}\"]\n",
            self.public("yamada.taro"),
            self.public("kimura.jiro"),
            self.public("kansa.hanako")
        )
    }

    /// The fixture person's key, decrypted, for tests that sign as them.
    pub fn signing_key(&self, id: &str) -> okuri::secret::keys::SigningKey {
        okuri::secret::keys::SigningKey::load(
            &self.key(id),
            &okuri::secret::keys::PassphraseSource::File(self.pass.clone()),
            &|m| format!("{m:?}"),
        )
        .unwrap()
    }
}

/// The header of a signed city document: `serial`, valid until the end of 2099.
pub fn city_header(serial: u64) -> String {
    format!("serial = {serial}\nvalid_until = 2099-12-31\n")
}

/// The repository's policy.toml.
pub fn repo_policy() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/policy.toml")).unwrap()
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
    /// The `data` of a `--json` output, once the whole output has been checked against its
    /// schema (docs/json.md).
    pub fn json(&self) -> serde_json::Value {
        let v: serde_json::Value = serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout));
        schema::cli(&v)
    }

    /// Asserts that a line okuri printed (stderr, else stdout, after `okuri: <label>: `) is
    /// the message `id` in `lang` as the `.ftl` file words it.
    pub fn says(&self, lang: &str, id: &str) -> &Self {
        let msgs = ftl::messages(lang);
        let m = msgs
            .get(id)
            .unwrap_or_else(|| panic!("no message {id} in {lang}"));
        let found = self
            .stderr
            .lines()
            .chain(self.stdout.lines())
            .map(|l| {
                l.strip_prefix("okuri: ")
                    .and_then(|r| r.split_once(": ").map(|(_, t)| t))
                    .unwrap_or(l)
            })
            .any(|t| ftl::matches(&m.glob, t));
        assert!(
            found,
            "{lang}: no line is message {id}\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }

    /// The refusal's code and its message, from the first stderr line
    /// `okuri: <refused> [code]: message`.
    pub fn refusal(&self) -> (String, String) {
        self.stderr
            .lines()
            .filter_map(|l| l.strip_prefix("okuri: "))
            .find_map(|l| {
                let (_, rest) = l.split_once(" [")?;
                let (code, text) = rest.split_once("]: ")?;
                code.bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-')
                    .then(|| (code.to_owned(), text.to_owned()))
            })
            .unwrap_or_else(|| panic!("not a refusal: {}", self.stderr))
    }
}

/// Asserts a refusal with `code` in `lang`: exit 3, and the message as the `.ftl` file words it
/// (for refusals that are not recorded, or ran in another home than an Env's).
pub fn refused_in(lang: &str, r: &Run, code: &str) {
    r.code(3);
    let (got, text) = r.refusal();
    assert_eq!(got, code, "{}", r.stderr);
    assert_refusal_text(lang, code, &text);
    log_refusal(code, lang);
}

/// Notes that a test saw refusal `code` rendered in `lang`, in the file `OKURI_REFUSAL_LOG`
/// names (scripts/test.sh sets it, and checks afterwards that every code was seen in both
/// languages).
pub fn log_refusal(code: &str, lang: &str) {
    use std::io::Write;
    if let Some(path) = std::env::var_os("OKURI_REFUSAL_LOG") {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .expect("open the refusal log");
        f.write_all(format!("{code} {lang}\n").as_bytes())
            .expect("write the refusal log");
    }
}

/// Asserts that `text` is a rendering of a message `refusal-<code>` (or one of its other
/// wordings, `refusal-<code>-…`) in `lang`, read from the `.ftl` source, and returns its id.
pub fn assert_refusal_text(lang: &str, code: &str, text: &str) -> String {
    let msgs = ftl::messages(lang);
    let base = format!("refusal-{code}");
    msgs.iter()
        .filter(|(id, _)| {
            (**id == base || id.starts_with(&format!("{base}-"))) && !id.ends_with("-hint")
        })
        .find(|(_, m)| ftl::matches(&m.glob, text))
        .map(|(id, _)| id.clone())
        .unwrap_or_else(|| panic!("{lang}: {text:?} is no wording of refusal {code}"))
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
    /// Asserts a refusal with `code`: exit 3, the message in this Env's language as the `.ftl`
    /// file words it, and, where the refusal was recorded, the same refusal rendered from the
    /// record in the other language by `okuri record show` (so each refusal a test provokes is
    /// checked in both languages).
    pub fn refused(&self, r: &Run, code: &str) {
        refused_in(self.lang, r, code);
        let last = self.record_entries().pop();
        let recorded = last
            .as_ref()
            .and_then(|e| e["reason"]["code"].as_str().map(|c| c == code))
            .unwrap_or(false);
        if recorded {
            let other = if self.lang == "ja" { "en" } else { "ja" };
            let shown = self.run(&["record", "show", "--lang", other]);
            shown.ok();
            let line = shown.stdout.lines().last().unwrap_or("");
            let (_, rest) = line
                .split_once(&format!("[{code}] "))
                .unwrap_or_else(|| panic!("record show lacks [{code}]: {line}"));
            assert_refusal_text(other, code, rest);
            log_refusal(code, other);
        }
    }

    /// A set-up home whose sender is 山田 太郎 of 総務課.
    pub fn new() -> Env {
        let env = Env::bare();
        env.run(&[
            "init",
            "--id",
            "yamada.taro",
            "--name",
            "山田 太郎",
            "--department",
            "総務課",
        ])
        .ok();
        env
    }

    /// What the service's configuration names as its database on this test's backend: a
    /// SQLite file in the Env, or a new database of the shared PostgreSQL cluster.
    pub fn database(&self) -> &str {
        self.database.get_or_init(|| match backend() {
            Backend::Sqlite => "approvald.sqlite".to_owned(),
            Backend::Postgres => pg::shared().database(),
        })
    }

    /// The policy in force in this environment: the repository's rules plus the trust list.
    pub fn policy_text(&self) -> String {
        format!("{}{}", repo_policy(), Fixture::get().trust)
    }

    /// A temporary directory with no home yet.
    pub fn bare() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        let home = dir.path().join("home");
        std::fs::create_dir(dir.path().join("slips")).unwrap();
        std::fs::create_dir(dir.path().join("out")).unwrap();
        let f = Fixture::get();
        let policy = dir.path().join("policy.toml");
        std::fs::write(&policy, format!("{}{}", repo_policy(), f.trust)).unwrap();
        let recipients = dir.path().join("recipients.toml");
        std::fs::write(&recipients, &f.recipients).unwrap();
        Env {
            dir,
            home,
            log_n: Some(10),
            policy,
            recipients,
            extra_env: Vec::new(),
            lang: "en",
            city: false,
            database: std::cell::OnceCell::new(),
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
        self.cmd_for(env!("CARGO_BIN_EXE_okuri"))
    }

    /// `program` (a shell, say) run with this Env's environment and directory.
    pub fn cmd_for(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.env("OKURI_HOME", &self.home)
            .env("OKURI_SYSTEM_DIR", self.path("etc"))
            .env("OKURI_TEST_KDF_ROUNDS", "1")
            .env("OKURI_LANG", self.lang)
            .env_remove("OKURI_TEST_SCRYPT_LOG_N")
            .env_remove("OKURI_TEST_PAUSE_MS")
            .env_remove("OKURI_TEST_NOW")
            .current_dir(self.dir.path())
            .stdin(Stdio::null());
        if self.city {
            c.env_remove("OKURI_POLICY").env_remove("OKURI_RECIPIENTS");
        } else {
            c.env("OKURI_POLICY", &self.policy)
                .env("OKURI_RECIPIENTS", &self.recipients);
        }
        if let Some(n) = self.log_n {
            c.env("OKURI_TEST_SCRYPT_LOG_N", n.to_string());
        }
        for (k, v) in &self.extra_env {
            c.env(k, v);
        }
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.cmd().args(args).output().expect("run okuri").into()
    }

    /// [`Env::run`] in another home on this machine (another person's, or a second one).
    pub fn run_in(&self, home: &Path, args: &[&str]) -> Run {
        self.cmd()
            .env("OKURI_HOME", home)
            .args(args)
            .output()
            .expect("run okuri")
            .into()
    }

    /// [`Env::run`] with arguments that need not be UTF-8 (file names).
    pub fn run_os(&self, args: &[&std::ffi::OsStr]) -> Run {
        self.cmd().args(args).output().expect("run okuri").into()
    }

    /// Designates `name` (any bytes) class `class` with a signed designation beside it, made
    /// by the officer from the officer's own home.
    pub fn labelled_os(&self, name: &std::ffi::OsStr, bytes: &[u8], class: &str) {
        std::fs::write(self.path("").join(name), bytes).unwrap();
        self.officer_label(&self.path("officer-home"), name, class, "sidecar");
    }

    /// Designates `name` in the register of the staff's own home (for names too long to have
    /// a sidecar); the designation is recorded in the staff's record.
    pub fn designated_here(&self, name: &str, bytes: &[u8], class: &str) {
        self.write(name, bytes);
        self.officer_label(&self.home, name.as_ref(), class, "register");
    }

    /// `okuri label ./NAME --class CLASS --store STORE --key <officer>` with `home`.
    fn officer_label(&self, home: &Path, name: &std::ffi::OsStr, class: &str, store: &str) {
        let f = Fixture::get();
        let r: Run = self
            .cmd()
            .env("OKURI_HOME", home)
            .arg("label")
            .arg(Path::new(".").join(name))
            .args(["--class", class, "--store", store, "--key"])
            .arg(f.key("tanaka.ichiro"))
            .arg("--key-passphrase-file")
            .arg(&f.pass)
            .args(["--department", "総務課"])
            .output()
            .unwrap()
            .into();
        r.ok();
    }

    /// `okuri pack FILE --to X --channel hand --out out --slip SLIP`, to be run.
    pub fn pack_by_hand_cmd(&self, file: &str, slip: &str) -> Command {
        let mut c = self.cmd();
        c.args([
            "pack",
            file,
            "--to",
            "X",
            "--channel",
            "hand",
            "--out",
            "out",
        ])
        .args(["--slip", slip]);
        c
    }

    /// [`Env::pack_by_hand_cmd`] with `extra` arguments, run.
    pub fn pack_by_hand(&self, file: &str, slip: &str, extra: &[&str]) -> Run {
        self.pack_by_hand_cmd(file, slip)
            .args(extra)
            .output()
            .expect("run okuri")
            .into()
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) -> PathBuf {
        let p = self.path(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// A file with an unsigned label in the extended attribute (it may only raise the class).
    pub fn xattr_labelled(&self, rel: &str, bytes: &[u8], class: &str) -> PathBuf {
        let p = self.write(rel, bytes);
        xattr::set(&p, "user.okuri.class", class.as_bytes()).expect("set xattr");
        p
    }

    /// A file whose class the information officer designated: a signed designation beside
    /// it, made with the real `okuri label --key` from the officer's own home (so the staff
    /// record is untouched).
    pub fn labelled(&self, rel: &str, bytes: &[u8], class: &str) -> PathBuf {
        let p = self.write(rel, bytes);
        self.designate(rel, class, &["--store", "sidecar"]);
        p
    }

    /// Runs `okuri label FILE --class CLASS --key <officer>` in the officer's home.
    pub fn designate(&self, rel: &str, class: &str, extra: &[&str]) -> Run {
        self.designate_at(rel, class, extra, None)
    }

    /// [`Env::designate`] at a given time (`OKURI_TEST_NOW`), for tests that move the clock.
    pub fn designate_at(&self, rel: &str, class: &str, extra: &[&str], now: Option<&str>) -> Run {
        let f = Fixture::get();
        let mut c = self.cmd();
        if let Some(t) = now {
            c.env("OKURI_TEST_NOW", t);
        }
        c.env("OKURI_HOME", self.path("officer-home"))
            .args(["label", rel, "--class", class, "--key"])
            .arg(f.key("tanaka.ichiro"))
            .arg("--key-passphrase-file")
            .arg(&f.pass)
            .args(["--department", "総務課"])
            .args(extra);
        let r: Run = c.output().unwrap().into();
        r.ok();
        r
    }

    /// `okuri request FILE --to TO --channel CH --purpose … --out reqs/NAME.req`.
    pub fn request(&self, file: &str, to: &str, channel: &str, extra: &[&str]) -> (Run, String) {
        std::fs::create_dir_all(self.path("reqs")).unwrap();
        let n = std::fs::read_dir(self.path("reqs")).unwrap().count();
        let out = format!("reqs/{file}.{to}.{channel}.{n}.req");
        let mut args = vec![
            "request",
            file,
            "--to",
            to,
            "--channel",
            channel,
            "--purpose",
            "委託業務",
            "--out",
            &out,
        ];
        args.extend_from_slice(extra);
        (self.run(&args), out)
    }

    /// A custodian's command (`approve`, `deny`) in that custodian's own home, with their key.
    pub fn custodian(&self, who: &str, args: &[&str], envs: &[(&str, &str)]) -> Run {
        let f = Fixture::get();
        let mut c = self.cmd();
        c.env("OKURI_HOME", self.path(&format!("custodian-{who}")))
            .args(args)
            .arg("--key")
            .arg(f.key(who))
            .arg("--key-passphrase-file")
            .arg(&f.pass);
        for (k, v) in envs {
            c.env(k, v);
        }
        c.output().unwrap().into()
    }

    /// Approves `req` as `who`; returns the run and the token's path.
    pub fn approve(
        &self,
        req: &str,
        who: &str,
        extra: &[&str],
        envs: &[(&str, &str)],
    ) -> (Run, String) {
        std::fs::create_dir_all(self.path("tokens")).unwrap();
        let n = std::fs::read_dir(self.path("tokens")).unwrap().count();
        let token = format!("tokens/t{n}.token");
        let mut args = vec!["approve", req, "--out", &token];
        args.extend_from_slice(extra);
        (self.custodian(who, &args, envs), token)
    }

    /// A request by yamada.taro approved by suzuki.hanako: the token's path.
    pub fn approved(&self, file: &str, to: &str, channel: &str, extra: &[&str]) -> String {
        let (r, req) = self.request(file, to, channel, extra);
        r.ok();
        let (r, token) = self.approve(&req, "suzuki.hanako", &[], &[]);
        r.ok();
        token
    }

    /// Packs `file` with the slip in slips/ and the package in out/; returns the run.
    pub fn pack(&self, file: &str, channel: &str, extra: &[&str]) -> Run {
        self.pack_to(file, "株式会社テスト", channel, extra)
    }

    /// Packs `file` for `to` (a register id or, for class III, any name).
    pub fn pack_to(&self, file: &str, to: &str, channel: &str, extra: &[&str]) -> Run {
        let slip = format!("slips/{file}.slip.txt");
        let mut args = vec![
            "pack",
            file,
            "--to",
            to,
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
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("record line is JSON");
                schema::record_line(&v);
                v
            })
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

/// Every `.rs` file below `dir`, for the tests that read the sources.
pub fn rust_files(dir: &Path) -> Vec<PathBuf> {
    files_with_extension(dir, "rs")
}

/// Every file under `dir` (recursively) whose extension is `ext`, sorted.
pub fn files_with_extension(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else if p.extension().is_some_and(|x| x == ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
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

/// A running okuri-approvald on loopback, killed when dropped.
pub struct Service {
    pub child: std::process::Child,
    pub url: String,
    pub config: PathBuf,
    pub log: std::sync::Arc<std::sync::Mutex<String>>,
    /// Where this process logs the bodies it handles (one log per process).
    wire_log: PathBuf,
}

impl Service {
    /// Starts the service with `config` and waits until it listens.
    pub fn start(config: &Path) -> Service {
        Service::start_with(config, &[])
    }

    /// [`Service::start`] with extra environment (test hooks such as `OKURI_TEST_NOW`).
    pub fn start_with(config: &Path, envs: &[(&str, &str)]) -> Service {
        use std::io::BufRead;
        static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let wire_log = config.with_extension(format!("wire-{n}.jsonl"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_okuri-approvald"))
            .arg("--config")
            .arg(config)
            .env("OKURI_TEST_WIRE_LOG", &wire_log)
            .envs(envs.iter().copied())
            .env("OKURI_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start okuri-approvald");
        let stderr = child.stderr.take().unwrap();
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let sink = std::sync::Arc::clone(&log);
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if let Some(u) = line.strip_prefix("okuri-approvald: listening on ") {
                    let _ = tx.send(u.to_owned());
                }
                let mut l = sink.lock().unwrap();
                l.push_str(&line);
                l.push('\n');
            }
        });
        let url = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("the service did not start:\n{}", log.lock().unwrap()));
        Service {
            child,
            url,
            config: config.to_path_buf(),
            log,
            wire_log,
        }
    }

    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, and the exit status.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        self.child.wait().unwrap()
    }

    pub fn restart(&mut self) {
        self.kill9();
        *self = Service::start(&self.config.clone());
    }
}

impl Drop for Service {
    /// Stops the service and checks every body this process handled against its schema. A
    /// test build of the service makes its log when it starts: a missing log is a failure,
    /// not a pass.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if !std::thread::panicking() && cfg!(feature = "test-hooks") {
            assert!(
                self.wire_log.exists(),
                "the service left no wire log at {}: is it a test build? (or was its Env \
                 dropped first?)",
                self.wire_log.display()
            );
            schema::wire_log(&self.wire_log);
        }
    }
}

#[allow(unused_imports)] // not every test binary asks
pub use pg::free_port;

impl Env {
    /// An Env whose policy names an approval service on loopback, with the service running:
    /// yamada.taro and kimura.jiro are enrolled staff of 総務課, kansa.hanako an auditor.
    pub fn with_service() -> (Env, Service) {
        let mut env = Env::new();
        let port = free_port();
        let service = env.service_policy(&format!("http://127.0.0.1:{port}"), None);
        env.write(
            "approvald.toml",
            format!(
                "listen = \"127.0.0.1:{port}\"\ndatabase = \"{}\"\npolicy = \"policy.toml\"\nrecipients = \"recipients.toml\"\nstaff = \"staff.toml\"\n",
                env.database()
            )
            .as_bytes(),
        );
        let _ = service;
        let svc = Service::start(&env.path("approvald.toml"));
        (env, svc)
    }

    /// Points the policy at a service URL, enrols the fixture staff, installs yamada.taro's
    /// key in the home, and passes the key passphrase file to every run.
    pub fn service_policy(&mut self, url: &str, ca: Option<&Path>) -> String {
        let f = Fixture::get();
        let ca = ca
            .map(|c| format!("ca = \"{}\"\n", c.display()))
            .unwrap_or_default();
        let text = repo_policy().replace(
            "[class.I]\n",
            &format!("[service]\nurl = \"{url}\"\n{ca}\n[class.I]\n"),
        );
        std::fs::write(&self.policy, format!("{text}{}", f.trust)).unwrap();
        std::fs::write(self.path("staff.toml"), f.staff()).unwrap();
        self.install_own_key();
        url.to_owned()
    }

    /// Installs yamada.taro's key in the home and passes the key passphrase file to every run.
    pub fn install_own_key(&mut self) {
        let f = Fixture::get();
        std::fs::create_dir_all(self.home.join("keys")).unwrap();
        std::fs::copy(f.key("yamada.taro"), self.home.join("keys/yamada.taro")).unwrap();
        self.extra_env.push((
            "OKURI_KEY_PASSPHRASE_FILE".into(),
            f.pass.display().to_string(),
        ));
    }

    /// An Env whose machine has the city's trust anchor in `etc/` (the fixture's two CISO
    /// keys) and the city's documents there, each at serial 1 and signed by its signer with
    /// `okuri sign`: the rules (the repository's), the trust list (the fixture's, with an
    /// administrator), the staff directory and the recipient register. 山田's own key is in
    /// the home, for signing requests.
    pub fn signed() -> Env {
        let mut env = Env::new();
        env.city = true;
        let f = Fixture::get();
        env.install_anchor();
        env.city_doc("rules", 1, &repo_policy(), "ciso.one");
        env.city_doc(
            "trust",
            1,
            &format!("{}{}", f.trust, f.administrator),
            "ciso.two",
        );
        env.city_doc("staff", 1, &f.staff(), "kanri.admin");
        env.city_doc("recipients", 1, &f.recipients, "suzuki.hanako");
        env.install_own_key();
        env
    }

    /// Installs the city's trust anchor in `etc/`: the fixture's two CISO keys.
    pub fn install_anchor(&self) {
        let f = Fixture::get();
        std::fs::create_dir_all(self.path("etc")).unwrap();
        self.write(
            "etc/ciso.allowed_signers",
            format!(
                "ciso.one {}\nciso.two {}\n",
                f.public("ciso.one"),
                f.public("ciso.two")
            )
            .as_bytes(),
        );
    }

    /// Writes `etc/KIND.toml` with a header (`serial`, valid until 2099) above `body`, and has
    /// `signer` sign it.
    pub fn city_doc(&self, kind: &str, serial: u64, body: &str, signer: &str) {
        self.write(
            &format!("etc/{kind}.toml"),
            format!("{}{body}", city_header(serial)).as_bytes(),
        );
        self.sign(kind, signer).ok();
    }

    /// `okuri sign KIND etc/KIND.toml` with `signer`'s fixture key.
    pub fn sign(&self, kind: &str, signer: &str) -> Run {
        let f = Fixture::get();
        self.run_os(&[
            "sign".as_ref(),
            kind.as_ref(),
            self.path(&format!("etc/{kind}.toml")).as_os_str(),
            "--key".as_ref(),
            f.key(signer).as_os_str(),
            "--key-passphrase-file".as_ref(),
            f.pass.as_os_str(),
        ])
    }

    /// A signed city ([`Env::signed`]) whose signed service document names a service on
    /// loopback, with the service running under the city's documents (`city = "etc"`).
    pub fn with_signed_service() -> (Env, Service) {
        let env = Env::signed();
        let port = free_port();
        env.city_doc(
            "service",
            1,
            &format!("[service]\nurl = \"http://127.0.0.1:{port}\"\n"),
            "ciso.one",
        );
        env.write(
            "approvald.toml",
            format!(
                "listen = \"127.0.0.1:{port}\"\ndatabase = \"{}\"\ncity = \"etc\"\n",
                env.database()
            )
            .as_bytes(),
        );
        let svc = Service::start(&env.path("approvald.toml"));
        (env, svc)
    }
}

/// Logs in to the service as `id` with the fixture key, through okuri's own client.
pub fn login(
    url: &str,
    id: &str,
) -> Result<okuri::net::client::Client, okuri::net::client::Failure> {
    let f = Fixture::get();
    let key = f.signing_key(id);
    okuri::net::client::Client::login(
        &okuri::policy::ServiceRef {
            url: url.to_owned(),
            ca: None,
        },
        &id.parse().unwrap(),
        &key,
    )
}

#[allow(unused_imports)] // not every test binary asks
pub use pg::euid;

impl Env {
    /// Appends a `[limits]` line to the service's configuration and restarts it.
    pub fn service_limit(&self, svc: &mut Service, line: &str) {
        let cfg = std::fs::read_to_string(self.path("approvald.toml")).unwrap();
        self.write(
            "approvald.toml",
            format!("{cfg}\n[limits]\n{line}\n").as_bytes(),
        );
        svc.restart();
    }
}

/// What still differs from run to run, replaced by its name: the temporary directory, and what
/// comes from the operating system's randomness — transfer ids, the passphrase, and the
/// package's digests (age draws its file key and nonce from the OS, which no hook reaches).
pub fn redact(env: &Env, text: &str) -> String {
    let text = text.replace(env.dir.path().to_str().unwrap(), "⟨dir⟩");
    let subs = [
        (r"\b\d{8}-\d{4}-\d{4}\b", "⟨transfer-id⟩"),
        (r"Passphrase: [0-9-]+", "Passphrase: ⟨passphrase⟩"),
        (r"SHA-256 [0-9a-f]{4}(-[0-9a-f]{4}){3}", "SHA-256 ⟨sha256⟩"),
        (r"\b[0-9a-f]{64}\b", "⟨blake3⟩"),
        (r"\b[0-9a-f]{4}(-[0-9a-f]{4}){3}\b", "⟨digest⟩"),
        (r"\b(tok|req|med)-[0-9a-f]{32}\b", "⟨$1-id⟩"),
        // The fixture's keys are made afresh for each test binary.
        (r"SHA256:[A-Za-z0-9+/]{43}", "⟨key⟩"),
    ];
    subs.iter().fold(text, |t, (re, to)| {
        regex::Regex::new(re)
            .unwrap()
            .replace_all(&t, *to)
            .into_owned()
    })
}

/// `okuri request … --submit --json`: the request id.
pub fn submit(env: &Env, file: &str, to: &str, channel: &str, extra: &[&str]) -> String {
    let mut args = request_args(file, to, channel);
    args.push("--json");
    args.extend_from_slice(extra);
    let r = env.run(&args);
    r.ok();
    r.json()["request_id"].as_str().unwrap().to_owned()
}

/// `okuri request FILE --to TO --channel CHANNEL --purpose 委託業務 --submit`'s arguments.
pub fn request_args<'a>(file: &'a str, to: &'a str, channel: &'a str) -> Vec<&'a str> {
    vec![
        "request",
        file,
        "--to",
        to,
        "--channel",
        channel,
        "--purpose",
        "委託業務",
        "--submit",
    ]
}

/// `okuri request status ID --json`.
pub fn status_of(env: &Env, id: &str) -> serde_json::Value {
    env.run(&["request", "status", id, "--json"]).ok().json()
}

/// SIGHUP, then wait until the service logs that it reloaded (or failed to).
pub fn hup(svc: &Service) {
    svc.log.lock().unwrap().clear();
    let s = std::process::Command::new("kill")
        .args(["-HUP", &svc.child.id().to_string()])
        .status()
        .unwrap();
    assert!(s.success());
    for _ in 0..400 {
        if svc.log.lock().unwrap().contains("reload") {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("no reload logged: {}", svc.log.lock().unwrap());
}

/// Splits a token as docs/approval.md tells an auditor to, and runs stock `ssh-keygen -Y
/// verify` with `allowed` (an allowed_signers file) for `principal` in `namespace`: whether it
/// verified, and what ssh-keygen said.
pub fn ssh_keygen_verify_token(
    env: &Env,
    token: &Path,
    allowed: &Path,
    principal: &str,
    namespace: &str,
) -> (bool, String) {
    let sig = env.path("check.sig");
    let payload = env.path("check.payload");
    let text = std::fs::read(token).unwrap();
    let at = text
        .windows(b"-----BEGIN SSH SIGNATURE-----".len())
        .position(|w| w == b"-----BEGIN SSH SIGNATURE-----")
        .unwrap();
    std::fs::write(&payload, &text[..at]).unwrap();
    std::fs::write(&sig, &text[at..]).unwrap();
    let o = Command::new("ssh-keygen")
        .args(["-Y", "verify", "-f"])
        .arg(allowed)
        .args(["-I", principal, "-n", namespace, "-s"])
        .arg(&sig)
        .stdin(std::fs::File::open(&payload).unwrap())
        .output()
        .expect("ssh-keygen (openssh-client) is installed");
    (
        o.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    )
}
