//! The external-provision table of the standard (第2章2), checked through the real binary for
//! every class × channel × legal basis given or not. The expectations are written here from
//! the standard, independently of the policy code.

mod common;

use common::*;

/// What the standard says, as (exit code, refusal code).
fn expected(class: &str, channel: &str, legal_basis: bool) -> (i32, Option<&'static str>) {
    match (class, channel, legal_basis) {
        // 重要性分類Ⅲ by medium: the table allows it, but `out/` is no registered medium
        // (第4章3; tests/media.rs writes to registered ones).
        ("III", "media", _) => (3, Some("medium-required")),
        // 重要性分類Ⅲ: no restriction.
        ("III", _, _) => (0, None),
        // 重要性分類Ⅱ: 情報資産管理責任者の承認が必要 — no token here, so always refused.
        ("II", _, _) => (3, Some("approval-required")),
        // 重要性分類Ⅰ: 電子メール等での送信は不可, whatever the legal basis.
        ("I", "email", _) => (3, Some("channel-forbidden")),
        // 法令又は条例の規定に基づく場合を除き外部に提供してはならない.
        ("I", _, false) => (3, Some("legal-basis-required")),
        // With a legal basis, still only with the custodian's approval.
        ("I", _, true) => (3, Some("approval-required")),
        _ => unreachable!(),
    }
}

#[test]
fn every_class_channel_and_legal_basis() {
    let mut env = Env::new();
    let mut n = 0;
    for class in ["I", "II", "III"] {
        for channel in ["email", "lgwan", "media", "hand"] {
            for legal in [false, true] {
                n += 1;
                // Half the table in Japanese, half in English; every refusal is also shown
                // from the record in the other language (Env::refused).
                env.lang = if n % 2 == 0 { "ja" } else { "en" };
                let name = format!("f{n}-{class}-{channel}.txt");
                env.labelled(&name, format!("data {n}").as_bytes(), class);
                let mut extra = vec![];
                if legal {
                    extra.extend(["--legal-basis", "地方税法第22条"]);
                }
                let before = env.files("out").len();
                let r = env.pack(&name, channel, &extra);
                let (code, refusal) = expected(class, channel, legal);
                assert_eq!(
                    r.code, code,
                    "{class}/{channel}/legal={legal}: {}",
                    r.stderr
                );
                let last = env
                    .record_entries()
                    .pop()
                    .expect("every attempt is recorded");
                assert_eq!(last["file"]["name"], name.as_str());
                assert_eq!(last["class"], class);
                assert_eq!(last["channel"], channel);
                match refusal {
                    None => {
                        assert_eq!(last["outcome"], "packed");
                        assert_eq!(env.files("out").len(), before + 1);
                    }
                    Some(why) => {
                        assert_eq!(last["outcome"], "refused");
                        assert_eq!(
                            last["reason"]["code"], why,
                            "{class}/{channel}/legal={legal}"
                        );
                        assert_eq!(env.files("out").len(), before, "a refusal left a package");
                        assert!(!env.path(&format!("slips/{name}.slip.txt")).exists());
                        // The refusal as the .ftl files word it, in English on stderr and
                        // in Japanese from the record; the class as staff know it, the rule
                        // quoted, and what to do instead.
                        env.refused(&r, why);
                        let ja = format!(
                            "重要性分類{}",
                            match class {
                                "I" => "Ⅰ",
                                "II" => "Ⅱ",
                                _ => "Ⅲ",
                            }
                        );
                        assert!(r.stderr.contains(&ja), "{}", r.stderr);
                        let (rule, hint) = match env.lang {
                            "ja" => ("okuri: 拒否: 根拠: ", "okuri: ヒント: "),
                            _ => ("okuri: refused: Rule: ", "okuri: hint: "),
                        };
                        assert!(r.stderr.contains(rule), "{}", r.stderr);
                        assert!(r.stderr.contains(hint), "{}", r.stderr);
                    }
                }
            }
        }
    }
    // 24 attempts; each that was packed has a prepared entry too.
    let e = env.record_entries();
    let packed = e.iter().filter(|x| x["outcome"] == "packed").count();
    let prepared = e.iter().filter(|x| x["outcome"] == "prepared").count();
    assert!(packed > 0);
    assert_eq!(prepared, packed);
    assert_eq!(e.len(), 24 + packed);
    env.run(&["record", "verify"]).ok();
}

/// A policy may forbid a class outright (provision = "forbidden"): nothing of that class
/// leaves, by any channel, legal basis or not.
#[test]
fn a_forbidden_class_never_leaves() {
    let mut env = Env::new();
    let mut text = env.policy_text();
    let start = text.find("[class.I]").unwrap();
    let end = text.find("[class.II]").unwrap();
    let class_i = text[start..end]
        .replace(
            "provision = \"legal-basis-and-approval\"",
            "provision = \"forbidden\"",
        )
        .replace("= \"approval\"", "= \"forbidden\"");
    text.replace_range(start..end, &class_i);
    env.write("closed.toml", text.as_bytes());
    env.policy = env.path("closed.toml");
    env.run(&["policy", "check", "closed.toml"]).ok();
    env.labelled("k.csv", b"k", "I");
    for (lang, channel) in [("en", "lgwan"), ("ja", "hand")] {
        env.lang = lang;
        let r = env.pack("k.csv", channel, &["--legal-basis", "地方税法"]);
        env.refused(&r, "class-forbidden");
    }
    assert!(env.files("out").is_empty());
}

#[test]
fn unlabeled_file_is_class_i_and_refused_by_email() {
    let env = Env::new();
    env.write("nolabel.csv", b"name,address\n");
    let c = env.run(&["classify", "nolabel.csv", "--json"]).ok().json();
    assert_eq!(c[0]["class"], "I");
    assert_eq!(c[0]["source"]["kind"], "default");
    env.pack("nolabel.csv", "email", &[]).code(3);
    assert_eq!(
        env.record_entries()[0]["reason"]["code"],
        "channel-forbidden"
    );
    assert_eq!(env.record_entries()[0]["class_source"], "default");
}

#[test]
fn policy_show_prints_the_effective_table() {
    let env = Env::new();
    let j = env.run(&["policy", "show", "--json"]).ok().json();
    let rows = j["table"].as_array().unwrap();
    assert_eq!(rows.len(), 12);
    let row = |c: &str, ch: &str| {
        rows.iter()
            .find(|r| r["class"] == c && r["channel"] == ch)
            .unwrap()["requirements"]
            .clone()
    };
    assert_eq!(row("I", "email")["forbidden"], true);
    assert_eq!(row("I", "lgwan")["legal_basis"], true);
    assert_eq!(row("I", "lgwan")["approval"], true);
    assert_eq!(row("II", "email")["approval"], true);
    assert_eq!(row("II", "email")["legal_basis"], false);
    assert_eq!(row("III", "email")["approval"], false);
    assert_eq!(row("III", "email")["encryption"], false);
    assert_eq!(j["unlabeled_class"], "I");
    let text = env.run(&["policy", "show"]).ok().stdout.clone();
    assert!(text.contains("I      email    forbidden\n"), "{text}");
    let text = env
        .run(&["--lang", "ja", "policy", "show"])
        .ok()
        .stdout
        .clone();
    assert!(text.contains("I      email    不可\n"), "{text}");
}
