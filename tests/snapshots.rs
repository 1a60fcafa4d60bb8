//! What people see, pinned (issue 11, point 1): every command's `--help`, and the wording of
//! every refusal in Japanese and in English. A changed word is a reviewed diff of
//! `tests/snapshots/` (`INSTA_UPDATE=always cargo test --features test-hooks --test
//! snapshots`, then `git diff`), never an accident.

mod common;

use std::collections::BTreeMap;

use common::*;
use okuri::base::message::{Lang, Msg, Value};
use okuri::base::refusal::RefusalCode;

/// `okuri PATH… --help` at a fixed width, so that wrapping is the product's, not the
/// terminal's, and in an empty environment, since clap shows the values of the variables an
/// option reads (`[env: OKURI_HOME=…]`).
fn help(env: &Env, path: &[String]) -> String {
    let r: Run = std::process::Command::new(env!("CARGO_BIN_EXE_okuri"))
        .env_clear()
        .env("COLUMNS", "100")
        .env("OKURI_SYSTEM_DIR", env.path("etc"))
        .args(path)
        .arg("--help")
        .current_dir(env.path(""))
        .output()
        .unwrap()
        .into();
    r.ok();
    r.stdout
}

/// The subcommands a help text lists (its `Commands:` section), without `help`.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(str::to_owned)
        .collect()
}

/// Every command's page name (`okuri-media-scan`) and `--help`, from the top level down.
fn every_command(env: &Env) -> Vec<(String, String)> {
    let mut queue: Vec<Vec<String>> = vec![Vec::new()];
    let mut out = Vec::new();
    while let Some(path) = queue.pop() {
        let text = help(env, &path);
        let name = std::iter::once("okuri")
            .chain(path.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join("-");
        for sub in subcommands(&text) {
            let mut p = path.clone();
            p.push(sub);
            queue.push(p);
        }
        out.push((name, text));
    }
    out
}

#[test]
fn every_command_s_help() {
    let env = Env::bare();
    let all = every_command(&env);
    for (name, text) in &all {
        insta::assert_snapshot!(name.as_str(), text);
    }
    let seen = all.len();
    // The top level, its commands and the commands of policy, approvals, token, media,
    // record and recipients: a parse that found none would pass with nothing pinned.
    assert!(seen > 30, "only {seen} help texts found");
}

#[test]
fn every_refusal_s_wording_in_both_languages() {
    for (lang, code) in [(Lang::Ja, "ja"), (Lang::En, "en")] {
        let texts = okuri::i18n::Texts::new(lang);
        let messages = ftl::messages(code);
        let mut out = String::new();
        let mut n = 0;
        for c in RefusalCode::ALL {
            let base = format!("refusal-{}", c.as_str());
            for (id, m) in messages
                .iter()
                .filter(|(id, _)| **id == base || id.starts_with(&format!("{base}-")))
            {
                // Each argument shown as its name, so the snapshot is the sentence itself.
                let args: BTreeMap<String, Value> = m
                    .vars
                    .iter()
                    .map(|v| (v.clone(), Value::Text(format!("⟨{v}⟩"))))
                    .collect();
                let text = texts.render(&Msg::dynamic(id.clone(), args));
                out.push_str(&format!("{id}\n    {}\n", text.replace('\n', "\n    ")));
                n += 1;
            }
        }
        assert!(n >= 2 * RefusalCode::ALL.len(), "{code}: only {n} messages");
        insta::assert_snapshot!(format!("refusals-{code}"), out);
    }
}

/// The clock and the host, fixed through the test hooks.
const NOW: &str = "2030-01-15T10:30:00+09:00[+09:00]";
const HOST: &str = "soumu-pc-01";

/// An Env whose every run (the officer's designations too) has the fixed clock and host.
fn fixed_env(lang: &'static str) -> Env {
    let mut env = Env::new();
    env.lang = lang;
    env.extra_env.push(("OKURI_TEST_NOW".into(), NOW.into()));
    env.extra_env.push(("OKURI_TEST_HOST".into(), HOST.into()));
    env
}

fn fixed(env: &Env, args: &[&std::ffi::OsStr]) -> Run {
    env.cmd().args(args).output().unwrap().into()
}

/// The password slip and pack's report, in both languages, for a Japanese name with a space
/// and a name that is not UTF-8; then `classify` and `record show` of what was done.
#[test]
fn the_slip_classify_and_record_show() {
    use std::os::unix::ffi::OsStrExt;
    for lang in ["ja", "en"] {
        let env = fixed_env(lang);
        let names: [&std::ffi::OsStr; 2] = [
            "講座 案内.txt".as_ref(),
            std::ffi::OsStr::from_bytes(b"\xffmemo.txt"),
        ];
        for (i, name) in names.iter().enumerate() {
            env.labelled_os(name, format!("file {i}").as_bytes(), "III");
            let slip = format!("slips/{i}.slip");
            let r = fixed(
                &env,
                &[
                    "pack".as_ref(),
                    env.path("").join(name).as_os_str(),
                    "--to".as_ref(),
                    "株式会社テスト".as_ref(),
                    "--channel".as_ref(),
                    "email".as_ref(),
                    "--out".as_ref(),
                    "out".as_ref(),
                    "--slip".as_ref(),
                    slip.as_ref(),
                ],
            );
            r.ok();
            insta::assert_snapshot!(format!("pack-{i}-{lang}"), redact(&env, &r.stdout));
            let text = std::fs::read_to_string(env.path(&slip)).unwrap();
            // The slip is always in both languages; one language's run pins it.
            if lang == "ja" {
                insta::assert_snapshot!(format!("slip-{i}"), redact(&env, &text));
            }
        }
        let r = fixed(&env, &["pack".as_ref(), "nothing.txt".as_ref()]);
        assert_ne!(r.code, 0);
        env.write("unlabelled.txt", b"u");
        let r = fixed(
            &env,
            &[
                "pack".as_ref(),
                "unlabelled.txt".as_ref(),
                "--to".as_ref(),
                "株式会社テスト".as_ref(),
                "--channel".as_ref(),
                "email".as_ref(),
                "--slip".as_ref(),
                "slips/u.slip".as_ref(),
            ],
        );
        assert_eq!(r.code, 3, "{}", r.stderr);
        insta::assert_snapshot!(format!("refused-{lang}"), redact(&env, &r.stderr));
        let c = fixed(
            &env,
            &[
                "classify".as_ref(),
                names[0],
                names[1],
                "unlabelled.txt".as_ref(),
            ],
        );
        c.ok();
        insta::assert_snapshot!(format!("classify-{lang}"), redact(&env, &c.stdout));
        let s = fixed(&env, &["record".as_ref(), "show".as_ref()]);
        s.ok();
        insta::assert_snapshot!(format!("record-show-{lang}"), redact(&env, &s.stdout));
    }
}

/// A bad policy's errors: every finding with its line, column and hint.
#[test]
fn a_bad_policy_s_errors() {
    let env = Env::new();
    let text = repo_policy()
        .replace("email = \"forbidden\"", "email = \"maybe\"")
        .replace("provision = \"approval\"", "provison = \"approval\"");
    env.write("bad.toml", text.as_bytes());
    let r = env.run(&["policy", "check", "bad.toml"]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    insta::assert_snapshot!("policy-check-errors", redact(&env, &r.stderr));
}

/// `token verify`: every check and the verdict, in both languages.
#[test]
fn token_verify() {
    for lang in ["ja", "en"] {
        let env = fixed_env(lang);
        env.labelled("memo.txt", b"memo", "II");
        let token = env.approved("memo.txt", "kameoka-print", "email", &[]);
        let r = fixed(
            &env,
            &[
                "token".as_ref(),
                "verify".as_ref(),
                token.as_ref(),
                "--file".as_ref(),
                "memo.txt".as_ref(),
            ],
        );
        r.ok();
        insta::assert_snapshot!(format!("token-verify-{lang}"), redact(&env, &r.stdout));
    }
}

/// A bad recipient register's and a bad staff directory's errors.
#[test]
fn a_bad_register_s_and_directory_s_errors() {
    let env = Env::new();
    env.write(
        "bad-recipients.toml",
        b"version = 1\n\n[[recipient]]\nid = \"x\"\nname = \"X\"\ncontract = \"c\"\nclasses = [\"IV\"]\n",
    );
    let r = env.run(&["recipients", "check", "bad-recipients.toml"]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    insta::assert_snapshot!("recipients-check-errors", redact(&env, &r.stderr));
    env.write(
        "bad-staff.toml",
        b"version = 1\n[[person]]\nid = \"a\"\nname = \"A\"\ndepartment = \"D\"\nroles = [\"custodian\"]\nkeys = []\n",
    );
    let r = env.run(&["sign", "staff", "bad-staff.toml"]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    insta::assert_snapshot!("directory-errors", redact(&env, &r.stderr));
}

/// The man pages come from the same definitions as `--help` (clap_mangen): one page per
/// command `--help` lists, each with that command's options, and okuri-approvald(8); and the
/// completions (clap_complete) are scripts the shells accept that know the commands.
#[test]
fn every_command_has_a_man_page_and_a_completion() {
    let env = Env::bare();
    let man = env.path("man");
    env.run_os(&["generate-man".as_ref(), man.as_os_str()]).ok();
    let all = every_command(&env);
    for (name, text) in &all {
        let page = std::fs::read_to_string(man.join(format!("{name}.1")))
            .unwrap_or_else(|e| panic!("no man page for {name}: {e}"));
        // Every long option --help names is in the page (roff escapes '-' as '\-').
        for opt in text
            .split_whitespace()
            .filter(|w| w.starts_with("--") && w.len() > 2)
            .map(|w| w.trim_end_matches([',', '.', ')', '`']))
            .filter(|w| w[2..].chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        {
            assert!(
                page.contains(&opt.replace('-', "\\-")),
                "{name}.1 lacks {opt}"
            );
        }
    }
    let seen = all.len();
    assert!(seen > 30, "only {seen} pages checked");
    let daemon = std::fs::read_to_string(man.join("okuri-approvald.8")).unwrap();
    assert!(
        daemon.contains("\\-\\-config") && daemon.contains("SIGHUP"),
        "{daemon}"
    );
    let okuri = std::fs::read_to_string(man.join("okuri.1")).unwrap();
    assert!(
        okuri.contains("EXIT STATUS") && okuri.contains("okuri\\-approvald"),
        "{okuri}"
    );

    for (shell, check) in [
        ("bash", vec!["bash", "-n"]),
        ("zsh", vec![]),
        ("fish", vec![]),
    ] {
        let r = env.run(&["completion", shell]);
        r.ok();
        assert!(
            r.stdout.contains("pack")
                && r.stdout.contains("trust")
                && r.stdout.contains("approval"),
            "{shell}"
        );
        if !check.is_empty() {
            let f = env.write(&format!("okuri.{shell}"), r.stdout.as_bytes());
            let o = std::process::Command::new(check[0])
                .args(&check[1..])
                .arg(&f)
                .output()
                .unwrap();
            assert!(
                o.status.success(),
                "{shell}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
    }
    // bash completes `okuri pa<TAB>` to pack.
    let f = env.path("okuri.bash");
    let o = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source '{}'; COMP_WORDS=(okuri pa); COMP_CWORD=1; COMP_LINE='okuri pa'; COMP_POINT=8; _okuri okuri pa okuri; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            f.display()
        ))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "pack");
}
