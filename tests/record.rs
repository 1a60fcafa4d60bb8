//! The transfer record: tampering is detected and named; crashes are survived.

mod common;

use common::*;
use okuri::base::digest::Blake3;
use okuri::record::{Head, verify_bytes};

/// A home whose record has `n` entries: a refusal first, then packs (two entries each:
/// prepared and packed), with refusals between them and to make up the count.
fn env_with_entries(n: usize) -> Env {
    let env = Env::new();
    let mut i = 0;
    while env.record_entries().len() < n {
        let left = n - env.record_entries().len();
        let class = if i % 2 == 1 && left >= 2 { "III" } else { "I" };
        let name = format!("f{i}.txt");
        env.labelled(&name, format!("content {i}").as_bytes(), class);
        env.pack(&name, "email", &["--purpose", "定例報告"]);
        i += 1;
    }
    assert_eq!(env.record_entries().len(), n);
    env
}

fn head_of(env: &Env) -> Option<Head> {
    let t = std::fs::read_to_string(env.home.join("record.head")).ok()?;
    let mut it = t.split_whitespace();
    Some(Head {
        seq: it.next()?.parse().ok()?,
        hash: it.next()?.parse().ok()?,
    })
}

fn verify(env: &Env) -> Run {
    env.run(&["record", "verify"])
}

#[test]
fn intact_record_verifies() {
    let env = env_with_entries(4);
    let r = verify(&env);
    r.ok();
    assert!(r.stdout.contains("record OK: 4 entries"), "{}", r.stdout);
    let j = env.run(&["record", "verify", "--json"]).ok().json();
    assert_eq!(j["entries"], 4);
    assert!(j["problem"].is_null());
}

/// Every single changed byte, in every field of every entry, is detected, and the entry it is
/// in is the one named.
#[test]
fn any_changed_byte_names_its_entry() {
    let env = env_with_entries(4);
    let bytes = std::fs::read(env.home.join("record.jsonl")).unwrap();
    let head = head_of(&env);
    assert!(verify_bytes(&bytes, head).ok());
    let mut starts = vec![0];
    starts.extend(
        bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .map(|(i, _)| i + 1),
    );
    let mut checked = 0;
    for i in 0..bytes.len() {
        if bytes[i] == b'\n' {
            continue;
        }
        let entry = starts.iter().filter(|s| **s <= i).count() as u64;
        let mut t = bytes.clone();
        t[i] = match bytes[i] {
            b'0'..=b'8' | b'a'..=b'y' | b'A'..=b'Y' => bytes[i] + 1,
            b'9' => b'0',
            b'z' => b'a',
            b'Z' => b'A',
            _ => b'X',
        };
        let v = verify_bytes(&t, head);
        let p = v
            .problem
            .unwrap_or_else(|| panic!("byte {i} of entry {entry} changed undetected"));
        assert_eq!(p.entry, entry, "byte {i}: {}", p.message);
        checked += 1;
    }
    assert!(checked > 1000);
}

#[test]
fn changed_field_through_the_cli() {
    let env = env_with_entries(4);
    let path = env.home.join("record.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    // An auditor-relevant edit: a refusal rewritten as a pack.
    let edited = text.replacen("\"outcome\":\"refused\"", "\"outcome\":\"packed\"", 1);
    assert_ne!(edited, text);
    std::fs::write(&path, edited).unwrap();
    let r = verify(&env);
    r.code(5);
    assert!(r.stderr.contains("entry 1 was altered"), "{}", r.stderr);
    // An append checks only what it extends (the last entries against the head), so that a
    // year of transfers does not make each one slower: an edit further back does not stop
    // it, and is not hidden by it either. `record verify` still names the same entry.
    env.labelled("more.txt", b"more", "III");
    env.pack("more.txt", "email", &[]).ok();
    let r = verify(&env);
    r.code(5);
    assert!(r.stderr.contains("entry 1 was altered"), "{}", r.stderr);
    // The end itself is what every append checks: an edited last entry stops every writer,
    // and nothing is written.
    let text = std::fs::read_to_string(&path).unwrap();
    let last = text.trim_end().rsplit('\n').next().unwrap().to_owned();
    let edited = text.replacen(
        &last,
        &last.replacen("\"outcome\":\"packed\"", "\"outcome\":\"aborted\"", 1),
        1,
    );
    assert_ne!(edited, text);
    std::fs::write(&path, &edited).unwrap();
    env.labelled("last.txt", b"last", "III");
    let r = env.pack("last.txt", "email", &[]);
    r.code(5);
    assert!(
        r.stderr.contains("no longer matches record.head"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        edited,
        "a writer touched a broken record"
    );
    assert!(
        env.files("out")
            .iter()
            .all(|p| !p.ends_with("last.txt.age"))
    );
    assert!(!env.path("slips/last.txt.slip.txt").exists());
}

#[test]
fn deleted_lines_are_detected() {
    for (victim, named) in [(0usize, 1u64), (1, 2), (2, 3)] {
        let env = env_with_entries(4);
        let path = env.home.join("record.jsonl");
        let mut lines: Vec<String> = std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect();
        lines.remove(victim);
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        let r = verify(&env);
        r.code(5);
        assert!(
            r.stderr.contains(&format!("at entry {named}")),
            "victim {victim}: {}",
            r.stderr
        );
    }
    // The last line: only the head shows it.
    let env = env_with_entries(4);
    let path = env.home.join("record.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let cut: Vec<&str> = text.lines().take(3).collect();
    std::fs::write(&path, cut.join("\n") + "\n").unwrap();
    let r = verify(&env);
    r.code(5);
    assert!(r.stderr.contains("cut short"), "{}", r.stderr);
}

#[test]
fn swapped_lines_are_detected() {
    let env = env_with_entries(4);
    let path = env.home.join("record.jsonl");
    let mut lines: Vec<String> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    lines.swap(1, 2);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let r = verify(&env);
    r.code(5);
    assert!(
        r.stderr.contains("at entry 2") && r.stderr.contains("reordered"),
        "{}",
        r.stderr
    );
}

/// A crash mid-append leaves a line without its newline: verify says so without failing,
/// the next pack sets it aside, and no earlier entry is lost.
#[test]
fn torn_last_line_is_handled() {
    let env = env_with_entries(3);
    let path = env.home.join("record.jsonl");
    let before = std::fs::read(&path).unwrap();
    let tail: &[u8] = br#"{"seq":4,"prev":"0123","at":"2026-11"#;
    let mut torn = before.clone();
    torn.extend_from_slice(tail);
    std::fs::write(&path, &torn).unwrap();
    let r = verify(&env);
    r.ok();
    assert!(r.stderr.contains("incomplete"), "{}", r.stderr);
    assert_eq!(
        env.run(&["record", "verify", "--json"]).ok().json()["torn_tail_bytes"],
        tail.len()
    );

    env.labelled("next.txt", b"next", "III");
    let p = env.pack("next.txt", "email", &[]);
    p.ok();
    assert!(p.stderr.contains("set aside"), "{}", p.stderr);
    let after = std::fs::read(&path).unwrap();
    assert!(after.starts_with(&before), "an earlier entry was lost");
    assert!(
        !after.windows(tail.len()).any(|w| w == tail),
        "the torn tail stayed in the record"
    );
    let entries = env.record_entries();
    assert_eq!(entries.len(), 5);
    assert_eq!(entries[4]["file"]["name"], "next.txt");
    verify(&env).ok();
    let aside: Vec<_> = std::fs::read_dir(&env.home)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("record.torn-"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(std::fs::read(aside[0].path()).unwrap(), tail);
}

/// Cutting into the last committed line is not a crash: the head knows it was complete.
#[test]
fn truncated_committed_line_is_tampering() {
    let env = env_with_entries(3);
    let path = env.home.join("record.jsonl");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() - 20]).unwrap();
    verify(&env).code(5);
    env.labelled("n.txt", b"n", "III");
    env.pack("n.txt", "email", &[]).code(5);
    assert!(
        std::fs::read(&path).unwrap() == bytes[..bytes.len() - 20],
        "a writer touched a broken record"
    );
}

/// A crash between the append and the head update (okuri killed there) leaves the head one
/// behind: accepted, and brought up to date by the next append.
#[test]
fn lagging_head_after_crash_is_repaired() {
    let env = env_with_entries(2);
    env.labelled("c.txt", b"c", "III");
    let killed = env
        .cmd()
        .env("OKURI_TEST_CRASH_AT", "record-line")
        .args(["pack", "c.txt", "--to", "X", "--channel", "email"])
        .args(["--out", "out", "--slip", "slips/c.txt"])
        .status()
        .unwrap();
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&killed),
        Some(9)
    );
    assert_eq!(head_of(&env).unwrap().seq, 2);
    assert_eq!(env.record_entries().len(), 3);
    let r = verify(&env);
    r.ok();
    assert!(r.stderr.contains("one entry behind"), "{}", r.stderr);
    env.labelled("d.txt", b"d", "III");
    env.pack("d.txt", "email", &[]).ok();
    // c.txt's transfer was prepared and never put in place: the next run records it aborted.
    let e = env.record_entries();
    assert_eq!(
        (e[2]["outcome"].as_str(), e[3]["outcome"].as_str()),
        (Some("prepared"), Some("aborted"))
    );
    assert_eq!(e[3]["transfer_id"], e[2]["transfer_id"]);
    assert_eq!(head_of(&env).unwrap().seq, 6);
    let r = verify(&env);
    r.ok();
    assert!(!r.stderr.contains("behind"));
}

/// The auditor's recipe in docs/record.md, with nothing but sed, grep and b3sum.
#[test]
fn chain_recomputes_with_b3sum() {
    let env = env_with_entries(5);
    let script = r#"
set -eu
f=record.jsonl
n=$(wc -l < "$f")
prev=0000000000000000000000000000000000000000000000000000000000000000
for i in $(seq 1 "$n"); do
  line=$(sed -n "${i}p" "$f")
  got=$(printf '%s' "$line" | grep -o '"prev":"[0-9a-f]*"' | head -n1 | cut -d'"' -f4)
  [ "$got" = "$prev" ] || { echo "entry $i: chain broken"; exit 1; }
  prev=$(sed -n "${i}p" "$f" | b3sum --no-names)
done
[ "$(cat record.head)" = "$n $prev" ] || { echo "head mismatch"; exit 1; }
echo "chain OK: $n entries"
"#;
    let run = |dir: &std::path::Path| {
        std::process::Command::new("bash")
            .arg("-c")
            .arg(script)
            .current_dir(dir)
            .output()
            .expect("bash")
    };
    let o = run(&env.home);
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("chain OK: 5 entries"));
    // The same recipe catches an edit.
    let path = env.home.join("record.jsonl");
    let t = std::fs::read_to_string(&path)
        .unwrap()
        .replacen("定例報告", "臨時報告", 1);
    std::fs::write(&path, t).unwrap();
    assert!(!run(&env.home).status.success());
    // And the hash is of the line with its newline, as documented.
    let line1 = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_owned()
        + "\n";
    assert_eq!(Blake3::of(line1.as_bytes()).to_hex().len(), 64);
}

/// Several okuri processes at once: the lock keeps one writer, the chain stays whole.
#[test]
fn concurrent_packs_keep_the_chain() {
    let env = Env::new();
    let mut children = Vec::new();
    for i in 0..8 {
        let name = format!("p{i}.txt");
        env.labelled(&name, format!("parallel {i}").as_bytes(), "III");
        let slip = format!("slips/{name}.slip");
        children.push(
            env.cmd()
                .args([
                    "pack",
                    &name,
                    "--to",
                    "X",
                    "--channel",
                    "email",
                    "--out",
                    "out",
                    "--slip",
                    &slip,
                ])
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap(),
        );
    }
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    // Eight transfers, each prepared and packed.
    let e = env.record_entries();
    assert_eq!(e.len(), 16);
    let seqs: Vec<u64> = e.iter().map(|x| x["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=16).collect::<Vec<_>>());
    let packed = e.iter().filter(|x| x["outcome"] == "packed").count();
    assert_eq!(packed, 8);
    verify(&env).ok();
}

#[test]
fn record_show_lists_entries() {
    let env = env_with_entries(3);
    let s = env.run(&["record", "show"]).ok().stdout.clone();
    assert!(
        s.contains("packed") && s.contains("refused") && s.contains("f1.txt.age"),
        "{s}"
    );
    let j = env.run(&["record", "show", "--json"]).ok().json();
    assert_eq!(j.as_array().unwrap().len(), 3);
    // Format 2: the refusal as facts, no prose in any language.
    let reason = &j[0]["reason"];
    assert_eq!(j[0]["format"], 4);
    assert_eq!(reason["code"], "channel-forbidden");
    assert_eq!(reason["class"], "I");
    assert_eq!(reason["channel"], "email");
    assert_eq!(reason["rule"], "policy-class-I");
    assert_eq!(reason["message"]["id"], "refusal-channel-forbidden");
    assert_eq!(reason["message"]["args"]["class"], "I");
    assert!(
        reason.get("ja").is_none() && reason.get("en").is_none(),
        "{reason}"
    );
    let line = env.record_text().lines().next().unwrap().to_owned();
    assert!(
        !line.contains("重要性分類") && !line.contains("may not"),
        "{line}"
    );
    // Rendered in the reader's language.
    for (lang, words) in [
        ("en", "may not be sent by e-mail"),
        ("ja", "電子メールで送ることはできません"),
    ] {
        let s = env
            .run(&["--lang", lang, "record", "show"])
            .ok()
            .stdout
            .clone();
        assert!(s.contains(words), "{lang}: {s}");
    }
}

/// A record written before messages moved to Fluent files (entry format 1: no `format`
/// field, reasons as `{code, ja, en}`, a denial as a reason with code `denied`) still
/// verifies and shows, in the reader's language, and new entries append to it.
#[test]
fn format_1_records_still_verify_and_show() {
    let env = Env::new();
    let reason = r#"{"code":"channel-forbidden","ja":"重要性分類Ⅰの情報資産は電子メール(email)で送ることはできません。","en":"Class I (重要性分類Ⅰ) files may not be sent by e-mail (email)."}"#;
    // The second is a refusal of a forged token, recorded with the forger's ids as they were:
    // today's types would refuse them, and the record must still verify and show.
    let bodies = [
        format!(
            r#""event":"transfer","at":"2026-11-01T09:00:00+09:00","outcome":"refused","transfer_id":"20261101-0000-0001","sender":{{"name":"山田 太郎","department":"総務課"}},"user":"yamada","host":"pc1","file":{{"name":"a.csv","path":"/tmp/a.csv","size":3,"blake3":"{z}"}},"class":"I","class_source":"default","recipient":"X","recipient_id":null,"contract":null,"channel":"email","purpose":null,"legal_basis":null,"policy":"{z}","approval":null,"medium":null,"package":null,"slip":null,"reason":{reason}"#,
            z = "0".repeat(64)
        ),
        format!(
            r#""event":"transfer","at":"2026-11-01T09:05:00+09:00","outcome":"refused","transfer_id":"20261101-0000-0002","sender":{{"name":"山田 太郎","department":"総務課"}},"user":"yamada","host":"pc1","file":{{"name":"a.csv","path":"/tmp/a.csv","size":3,"blake3":"{z}"}},"class":"II","class_source":"designation","recipient":"X","recipient_id":null,"contract":null,"channel":"email","purpose":null,"legal_basis":null,"policy":"{z}","approval":{{"token_id":"tok-forged","request_id":"req-x","issuer":"not an id!","key":"SHA256:x","expires_at":"soon"}},"medium":null,"package":null,"slip":null,"reason":{{"code":"token-forged","ja":"署名が正しくありません","en":"The approval token's signature does not hold"}}"#,
            z = "0".repeat(64)
        ),
    ];
    let mut text = String::new();
    let mut prev = "0".repeat(64);
    for (i, b) in bodies.iter().enumerate() {
        let line = format!("{{\"seq\":{},\"prev\":\"{prev}\",{b}}}\n", i + 1);
        prev = blake3::hash(line.as_bytes()).to_hex().to_string();
        text.push_str(&line);
    }
    std::fs::write(env.home.join("record.jsonl"), &text).unwrap();
    std::fs::write(env.home.join("record.head"), format!("2 {prev}\n")).unwrap();
    env.run(&["record", "verify"]).ok();
    let en = env
        .run(&["--lang", "en", "record", "show"])
        .ok()
        .stdout
        .clone();
    assert!(
        en.contains("[channel-forbidden] Class I (重要性分類Ⅰ) files may not be sent"),
        "{en}"
    );
    let ja = env
        .run(&["--lang", "ja", "record", "show"])
        .ok()
        .stdout
        .clone();
    assert!(
        ja.contains("[channel-forbidden] 重要性分類Ⅰの情報資産は電子メール"),
        "{ja}"
    );
    let j = env.run(&["record", "show", "--json"]).ok().json();
    assert_eq!(j[0]["format"], 1);
    assert_eq!(
        j[0]["reason"]["en"],
        "Class I (重要性分類Ⅰ) files may not be sent by e-mail (email)."
    );
    assert!(en.contains("tok-forged"), "{en}");
    assert_eq!(j[1]["approval"]["issuer"], "not an id!");
    // A new entry (format 3) extends the old chain.
    env.write("b.txt", b"b");
    env.pack("b.txt", "email", &[]).code(3);
    env.run(&["record", "verify"]).ok();
    assert_eq!(env.record_entries()[2]["format"], 4);
}

/// A packed entry that today's types do not read (written by another version of okuri) still
/// counts for single use: the token it names is used, never free again.
#[test]
fn an_entry_okuri_cannot_type_still_uses_its_token() {
    let env = Env::new();
    env.labelled("memo.txt", b"memo", "II");
    let token = env.approved("memo.txt", "kameoka-print", "email", &[]);
    let t = okuri::signed::approval::Token::load(&env.path(&token)).unwrap();
    let z = "0".repeat(64);
    // A packed transfer under this token, whose issuer is not an id today's okuri accepts.
    let body = format!(
        r#""event":"transfer","at":"2026-11-01T09:05:00+09:00","outcome":"packed","transfer_id":"20261101-0000-0002","sender":{{"name":"山田 太郎","department":"総務課"}},"user":"yamada","host":"pc1","file":{{"name":"memo.txt","path":"/tmp/memo.txt","size":4,"blake3":"{z}"}},"class":"II","class_source":"designation","recipient":"株式会社亀岡印刷","recipient_id":"kameoka-print","contract":null,"channel":"email","purpose":null,"legal_basis":null,"policy":"{z}","approval":{{"token_id":"{tok}","request_id":"req-x","issuer":"not an id!","key":"SHA256:x","expires_at":"soon"}},"medium":null,"package":null,"slip":"terminal","reason":null"#,
        tok = t.payload.token_id
    );
    let line = format!("{{\"seq\":1,\"prev\":\"{z}\",{body}}}\n");
    let hash = blake3::hash(line.as_bytes()).to_hex().to_string();
    std::fs::write(env.home.join("record.jsonl"), &line).unwrap();
    std::fs::write(env.home.join("record.head"), format!("1 {hash}\n")).unwrap();
    env.run(&["record", "verify"]).ok();
    let r = env.pack_to(
        "memo.txt",
        "kameoka-print",
        "email",
        &["--approval", &token],
    );
    env.refused(&r, "token-reused");
    assert!(env.files("out").is_empty() && env.files("slips").is_empty());
}

/// What a later run must find, whatever happened before: every prepared transfer has exactly
/// one outcome; a packed one's package (with its digest) and slip are on disk; an aborted
/// one's are not; no file in `out/` is unrecorded; no temporary file is left; the chain holds.
fn assert_record_agrees_with_disk(env: &Env, home: &std::path::Path, dirs: &[std::path::PathBuf]) {
    let text = std::fs::read_to_string(home.join("record.jsonl")).unwrap();
    let entries: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let transfers: Vec<&serde_json::Value> = entries
        .iter()
        .filter(|e| e["event"] == "transfer")
        .collect();
    let mut recorded = Vec::new();
    for p in transfers.iter().filter(|e| e["outcome"] == "prepared") {
        let outcomes: Vec<&&serde_json::Value> = transfers
            .iter()
            .filter(|e| {
                e["transfer_id"] == p["transfer_id"]
                    && (e["outcome"] == "packed" || e["outcome"] == "aborted")
            })
            .collect();
        assert_eq!(outcomes.len(), 1, "{}: {outcomes:?}", p["transfer_id"]);
        let o = outcomes[0];
        let pkg = std::path::PathBuf::from(o["package"]["path"].as_str().unwrap());
        let slip = std::path::PathBuf::from(o["slip"].as_str().unwrap());
        if o["outcome"] == "packed" {
            let bytes = std::fs::read(&pkg).expect("a packed transfer's package is on disk");
            assert_eq!(
                o["package"]["blake3"],
                blake3::hash(&bytes).to_hex().as_str()
            );
            assert!(slip.is_file(), "a packed transfer's slip is on disk");
            recorded.push(pkg);
        } else {
            assert!(!pkg.exists(), "an aborted transfer's package is on disk");
            assert!(!slip.exists(), "an aborted transfer's slip is on disk");
        }
    }
    for dir in dirs.iter().chain([&home.to_path_buf()]) {
        for f in std::fs::read_dir(dir).unwrap().flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            assert!(!name.ends_with(".part"), "temporary file left: {name}");
        }
    }
    for f in std::fs::read_dir(&dirs[0]).unwrap().flatten() {
        assert!(
            recorded.contains(&f.path()),
            "unrecorded output {}",
            f.path().display()
        );
    }
    let r: Run = env
        .cmd()
        .env("OKURI_HOME", home)
        .args(["record", "verify"])
        .output()
        .unwrap()
        .into();
    r.ok();
}

/// Issue 9, point 2: a package or slip could be under its final name with no record entry
/// (a crash), or a record could say `packed` for a package that was then removed. The transfer
/// is now two-phase (prepared, outputs in place, packed or aborted), and the next run
/// reconciles a prepared transfer from the disk. okuri is killed (SIGKILL) at each step.
#[test]
fn a_transfer_killed_at_any_step_is_reconciled_by_the_next_run() {
    for (step, outcome) in [
        ("encrypted", None),
        ("prepared", Some("aborted")),
        ("record-line", Some("aborted")),
        ("slip", Some("aborted")),
        ("package", Some("packed")),
        ("packed", Some("packed")),
    ] {
        let env = Env::new();
        env.labelled("a.txt", b"first", "III");
        env.labelled("b.txt", b"second", "III");
        std::fs::create_dir_all(env.path("out")).unwrap();
        std::fs::create_dir_all(env.path("slips")).unwrap();
        let pack = |file: &str, crash: Option<&str>| {
            let mut c = env.pack_by_hand_cmd(file, &format!("slips/{file}"));
            if let Some(s) = crash {
                c.env("OKURI_TEST_CRASH_AT", s);
            }
            c.output().unwrap()
        };
        let killed = pack("a.txt", Some(step));
        assert_eq!(
            std::os::unix::process::ExitStatusExt::signal(&killed.status),
            Some(9),
            "{step}: not killed"
        );
        // A later run: a temporary file is only taken for a dead run's once it is a second old.
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let next = pack("b.txt", None);
        assert!(
            next.status.success(),
            "{step}: {}",
            String::from_utf8_lossy(&next.stderr)
        );
        let said = String::from_utf8_lossy(&next.stderr);
        let e = env.record_entries();
        let of_a: Vec<&str> = e
            .iter()
            .filter(|x| x["file"]["name"] == "a.txt")
            .map(|x| x["outcome"].as_str().unwrap())
            .collect();
        match outcome {
            None => assert!(of_a.is_empty(), "{step}: {of_a:?}"),
            Some(o) => {
                assert_eq!(of_a, ["prepared", o], "{step}");
                if step != "packed" {
                    // Reconciled by the next run, which says so.
                    let last_a = e.iter().rfind(|x| x["file"]["name"] == "a.txt").unwrap();
                    assert!(
                        last_a["detail"]["id"]
                            .as_str()
                            .is_some_and(|id| id.starts_with("record-reconciled-")),
                        "{step}: {last_a}"
                    );
                    assert!(said.contains("interrupted"), "{step}: {said}");
                }
            }
        }
        assert_record_agrees_with_disk(&env, &env.home, &[env.path("out"), env.path("slips")]);
        if step == "encrypted" {
            assert!(
                said.contains(".okuri.part"),
                "{step}: the .part was not swept: {said}"
            );
        }
    }
}

/// A tmpfs mounted for one test, unmounted when dropped.
struct Tmpfs(std::path::PathBuf);

impl Tmpfs {
    fn mount(at: std::path::PathBuf, size: &str) -> Tmpfs {
        std::fs::create_dir_all(&at).unwrap();
        let s = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&at)
            .status()
            .expect("run mount");
        assert!(
            s.success(),
            "this test mounts a tmpfs and needs root to do it"
        );
        Tmpfs(at)
    }

    fn free(&self) -> u64 {
        let s = rustix::fs::statvfs(&self.0).unwrap();
        s.f_bavail * s.f_frsize
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
    }
}

/// Issue 9, point 2, the other half: the disk fills at each write of a transfer in turn (a
/// small tmpfs, filled to within k pages). Whatever fails, the record and the disk agree once
/// the next run has had room to reconcile.
#[test]
fn a_disk_that_fills_at_any_write_never_leaves_the_record_and_disk_apart() {
    let env = Env::new();
    let fs = Tmpfs::mount(env.path("small"), "2m");
    let home = fs.0.join("home");
    assert!(
        std::process::Command::new("cp")
            .arg("-a")
            .arg(&env.home)
            .arg(&home)
            .status()
            .unwrap()
            .success()
    );
    let (out, slips) = (fs.0.join("out"), fs.0.join("slips"));
    std::fs::create_dir_all(&out).unwrap();
    std::fs::create_dir_all(&slips).unwrap();
    let pack = |file: &str| {
        env.cmd()
            .env("OKURI_HOME", &home)
            .args(["pack", file, "--to", "X", "--channel", "hand", "--out"])
            .arg(&out)
            .arg("--slip")
            .arg(slips.join(file))
            .output()
            .unwrap()
    };
    let mut failed = 0;
    for k in 0..12u64 {
        let file = format!("f{k}.txt");
        env.labelled(&file, &vec![b'x'; 3000], "III");
        let filler = fs.0.join("filler");
        let room = k * 4096;
        std::fs::write(
            &filler,
            vec![0u8; (fs.free().saturating_sub(room)) as usize],
        )
        .unwrap();
        let r = pack(&file);
        let said = String::from_utf8_lossy(&r.stderr).into_owned();
        assert!(!said.contains("panicked"), "{said}");
        if !r.status.success() {
            failed += 1;
            assert_eq!(r.status.code(), Some(1), "k={k}: {said}");
        }
        std::fs::remove_file(&filler).unwrap();
        // The next run, with room again.
        let next = format!("n{k}.txt");
        env.labelled(&next, b"next", "III");
        let n = pack(&next);
        assert!(
            n.status.success(),
            "k={k}: {}",
            String::from_utf8_lossy(&n.stderr)
        );
        assert_record_agrees_with_disk(&env, &home, &[out.clone(), slips.clone()]);
    }
    // The sweep of k covered failures at several writes (here: the package, the slip, the
    // record's line; then the head, which the entry survives) and successes.
    assert!((3..12).contains(&failed), "{failed} of 12 failed");
}

/// A record that holds an entry of a later format than this okuri knows is read and verified,
/// never appended to: an older okuri could misread it (for example, not count the token of a
/// `prepared` transfer as spent).
#[test]
fn a_record_of_a_newer_format_is_verified_but_not_appended_to() {
    let env = env_with_entries(1);
    let path = env.home.join("record.jsonl");
    let mut bytes = std::fs::read(&path).unwrap();
    let prev = blake3::hash(&bytes).to_hex().to_string();
    let line = format!(
        "{{\"seq\":2,\"prev\":\"{prev}\",\"format\":99,\"event\":\"transfer\",\"at\":\"2030-01-01T00:00:00+09:00\",\"outcome\":\"teleported\"}}\n"
    );
    bytes.extend_from_slice(line.as_bytes());
    std::fs::write(&path, &bytes).unwrap();
    let hash = blake3::hash(line.as_bytes()).to_hex().to_string();
    std::fs::write(env.home.join("record.head"), format!("2 {hash}\n")).unwrap();
    verify(&env).ok();
    env.labelled("n.txt", b"n", "III");
    let r = env.pack("n.txt", "email", &[]);
    r.code(4).says("en", "record-newer-format");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes,
        "a newer record was appended to"
    );
    assert!(env.files("out").is_empty());
}

/// A head that names an impossible entry (the largest number there is) beside an empty or a
/// short record is tampering, reported, never a crash (an overflow once panicked here).
#[test]
fn an_absurd_head_is_tampering_not_a_crash() {
    let env = env_with_entries(1);
    for head in [
        format!("{} {}\n", u64::MAX, "0".repeat(64)),
        format!("{} {}\n", u64::MAX - 1, "0".repeat(64)),
    ] {
        std::fs::write(env.home.join("record.head"), &head).unwrap();
        let r = verify(&env);
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
        r.code(5);
    }
}

/// The sweep of stale temporary files never blocks on a FIFO dressed as one, and leaves
/// alone what is not a regular file of this user's.
#[test]
fn the_sweep_never_blocks_on_a_fifo_or_follows_a_link() {
    let env = Env::new();
    env.labelled("a.txt", b"a", "III");
    std::fs::create_dir_all(env.path("out")).unwrap();
    std::fs::create_dir_all(env.path("slips")).unwrap();
    let fifo = env.path("out/.trap.okuri.part");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let target = env.path("precious.txt");
    std::fs::write(&target, b"keep me").unwrap();
    std::os::unix::fs::symlink(&target, env.path("out/.link.okuri.part")).unwrap();
    // Old enough to be taken for a dead run's, were they regular files.
    for f in [&fifo, &env.path("out/.link.okuri.part")] {
        let s = std::process::Command::new("touch")
            .args(["-h", "-d", "@0"])
            .arg(f)
            .status();
        assert!(s.unwrap().success());
    }
    let mut child = env
        .pack_by_hand_cmd("a.txt", "slips/a")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut done = None;
    for _ in 0..200 {
        if let Some(s) = child.try_wait().unwrap() {
            done = Some(s);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    if done.is_none() {
        let _ = child.kill();
    }
    assert!(
        done.is_some_and(|s| s.success()),
        "pack hung on a FIFO or failed"
    );
    assert!(fifo.exists() && env.path("out/.link.okuri.part").exists());
    assert_eq!(std::fs::read(&target).unwrap(), b"keep me");
}

/// `record verify --witness` where no approval service is named says so, rather than asking
/// for a key that would not help.
#[test]
fn witness_without_a_service_says_there_is_none() {
    let env = Env::new();
    for lang in ["en", "ja"] {
        let r = env.run(&["--lang", lang, "record", "verify", "--witness"]);
        r.code(2);
        r.says(lang, "cli-needs-service");
        r.says(lang, "hint-cli-needs-service");
    }
}

/// A transfer whose output directory is gone when the next runs come (a medium that is not
/// mounted) stays open through later appends, and is reconciled once the directory is back:
/// remembered by `record.index`, and found again by reading the record when the index is
/// deleted or names a line that is not that transfer's `prepared` entry.
#[test]
fn an_open_transfer_is_remembered_across_appends_until_its_directory_is_back() {
    for index in ["kept", "deleted", "forged", "garbage", "twice"] {
        let env = Env::new();
        env.labelled("a.txt", b"first", "III");
        std::fs::create_dir_all(env.path("medium")).unwrap();
        std::fs::create_dir_all(env.path("slips")).unwrap();
        let killed = env
            .cmd()
            .env("OKURI_TEST_CRASH_AT", "prepared")
            .args(["pack", "a.txt", "--to", "X", "--channel", "email"])
            .args(["--out", "medium", "--slip", "slips/a.txt"])
            .status()
            .unwrap();
        assert_eq!(
            std::os::unix::process::ExitStatusExt::signal(&killed),
            Some(9)
        );
        std::fs::rename(env.path("medium"), env.path("away")).unwrap();
        let of_a = |env: &Env| -> Vec<String> {
            env.record_entries()
                .iter()
                .filter(|x| x["file"]["name"] == "a.txt")
                .map(|x| x["outcome"].as_str().unwrap().to_owned())
                .collect()
        };
        for i in 0..3 {
            let name = format!("b{i}.txt");
            env.labelled(&name, format!("b{i}").as_bytes(), "III");
            env.pack(&name, "email", &[]).ok();
        }
        assert_eq!(of_a(&env), ["prepared"], "{index}");
        let index_path = env.home.join("record.index");
        let stored: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&index_path).unwrap()).unwrap();
        assert_eq!(stored["open"][0]["seq"], 1, "{index}: {stored}");
        match index {
            "deleted" => std::fs::remove_file(&index_path).unwrap(),
            "forged" => {
                // The open transfer moved to another line: not believed.
                let mut s = stored.clone();
                s["open"][0]["offset"] = serde_json::json!(3);
                std::fs::write(&index_path, s.to_string()).unwrap();
            }
            "garbage" => std::fs::write(&index_path, b"\xff\x00{").unwrap(),
            "twice" => {
                // The same open transfer named twice: settled once, not twice.
                let mut s = stored.clone();
                s["open"] = serde_json::json!([stored["open"][0], stored["open"][0]]);
                std::fs::write(&index_path, s.to_string()).unwrap();
            }
            _ => {}
        }
        std::fs::rename(env.path("away"), env.path("medium")).unwrap();
        env.labelled("c.txt", b"c", "III");
        env.pack("c.txt", "email", &[]).ok();
        assert_eq!(of_a(&env), ["prepared", "aborted"], "{index}");
        verify(&env).ok();
        // The index is written again, and says nothing is open.
        let now: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&index_path).unwrap()).unwrap();
        assert_eq!(now["open"], serde_json::json!([]), "{index}");
        // An index that names the finished transfer as open again (its `prepared` line is
        // still where it says) is not believed: it is not settled a second time.
        let mut forged = now.clone();
        forged["open"] = serde_json::json!([stored["open"][0]]);
        std::fs::write(&index_path, forged.to_string()).unwrap();
        env.labelled("d.txt", b"d", "III");
        env.pack("d.txt", "email", &[]).ok();
        assert_eq!(
            of_a(&env),
            ["prepared", "aborted"],
            "{index}: settled twice"
        );
        verify(&env).ok();
    }
}

/// A record whose end claims the largest entry number there is cannot be extended: the
/// writer says so (exit 5) instead of overflowing, and writes nothing.
#[test]
fn a_record_at_the_largest_number_is_refused_not_overflowed() {
    let env = env_with_entries(1);
    let path = env.home.join("record.jsonl");
    let first = std::fs::read_to_string(&path).unwrap();
    let rest = first[first.find("\"prev\":\"").unwrap() + 8 + 64 + 1..].to_owned();
    let mut text = first.clone();
    let mut prev = blake3::hash(first.as_bytes()).to_hex().to_string();
    for seq in [u64::MAX - 1, u64::MAX] {
        let line = format!("{{\"seq\":{seq},\"prev\":\"{prev}\"{rest}");
        prev = blake3::hash(line.as_bytes()).to_hex().to_string();
        text.push_str(&line);
    }
    std::fs::write(&path, &text).unwrap();
    std::fs::write(
        env.home.join("record.head"),
        format!("{} {prev}\n", u64::MAX),
    )
    .unwrap();
    env.labelled("n.txt", b"n", "III");
    let r = env.pack("n.txt", "email", &[]);
    r.code(5);
    assert!(r.stderr.contains("largest entry number"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    // `record verify` names where the numbering breaks.
    let v = verify(&env);
    v.code(5);
    assert!(v.stderr.contains("line 2 holds entry"), "{}", v.stderr);
}

/// An entry written by hand to look older than the one above it (which would end the search
/// for a token's earlier use before it got there) is chained and accepted, but `record verify`
/// points it out, by number, in its text and its JSON.
#[test]
fn an_entry_dated_before_the_one_above_it_is_pointed_out_by_verify() {
    let env = env_with_entries(2);
    verify(&env).ok();
    let path = env.home.join("record.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let last = text.lines().last().unwrap().to_owned();
    let at_start = last.find("\"at\":\"").unwrap() + 6;
    let at_end = at_start + last[at_start..].find('"').unwrap();
    let rest = &last[last.find("\"prev\":\"").unwrap() + 8 + 64 + 1..];
    let rest = rest.replacen(&last[at_start..at_end], "2001-01-01T00:00:00+09:00", 1);
    let prev = blake3::hash(format!("{last}\n").as_bytes())
        .to_hex()
        .to_string();
    let line = format!("{{\"seq\":3,\"prev\":\"{prev}\"{rest}\n");
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    std::io::Write::write_all(&mut f, line.as_bytes()).unwrap();
    let hash = blake3::hash(line.as_bytes()).to_hex().to_string();
    std::fs::write(env.home.join("record.head"), format!("3 {hash}\n")).unwrap();
    let r = verify(&env);
    r.ok();
    assert!(
        r.stderr.contains("entry 3 is dated more than five minutes"),
        "{}",
        r.stderr
    );
    let j = env.run(&["record", "verify", "--json"]).ok().json();
    assert_eq!(j["out_of_order"], 3);
}
