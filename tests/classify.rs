//! Where a class comes from: an information officer's signed designation sets it; unsigned
//! labels (extended attribute, sidecar, staff register entries) may only raise it; without a
//! designation the policy's unlabeled class (I) is the floor.

mod common;

use common::*;

fn class_of(env: &Env, file: &str) -> serde_json::Value {
    env.run(&["classify", file, "--json"]).ok().json()[0].clone()
}

/// `okuri label --key` in the staff member's own home: the designation goes to its register.
fn designate_in_register(env: &Env, file: &str, class: &str) -> Run {
    designate_for(env, &env.home, file, class, "総務課")
}

/// `okuri label FILE --class CLASS --store register --department DEPARTMENT --key <officer>`
/// with `home`: the designation goes to that home's register.
fn designate_for(
    env: &Env,
    home: &std::path::Path,
    file: &str,
    class: &str,
    department: &str,
) -> Run {
    let mut c = env.cmd();
    c.env("OKURI_HOME", home)
        .args(["label", file, "--class", class, "--store", "register"])
        .args(["--department", department]);
    as_officer(c)
}

/// Runs `c` with the information officer's key (`--key`, `--key-passphrase-file`).
fn as_officer(mut c: std::process::Command) -> Run {
    let f = Fixture::get();
    c.arg("--key")
        .arg(f.key("tanaka.ichiro"))
        .arg("--key-passphrase-file")
        .arg(&f.pass)
        .output()
        .unwrap()
        .into()
}

#[test]
fn designation_sets_the_class_and_unsigned_labels_only_raise() {
    let env = Env::new();
    env.xattr_labelled("a.csv", b"a", "III");
    // An unsigned label cannot lower the fail-closed default.
    let c = class_of(&env, "a.csv");
    assert_eq!(c["class"], "I");
    assert_eq!(c["source"]["kind"], "default");
    assert_eq!(c["labels"].as_array().unwrap().len(), 1);
    // The officer's signed designation sets it.
    env.designate("a.csv", "III", &["--store", "sidecar"]);
    let c = class_of(&env, "a.csv");
    assert_eq!(c["class"], "III");
    assert_eq!(c["source"]["kind"], "designation");
    assert_eq!(c["source"]["department"], "総務課");
    // An unsigned label may raise it.
    env.write("a.csv.okuri-class", b"# sidecar\nII\n");
    let c = class_of(&env, "a.csv");
    assert_eq!(c["class"], "II");
    assert_eq!(c["source"]["kind"], "sidecar");
    env.run(&["label", "a.csv", "--class", "I"]).ok();
    let c = class_of(&env, "a.csv");
    assert_eq!(c["class"], "I");
    assert_eq!(c["source"]["kind"], "register");
    assert_eq!(c["source"]["designated_by"], "山田 太郎 (総務課)");
    assert_eq!(c["labels"].as_array().unwrap().len(), 4);
    let text = env.run(&["classify", "a.csv"]).ok().stdout.clone();
    assert!(
        text.contains("class I (重要性分類Ⅰ)")
            && text.contains(
                "also: class III (重要性分類Ⅲ) from signed designation by 情報責任者 田中 一郎"
            ),
        "{text}"
    );
}

/// The register is keyed by content: a renamed file keeps its designation, a changed one
/// loses it and falls back to class I.
#[test]
fn designation_follows_content_not_name() {
    let env = Env::new();
    env.write("budget.xlsx", b"draft budget");
    designate_in_register(&env, "budget.xlsx", "III").ok();
    assert_eq!(class_of(&env, "budget.xlsx")["class"], "III");
    std::fs::rename(env.path("budget.xlsx"), env.path("renamed.xlsx")).unwrap();
    let c = class_of(&env, "renamed.xlsx");
    assert_eq!(c["class"], "III");
    assert_eq!(c["source"]["kind"], "designation");
    assert_eq!(c["blake3"], blake3::hash(b"draft budget").to_hex().as_str());
    env.write("renamed.xlsx", b"draft budget, edited");
    let c = class_of(&env, "renamed.xlsx");
    assert_eq!(c["class"], "I", "a changed file kept its designation");
    assert_eq!(c["source"]["kind"], "default");
    // The designation is a signed document bound to the digest and size, and recorded.
    // Kept by digest: designations/<BLAKE3>/, so a lookup reads only its file's.
    let dir = env
        .home
        .join("designations")
        .join(blake3::hash(b"draft budget").to_hex().as_str());
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
    assert_eq!(files.len(), 1);
    let text = std::fs::read_to_string(files[0].path()).unwrap();
    assert!(text.contains("-----BEGIN SSH SIGNATURE-----"), "{text}");
    assert!(text.contains(&blake3::hash(b"draft budget").to_hex().to_string()));
    assert!(text.contains("\"size\": 12"));
    let e = env.record_entries();
    assert_eq!(e.last().unwrap()["event"], "designation");
    assert_eq!(e.last().unwrap()["officer"]["id"], "tanaka.ichiro");
    // An officer may re-designate: the newest designation counts.
    env.write("b.txt", b"b");
    designate_in_register(&env, "b.txt", "II").ok();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    designate_in_register(&env, "b.txt", "III").ok();
    assert_eq!(class_of(&env, "b.txt")["class"], "III");
}

/// A designation beside a file that changed, an altered one, or one by an untrusted key counts
/// for nothing, and classify says why.
#[test]
fn bad_designations_are_ignored_and_shown() {
    let env = Env::new();
    env.labelled("c.txt", b"content", "III");
    env.write("c.txt", b"content, edited");
    let c = class_of(&env, "c.txt");
    assert_eq!(c["class"], "I");
    assert_eq!(
        c["ignored"][0]["why"]["id"], "designation-other-version",
        "{c}"
    );
    env.labelled("d.txt", b"d", "II");
    let side = env.path("d.txt.okuri-designation");
    let text = std::fs::read_to_string(&side).unwrap();
    std::fs::write(
        &side,
        text.replacen("\"class\": \"II\"", "\"class\": \"III\"", 1),
    )
    .unwrap();
    let c = class_of(&env, "d.txt");
    assert_eq!(c["class"], "I");
    assert_eq!(c["ignored"][0]["why"]["id"], "signed-forged", "{c}");
    let shown = env.run(&["classify", "d.txt"]).ok().stdout.clone();
    assert!(shown.contains("ignored:"), "{shown}");
    // A custodian is not an information officer: their key cannot designate.
    let f = Fixture::get();
    let r: Run = env
        .cmd()
        .args(["label", "d.txt", "--class", "III", "--key"])
        .arg(f.key("suzuki.hanako"))
        .arg("--key-passphrase-file")
        .arg(&f.pass)
        .output()
        .unwrap()
        .into();
    env.refused(&r, "designation-not-allowed");
    assert!(
        r.stderr.contains("情報責任者") && r.stderr.contains("not a valid information officer"),
        "{}",
        r.stderr
    );
    // Nor may an officer designate for a department outside theirs.
    let r: Run = env
        .cmd()
        .args([
            "label",
            "d.txt",
            "--class",
            "III",
            "--department",
            "福祉課",
            "--key",
        ])
        .arg(f.key("tanaka.ichiro"))
        .arg("--key-passphrase-file")
        .arg(&f.pass)
        .output()
        .unwrap()
        .into();
    env.refused(&r, "designation-not-allowed");
    assert!(r.stderr.contains("may not designate"), "{}", r.stderr);
    // The same refusal in Japanese (it is not recorded, so the record cannot show it).
    let ja: Run = env
        .cmd()
        .env("OKURI_LANG", "ja")
        .args(["label", "d.txt", "--class", "III"])
        .args(["--department", "福祉課", "--key"])
        .arg(f.key("tanaka.ichiro"))
        .arg("--key-passphrase-file")
        .arg(&f.pass)
        .output()
        .unwrap()
        .into();
    refused_in("ja", &ja, "designation-not-allowed");
    assert!(
        ja.stderr
            .starts_with("okuri: 拒否 [designation-not-allowed]: "),
        "{}",
        ja.stderr
    );
    // A wrong key passphrase is bad input, not a refusal.
    env.write("wrong", b"not the passphrase\n");
    let r: Run = env
        .cmd()
        .args([
            "label",
            "d.txt",
            "--class",
            "III",
            "--key-passphrase-file",
            "wrong",
            "--key",
        ])
        .arg(f.key("tanaka.ichiro"))
        .output()
        .unwrap()
        .into();
    r.code(4);
    assert!(r.stderr.contains("passphrase"), "{}", r.stderr);
    // --batch turns the passphrase prompt into an error instead of a hang.
    let r: Run = env
        .cmd()
        .args(["label", "--batch", "d.txt", "--class", "III", "--key"])
        .arg(f.key("tanaka.ichiro"))
        .output()
        .unwrap()
        .into();
    r.code(2);
    assert!(r.stderr.contains("--key-passphrase-file"), "{}", r.stderr);
}

/// Staff may raise a class but never lower one (第2章1: the officer designates).
#[test]
fn unsigned_labels_only_raise() {
    let env = Env::new();
    env.labelled("m.txt", b"minutes", "III");
    env.run(&["label", "m.txt", "--class", "II", "--store", "sidecar"])
        .ok();
    let r = env.run(&["label", "m.txt", "--class", "III"]);
    env.refused(&r, "lower-class");
    assert!(
        r.stderr.contains("情報責任者") && r.stderr.contains("may not lower"),
        "{}",
        r.stderr
    );
    let ja = env.run(&["--lang", "ja", "label", "m.txt", "--class", "III"]);
    refused_in("ja", &ja, "lower-class");
    assert!(
        ja.stderr.contains("職員が分類を下げることはできません"),
        "{}",
        ja.stderr
    );
    assert_eq!(class_of(&env, "m.txt")["class"], "II");
    env.run(&["label", "m.txt", "--class", "I", "--store", "xattr"])
        .ok();
    assert_eq!(class_of(&env, "m.txt")["class"], "I");
    assert_eq!(
        xattr::get(env.path("m.txt"), "user.okuri.class")
            .unwrap()
            .unwrap(),
        b"I"
    );
    let r = env.run(&["label", "m.txt", "--class", "IV"]);
    r.code(2);
}

#[test]
fn roman_numeral_labels_are_accepted() {
    let env = Env::new();
    env.labelled("r.txt", "Ⅱ".as_bytes(), "III");
    xattr::set(env.path("r.txt"), "user.okuri.class", "Ⅱ".as_bytes()).unwrap();
    assert_eq!(class_of(&env, "r.txt")["class"], "II");
}

#[test]
fn several_files_at_once() {
    let env = Env::new();
    env.labelled("1.txt", b"1", "III");
    env.write("2.txt", b"2");
    let j = env
        .run(&["classify", "1.txt", "2.txt", "--json"])
        .ok()
        .json();
    assert_eq!(j[0]["class"], "III");
    assert_eq!(j[1]["class"], "I");
}

/// Issue 10, point 4: copying a class I file with its designation and having another
/// department's officer designate the copy class III "for 税務課" sent a class I file by e-mail.
/// A designation now counts for the staff of the department it names, and another
/// department's designation never lowers a class.
#[test]
fn a_designation_of_another_department_never_lowers_a_class() {
    let env = Env::new();
    // 総務課's class I file, designated for 総務課 (the designation travels beside it).
    env.write("台帳.csv", b"personal data");
    env.designate("台帳.csv", "I", &["--store", "sidecar"]);
    // The same bytes designated III "for 税務課" by an officer who may act for both, into a
    // register: `home` says whose.
    let designate_for = |home: &std::path::Path, department: &str, class: &str| {
        designate_for(&env, home, "台帳.csv", class, department).ok();
    };
    designate_for(&env.home, "税務課", "III");
    // For 総務課's staff: still class I; the 税務課 designation is listed as ignored.
    let c = class_of(&env, "台帳.csv");
    assert_eq!(c["class"], "I", "{c}");
    let ignored = c["ignored"].as_array().unwrap();
    assert!(
        ignored
            .iter()
            .any(|i| i["why"]["id"] == "designation-other-department"),
        "{c}"
    );
    // A staff member of 税務課 who holds both: the stricter 総務課 designation wins.
    let zeimu = env.path("zeimu-home");
    let r: Run = env
        .cmd()
        .env("OKURI_HOME", &zeimu)
        .args([
            "init",
            "--id",
            "sato.zeimu",
            "--name",
            "佐藤 税務",
            "--department",
            "税務課",
        ])
        .output()
        .unwrap()
        .into();
    r.ok();
    designate_for(&zeimu, "税務課", "III");
    let z: Run = env
        .cmd()
        .env("OKURI_HOME", &zeimu)
        .args(["classify", "台帳.csv", "--json"])
        .output()
        .unwrap()
        .into();
    let z = z.ok().json()[0].clone();
    assert_eq!(z["class"], "I", "{z}");
    assert_eq!(z["source"]["department"], "総務課", "{z}");
    let r = env.pack_to("台帳.csv", "株式会社テスト", "email", &[]);
    env.refused(&r, "channel-forbidden");
    // The department's own officer may re-designate, and lower: 総務課, later, class III.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    designate_for(&env.home, "総務課", "III");
    assert_eq!(class_of(&env, "台帳.csv")["class"], "III");
}

/// An unsigned label below the class that stands is saved, and okuri says that it cannot lower
/// the class, and who can: in both languages.
#[test]
fn an_unsigned_label_says_it_cannot_lower_the_class() {
    let env = Env::new();
    for (lang, file) in [("en", "a.txt"), ("ja", "b.txt")] {
        env.write(file, b"unlabeled");
        let r = env.run(&["--lang", lang, "label", file, "--class", "III"]);
        r.ok();
        r.says(lang, "cli-labelled");
        r.says(lang, "cli-label-cannot-lower");
        let c = class_of(&env, file);
        assert_eq!(c["class"], "I", "{c}");
        assert_eq!(c["labels"].as_array().unwrap().len(), 1, "{c}");
    }
    // A label that raises the class says only that it was saved.
    env.write("c.txt", b"c");
    let r = env.run(&["label", "c.txt", "--class", "I"]);
    r.ok().says("en", "cli-labelled");
    assert!(!r.stdout.contains("never less strict"), "{}", r.stdout);
}

/// Without --department, a designation is for the only department the officer acts for; an
/// officer who acts for several is told to say which, with an example, never defaulted to
/// their own department (総務部), whose designation would count for no one here.
#[test]
fn the_department_of_a_designation_is_never_guessed_wrong() {
    let mut env = Env::new();
    env.write("a.txt", b"a");
    let label = |env: &Env, lang: &str| -> Run {
        let mut c = env.cmd();
        c.args(["--lang", lang, "label", "a.txt", "--class", "II"]);
        as_officer(c)
    };
    for lang in ["en", "ja"] {
        let r = label(&env, lang);
        r.code(2);
        r.says(lang, "designation-department-needed");
        assert!(r.stderr.contains("--department 総務課"), "{}", r.stderr);
    }
    assert_eq!(class_of(&env, "a.txt")["class"], "I");
    // An officer for one department designates for it.
    let one = env.policy_text().replace(
        r#"departments = ["総務課", "税務課"]"#,
        r#"departments = ["総務課"]"#,
    );
    assert!(one.contains(r#"departments = ["総務課"]"#));
    env.policy = env.write("one-department.toml", one.as_bytes());
    label(&env, "en").ok();
    let c = class_of(&env, "a.txt");
    assert_eq!(c["class"], "II", "{c}");
    assert_eq!(c["source"]["department"], "総務課", "{c}");
}

/// A register an older okuri kept flat (`designations/<BLAKE3>-<time>.okuri-designation`) is
/// moved into the by-digest layout at the first lookup, and its designations still count; a
/// file there that is not a designation is left alone.
#[test]
fn a_flat_register_is_kept_by_digest_and_still_counts() {
    let env = Env::new();
    env.write("budget.xlsx", b"draft budget");
    designate_in_register(&env, "budget.xlsx", "III").ok();
    let digest = blake3::hash(b"draft budget").to_hex().to_string();
    let root = env.home.join("designations");
    // Back to the old layout: flat, without the marker.
    let sub = root.join(&digest);
    for e in std::fs::read_dir(&sub).unwrap().flatten() {
        std::fs::rename(e.path(), root.join(e.file_name())).unwrap();
    }
    std::fs::remove_dir(&sub).unwrap();
    std::fs::remove_file(root.join(".by-digest")).unwrap();
    std::fs::write(root.join("notes.txt"), b"not a designation").unwrap();
    assert_eq!(class_of(&env, "budget.xlsx")["class"], "III");
    assert!(root.join(".by-digest").exists());
    assert_eq!(std::fs::read_dir(&sub).unwrap().count(), 1);
    assert!(root.join("notes.txt").exists());
    let flat: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .ends_with(".okuri-designation")
        })
        .collect();
    assert!(flat.is_empty(), "{flat:?}");
    // And the next lookup reads the digest's directory alone.
    assert_eq!(class_of(&env, "budget.xlsx")["class"], "III");
}
