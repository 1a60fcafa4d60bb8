//! Where a class comes from: extended attribute, sidecar, register; the strictest wins.

mod common;

use common::*;

fn class_of(env: &Env, file: &str) -> serde_json::Value {
    env.run(&["classify", file, "--json"]).ok().json()[0].clone()
}

#[test]
fn strictest_label_wins() {
    let env = Env::new();
    env.labelled("a.csv", b"a", "III");
    assert_eq!(class_of(&env, "a.csv")["class"], "III");
    env.write("a.csv.okuri-class", b"# sidecar\nII\n");
    let c = class_of(&env, "a.csv");
    assert_eq!(c["class"], "II");
    assert_eq!(c["source"]["kind"], "sidecar");
    assert_eq!(c["labels"].as_array().unwrap().len(), 2);
    env.run(&["label", "a.csv", "--class", "I"]).ok();
    let c = class_of(&env, "a.csv");
    assert_eq!(c["class"], "I");
    assert_eq!(c["source"]["kind"], "register");
    assert_eq!(c["source"]["designated_by"], "山田 太郎 (総務課)");
    assert_eq!(c["labels"].as_array().unwrap().len(), 3);
    let text = env.run(&["classify", "a.csv"]).ok().stdout.clone();
    assert!(
        text.contains("class I (重要性分類Ⅰ)") && text.contains("also: class II"),
        "{text}"
    );
}

/// The register is keyed by content: a renamed file keeps its label, a changed one loses it.
#[test]
fn register_follows_content_not_name() {
    let env = Env::new();
    env.write("budget.xlsx", b"draft budget");
    env.run(&["label", "budget.xlsx", "--class", "III"]).ok();
    assert_eq!(class_of(&env, "budget.xlsx")["class"], "III");
    std::fs::rename(env.path("budget.xlsx"), env.path("renamed.xlsx")).unwrap();
    let c = class_of(&env, "renamed.xlsx");
    assert_eq!(c["class"], "III");
    assert_eq!(c["source"]["kind"], "register");
    assert_eq!(c["blake3"], blake3::hash(b"draft budget").to_hex().as_str());
    env.write("renamed.xlsx", b"draft budget, edited");
    let c = class_of(&env, "renamed.xlsx");
    assert_eq!(c["class"], "I", "a changed file kept its label");
    assert_eq!(c["source"]["kind"], "default");
    // The register entry is plain JSON bound to the digest, ready for a signature beside it.
    let entry = env.home.join(format!(
        "labels/{}.json",
        blake3::hash(b"draft budget").to_hex()
    ));
    let j: serde_json::Value = serde_json::from_slice(&std::fs::read(entry).unwrap()).unwrap();
    assert_eq!(j["class"], "III");
    assert_eq!(j["size"], 12);
}

/// Staff may raise a class but never lower one (第2章1: the officer designates).
#[test]
fn unsigned_labels_only_raise() {
    let env = Env::new();
    env.write("m.txt", b"minutes");
    env.run(&["label", "m.txt", "--class", "II", "--store", "sidecar"])
        .ok();
    let r = env.run(&["label", "m.txt", "--class", "III"]);
    r.code(3);
    assert!(
        r.stderr.contains("情報責任者") && r.stderr.contains("may not lower"),
        "{}",
        r.stderr
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
    env.labelled("r.txt", "Ⅱ".as_bytes(), "Ⅱ");
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
