//! Bad input gets a clear message, a distinct exit code, and leaves nothing behind.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;
use std::time::Duration;

use common::*;

/// Nothing was written: no package, no slip, no temporary file, no record entry.
fn assert_nothing_left(env: &Env, entries_before: usize) {
    assert_eq!(
        env.files("out"),
        Vec::<std::path::PathBuf>::new(),
        "output left behind"
    );
    assert_eq!(
        env.files("slips"),
        Vec::<std::path::PathBuf>::new(),
        "slip left behind"
    );
    assert_eq!(env.record_entries().len(), entries_before, "record changed");
}

fn policy_text() -> String {
    format!("{}{}", repo_policy(), Fixture::get().trust)
}

#[test]
fn bad_policy_reports_every_error_with_position() {
    let env = Env::new();
    let text = policy_text()
        .replace("min_bits = 100", "min_bits = 40")
        .replace("[class.III]", "[class.IIII]")
        .replacen("lgwan = \"approval\"", "lgwan = \"sometimes\"", 1)
        .replace("version = 1", "version = 1\ncolour = \"blue\"");
    env.write("bad.toml", text.as_bytes());
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let r = env.run(&["policy", "check", "bad.toml"]);
    r.code(4);
    for (needle, what) in [
        ("min_bits = 40", "out of range"),
        ("[class.IIII]", "unknown key `IIII`"),
        ("lgwan = \"sometimes\"", "\"sometimes\""),
        ("colour", "unknown key `colour`"),
    ] {
        let at = format!("bad.toml:{}:", line_of(needle));
        assert!(
            r.stderr
                .lines()
                .any(|l| l.starts_with(&at) && l.contains(what)),
            "no `{at} ... {what}` in:\n{}",
            r.stderr
        );
    }
    // [class.III.channels] still defines class III, now without its rules.
    assert!(
        r.stderr.contains("missing key `provision` in [class.III]"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("hint:"), "{}", r.stderr);
    let j = env.run(&["policy", "check", "bad.toml", "--json"]);
    j.code(4);
    assert!(j.json()["diagnostics"].as_array().unwrap().len() >= 5);

    // A command that needs the policy refuses to work with it, and writes nothing.
    env.labelled("a.txt", b"a", "III");
    let r = env.pack("a.txt", "email", &["--policy", "bad.toml"]);
    r.code(4);
    assert!(
        r.stderr.contains("bad.toml:") && r.stderr.contains("not valid"),
        "{}",
        r.stderr
    );
    assert_nothing_left(&env, 0);
    // OKURI_POLICY is honoured the same way.
    let r = env
        .cmd()
        .env("OKURI_POLICY", "bad.toml")
        .args(["policy", "show"])
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(4));
}

#[test]
fn contradictory_and_incomplete_policies() {
    let env = Env::new();
    let cases = [
        // class I forbidden entirely but e-mail left open
        (
            policy_text().replacen(
                "provision = \"legal-basis-and-approval\"",
                "provision = \"forbidden\"",
                1,
            ),
            "contradiction in [class.I]: provision is \"forbidden\"",
        ),
        // class II laxer than class III on e-mail
        (
            policy_text().replace("email = \"allowed\"", "email = \"forbidden\""),
            "contradiction: class II email",
        ),
        // no channels at all for class III
        (
            policy_text().replace("[class.III.channels]", "[class.III.chanels]"),
            "missing key `channels` in [class.III]",
        ),
        // class II left out entirely
        (
            {
                let t = policy_text();
                let a = t.find("[class.II]").unwrap();
                let b = t.find("[class.III]").unwrap();
                format!("{}{}", &t[..a], &t[b..])
            },
            "missing key `II` in [class]",
        ),
        // a TOML syntax error
        (
            policy_text().replace("version = 1", "version = "),
            "TOML syntax",
        ),
        // the value of a string key without quotes
        (
            policy_text().replace("unlabeled_class = \"I\"", "unlabeled_class = 1"),
            "must be a string",
        ),
    ];
    for (i, (text, want)) in cases.iter().enumerate() {
        let name = format!("p{i}.toml");
        env.write(&name, text.as_bytes());
        let r = env.run(&["policy", "check", &name]);
        r.code(4);
        assert!(
            r.stderr.contains(want),
            "case {i}: want {want:?} in\n{}",
            r.stderr
        );
        assert!(
            r.stderr.contains(&format!("{name}:")),
            "case {i}: no position:\n{}",
            r.stderr
        );
    }
    // The repository's policy is valid.
    let r = env.run(&[
        "policy",
        "check",
        concat!(env!("CARGO_MANIFEST_DIR"), "/policy.toml"),
    ]);
    r.ok();
    assert!(r.stdout.contains("policy OK"));
    // An unlabeled class other than I is allowed but warned about.
    env.write(
        "lax.toml",
        policy_text()
            .replace("unlabeled_class = \"I\"", "unlabeled_class = \"III\"")
            .as_bytes(),
    );
    let r = env.run(&["policy", "check", "lax.toml"]);
    r.ok();
    assert!(
        r.stderr.contains("warning") && r.stderr.contains("fail closed"),
        "{}",
        r.stderr
    );
}

#[test]
fn bad_label_values() {
    let env = Env::new();
    env.xattr_labelled("x.csv", b"x", "IV");
    let r = env.pack("x.csv", "email", &[]);
    r.code(4)
        .says("en", "label-xattr-invalid")
        .says("en", "label-xattr-invalid-hint");
    assert!(
        r.stderr.contains("user.okuri.class") && r.stderr.contains("\"IV\""),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("hint:"));
    env.run(&["classify", "x.csv"]).code(4);

    env.write("y.csv", b"y");
    env.write("y.csv.okuri-class", b"secret\n");
    let r = env.pack("y.csv", "email", &[]);
    r.code(4);
    assert!(
        r.stderr.contains("y.csv.okuri-class") && r.stderr.contains("not valid"),
        "{}",
        r.stderr
    );

    env.write("z.csv", b"z");
    env.write("z.csv.okuri-class", b"II\nIII\n");
    env.pack("z.csv", "email", &[]).code(4);
    // Register entries are checked too.
    env.write("w.csv", b"w");
    let digest = blake3::hash(b"w").to_hex().to_string();
    env.write(&format!("home/labels/{digest}.json"), b"{\"class\": \"II\"");
    let r = env.pack("w.csv", "email", &[]);
    r.code(4)
        .says("en", "label-register-invalid")
        .says("en", "label-register-invalid-hint");
    assert!(r.stderr.contains("label register"), "{}", r.stderr);
    std::fs::remove_file(env.path(&format!("home/labels/{digest}.json"))).unwrap();
    assert_nothing_left(&env, 0);
}

#[test]
fn not_regular_files() {
    let mut env = Env::new();
    env.labelled("real.txt", b"real", "III");
    std::os::unix::fs::symlink(env.path("real.txt"), env.path("link.txt")).unwrap();
    std::fs::create_dir(env.path("folder")).unwrap();
    // What okuri says, as the .ftl files word it, in both languages.
    for lang in ["ja", "en"] {
        env.lang = lang;
        env.pack("link.txt", "email", &[])
            .code(4)
            .says(lang, "input-symlink")
            .says(lang, "input-symlink-hint");
        env.pack("folder", "email", &[])
            .code(4)
            .says(lang, "input-directory")
            .says(lang, "input-directory-hint");
    }
    let r = env.pack("link.txt", "email", &[]);
    assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
    let r = env.pack("folder", "email", &[]);
    assert!(
        r.stderr.contains("is a directory") && r.stderr.contains("archive"),
        "{}",
        r.stderr
    );

    let st = std::process::Command::new("mkfifo")
        .arg(env.path("pipe"))
        .status()
        .unwrap();
    assert!(st.success());
    let r = env.pack("pipe", "email", &[]);
    r.code(4).says("en", "input-not-regular");
    assert!(r.stderr.contains("not a regular file"), "{}", r.stderr);

    let r = env.pack("missing.txt", "email", &[]);
    r.code(4).says("en", "hint-check-path");
    assert!(
        r.stderr.contains("missing.txt") && r.stderr.contains("check the path"),
        "{}",
        r.stderr
    );
    assert_nothing_left(&env, 0);
}

#[test]
fn unreadable_file() {
    let env = Env::bare();
    // The test runs as root in CI, and root reads everything: run okuri as `nobody` there.
    let root = euid() == 0;
    std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    for d in ["out", "slips"] {
        std::fs::set_permissions(env.path(d), std::fs::Permissions::from_mode(0o777)).unwrap();
    }
    let run = |args: &[&str]| -> Run {
        let mut c = if root {
            let mut c = std::process::Command::new("setpriv");
            c.args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                env!("CARGO_BIN_EXE_okuri"),
            ]);
            c
        } else {
            std::process::Command::new(env!("CARGO_BIN_EXE_okuri"))
        };
        c.args(args)
            .env("OKURI_HOME", &env.home)
            .env("OKURI_SYSTEM_DIR", env.path("etc"))
            .env("OKURI_LANG", "en")
            .env("OKURI_TEST_SCRYPT_LOG_N", "10")
            .current_dir(env.dir.path())
            .stdin(Stdio::null());
        c.output().unwrap().into()
    };
    run(&["init", "--id", "n", "--name", "N", "--department", "D"]).ok();
    let secret = env.labelled("secret.txt", b"secret", "III");
    std::fs::set_permissions(
        &secret,
        std::fs::Permissions::from_mode(if root { 0o600 } else { 0o000 }),
    )
    .unwrap();
    let r = run(&[
        "pack",
        "secret.txt",
        "--to",
        "X",
        "--channel",
        "email",
        "--out",
        "out",
        "--slip",
        "slips/s",
    ]);
    r.code(4);
    assert!(
        r.stderr.contains("secret.txt") && r.stderr.contains("permission"),
        "{}",
        r.stderr
    );
    assert_nothing_left(&env, 0);
}

/// The file is changed after it was classified: what was classified is not what would be
/// encrypted, so nothing is sent.
#[test]
fn file_changed_while_packed() {
    let env = Env::new();
    let f = env.labelled("growing.log", &vec![b'a'; 1 << 20], "III");
    let child = env
        .cmd()
        .env("OKURI_TEST_PAUSE_MS", "1500")
        .args([
            "pack",
            "growing.log",
            "--to",
            "X",
            "--channel",
            "email",
            "--out",
            "out",
            "--slip",
            "slips/s",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(400));
    use std::io::Write;
    std::fs::OpenOptions::new()
        .append(true)
        .open(&f)
        .unwrap()
        .write_all(b"more")
        .unwrap();
    let r: Run = child.wait_with_output().unwrap().into();
    r.code(4);
    assert!(
        r.stderr.contains("changed while okuri was reading it"),
        "{}",
        r.stderr
    );
    assert_nothing_left(&env, 0);

    // Same size, different bytes: caught by the digest, not the size.
    let f = env.labelled("same.bin", &vec![b'a'; 1 << 20], "III");
    let child = env
        .cmd()
        .env("OKURI_TEST_PAUSE_MS", "1500")
        .args([
            "pack",
            "same.bin",
            "--to",
            "X",
            "--channel",
            "email",
            "--out",
            "out",
            "--slip",
            "slips/s",
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(400));
    let mut h = std::fs::OpenOptions::new().write(true).open(&f).unwrap();
    h.write_all(b"b").unwrap();
    drop(h);
    let r: Run = child.wait_with_output().unwrap().into();
    r.code(4);
    assert_nothing_left(&env, 0);
}

fn signal(pid: u32, sig: &str) {
    let st = std::process::Command::new("kill")
        .args([sig, &pid.to_string()])
        .status()
        .unwrap();
    assert!(st.success());
}

/// Ctrl-C while packing: the temporary file goes, nothing is recorded.
#[test]
fn interrupted_pack_leaves_nothing() {
    let env = Env::new();
    env.labelled("big.bin", &vec![7u8; 4 << 20], "III");
    for sig in ["-INT", "-TERM"] {
        let child = env
            .cmd()
            .env("OKURI_TEST_PAUSE_MS", "1500")
            .args([
                "pack",
                "big.bin",
                "--to",
                "X",
                "--channel",
                "email",
                "--out",
                "out",
                "--slip",
                "slips/s",
            ])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(500));
        signal(child.id(), sig);
        let r: Run = child.wait_with_output().unwrap().into();
        r.code(1);
        assert!(r.stderr.contains("interrupted"), "{}", r.stderr);
        assert_nothing_left(&env, 0);
    }
}

/// A kill -9 cannot be caught: the hidden temporary file may stay, but no package appears
/// under its real name and the record is untouched.
#[test]
fn killed_pack_leaves_no_package_and_no_entry() {
    let env = Env::new();
    env.labelled("big.bin", &vec![7u8; 4 << 20], "III");
    let child = env
        .cmd()
        .env("OKURI_TEST_PAUSE_MS", "1500")
        .args([
            "pack",
            "big.bin",
            "--to",
            "X",
            "--channel",
            "email",
            "--out",
            "out",
            "--slip",
            "slips/s",
        ])
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    signal(child.id(), "-KILL");
    let _ = child.wait_with_output();
    assert!(!env.path("out/big.bin.age").exists());
    for f in env.files("out") {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with(".big.bin.age.") && name.ends_with(".part"),
            "{name}"
        );
    }
    assert!(env.files("slips").is_empty());
    assert!(env.record_entries().is_empty());
    env.run(&["record", "verify"]).ok();
}

#[test]
fn usage_errors() {
    let env = Env::new();
    env.labelled("a.txt", b"a", "III");
    let r = env.pack("a.txt", "fax", &[]);
    r.code(2);
    assert!(
        r.stderr.contains("email, lgwan, media or hand"),
        "{}",
        r.stderr
    );
    let r = env.run(&["pack", "a.txt", "--channel", "email"]);
    r.code(2);
    let r = env.pack("a.txt", "email", &["--purpose", "line one\nline two"]);
    r.code(2);
    assert_nothing_left(&env, 0);

    let fresh = Env::bare();
    fresh.labelled("a.txt", b"a", "III");
    let r = fresh.pack("a.txt", "email", &[]);
    r.code(2);
    assert!(r.stderr.contains("okuri init"), "{}", r.stderr);
    assert!(!fresh.home.exists() || fresh.files("home").is_empty());
}

#[test]
fn help_documents_exit_codes() {
    let env = Env::bare();
    let r = env.run(&["--help"]);
    r.ok();
    for code in [
        "0  success",
        "2  usage error",
        "3  refused by policy",
        "4  invalid input",
        "5  the transfer record",
    ] {
        assert!(r.stdout.contains(code), "--help lacks {code:?}");
    }
}

/// Each command's help lists only the options it takes, and says whose key `--key` is there.
#[test]
fn help_lists_only_the_options_a_command_uses() {
    let env = Env::bare();
    let help = |args: &[&str]| {
        let mut a = args.to_vec();
        a.push("--help");
        let r = env.run(&a);
        r.ok();
        r.stdout.clone()
    };
    for cmd in [&["init"][..], &["policy", "show"], &["record", "show"]] {
        let h = help(cmd);
        for opt in ["--key ", "--recipients", "--media", "--batch"] {
            assert!(!h.contains(opt), "{cmd:?} --help offers {opt}:\n{h}");
        }
        assert!(h.contains("--home") && h.contains("--lang"), "{h}");
    }
    for (cmd, whose) in [
        (&["label"][..], "information officer's (情報責任者) key"),
        (
            &["approve"],
            "custodian's (情報資産管理責任者) key, which signs the token",
        ),
        (
            &["deny"],
            "custodian's (情報資産管理責任者) key, which signs the refusal",
        ),
        (&["media", "register"], "key, which signs the medium's"),
        (&["pack"], "Your own key, to log in to the approval service"),
        (&["record", "verify"], "for --witness"),
        (&["classify"], "ask the approval service for the city's"),
    ] {
        let h = help(cmd);
        assert!(
            h.contains(whose),
            "{cmd:?} --key help lacks {whose:?}:\n{h}"
        );
    }
    assert!(help(&["token", "verify"]).contains("--recipients"));
    assert!(!help(&["token", "verify"]).contains("--key "));
    assert!(help(&["media", "list"]).contains("--media"));
}

/// The trust list and the recipient register are outside input too: every error in the trust
/// list is reported with its position, and a bad register stops pack before anything is done.
#[test]
fn bad_trust_list_and_register() {
    let env = Env::new();
    let text = Fixture::get()
        .trust
        .replacen(
            "name = \"佐藤 次郎\"",
            "name = \"佐藤 次郎\"\nphone = \"1\"",
            1,
        )
        .replacen("valid_after = 2026-01-01", "valid_after = 2100-01-01", 1)
        .replacen("id = \"tanaka.ichiro\"", "id = \"田中\"", 1)
        .replacen(
            "keys = [{ key = \"ssh-ed25519 ",
            "keys = [{ key = \"ssh-rsa ",
            1,
        );
    env.write("trust.toml", format!("{}{text}", repo_policy()).as_bytes());
    let r = env.run(&["policy", "check", "trust.toml"]);
    r.code(4);
    for want in [
        "unknown key `phone` in [[custodian]]",
        "contradiction: valid_after is not before valid_before",
        "not a valid id",
        "key: not an OpenSSH public key",
    ] {
        assert!(
            r.stderr.contains(want),
            "missing {want:?} in:\n{}",
            r.stderr
        );
    }
    assert!(r.stderr.contains("trust.toml:"), "{}", r.stderr);
    // A key listed for two people is an error: a signature must name one person.
    let dup = Fixture::get().trust.replacen(
        "keys = [{ key = \"ssh-ed25519 ",
        &format!(
            "keys = [{{ key = \"{}\" }}, {{ key = \"ssh-ed25519 ",
            std::fs::read_to_string(Fixture::get().dir.join("sato.jiro.pub"))
                .unwrap()
                .trim()
        ),
        1,
    );
    env.write("dup.toml", format!("{}{dup}", repo_policy()).as_bytes());
    let r = env.run(&["policy", "check", "dup.toml"]);
    r.code(4);
    assert!(r.stderr.contains("is listed for both"), "{}", r.stderr);

    // A register with a typo: pack and classify-free commands stop with line and column.
    env.labelled("a.txt", b"a", "III");
    let bad =
        std::fs::read_to_string(&env.recipients)
            .unwrap()
            .replacen("contract =", "contrakt =", 1);
    env.write("bad-recipients.toml", bad.as_bytes());
    let r = env.run(&["recipients", "check", "--recipients", "bad-recipients.toml"]);
    r.code(4);
    assert!(
        r.stderr.contains("bad-recipients.toml:") && r.stderr.contains("contrakt"),
        "{}",
        r.stderr
    );
    let r = env.run(&[
        "pack",
        "--recipients",
        "bad-recipients.toml",
        "a.txt",
        "--to",
        "kameoka-print",
        "--channel",
        "email",
        "--out",
        "out",
        "--slip",
        "slips/s",
    ]);
    r.code(4);
    assert_nothing_left(&env, 0);
    // The good register lists its recipients.
    let r = env.run(&["recipients", "list"]);
    r.ok();
    assert!(
        r.stdout.contains("kameoka-print  株式会社亀岡印刷")
            && r.stdout.contains("TEL 0771-22-0000"),
        "{}",
        r.stdout
    );
}

/// Issue 9, point 1: a file name that is not UTF-8 crashed okuri after the package and the
/// slip existed (nothing recorded: one token, three uses, no trace). Such names are now packed,
/// designated, classified and refused like any other, stored losslessly in the record and in
/// `--json` as `{"bytes": <base64>}`, and shown escaped (`\xFF`) to people.
#[test]
fn a_name_that_is_not_utf8_is_stored_losslessly_and_never_crashes() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let env = Env::new();
    let name = OsStr::from_bytes(b"\xffmemo.txt");
    let b64 = |b: &[u8]| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(b)
    };
    env.labelled_os(name, b"memo", "III");
    let no_panic = |r: &Run| assert!(!r.stderr.contains("panicked"), "{}", r.stderr);

    // classify, for people and for machines.
    let r = env.run_os(&[OsStr::new("classify"), name]);
    r.ok();
    no_panic(&r);
    assert!(r.stdout.contains("\\xFFmemo.txt"), "{}", r.stdout);
    let r = env.run_os(&[OsStr::new("classify"), name, OsStr::new("--json")]);
    let j = r.ok().json();
    assert_eq!(j[0]["path"]["bytes"], b64(b"\xffmemo.txt"), "{j}");
    assert_eq!(j[0]["class"], "III");

    // pack: package, slip, and a record entry that names the file's exact bytes.
    fn args<'a>(n: &'a OsStr, ch: &'static str, slip: &'static str) -> Vec<&'a OsStr> {
        vec![
            OsStr::new("pack"),
            n,
            OsStr::new("--to"),
            OsStr::new("X"),
            OsStr::new("--channel"),
            OsStr::new(ch),
            OsStr::new("--out"),
            OsStr::new("out"),
            OsStr::new("--slip"),
            OsStr::new(slip),
            OsStr::new("--json"),
        ]
    }
    std::fs::create_dir_all(env.path("out")).unwrap();
    std::fs::create_dir_all(env.path("slips")).unwrap();
    let r = env.run_os(&args(name, "hand", "slips/s"));
    no_panic(&r);
    let j = r.ok().json();
    assert_eq!(j["file"]["name"]["bytes"], b64(b"\xffmemo.txt"), "{j}");
    let pkg = env.path("out").join(OsStr::from_bytes(b"\xffmemo.txt.age"));
    assert!(pkg.is_file(), "no package under the file's own bytes");
    assert_eq!(j["package"]["name"]["bytes"], b64(b"\xffmemo.txt.age"));
    let entries = env.record_entries();
    let last = entries.last().unwrap();
    assert_eq!(last["outcome"], "packed");
    assert_eq!(last["file"]["name"]["bytes"], b64(b"\xffmemo.txt"));
    assert_eq!(last["package"]["name"]["bytes"], b64(b"\xffmemo.txt.age"));
    env.run(&["record", "verify"]).ok();
    let shown = env.run(&["record", "show"]);
    shown.ok();
    assert!(shown.stdout.contains("\\xFFmemo.txt"), "{}", shown.stdout);
    // The package decrypts to the file with stock age.
    let slip = std::fs::read_to_string(env.path("slips/s")).unwrap();
    let out = env.path("decrypted");
    let (code, said) = age_decrypt(&passphrase_from_slip(&slip), &pkg, &out);
    assert_eq!(code, 0, "{said}");
    assert_eq!(std::fs::read(&out).unwrap(), b"memo");

    // A refusal of such a name is recorded too (unlabeled: the default class, no approval).
    let odd = OsStr::from_bytes(b"\xfe\nnote.txt");
    std::fs::write(env.path("").join(odd), b"x").unwrap();
    let r = env.run_os(&args(odd, "email", "slips/t"));
    no_panic(&r);
    r.code(3);
    let last = env.record_entries().pop().unwrap();
    assert_eq!(last["outcome"], "refused");
    assert_eq!(last["file"]["name"]["bytes"], b64(b"\xfe\nnote.txt"));
    // People see the name on one line, escaped.
    assert!(!r.stderr.contains("\nnote.txt"), "{}", r.stderr);
}

/// Issue 9, point 4: the plain-HTTP loopback check was a string prefix, so an address that
/// only *starts* like loopback sent the login in clear text to another host.
#[test]
fn service_url_is_parsed_not_prefix_matched() {
    let env = Env::new();
    let with_url = |url: &str| {
        policy_text().replace(
            "[class.I]\n",
            &format!("[service]\nurl = \"{url}\"\n\n[class.I]\n"),
        )
    };
    let refused = [
        // user-info hides the real host after the "@"
        (
            "http://localhost.example.org@127.0.0.1:8441",
            "user name or password",
        ),
        ("http://localhost@192.0.2.10:8441", "user name or password"),
        (
            "https://okuri:secret@approvals.example.lg.jp",
            "user name or password",
        ),
        // names that begin like loopback but are not
        (
            "http://127.0.0.1.nip.io:8441",
            "neither https:// nor plain HTTP",
        ),
        (
            "http://127.attacker.example",
            "neither https:// nor plain HTTP",
        ),
        (
            "http://localhost.attacker.example:8441",
            "neither https:// nor plain HTTP",
        ),
        ("http://192.0.2.10:8441", "neither https:// nor plain HTTP"),
        ("ftp://127.0.0.1/", "neither https:// nor plain HTTP"),
        ("https://approvals.example.lg.jp/?x=1", "query"),
        ("https://", "not a URL"),
    ];
    for (i, (url, want)) in refused.iter().enumerate() {
        let name = format!("u{i}.toml");
        env.write(&name, with_url(url).as_bytes());
        let r = env.run(&["policy", "check", &name]);
        r.code(4);
        assert!(
            r.stderr.contains(want),
            "{url}: want {want:?} in\n{}",
            r.stderr
        );
    }
    for url in [
        "http://127.0.0.1:8441",
        "http://127.0.0.2:8441/",
        "http://localhost:8441",
        "http://[::1]:8441",
        "https://approvals.example.lg.jp:8441",
    ] {
        env.write("ok.toml", with_url(url).as_bytes());
        let r = env.run(&["policy", "check", "ok.toml"]);
        r.ok();
    }
}

/// Issue 9, point 9: a file name longer than 243 bytes failed with exit 1 half-way (its
/// temporary name was too long) instead of a clear refusal before anything was written. Every
/// name okuri creates is now checked against NAME_MAX (255 bytes) first, and temporary names
/// no longer grow with the target's.
#[test]
fn a_name_too_long_for_its_package_is_refused_before_anything_is_written() {
    let env = Env::new();
    std::fs::create_dir_all(env.path("out")).unwrap();
    std::fs::create_dir_all(env.path("slips")).unwrap();
    // 251 bytes: the package's name is 255 bytes, the most a file system takes.
    let fits = format!("{}.txt", "あ".repeat(82) + "x");
    assert_eq!(fits.len(), 251);
    // The designation goes to the register of the staff's home (a sidecar's name would be
    // too long for a name this long to have one).
    env.designated_here(&fits, b"fits", "III");
    let r = env.pack_by_hand(&fits, "slips/f", &[]);
    r.ok();
    assert!(env.path(&format!("out/{fits}.age")).is_file());

    // 252 bytes: refused, clearly, before any output or record entry.
    let long = format!("{}.txt", "あ".repeat(82) + "xy");
    assert_eq!(long.len(), 252);
    env.designated_here(&long, b"long", "III");
    let before = env.record_entries().len();
    let r = env.pack_by_hand(&long, "slips/l", &[]);
    r.code(4).says("en", "file-name-too-long");
    assert!(r.stderr.contains("256 bytes"), "{}", r.stderr);
    assert_eq!(env.files("out").len(), 1, "{:?}", env.files("out"));
    assert!(!env.path("slips/l").exists());
    assert_eq!(env.record_entries().len(), before);
    // A slip name that is too long is refused the same way.
    let slip = format!("slips/{}", "s".repeat(256));
    env.designated_here("short.txt", b"short", "III");
    let before = env.record_entries().len();
    let r = env.pack_by_hand("short.txt", &slip, &[]);
    r.code(4).says("en", "file-name-too-long");
    assert_eq!(env.record_entries().len(), before);
    assert_eq!(env.files("out").len(), 1);
}

/// A register with many mistakes: every one is reported at once, at its line, in the
/// register's own words (never a Rust type's name), in both languages; the template okuri
/// prints is a valid register to start from.
#[test]
fn a_register_s_errors_come_all_at_once_and_the_template_is_valid() {
    let env = Env::new();
    let bad = "\
[[recipient]]
id = \"Bad Id\"
name = \"X\"
contract = \"c\"
classes = []
channels = [\"email\", \"pigeon\"]
agreement_ends = \"2027-03-31\"
colour = \"blue\"
[recipient.slip]
method = \"phone\"
contact = \"someone\"

[[recipient]]
id = \"ok-one\"
name = \"Y\"
contract = \"d\"
classes = [\"III\"]
channels = [\"hand\"]
agreement_ends = 2027-03-31
";
    env.write("bad.toml", bad.as_bytes());
    for lang in ["en", "ja"] {
        let r = env.run(&["--lang", lang, "recipients", "check", "bad.toml"]);
        r.code(4);
        r.says(lang, "recipients-invalid");
        let e = &r.stderr;
        // version missing (line 1), the id (2), the empty classes (5), the channel (6), the
        // quoted date (7), the unknown key (8), the slip without a phone (9), the second
        // entry's missing slip (13).
        for line in [1, 2, 5, 6, 7, 8, 9, 13] {
            assert!(
                e.contains(&format!("bad.toml:{line}:")),
                "{lang}: line {line}:\n{e}"
            );
        }
        assert!(!e.contains("struct") && !e.contains("SlipDelivery"), "{e}");
    }
    // The template: valid, with the city's header, two recipients.
    let t = env.run(&["recipients", "template"]);
    t.ok();
    env.write("template.toml", t.stdout.as_bytes());
    let c = env.run(&["recipients", "check", "template.toml"]);
    c.ok();
    assert!(c.stdout.contains('2'), "{}", c.stdout);
    assert!(t.stdout.contains("serial = 1") && t.stdout.contains("valid_until"));
}
