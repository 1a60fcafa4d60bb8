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

#[test]
fn every_command_s_help() {
    let env = Env::bare();
    let mut queue: Vec<Vec<String>> = vec![Vec::new()];
    let mut seen = 0;
    while let Some(path) = queue.pop() {
        let text = help(&env, &path);
        let name = std::iter::once("okuri")
            .chain(path.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join("-");
        insta::assert_snapshot!(name, text);
        seen += 1;
        for sub in subcommands(&text) {
            let mut p = path.clone();
            p.push(sub);
            queue.push(p);
        }
    }
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
