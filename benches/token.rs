//! Verifying an approval token: in process (what `okuri pack` and the service do: parse the
//! signed document, verify its SSHSIG against the trust list, run every check of
//! `approval::assess`), and as the command `okuri token verify`, whose time is mostly the
//! process starting. Medians; figures in docs/benchmarks.md.
//!
//! Run: `cargo bench --bench token`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use okuri::policy::Policy;
use okuri::policy::recipients::Register;
use okuri::secret::keys::Role;
use okuri::signed::approval::{self, Token, Transfer};

// The token only: not the records.
#[allow(dead_code)]
#[path = "../tests/support/synthetic.rs"]
mod synthetic;

const PASS: &str = "token bench passphrase";

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let custodian = synthetic::key(d, "suzuki.hanako", Role::Custodian, PASS);
    let public = std::fs::read_to_string(d.join("suzuki.hanako.pub")).unwrap();
    std::fs::write(
        d.join("policy.toml"),
        format!(
            "{}\n[[custodian]]\nid = \"suzuki.hanako\"\nname = \"鈴木 花子\"\ndepartment = \"総務課\"\nclasses = [\"I\", \"II\"]\ndepartments = [\"総務課\"]\nkeys = [{{ key = \"{}\" }}]\n",
            okuri::policy::EMBEDDED,
            public.trim()
        ),
    )
    .unwrap();
    let register_text = "version = 1\n[[recipient]]\nid = \"kameoka-print\"\nname = \"株式会社亀岡印刷\"\ncontract = \"亀総契第2026-0123号\"\nclasses = [\"II\", \"III\"]\nchannels = [\"email\"]\nagreement_ends = 2099-03-31\n[recipient.slip]\nmethod = \"phone\"\nphone = \"0771-22-0000\"\ncontact = \"印刷 太郎\"\n";
    std::fs::write(d.join("recipients.toml"), register_text).unwrap();
    let policy = Policy::load(Some(&d.join("policy.toml"))).unwrap();
    let register = Register::load(&d.join("recipients.toml")).unwrap();
    let req = synthetic::request(&policy, 7);
    let (_, text) = synthetic::token(&policy, &custodian, &req, 24);
    std::fs::write(d.join("token"), &text).unwrap();

    // In process: parse, verify, assess; as many times as fit in about two seconds, in batches.
    let verify_once = || {
        let t = Token::parse(text.as_bytes(), req.request_id.as_str()).unwrap();
        let a = approval::assess(
            &t,
            &policy,
            &register,
            jiff::Timestamp::now(),
            &Transfer {
                file: Some((req.file.blake3, req.file.size)),
                class: Some(req.class),
                recipient: Some("kameoka-print"),
                channel: Some(req.channel),
                packer: Some(&req.requester.id),
                legal_basis: None,
                directory: None,
            },
            None,
        );
        assert!(a.refusal.is_none(), "{:?}", a.refusal);
    };
    for _ in 0..100 {
        verify_once();
    }
    let batch = 200;
    let mut per_op = Vec::new();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(2) {
        let t = Instant::now();
        for _ in 0..batch {
            verify_once();
        }
        per_op.push(t.elapsed() / batch);
    }
    let in_process = median(per_op);

    // The command: a new process each time, as a person runs it.
    let okuri = Path::new(env!("CARGO_BIN_EXE_okuri"));
    let home = d.join("home");
    let run = |args: &[&str]| {
        Command::new(okuri)
            .args(args)
            .env("OKURI_HOME", &home)
            .env("OKURI_POLICY", d.join("policy.toml"))
            .output()
            .unwrap()
    };
    assert!(
        run(&[
            "init",
            "--id",
            "yamada.taro",
            "--name",
            "山田 太郎",
            "--department",
            "総務課"
        ])
        .status
        .success()
    );
    let token_path = d.join("token");
    let recipients = d.join("recipients.toml");
    let args = [
        "token",
        "verify",
        token_path.to_str().unwrap(),
        "--recipients",
        recipients.to_str().unwrap(),
    ];
    let out = run(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let times: Vec<Duration> = (0..30)
        .map(|_| {
            let t = Instant::now();
            run(&args);
            t.elapsed()
        })
        .collect();
    let command = median(times);
    let version: Vec<Duration> = (0..30)
        .map(|_| {
            let t = Instant::now();
            run(&["--version"]);
            t.elapsed()
        })
        .collect();
    let start = median(version);
    println!("| token verification | median |");
    println!("|---|---|");
    println!(
        "| in process: parse, SSHSIG verify, every check of `approval::assess` | {:.1} µs |",
        in_process.as_secs_f64() * 1e6
    );
    println!(
        "| `okuri token verify TOKEN` (a new process) | {:.2} ms |",
        command.as_secs_f64() * 1e3
    );
    println!(
        "| `okuri --version` (process start alone) | {:.2} ms |",
        start.as_secs_f64() * 1e3
    );
}
