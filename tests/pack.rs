//! `okuri pack` end to end, checked against Debian's Go `age`.

mod common;

use common::*;

/// Every package okuri makes, binary and armored, decrypts with the real `age -d` and the
/// passphrase read from the slip, at the production work factor; a wrong passphrase fails.
#[test]
fn go_age_decrypts_binary_and_armored_packages() {
    let env = Env::interop();
    let data: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
    env.labelled("report.csv", &data, "III");
    env.labelled("memo.txt", "公開予定の資料です\n".as_bytes(), "III");
    for (file, extra) in [("report.csv", vec![]), ("memo.txt", vec!["--armor"])] {
        let j = env.pack(file, "email", &extra).ok().json();
        let pkg = std::path::PathBuf::from(j["package"]["path"].as_str().unwrap());
        let slip = std::fs::read_to_string(j["slip"].as_str().unwrap()).unwrap();
        let pass = passphrase_from_slip(&slip);
        let head = std::fs::read(&pkg).unwrap();
        if extra.is_empty() {
            assert!(head.starts_with(b"age-encryption.org/v1\n-> scrypt "));
            assert!(
                String::from_utf8_lossy(&head).contains("-> scrypt ")
                    && String::from_utf8_lossy(&head[..200]).contains(" 18\n")
            );
        } else {
            assert!(head.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----\n"));
        }
        let out = env.path(&format!("{file}.decrypted"));
        let (code, said) = age_decrypt(&pass, &pkg, &out);
        assert_eq!(code, 0, "age -d failed: {said}");
        assert_eq!(
            std::fs::read(&out).unwrap(),
            std::fs::read(env.path(file)).unwrap()
        );
        // The same bytes through the age crate, which rage is built on.
        assert_eq!(
            rust_age_decrypt(&pass, &pkg).unwrap(),
            std::fs::read(env.path(file)).unwrap()
        );

        let wrong = env.path(&format!("{file}.wrong"));
        let mut bad = pass.clone();
        bad.replace_range(0..1, if pass.starts_with('0') { "1" } else { "0" });
        let (code, said) = age_decrypt(&bad, &pkg, &wrong);
        assert_ne!(code, 0, "a wrong passphrase decrypted: {said}");
        assert!(said.contains("incorrect passphrase"), "{said}");
        assert!(!wrong.exists() || std::fs::read(&wrong).unwrap().is_empty());
    }
}

#[test]
fn json_report_has_every_field_and_no_secret() {
    let env = Env::new();
    env.labelled("a.pdf", b"%PDF-1.4 hello", "III");
    let r = env.pack("a.pdf", "hand", &["--purpose", "説明会資料"]);
    let j = r.ok().json();
    for key in [
        "transfer_id",
        "class",
        "class_source",
        "channel",
        "recipient",
        "package",
        "slip",
        "record_seq",
        "record_hash",
        "file",
    ] {
        assert!(!j[key].is_null(), "missing {key} in {j}");
    }
    assert_eq!(j["class"], "III");
    assert_eq!(j["class_source"]["kind"], "designation");
    assert_eq!(
        j["class_source"]["officer"],
        "田中 一郎 (tanaka.ichiro, 総務部)"
    );
    assert_eq!(j["channel"], "hand");
    // Entry 1 says the transfer was prepared, entry 2 that it was packed.
    assert_eq!(j["record_seq"], 2);
    assert_eq!(
        j["package"]["size"].as_u64().unwrap(),
        std::fs::metadata(env.path("out/a.pdf.age")).unwrap().len()
    );
    let b3 = blake3::hash(&std::fs::read(env.path("out/a.pdf.age")).unwrap())
        .to_hex()
        .to_string();
    assert_eq!(j["package"]["blake3"], b3.as_str());
    assert_eq!(
        j["file"]["blake3"],
        blake3::hash(b"%PDF-1.4 hello").to_hex().as_str()
    );

    let slip_path = std::path::PathBuf::from(j["slip"].as_str().unwrap());
    let slip = std::fs::read_to_string(&slip_path).unwrap();
    let pass = passphrase_from_slip(&slip);
    assert_eq!(mode(&slip_path), 0o600);
    // The passphrase is on the slip and nowhere else.
    assert!(!r.stdout.contains(&pass) && !r.stderr.contains(&pass));
    assert!(!env.record_text().contains(&pass));
    for f in env.files("home").into_iter().chain(env.files("out")) {
        let bytes = std::fs::read(&f).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(&pass),
            "{} holds the passphrase",
            f.display()
        );
    }
    // The slip names what the recipient needs.
    for needle in [
        j["transfer_id"].as_str().unwrap(),
        "山田 太郎",
        "株式会社テスト",
        "a.pdf.age",
        "age -d -o a.pdf a.pdf.age",
        "age.exe -d -o a.pdf a.pdf.age",
        "certutil -hashfile",
        "電話",
        "phone",
        "fax",
    ] {
        assert!(slip.contains(needle), "slip lacks {needle:?}:\n{slip}");
    }
    let sha = {
        use sha2::Digest;
        let d = sha2::Sha256::digest(std::fs::read(env.path("out/a.pdf.age")).unwrap());
        d.iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    let short = format!(
        "{}-{}-{}-{}",
        &sha[0..4],
        &sha[4..8],
        &sha[8..12],
        &sha[12..16]
    );
    assert!(slip.contains(&short), "slip lacks fingerprint {short}");
}

#[test]
fn passphrase_is_digit_groups_with_policy_strength() {
    let env = Env::new();
    env.labelled("x.txt", b"x", "III");
    let j = env.pack("x.txt", "email", &[]).ok().json();
    let pass = passphrase_from_slip(&std::fs::read_to_string(j["slip"].as_str().unwrap()).unwrap());
    let groups: Vec<&str> = pass.split('-').collect();
    // 8 groups of 4 digits = 106 bits >= the policy's 100.
    assert_eq!(groups.len(), 8, "{pass}");
    assert!(
        groups
            .iter()
            .all(|g| g.len() == 4 && g.chars().all(|c| c.is_ascii_digit()))
    );

    let policy = env
        .policy_text()
        .replace("min_bits = 100", "min_bits = 128");
    env.write("strong.toml", policy.as_bytes());
    env.labelled("y.txt", b"y", "III");
    let j = env
        .pack("y.txt", "email", &["--policy", "strong.toml"])
        .ok()
        .json();
    let pass = passphrase_from_slip(&std::fs::read_to_string(j["slip"].as_str().unwrap()).unwrap());
    assert_eq!(
        pass.split('-').count(),
        10,
        "128 bits need 10 groups: {pass}"
    );
}

#[test]
fn never_overwrites_package_or_slip() {
    let env = Env::new();
    env.labelled("a.txt", b"a", "III");
    env.write("out/a.txt.age", b"someone else's");
    env.pack("a.txt", "email", &[]).code(4);
    assert_eq!(
        std::fs::read(env.path("out/a.txt.age")).unwrap(),
        b"someone else's"
    );
    assert!(env.files("slips").is_empty());

    std::fs::remove_file(env.path("out/a.txt.age")).unwrap();
    env.write("slips/a.txt.slip.txt", b"old slip");
    let r = env.pack("a.txt", "email", &[]);
    r.code(4);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
    assert_eq!(
        std::fs::read(env.path("slips/a.txt.slip.txt")).unwrap(),
        b"old slip"
    );
    assert!(env.files("out").is_empty());
    assert!(env.record_text().is_empty());
}

#[test]
fn slip_in_package_directory_is_refused_and_recorded() {
    let env = Env::new();
    env.labelled("a.txt", b"a", "III");
    let r = env.run(&[
        "pack",
        "a.txt",
        "--to",
        "X",
        "--channel",
        "email",
        "--out",
        "out",
        "--slip",
        "out/slip.txt",
    ]);
    env.refused(&r, "slip-beside-package");
    assert!(
        r.stderr.contains("パスワード通知書")
            && r.stderr.contains("password would travel with the file"),
        "{}",
        r.stderr
    );
    assert!(env.files("out").is_empty());
    let e = env.record_entries();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0]["outcome"], "refused");
    assert_eq!(e[0]["reason"]["code"], "slip-beside-package");
    // A subdirectory of the package's directory is just as close to the file.
    std::fs::create_dir(env.path("out/sub")).unwrap();
    env.run(&[
        "pack",
        "a.txt",
        "--to",
        "X",
        "--channel",
        "email",
        "--out",
        "out",
        "--slip",
        "out/sub/s.txt",
    ])
    .code(3);
    assert!(!env.path("out/sub/s.txt").exists());
}

#[test]
fn slip_needs_a_terminal_or_a_path() {
    let env = Env::new();
    env.labelled("a.txt", b"a", "III");
    // Standard output is a pipe here: the passphrase must not go into it.
    let r = env.run(&["pack", "a.txt", "--to", "X", "--channel", "email"]);
    r.code(2);
    assert!(r.stderr.contains("--slip"), "{}", r.stderr);
    assert!(env.files("home/outbox").is_empty());
}

#[test]
fn default_output_is_the_outbox() {
    let env = Env::new();
    env.labelled("a.txt", b"a", "III");
    let j = env
        .run(&[
            "pack",
            "a.txt",
            "--to",
            "X",
            "--channel",
            "lgwan",
            "--slip",
            "slips/a",
            "--json",
        ])
        .ok()
        .json();
    let pkg = std::path::PathBuf::from(j["package"]["path"].as_str().unwrap());
    assert_eq!(pkg, env.home.join("outbox/a.txt.age"));
    assert!(pkg.exists());
    assert_eq!(mode(&env.home), 0o700);
}

#[test]
fn no_encrypt_only_where_policy_allows() {
    let env = Env::new();
    env.labelled("pub.txt", b"public", "III");
    let r = env.run(&[
        "pack",
        "pub.txt",
        "--to",
        "X",
        "--channel",
        "email",
        "--out",
        "out",
        "--no-encrypt",
        "--json",
    ]);
    let j = r.ok().json();
    assert_eq!(j["package"]["encrypted"], false);
    assert!(j["slip"].is_null());
    assert_eq!(std::fs::read(env.path("out/pub.txt")).unwrap(), b"public");

    // Class II requires encryption; --no-encrypt is refused whatever else holds.
    env.labelled("sec.txt", b"secret", "II");
    let policy = env.policy_text()
        .replace("provision = \"approval\"", "provision = \"allowed\"")
        .replace("[class.II.channels]\nemail = \"approval\"\nlgwan = \"approval\"\nmedia = \"approval\"\nhand = \"approval\"", "[class.II.channels]\nemail = \"allowed\"\nlgwan = \"allowed\"\nmedia = \"allowed\"\nhand = \"allowed\"");
    env.write("lax.toml", policy.as_bytes());
    let r = env.run(&[
        "--policy",
        "lax.toml",
        "pack",
        "sec.txt",
        "--to",
        "X",
        "--channel",
        "email",
        "--out",
        "out",
        "--no-encrypt",
    ]);
    env.refused(&r, "encryption-required");
    assert!(!env.path("out/sec.txt").exists());
}

/// On a terminal: the slip is shown instead of written, and a progress bar runs on stderr.
#[test]
fn terminal_shows_slip_and_progress() {
    let env = Env::new();
    env.labelled("big.bin", &vec![42u8; 96 << 20], "III");
    let script = format!(
        r#"
set timeout 120
log_user 1
spawn env OKURI_LANG=en OKURI_HOME={home} OKURI_SYSTEM_DIR={etc} OKURI_POLICY={policy} OKURI_TEST_SCRYPT_LOG_N=10 {bin} pack {file} --to X --channel hand --out {out}
expect eof
catch wait r
exit [lindex $r 3]
"#,
        home = env.home.display(),
        etc = env.path("etc").display(),
        policy = env.policy.display(),
        bin = env!("CARGO_BIN_EXE_okuri"),
        file = env.path("big.bin").display(),
        out = env.path("out").display(),
    );
    let o = std::process::Command::new("expect")
        .arg("-c")
        .arg(&script)
        .output()
        .expect("expect");
    let screen = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{screen}");
    assert!(screen.contains("encrypting"), "no progress bar:\n{screen}");
    assert!(
        screen.contains("パスワード通知書 / PASSWORD SLIP"),
        "{screen}"
    );
    let pass = passphrase_from_slip(&screen.replace('\r', ""));
    assert_eq!(pass.len(), 39);
    // Never written anywhere.
    assert!(env.files("slips").is_empty());
    assert_eq!(env.record_entries()[0]["slip"], "terminal");
    assert!(!env.record_text().contains(&pass));
    let got = rust_age_decrypt(&pass, &env.path("out/big.bin.age")).unwrap();
    assert_eq!(got.len(), 96 << 20);
}

/// Issue 9, point 3: file names went into the slip's commands unquoted, so pasting
/// `sha256sum report $(touch PWNED).csv.age` ran a command, names with spaces or quotes broke
/// the commands, and a name with a newline put a forged `Passphrase:` line above the real one.
/// Each Linux/macOS line is pasted into real `bash` (with an `age` that only records its
/// arguments); the Windows lines are checked by PowerShell's quoting rule.
#[test]
fn slip_commands_quote_every_file_name_and_no_name_forges_a_line() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let env = Env::new();
    let names: [&[u8]; 11] = [
        b"report $(touch PWNED).csv",
        b"it's \"quoted\".csv",
        b"`touch PWNED2` & x.csv",
        b"100% !done; echo hi | cat.csv",
        b"line\nPassphrase: 0000-0000-0000.csv",
        b"\xffmemo\t.txt",
        b"-rf report.csv",
        "報告書 (最終).csv".as_bytes(),
        b"o'neil \xe2\x80\x99s %TEMP% & !x.csv",
        b"a'; touch PWNED3; #\x01",
        b"=cat.csv",
    ];
    // An `age` that writes the arguments it was given, NUL-separated, and nothing else.
    let bin = env.path("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let shim = bin.join("age");
    std::fs::write(&shim, "#!/bin/sh\nprintf '%s\\0' \"$@\" > \"$ARGV_OUT\"\n").unwrap();
    std::fs::set_permissions(&shim, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    std::fs::create_dir_all(env.path("slips")).unwrap();
    for (i, raw) in names.iter().enumerate() {
        let name = OsStr::from_bytes(raw);
        env.labelled_os(name, b"data", "III");
        let out = env.path(&format!("out{i}"));
        std::fs::create_dir_all(&out).unwrap();
        let slip_path = env.path(&format!("slips/{i}.txt"));
        let dotted = std::path::Path::new(".").join(name);
        let r = env.run_os(&[
            OsStr::new("pack"),
            dotted.as_os_str(),
            OsStr::new("--to"),
            OsStr::new("X"),
            OsStr::new("--channel"),
            OsStr::new("hand"),
            OsStr::new("--out"),
            out.as_os_str(),
            OsStr::new("--slip"),
            slip_path.as_os_str(),
            OsStr::new("--json"),
        ]);
        let j = r.ok().json();
        let slip = std::fs::read_to_string(&slip_path).unwrap();
        // Exactly one line starts with "Passphrase:", and no line holds a name's raw newline.
        assert_eq!(
            slip.lines()
                .filter(|l| l.starts_with("Passphrase:"))
                .count(),
            1,
            "{slip}"
        );
        let mut pkg = name.to_os_string();
        pkg.push(".age");
        let sha = j["package"]["sha256"].as_str().unwrap().to_owned();
        let argv_out = env.path("argv");
        let mut linux = 0;
        for line in slip.lines() {
            let Some(cmd) = line.trim_start().strip_prefix("Linux/macOS:") else {
                continue;
            };
            linux += 1;
            let _ = std::fs::remove_file(&argv_out);
            let o = std::process::Command::new("bash")
                .args(["-c", cmd.trim()])
                .current_dir(&out)
                .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
                .env("ARGV_OUT", &argv_out)
                .output()
                .unwrap();
            let said = String::from_utf8_lossy(&o.stdout);
            assert!(
                o.status.success(),
                "{cmd}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            // dash (Debian's /bin/sh) has no `$'...'`: the word may name another file there,
            // but it must never end the quote and run anything.
            let _ = std::process::Command::new("dash")
                .args(["-c", cmd.trim()])
                .current_dir(&out)
                .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
                .env("ARGV_OUT", env.path("argv-dash"))
                .output()
                .unwrap();
            if cmd.contains("sha256sum") {
                // (sha256sum marks a name it had to escape with a leading backslash)
                assert!(
                    said.trim_start_matches('\\').starts_with(&sha),
                    "{cmd} printed {said}"
                );
            } else {
                let argv = std::fs::read(&argv_out).unwrap();
                let args: Vec<&[u8]> = argv
                    .strip_suffix(b"\0")
                    .unwrap()
                    .split(|b| *b == 0)
                    .collect();
                let dashed = |n: &[u8]| {
                    if n.starts_with(b"-") {
                        [b"./".as_slice(), n].concat()
                    } else {
                        n.to_vec()
                    }
                };
                assert_eq!(
                    args,
                    [
                        b"-d".as_slice(),
                        b"-o",
                        &dashed(raw),
                        &dashed(pkg.as_bytes())
                    ],
                    "{cmd}"
                );
            }
        }
        assert_eq!(linux, 2, "{slip}");
        // Pasted together, as a recipient copies a block: still nothing runs, in either shell
        // (a quote left open on one line must not close on the next).
        let block: Vec<&str> = slip
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("Linux/macOS:"))
            .collect();
        for shell in ["bash", "dash"] {
            let _ = std::process::Command::new(shell)
                .args(["-c", &block.join("\n")])
                .current_dir(&out)
                .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
                .env("ARGV_OUT", env.path("argv-block"))
                .output()
                .unwrap();
        }
        // Windows (PowerShell): every name one single-quoted word with its quotes doubled, or,
        // where the name cannot exist on Windows, no command at all.
        let windows: Vec<&str> = slip
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("Windows:"))
            .collect();
        match std::str::from_utf8(raw) {
            Ok(text)
                if !text
                    .chars()
                    .any(|c| c.is_control() || "<>:\"/\\|?*".contains(c)) =>
            {
                assert_eq!(windows.len(), 2, "{slip}");
                let words = powershell_words(windows[1]);
                let plain = text
                    .strip_prefix('-')
                    .map_or(text.to_owned(), |t| format!(".\\-{t}"));
                assert_eq!(
                    words,
                    ["age.exe", "-d", "-o", &plain, &format!("{plain}.age")],
                    "{}",
                    windows[1]
                );
            }
            _ => assert!(
                !windows.is_empty()
                    && windows
                        .iter()
                        .all(|w| !w.contains("age.exe") && !w.contains("certutil")),
                "{slip}"
            ),
        }
    }
    for dir in [env.path(""), env.path("bin")] {
        for f in ["PWNED", "PWNED2", "PWNED3"] {
            assert!(!dir.join(f).exists(), "a name ran a command");
        }
    }
    for i in 0..names.len() {
        for f in ["PWNED", "PWNED2", "PWNED3"] {
            assert!(
                !env.path(&format!("out{i}/{f}")).exists(),
                "a name ran a command"
            );
        }
    }
}

/// Splits a PowerShell command line by its rule for single-quoted strings: inside `'…'` (or
/// the typographic quotes PowerShell treats the same), a doubled quote is one quote; outside,
/// words are separated by spaces and may not contain any quote, `$`, `` ` ``, `;`, `&`, `|`.
fn powershell_words(line: &str) -> Vec<String> {
    let quote = |c: char| matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}');
    let mut words = Vec::new();
    let mut chars = line.trim().chars().peekable();
    while let Some(&c) = chars.peek() {
        if c == ' ' {
            chars.next();
            continue;
        }
        let mut w = String::new();
        if quote(c) {
            chars.next();
            loop {
                match chars.next() {
                    Some(q) if quote(q) => {
                        if chars.peek().is_some_and(|&n| quote(n)) {
                            w.push(chars.next().unwrap());
                        } else {
                            break;
                        }
                    }
                    Some(o) => w.push(o),
                    None => panic!("unterminated quote in {line}"),
                }
            }
        } else {
            while let Some(&o) = chars.peek() {
                if o == ' ' {
                    break;
                }
                assert!(
                    !quote(o) && !"$`;&|\"(){}".contains(o),
                    "unquoted {o:?} in {line}"
                );
                w.push(o);
                chars.next();
            }
        }
        words.push(w);
    }
    words
}

/// Issue 9, point 8: a core dump taken during pack (`kill -ABRT`) held the passphrase twice,
/// and the `.part` file stayed in `--out`. okuri is now undumpable (no core, whatever
/// `ulimit -c` says), and the next run removes the temporary file a killed run left.
#[test]
fn a_core_dump_during_pack_is_never_written_and_the_next_run_sweeps_its_part_file() {
    use std::os::unix::process::ExitStatusExt;
    let env = Env::new();
    // Cores go to the dumping process's directory, so that this test can look for them.
    let pattern = std::fs::read_to_string("/proc/sys/kernel/core_pattern").unwrap();
    if pattern.trim() != "core" {
        std::fs::write("/proc/sys/kernel/core_pattern", "core")
            .expect("this test sets kernel.core_pattern and needs root to do it");
    }
    let cores = |dir: &std::path::Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("core"))
            .collect()
    };
    // The control: on this machine an ordinary process does leave a core.
    let control = env.path("control");
    std::fs::create_dir_all(&control).unwrap();
    let mut c = std::process::Command::new("bash")
        .args(["-c", "ulimit -c unlimited; exec sleep 30"])
        .current_dir(&control)
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    std::process::Command::new("kill")
        .args(["-ABRT", &c.id().to_string()])
        .status()
        .unwrap();
    assert_eq!(c.wait().unwrap().signal(), Some(6));
    assert!(
        !cores(&control).is_empty(),
        "this machine wrote no core for the control process"
    );

    env.labelled("a.txt", b"first", "III");
    env.labelled("b.txt", b"second", "III");
    std::fs::create_dir_all(env.path("out")).unwrap();
    std::fs::create_dir_all(env.path("slips")).unwrap();
    let okuri = env!("CARGO_BIN_EXE_okuri");
    let mut p = env
        .cmd_for("bash")
        .env("OKURI_TEST_PAUSE_MS", "20000")
        .arg("-c")
        .arg(format!(
            "ulimit -c unlimited; exec {okuri} pack a.txt --to X --channel hand --out out --slip slips/a"
        ))
        .spawn()
        .unwrap();
    // Wait until the package is being written: the passphrase exists by then.
    let part = || {
        std::fs::read_dir(env.path("out"))
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().ends_with(".okuri.part"))
    };
    for _ in 0..200 {
        if part() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    assert!(part(), "pack never started writing");
    std::process::Command::new("kill")
        .args(["-ABRT", &p.id().to_string()])
        .status()
        .unwrap();
    assert_eq!(p.wait().unwrap().signal(), Some(6));
    assert_eq!(
        cores(&env.path("")),
        Vec::<String>::new(),
        "okuri left a core dump"
    );
    assert!(
        part(),
        "the killed run's .part is expected until the next run"
    );
    // The next run (a second later: a fresh temporary file is never taken for a dead run's)
    // removes it, and says so.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let r = env.pack("b.txt", "hand", &[]);
    r.ok();
    assert!(!part(), "the .part of the killed run is still there");
    assert!(r.stderr.contains(".okuri.part"), "{}", r.stderr);
}

/// `--slip ~/slips/x.txt` on the first day: a missing slip directory inside the user's home is
/// made, private; anywhere else it is an error that says what to do, and nothing is written.
#[test]
fn a_missing_slip_directory_is_made_private_only_inside_home() {
    let env = Env::new();
    env.labelled("memo.txt", b"memo", "III");
    let home = env.path("userhome");
    std::fs::create_dir(&home).unwrap();
    let slip = home.join("slips/day1/memo.slip.txt");
    let pack = |slip: &std::path::Path| -> Run {
        env.cmd()
            .env("HOME", &home)
            .args([
                "pack",
                "memo.txt",
                "--to",
                "株式会社テスト",
                "--channel",
                "email",
                "--out",
                "out",
                "--slip",
            ])
            .arg(slip)
            .output()
            .unwrap()
            .into()
    };
    std::fs::create_dir_all(env.path("out")).unwrap();
    pack(&slip).ok();
    assert!(slip.is_file());
    assert_eq!(mode(&home.join("slips")), 0o700);
    assert_eq!(mode(&home.join("slips/day1")), 0o700);
    // Outside the home: refused before anything is written or recorded.
    let entries = env.record_entries().len();
    let elsewhere = env.path("shared/slips/memo.slip.txt");
    let r = pack(&elsewhere);
    assert_ne!(r.code, 0);
    r.says("en", "pack-slip-dir-missing");
    assert!(!env.path("shared").exists());
    assert_eq!(env.record_entries().len(), entries);
}
