//! The transfer record at city scale: `okuri pack` of a 2-byte file and `okuri record verify`
//! with a record of a million entries (about 1 GB), against the same with a fresh record.
//! Wall time and peak RSS come from `/usr/bin/time` around the release binary, medians of
//! several runs. Figures are in docs/benchmarks.md.
//!
//! Run: `cargo bench --bench record` (OKURI_BENCH_ENTRIES changes the count; OKURI_BENCH_KEEP=1
//! keeps the homes, to run another build or a profiler on the same record). Needs
//! `/usr/bin/time` (Debian package `time`).

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

struct Bench {
    okuri: PathBuf,
    work: PathBuf,
    policy: PathBuf,
}

impl Bench {
    /// okuri's environment for `home` (and the policy, once it is written).
    fn env<'c>(&self, c: &'c mut Command, home: &Path) -> &'c mut Command {
        c.env("OKURI_HOME", home).env("LANG", "C.UTF-8");
        if self.policy.exists() {
            c.env("OKURI_POLICY", &self.policy);
        }
        c
    }

    fn cmd(&self, home: &Path, args: &[&str]) -> Command {
        let mut c = Command::new(&self.okuri);
        c.args(args);
        self.env(&mut c, home);
        c
    }

    fn run(&self, home: &Path, args: &[&str]) {
        let out = self.cmd(home, args).output().expect("okuri runs");
        assert!(
            out.status.success(),
            "okuri {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Seconds and peak RSS (MiB) of one run, by /usr/bin/time.
    fn timed(&self, home: &Path, args: &[&str]) -> (f64, f64) {
        let t = self.work.join("time.out");
        let mut c = Command::new("/usr/bin/time");
        c.arg("-f")
            .arg("%e %M")
            .arg("-o")
            .arg(&t)
            .arg(&self.okuri)
            .args(args);
        let out = self
            .env(&mut c, home)
            .output()
            .expect("/usr/bin/time runs (apt-get install time)");
        assert!(
            out.status.success(),
            "okuri {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::fs::read_to_string(&t).unwrap();
        let mut it = text.split_whitespace();
        let s: f64 = it.next().unwrap().parse().unwrap();
        let kib: f64 = it.next().unwrap().parse().unwrap();
        (s, kib / 1024.0)
    }

    /// A pack of `file` into a new directory, its slip into another.
    fn pack(&self, home: &Path, file: &Path, n: usize) -> (f64, f64) {
        let out = self.work.join(format!("out-{n}"));
        std::fs::create_dir_all(&out).unwrap();
        let slips = self.work.join(format!("slips-{n}"));
        std::fs::create_dir_all(&slips).unwrap();
        let slip = slips.join("slip.txt");
        self.timed(
            home,
            &[
                "pack",
                file.to_str().unwrap(),
                "--to",
                "Bench",
                "--channel",
                "email",
                "--out",
                out.to_str().unwrap(),
                "--slip",
                slip.to_str().unwrap(),
            ],
        )
    }
}

fn median(mut v: Vec<(f64, f64)>) -> (f64, f64) {
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let t = v[v.len() / 2].0;
    let rss = v.iter().map(|x| x.1).fold(0.0, f64::max);
    (t, rss)
}

/// Writes `n` entries cycled from `templates` (real lines, their chain fields replaced), and
/// the head. Ends after a whole cycle so that no transfer is left prepared.
fn grow(home: &Path, templates: &[Vec<u8>], n: u64) -> u64 {
    let f = std::fs::File::create(home.join("record.jsonl")).unwrap();
    let mut w = BufWriter::with_capacity(1 << 20, f);
    let mut prev = [0u8; 32];
    let mut seq = 0u64;
    while seq < n || !seq.is_multiple_of(templates.len() as u64) {
        let t = &templates[seq as usize % templates.len()];
        seq += 1;
        let mut line = format!("{{\"seq\":{seq},\"prev\":\"{}\"", hex(&prev)).into_bytes();
        line.extend_from_slice(t);
        prev = *blake3::hash(&line).as_bytes();
        w.write_all(&line).unwrap();
    }
    w.flush().unwrap();
    w.get_ref().sync_all().unwrap();
    std::fs::write(home.join("record.head"), format!("{seq} {}\n", hex(&prev))).unwrap();
    let _ = std::fs::remove_file(home.join("record.index"));
    seq
}

fn hex(b: &[u8; 32]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn main() {
    // `cargo bench` passes --bench; nothing else is taken.
    let entries: u64 = std::env::var("OKURI_BENCH_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir_in(std::env::var_os("OKURI_BENCH_DIR").unwrap_or("target".into()))
        .expect("a work directory");
    let work = dir.path().to_path_buf();
    let b = Bench {
        okuri: PathBuf::from(env!("CARGO_BIN_EXE_okuri")),
        policy: work.join("policy.toml"),
        work: work.clone(),
    };
    let fresh = work.join("fresh");
    let big = work.join("big");
    // A home with an officer who designates the samples class III, as in real use.
    let pass = work.join("pass");
    std::fs::write(&pass, "bench officer passphrase\n").unwrap();
    std::fs::set_permissions(&pass, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let officer = work.join("officer");
    for home in [&fresh, &big] {
        b.run(
            home,
            &[
                "init",
                "--id",
                "bench",
                "--name",
                "Bench",
                "--department",
                "Bench",
            ],
        );
    }
    b.run(
        &fresh,
        &[
            "keygen",
            "--id",
            "officer",
            "--role",
            "officer",
            "--out",
            officer.to_str().unwrap(),
            "--key-passphrase-file",
            pass.to_str().unwrap(),
        ],
    );
    let default = b
        .cmd(&fresh, &["policy", "default"])
        .output()
        .unwrap()
        .stdout;
    let key = std::fs::read_to_string(officer.with_extension("pub")).unwrap();
    let mut policy = default;
    policy.extend_from_slice(
        format!(
            "[[officer]]\nid = \"officer\"\nname = \"B\"\ndepartment = \"Bench\"\nclasses = [\"III\"]\ndepartments = [\"Bench\"]\nkeys = [{{ key = \"{}\" }}]\n",
            key.trim()
        )
        .as_bytes(),
    );
    std::fs::write(&b.policy, policy).unwrap();
    let small = work.join("small.txt");
    std::fs::write(&small, "ok").unwrap();
    for home in [&fresh, &big] {
        b.run(
            home,
            &[
                "label",
                small.to_str().unwrap(),
                "--class",
                "III",
                "--key",
                officer.to_str().unwrap(),
                "--key-passphrase-file",
                pass.to_str().unwrap(),
            ],
        );
    }
    // Real entries as templates: the designation, the pack's `prepared` and `packed`.
    b.pack(&big, &small, 0);
    let record = std::fs::read(big.join("record.jsonl")).unwrap();
    let templates: Vec<Vec<u8>> = record
        .split_inclusive(|c| *c == b'\n')
        .map(|l| {
            // Everything after `"prev":"<64 hex>"`.
            let at = l.windows(8).position(|w| w == b"\"prev\":\"").unwrap() + 8 + 64 + 1;
            l[at..].to_vec()
        })
        .collect();
    let written = grow(&big, &templates, entries);
    let bytes = std::fs::metadata(big.join("record.jsonl")).unwrap().len();

    let runs = 5;
    let mut rows = Vec::new();
    let fresh_pack = median((1..=runs).map(|i| b.pack(&fresh, &small, i)).collect());
    rows.push((
        "pack of a 2-byte file, fresh record".to_string(),
        fresh_pack,
    ));
    let first = b.pack(&big, &small, 100);
    rows.push((
        format!(
            "pack, {written} entries, first after an upgrade (reads the record once to index it)"
        ),
        first,
    ));
    let steady = median((1..=runs).map(|i| b.pack(&big, &small, 100 + i)).collect());
    rows.push((format!("pack, {written} entries"), steady));
    let verify = median(
        (0..3)
            .map(|_| b.timed(&big, &["record", "verify"]))
            .collect(),
    );
    rows.push((format!("record verify, {written} entries"), verify));

    println!(
        "record: {written} entries, {:.0} MiB; {} cores",
        bytes as f64 / (1 << 20) as f64,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!("| run (median of {runs}; verify of 3) | wall | peak RSS |");
    println!("|---|---|---|");
    for (name, (s, rss)) in &rows {
        println!("| {name} | {s:.2} s | {rss:.0} MiB |");
    }
    println!(
        "record verify: {:.0} entries/s",
        written as f64 / verify.0.max(0.001)
    );
    // To run another build (or a profiler) on the same record afterwards.
    if std::env::var_os("OKURI_BENCH_KEEP").is_some() {
        println!(
            "kept: OKURI_HOME={} OKURI_POLICY={}",
            big.display(),
            b.policy.display()
        );
        let _ = dir.keep();
    }
}
