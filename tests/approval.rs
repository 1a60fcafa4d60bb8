//! Custodian approval end to end: requests, tokens, every refusal pack must make, Go age
//! decrypting the approved packages, and stock `ssh-keygen -Y verify` checking the tokens.

mod common;
// Only the hand-made token is needed here.
#[allow(dead_code)]
#[path = "support/synthetic.rs"]
mod synthetic;

use std::path::Path;
use std::process::Command;

use common::*;

const NS: &str = "okuri-approval@city.kameoka.kyoto.jp";

/// Runs okuri as the staff member with extra environment.
fn staff(env: &Env, envs: &[(&str, &str)], args: &[&str]) -> Run {
    let mut c = env.cmd();
    for (k, v) in envs {
        c.env(k, v);
    }
    c.args(args).output().unwrap().into()
}

/// `OKURI_TEST_NOW` for a time `hours` from now (negative: in the past).
fn now_plus(hours: i64) -> String {
    let t = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(hours);
    t.to_zoned_datetime(jiff::tz::TimeZone::UTC).to_string()
}

/// Packs `file` with `token` and asserts the refusal `code`: exit 3, its message as the
/// `.ftl` files word it (in the Env's language on stderr, in the other from the record), one
/// refused record entry naming the token, and nothing else left behind.
fn assert_refused(env: &Env, r: &Run, code: &str) {
    env.refused(r, code);
    let last = env.record_entries().pop().expect("a record entry");
    assert_eq!(last["event"], "transfer");
    assert_eq!(last["outcome"], "refused");
    assert_eq!(last["reason"]["code"], code, "{}", r.stderr);
    assert!(env.files("out").is_empty(), "a package was left behind");
    assert!(env.files("slips").is_empty(), "a slip was left behind");
}

/// `okuri token verify TOKEN --file FILE --json` for a token pack would refuse: asserts exit 3
/// and `accepted: false`, and returns the names of the checks that failed.
fn failed_checks(env: &Env, token: &str, file: &str) -> Vec<String> {
    let r = env.run(&["token", "verify", token, "--file", file, "--json"]);
    r.code(3);
    let j = r.json();
    assert_eq!(j["accepted"], false, "{j}");
    j["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["ok"] == false)
        .map(|c| c["check"].as_str().unwrap().to_owned())
        .collect()
}

fn pack_with(
    env: &Env,
    file: &str,
    to: &str,
    channel: &str,
    token: &str,
    envs: &[(&str, &str)],
) -> Run {
    let slip = format!("slips/{file}.slip");
    staff(
        env,
        envs,
        &[
            "pack",
            file,
            "--to",
            to,
            "--channel",
            channel,
            "--approval",
            token,
            "--out",
            "out",
            "--slip",
            &slip,
            "--json",
        ],
    )
}

/// A policy the custodian's machine might wrongly hold: the real one with `trust` appended.
fn variant(env: &Env, name: &str, text: String) -> String {
    env.write(name, text.as_bytes());
    env.path(name).display().to_string()
}

/// A request and approval made under another policy (a custodian's outdated or tampered one).
fn approved_under(env: &Env, policy: &str, file: &str, who: &str, envs: &[(&str, &str)]) -> String {
    let mut e = vec![("OKURI_POLICY", policy)];
    e.extend_from_slice(envs);
    let req = format!("reqs/{file}.{who}.req");
    std::fs::create_dir_all(env.path("reqs")).unwrap();
    staff(
        env,
        &e,
        &[
            "request",
            file,
            "--to",
            "kameoka-print",
            "--channel",
            "email",
            "--purpose",
            "委託業務",
            "--out",
            &req,
        ],
    )
    .ok();
    let (r, token) = env.approve(&req, who, &[], &e);
    r.ok();
    token
}

/// Re-signs a token's payload after `edit`, with `who`'s key: what a forger holding a key
/// could make. Returns the new token's path.
fn resign(
    env: &Env,
    token: &str,
    who: &str,
    edit: impl FnOnce(&mut okuri::signed::approval::TokenPayload),
) -> String {
    let t = okuri::signed::approval::Token::load(&env.path(token)).unwrap();
    let mut p = t.payload.clone();
    edit(&mut p);
    let f = Fixture::get();
    let key = f.signing_key(who);
    p.issuer.key = key.fingerprint.clone();
    let bytes = okuri::signed::payload_bytes(&p);
    let sig = key.sign(NS, &bytes).unwrap();
    let out = format!("{token}.resigned");
    std::fs::write(
        env.path(&out),
        okuri::signed::Signed {
            payload: bytes,
            sig,
        }
        .render(),
    )
    .unwrap();
    out
}

#[test]
fn class_ii_by_email_end_to_end_with_go_age() {
    let env = Env::interop();
    env.labelled("選定メモ.txt", "業者選定の内部検討資料\n".as_bytes(), "II");
    let (r, req) = env.request("選定メモ.txt", "kameoka-print", "email", &[]);
    r.ok();
    assert!(r.stdout.contains("req-"), "{}", r.stdout);
    let (r, token) = env.approve(&req, "suzuki.hanako", &["--expires", "24h"], &[]);
    r.ok();
    let j = pack_with(&env, "選定メモ.txt", "kameoka-print", "email", &token, &[])
        .ok()
        .json();
    assert_eq!(j["class"], "II");
    assert_eq!(j["recipient"], "株式会社亀岡印刷");
    assert_eq!(j["recipient_id"], "kameoka-print");
    assert_eq!(j["approval"]["issuer"], "suzuki.hanako");
    let slip = std::fs::read_to_string(j["slip"].as_str().unwrap()).unwrap();
    assert!(
        slip.contains("送付先 / Deliver to: 電話 (phone) / 印刷 太郎 / TEL 0771-22-0000"),
        "{slip}"
    );
    let (code, out) = age_decrypt(
        &passphrase_from_slip(&slip),
        Path::new(j["package"]["path"].as_str().unwrap()),
        &env.path("recipient.txt"),
    );
    assert_eq!(code, 0, "age: {out}");
    assert_eq!(
        std::fs::read_to_string(env.path("recipient.txt")).unwrap(),
        "業者選定の内部検討資料\n"
    );
    // Each side's record has its part: the request and the approved transfer, the decision.
    // (the transfer in two phases: prepared, then packed; docs/record.md)
    let e = env.record_entries();
    assert_eq!(e.len(), 3);
    assert_eq!(
        (e[0]["event"].as_str(), e[0]["outcome"].as_str()),
        (Some("request"), Some("requested"))
    );
    assert_eq!(e[1]["outcome"], "prepared");
    assert_eq!(e[1]["transfer_id"], e[2]["transfer_id"]);
    assert_eq!(e[2]["outcome"], "packed");
    assert_eq!(e[2]["approval"]["token_id"], j["approval"]["token_id"]);
    assert_eq!(e[2]["contract"], "亀総契第2026-0123号");
    let custodian_record =
        std::fs::read_to_string(env.path("custodian-suzuki.hanako/record.jsonl")).unwrap();
    assert!(custodian_record.contains("\"outcome\":\"approved\""));
    assert!(custodian_record.contains(j["approval"]["token_id"].as_str().unwrap()));
    // Both records still verify.
    env.run(&["record", "verify"]).ok();
}

#[test]
fn class_i_over_lgwan_with_legal_basis_end_to_end_with_go_age() {
    let env = Env::interop();
    env.labelled(
        "課税台帳抜粋.csv",
        "氏名,税額\n亀岡 一郎,123400\n".as_bytes(),
        "I",
    );
    let (r, req) = env.request(
        "課税台帳抜粋.csv",
        "kyoto-pref",
        "lgwan",
        &["--legal-basis", "地方税法第22条の2"],
    );
    r.ok();
    let (r, token) = env.approve(&req, "suzuki.hanako", &[], &[]);
    r.ok();
    // The legal basis comes from the approval; pack needs no --legal-basis.
    let j = pack_with(&env, "課税台帳抜粋.csv", "kyoto-pref", "lgwan", &token, &[])
        .ok()
        .json();
    assert_eq!(j["class"], "I");
    let e = env.record_entries();
    assert_eq!(e.last().unwrap()["legal_basis"], "地方税法第22条の2");
    let slip = std::fs::read_to_string(j["slip"].as_str().unwrap()).unwrap();
    assert!(slip.contains("FAX 075-000-0000"), "{slip}");
    let (code, out) = age_decrypt(
        &passphrase_from_slip(&slip),
        Path::new(j["package"]["path"].as_str().unwrap()),
        &env.path("府.csv"),
    );
    assert_eq!(code, 0, "age: {out}");
    assert_eq!(
        std::fs::read(env.path("府.csv")).unwrap(),
        "氏名,税額\n亀岡 一郎,123400\n".as_bytes()
    );
}

/// Splits a token as docs/approval.md tells an auditor to, and runs stock ssh-keygen with the
/// Env's allowed_signers.
fn ssh_keygen_verify(env: &Env, token: &Path, principal: &str) -> (bool, String) {
    ssh_keygen_verify_token(env, token, &env.path("allowed_signers"), principal, NS)
}

#[test]
fn tokens_verify_with_stock_ssh_keygen() {
    let env = Env::new();
    env.labelled("a.txt", b"a", "II");
    let token = env.approved("a.txt", "kameoka-print", "email", &[]);
    env.run(&[
        "policy",
        "allowed-signers",
        "--out",
        "allowed_signers",
        "--revoked",
        "revoked_keys",
    ])
    .ok();
    let signers = std::fs::read_to_string(env.path("allowed_signers")).unwrap();
    assert!(
        signers.contains(&format!("suzuki.hanako namespaces=\"{NS}")),
        "{signers}"
    );
    assert!(
        signers.contains("valid-after=\"20251231150000Z\""),
        "{signers}"
    );
    assert!(
        !signers.contains("ito.revoked"),
        "a revoked key is trusted:\n{signers}"
    );
    let (ok, out) = ssh_keygen_verify(&env, &env.path(&token), "suzuki.hanako");
    assert!(ok, "{out}");
    assert!(
        out.contains("Good \"okuri-approval@city.kameoka.kyoto.jp\" signature for suzuki.hanako"),
        "{out}"
    );
    // Any one payload byte changed: ssh-keygen refuses it, and so does okuri.
    let bytes = std::fs::read(env.path(&token)).unwrap();
    let pos = bytes.windows(4).position(|w| w == b"\"siz").unwrap() + 10;
    for (i, at) in [pos, 3, pos + 40].into_iter().enumerate() {
        let mut b = bytes.clone();
        b[at] ^= 0x01;
        let bad = env.path(&format!("bad{i}.token"));
        std::fs::write(&bad, &b).unwrap();
        let (ok, out) = ssh_keygen_verify(&env, &bad, "suzuki.hanako");
        assert!(!ok, "ssh-keygen accepted a changed byte at {at}: {out}");
    }
    // Under another principal or namespace, the good token does not verify either.
    let (ok, _) = ssh_keygen_verify(&env, &env.path(&token), "sato.jiro");
    assert!(!ok);
    // The revocation list is the revoked key, for `ssh-keygen -Y verify -r`.
    let revoked = std::fs::read_to_string(env.path("revoked_keys")).unwrap();
    let ito = std::fs::read_to_string(Fixture::get().dir.join("ito.revoked.pub")).unwrap();
    assert!(ito.starts_with(revoked.trim()), "{revoked}");
}

/// The one-line recipe in docs/approval.md, run exactly as written.
#[test]
fn documented_auditor_recipe_works() {
    let env = Env::new();
    env.labelled("a.txt", b"a", "II");
    let token = env.approved("a.txt", "kameoka-print", "email", &[]);
    env.run(&["policy", "allowed-signers", "--out", "allowed_signers"])
        .ok();
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/approval.md")).unwrap();
    let recipe = doc
        .split("```sh\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("a sh block in docs/approval.md");
    let run = |t: &str| {
        Command::new("bash")
            .arg("-c")
            .arg(recipe)
            .env("TOKEN", t)
            .current_dir(env.dir.path())
            .output()
            .unwrap()
    };
    let o = run(&token);
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("Good"));
    let mut b = std::fs::read(env.path(&token)).unwrap();
    b[20] ^= 1;
    env.write("bad.token", &b);
    assert!(!run("bad.token").status.success());
}

#[test]
fn forged_untrusted_revoked_and_out_of_window_keys_are_refused() {
    let env = Env::new();
    // Designated long ago, so that a custodian's clock set in the past still sees class II.
    env.write("a.txt", b"a");
    env.designate_at(
        "a.txt",
        "II",
        &["--store", "sidecar"],
        Some("2026-01-15T09:00:00+09:00[+09:00]"),
    );

    // A payload byte changed: the signature no longer holds.
    let token = env.approved("a.txt", "kameoka-print", "email", &[]);
    let text = std::fs::read_to_string(env.path(&token)).unwrap();
    env.write(
        "forged.token",
        text.replacen("委託業務", "委託業者", 1).as_bytes(),
    );
    let r = pack_with(&env, "a.txt", "kameoka-print", "email", "forged.token", &[]);
    assert_refused(&env, &r, "token-forged");
    assert!(r.stderr.contains("forged"), "{}", r.stderr);

    // A key the policy does not list, trusted only by a tampered copy of the policy.
    let mallory = std::fs::read_to_string(Fixture::get().dir.join("mallory.pub")).unwrap();
    let bad_policy = variant(
        &env,
        "mallory.toml",
        format!(
            "{}\n[[custodian]]\nid = \"mallory\"\nname = \"M\"\ndepartment = \"総務課\"\nclasses = [\"I\", \"II\"]\ndepartments = [\"*\"]\nkeys = [{{ key = \"{}\" }}]\n",
            env.policy_text(),
            mallory.trim()
        ),
    );
    let t = approved_under(&env, &bad_policy, "a.txt", "mallory", &[]);
    assert_refused(
        &env,
        &pack_with(&env, "a.txt", "kameoka-print", "email", &t, &[]),
        "token-untrusted-key",
    );

    // A revoked key, used with a copy of the policy from before the revocation.
    let unrevoked = variant(
        &env,
        "unrevoked.toml",
        env.policy_text()
            .lines()
            .filter(|l| !l.starts_with("revoked = "))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let t = approved_under(&env, &unrevoked, "a.txt", "ito.revoked", &[]);
    let r = pack_with(&env, "a.txt", "kameoka-print", "email", &t, &[]);
    assert_refused(&env, &r, "token-key-revoked");
    assert!(r.stderr.contains("PC紛失"), "{}", r.stderr);

    // A key outside its window: kato's key was valid until 2026-04-01.
    let t = approved_under(
        &env,
        &env.policy.display().to_string(),
        "a.txt",
        "kato.expired",
        &[("OKURI_TEST_NOW", "2026-02-02T10:00:00+09:00[+09:00]")],
    );
    assert_refused(
        &env,
        &pack_with(&env, "a.txt", "kameoka-print", "email", &t, &[]),
        "token-key-not-valid",
    );
}

#[test]
fn expired_tokens_and_tokens_for_something_else_are_refused() {
    let env = Env::new();
    env.labelled("a.txt", b"a", "II");
    env.labelled("b.txt", b"b", "II");

    // Issued three hours ago for one hour.
    let (r, req) = env.request("a.txt", "kameoka-print", "email", &[]);
    r.ok();
    let past = now_plus(-3);
    let (r, t) = env.approve(
        &req,
        "suzuki.hanako",
        &["--expires", "1h"],
        &[("OKURI_TEST_NOW", &past)],
    );
    r.ok();
    assert_refused(
        &env,
        &pack_with(&env, "a.txt", "kameoka-print", "email", &t, &[]),
        "token-expired",
    );

    let token = env.approved("a.txt", "kameoka-print", "email", &[]);
    // Another file with the same class.
    assert_refused(
        &env,
        &pack_with(&env, "b.txt", "kameoka-print", "email", &token, &[]),
        "token-other-file",
    );
    // Another recipient whose agreement would cover it.
    assert_refused(
        &env,
        &pack_with(&env, "a.txt", "kyoto-pref", "email", &token, &[]),
        "token-other-recipient",
    );
    // Another channel the agreement covers.
    assert_refused(
        &env,
        &pack_with(&env, "a.txt", "kameoka-print", "hand", &token, &[]),
        "token-other-channel",
    );

    // The file changed after approval (and the officer designated the new version).
    env.write("a.txt", b"a, changed after approval");
    env.designate("a.txt", "II", &["--store", "sidecar"]);
    let r = pack_with(&env, "a.txt", "kameoka-print", "email", &token, &[]);
    assert_refused(&env, &r, "token-other-file");
    assert!(r.stderr.contains("changed after approval"), "{}", r.stderr);
}

#[test]
fn a_file_changed_while_it_is_encrypted_is_refused_and_leaves_nothing() {
    let env = Env::new();
    let f = env.labelled("big.bin", &vec![1u8; 4 << 20], "II");
    let token = env.approved("big.bin", "kameoka-print", "email", &[]);
    let before = env.record_entries().len();
    let child = env
        .cmd()
        .env("OKURI_TEST_PAUSE_MS", "1500")
        .args([
            "pack",
            "big.bin",
            "--to",
            "kameoka-print",
            "--channel",
            "email",
            "--approval",
            &token,
            "--out",
            "out",
            "--slip",
            "slips/s",
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(600));
    let mut data = std::fs::read(&f).unwrap();
    data[100] = 2;
    std::fs::write(&f, &data).unwrap();
    let r: Run = child.wait_with_output().unwrap().into();
    r.code(4);
    assert!(
        r.stderr.contains("changed while okuri was reading it"),
        "{}",
        r.stderr
    );
    assert!(env.files("out").is_empty() && env.files("slips").is_empty());
    assert_eq!(env.record_entries().len(), before);
}

#[test]
fn ended_agreements_are_refused() {
    let env = Env::new();
    env.write("a.txt", b"a");
    env.designate_at(
        "a.txt",
        "II",
        &["--store", "sidecar"],
        Some("2026-06-01T09:00:00+09:00[+09:00]"),
    );
    // Requested and approved while old-vendor's agreement ran (it ended 2026-06-30) …
    let june = [("OKURI_TEST_NOW", "2026-06-30T10:00:00+09:00[+09:00]")];
    std::fs::create_dir_all(env.path("reqs")).unwrap();
    staff(
        &env,
        &june,
        &[
            "request",
            "a.txt",
            "--to",
            "old-vendor",
            "--channel",
            "email",
            "--purpose",
            "x",
            "--out",
            "reqs/old.req",
        ],
    )
    .ok();
    let (r, t) = env.approve("reqs/old.req", "suzuki.hanako", &["--expires", "7d"], &june);
    r.ok();
    // … and used the next day, within the token's validity.
    let july = [("OKURI_TEST_NOW", "2026-07-01T10:00:00+09:00[+09:00]")];
    let r = pack_with(&env, "a.txt", "old-vendor", "email", &t, &july);
    assert_refused(&env, &r, "agreement-ended");
    assert!(r.stderr.contains("2026-06-30"), "{}", r.stderr);
    // A custodian will not approve for it either.
    let (r, req) = env.request("a.txt", "old-vendor", "email", &[]);
    r.code(3);
    assert!(r.stderr.contains("agreement") && req.ends_with(".req"));
    assert!(!env.path(&req).exists());
    // An unregistered recipient cannot receive class II at all.
    let r = pack_with(&env, "a.txt", "株式会社どこか", "email", &t, &[]);
    assert_refused(&env, &r, "recipient-unregistered");
}

#[test]
fn class_i_needs_a_legal_basis_and_never_goes_by_email() {
    let env = Env::new();
    env.labelled("tax.csv", b"tax", "I");
    // Without a legal basis nobody may even ask; the refusal is recorded.
    let (r, req) = env.request("tax.csv", "kyoto-pref", "lgwan", &[]);
    r.code(3);
    assert!(
        r.stderr.contains("法令又は条例") && r.stderr.contains("law or ordinance"),
        "{}",
        r.stderr
    );
    assert!(!env.path(&req).exists());
    let last = env.record_entries().pop().unwrap();
    assert_eq!(
        (last["event"].as_str(), last["outcome"].as_str()),
        (Some("request"), Some("refused"))
    );
    assert_eq!(last["reason"]["code"], "legal-basis-required");
    let r = env.pack_to("tax.csv", "kyoto-pref", "lgwan", &[]);
    assert_refused(&env, &r, "legal-basis-required");
    // By e-mail: refused, with a token or without.
    let (r, _) = env.request(
        "tax.csv",
        "kyoto-pref",
        "email",
        &["--legal-basis", "地方税法第22条の2"],
    );
    r.code(3);
    assert!(r.stderr.contains("LGWAN"), "{}", r.stderr);
    let token = env.approved(
        "tax.csv",
        "kyoto-pref",
        "lgwan",
        &["--legal-basis", "地方税法第22条の2"],
    );
    let r = pack_with(&env, "tax.csv", "kyoto-pref", "email", &token, &[]);
    assert_refused(&env, &r, "channel-forbidden");
    // A different legal basis than the one approved.
    let r = staff(
        &env,
        &[],
        &[
            "pack",
            "tax.csv",
            "--to",
            "kyoto-pref",
            "--channel",
            "lgwan",
            "--approval",
            &token,
            "--legal-basis",
            "別の法律",
            "--out",
            "out",
            "--slip",
            "slips/x",
        ],
    );
    assert_refused(&env, &r, "token-other-legal-basis");
}

#[test]
fn custodians_act_only_within_their_remit_and_never_for_themselves() {
    let env = Env::new();
    env.labelled("tax.csv", b"tax", "I");
    env.labelled("memo.txt", b"memo", "II");
    // sato.jiro may approve class II only: okuri will not let him sign class I, and records it.
    let (r, req) = env.request(
        "tax.csv",
        "kyoto-pref",
        "lgwan",
        &["--legal-basis", "地方税法"],
    );
    r.ok();
    let (r, t) = env.approve(&req, "sato.jiro", &[], &[]);
    env.refused(&r, "token-custodian-not-allowed");
    assert!(r.stderr.contains("may not decide class I"), "{}", r.stderr);
    assert!(!env.path(&t).exists());
    let sato = std::fs::read_to_string(env.path("custodian-sato.jiro/record.jsonl")).unwrap();
    assert!(
        sato.contains("\"outcome\":\"refused\"") && sato.contains("token-custodian-not-allowed"),
        "{sato}"
    );
    // A token he signed anyway, under a policy copy that widened his remit, is refused at pack.
    let widened = variant(
        &env,
        "widened.toml",
        env.policy_text()
            .replacen("classes = [\"II\"]", "classes = [\"I\", \"II\"]", 1),
    );
    let e = [("OKURI_POLICY", widened.as_str())];
    std::fs::create_dir_all(env.path("reqs")).unwrap();
    staff(
        &env,
        &e,
        &[
            "request",
            "tax.csv",
            "--to",
            "kyoto-pref",
            "--channel",
            "lgwan",
            "--purpose",
            "x",
            "--legal-basis",
            "地方税法",
            "--out",
            "reqs/w.req",
        ],
    )
    .ok();
    let (r, t) = env.approve("reqs/w.req", "sato.jiro", &[], &e);
    r.ok();
    assert_refused(
        &env,
        &pack_with(&env, "tax.csv", "kyoto-pref", "lgwan", &t, &[]),
        "token-custodian-not-allowed",
    );

    // Self-approval: okuri refuses to sign a custodian's own request …
    let own = env.path("own-home");
    let as_suzuki = |args: &[&str]| -> Run {
        env.cmd()
            .env("OKURI_HOME", &own)
            .args(args)
            .output()
            .unwrap()
            .into()
    };
    as_suzuki(&[
        "init",
        "--id",
        "suzuki.hanako",
        "--name",
        "鈴木 花子",
        "--department",
        "総務課",
    ])
    .ok();
    as_suzuki(&[
        "request",
        "memo.txt",
        "--to",
        "kameoka-print",
        "--channel",
        "email",
        "--purpose",
        "x",
        "--out",
        "reqs/own.req",
    ])
    .ok();
    let (r, _) = env.approve("reqs/own.req", "suzuki.hanako", &[], &[]);
    env.refused(&r, "self-approval");
    assert!(r.stderr.contains("their own request"), "{}", r.stderr);
    // … and pack refuses a token in which issuer and requester are the same person.
    let good = env.approved("memo.txt", "kameoka-print", "email", &[]);
    let selfish = resign(&env, &good, "suzuki.hanako", |p| {
        p.request.requester.id = "suzuki.hanako".parse().unwrap();
    });
    // suzuki.hanako packs memo.txt with a token, in a language.
    let pack_as_suzuki = |lang: &str, token: &str, slip: &str| {
        as_suzuki(&[
            "--lang",
            lang,
            "pack",
            "memo.txt",
            "--to",
            "kameoka-print",
            "--channel",
            "email",
            "--approval",
            token,
            "--out",
            "out",
            "--slip",
            slip,
        ])
    };
    let r = pack_as_suzuki("ja", &selfish, "slips/self");
    refused_in("ja", &r, "self-approval");
    let own_record = std::fs::read_to_string(own.join("record.jsonl")).unwrap();
    assert!(
        own_record
            .lines()
            .last()
            .unwrap()
            .contains("\"code\":\"self-approval\"")
    );
    assert!(env.files("out").is_empty() && env.files("slips").is_empty());
    // Someone else cannot use yamada.taro's approval.
    let r = pack_as_suzuki("en", &good, "slips/other");
    env.refused(&r, "token-other-requester");
    assert!(r.stderr.contains("yamada.taro's request"), "{}", r.stderr);
    let r = pack_as_suzuki("ja", &good, "slips/other");
    refused_in("ja", &r, "token-other-requester");
}

/// The same file packed again with a token already used, into `out2` (the slip to
/// `slips/again`).
fn pack_again(env: &Env, token: &str) -> Run {
    std::fs::create_dir(env.path("out2")).unwrap();
    staff(
        env,
        &[],
        &[
            "pack",
            "a.txt",
            "--to",
            "kameoka-print",
            "--channel",
            "email",
            "--approval",
            token,
            "--out",
            "out2",
            "--slip",
            "slips/again",
        ],
    )
}

#[test]
fn a_token_is_good_for_one_transfer() {
    let env = Env::new();
    env.labelled("a.txt", b"a", "II");
    let token = env.approved("a.txt", "kameoka-print", "email", &[]);
    pack_with(&env, "a.txt", "kameoka-print", "email", &token, &[]).ok();
    let r = pack_again(&env, &token);
    env.refused(&r, "token-reused");
    assert!(
        r.stderr.contains("already used, in record entry 2"),
        "{}",
        r.stderr
    );
    let last = env.record_entries().pop().unwrap();
    assert_eq!(last["reason"]["code"], "token-reused");
    assert!(env.files("out2").is_empty());
    assert!(!env.path("slips/again").exists());
    // token verify explains it, with every check, and exits 3.
    assert_eq!(failed_checks(&env, &token, "a.txt"), ["single use"]);
}

/// A token is found spent however far back its use lies in a long record: the search reads
/// back from the end, block after block, to the entries older than the token, and never
/// further.
#[test]
fn a_spent_token_is_found_behind_thousands_of_later_entries() {
    let env = Env::new();
    env.labelled("a.txt", b"a", "II");
    let token = env.approved("a.txt", "kameoka-print", "email", &[]);
    pack_with(&env, "a.txt", "kameoka-print", "email", &token, &[]).ok();
    let spent = env.record_entries().len() - 1; // the `prepared` entry
    env.labelled("b.txt", b"b", "III");
    env.pack("b.txt", "email", &[]).ok();
    // Three thousand later entries (about 3 MB): copies of that last pack, chained anew.
    let path = env.home.join("record.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let last = text.lines().last().unwrap().to_owned();
    assert!(!last.contains("tok-"), "{last}");
    let rest = &last[last.find("\"prev\":\"").unwrap() + 8 + 64 + 1..];
    let mut seq = text.lines().count() as u64;
    let mut prev = blake3::hash(format!("{last}\n").as_bytes())
        .to_hex()
        .to_string();
    let mut more = String::new();
    for _ in 0..3000 {
        seq += 1;
        let line = format!("{{\"seq\":{seq},\"prev\":\"{prev}\"{rest}\n");
        prev = blake3::hash(line.as_bytes()).to_hex().to_string();
        more.push_str(&line);
    }
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    std::io::Write::write_all(&mut f, more.as_bytes()).unwrap();
    std::fs::write(env.home.join("record.head"), format!("{seq} {prev}\n")).unwrap();
    env.run(&["record", "verify"]).ok();
    let r = pack_again(&env, &token);
    env.refused(&r, "token-reused");
    assert!(
        r.stderr
            .contains(&format!("already used, in record entry {spent}")),
        "{}",
        r.stderr
    );
    assert!(env.files("out2").is_empty());
    assert_eq!(failed_checks(&env, &token, "a.txt"), ["single use"]);
}

#[test]
fn token_verify_explains_and_deny_is_signed_and_recorded() {
    let env = Env::new();
    env.labelled("a.txt", b"a", "II");
    let token = env.approved("a.txt", "kameoka-print", "email", &[]);
    let r = env.run(&["token", "verify", &token, "--file", "a.txt"]);
    r.ok();
    assert!(
        r.stdout.contains("okuri pack would accept this token"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("鈴木 花子 (suzuki.hanako"),
        "{}",
        r.stdout
    );
    let j = env.run(&["token", "verify", &token, "--json"]).ok().json();
    assert_eq!(j["accepted"], true);
    assert_eq!(j["token"]["request"]["file"]["name"], "a.txt");
    // With another file, the file check fails.
    env.labelled("b.txt", b"b", "II");
    env.run(&["token", "verify", &token, "--file", "b.txt"])
        .code(3);
    // Not a token at all: invalid input.
    env.write("junk.token", b"{\"hello\": 1}\n");
    let r = env.run(&["token", "verify", "junk.token"]);
    r.code(4);
    assert!(
        r.stderr
            .contains("junk.token is not a readable approval token"),
        "{}",
        r.stderr
    );

    // A refusal: signed, recorded in the custodian's record, written for the requester.
    let (r, req) = env.request("b.txt", "kameoka-print", "email", &[]);
    r.ok();
    let r = env.custodian(
        "suzuki.hanako",
        &[
            "deny",
            &req,
            "--reason",
            "目的が契約の範囲外",
            "--out",
            "denial.txt",
        ],
        &[],
    );
    r.ok();
    let denial = std::fs::read(env.path("denial.txt")).unwrap();
    let d = okuri::signed::approval::parse_denial(&denial).expect("a signed denial");
    assert_eq!(d.payload.reason, "目的が契約の範囲外");
    let rec = std::fs::read_to_string(env.path("custodian-suzuki.hanako/record.jsonl")).unwrap();
    assert!(
        rec.lines()
            .last()
            .unwrap()
            .contains("\"outcome\":\"denied\"")
    );
    // Validity beyond the policy's maximum is a usage error, and nothing is written.
    let (r, t) = env.approve(&req, "suzuki.hanako", &["--expires", "30d"], &[]);
    r.code(2);
    assert!(r.stderr.contains("at most 336 hours"), "{}", r.stderr);
    assert!(!env.path(&t).exists());
    // Never overwrites a token.
    let (r, t) = env.approve(&req, "suzuki.hanako", &[], &[]);
    r.ok();
    let r = env.custodian("suzuki.hanako", &["approve", &req, "--out", &t], &[]);
    r.code(4);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
}

#[test]
fn keygen_makes_protected_openssh_keys() {
    let env = Env::new();
    env.write("pass", b"a long enough passphrase\n");
    let keygen = || {
        env.run(&[
            "keygen",
            "--id",
            "new.person",
            "--role",
            "custodian",
            "--out",
            "k/new",
            "--key-passphrase-file",
            "pass",
        ])
    };
    // A passphrase file others can read is refused, as ssh refuses such a key, in both
    // languages; nothing is made.
    std::fs::set_permissions(
        env.path("pass"),
        std::os::unix::fs::PermissionsExt::from_mode(0o644),
    )
    .unwrap();
    let r = keygen();
    r.code(4);
    r.says("en", "key-passphrase-file-open");
    assert!(r.stderr.contains("chmod 600"), "{}", r.stderr);
    assert!(!env.path("k/new").exists());
    let ja = env.run(&[
        "--lang",
        "ja",
        "keygen",
        "--id",
        "x",
        "--role",
        "staff",
        "--out",
        "k/x",
        "--key-passphrase-file",
        "pass",
    ]);
    ja.says("ja", "key-passphrase-file-open");
    std::fs::set_permissions(
        env.path("pass"),
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();
    let r = keygen();
    r.ok();
    assert_eq!(mode(&env.path("k/new")), 0o600);
    let private = std::fs::read_to_string(env.path("k/new")).unwrap();
    assert!(private.starts_with("-----BEGIN OPENSSH PRIVATE KEY-----"));
    let public = std::fs::read_to_string(env.path("k/new.pub")).unwrap();
    assert!(public.starts_with("ssh-ed25519 ") && public.contains("new.person okuri-custodian"));
    assert!(!private.contains("a long enough passphrase"));
    // ssh-keygen reads it, needs the passphrase, and agrees on the public key.
    let o = Command::new("ssh-keygen")
        .args(["-y", "-P", "a long enough passphrase", "-f"])
        .arg(env.path("k/new"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let derived = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        derived.split_whitespace().take(2).collect::<Vec<_>>(),
        public.split_whitespace().take(2).collect::<Vec<_>>()
    );
    let o = Command::new("ssh-keygen")
        .args(["-y", "-P", "wrong", "-f"])
        .arg(env.path("k/new"))
        .output()
        .unwrap();
    assert!(!o.status.success(), "the key is not encrypted");
    // Never overwritten; a short passphrase and --batch without a file are refused.
    keygen().code(4);
    env.write("short", b"short\n");
    std::fs::set_permissions(
        env.path("short"),
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();
    env.run(&[
        "keygen",
        "--id",
        "x",
        "--role",
        "staff",
        "--out",
        "k/x",
        "--key-passphrase-file",
        "short",
    ])
    .code(2);
    env.run(&[
        "keygen", "--batch", "--id", "x", "--role", "staff", "--out", "k/x",
    ])
    .code(2);
    assert!(!env.path("k/x").exists());
    // A key brought from ssh-keygen works, if it has a passphrase.
    let o = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(env.path("k/plain"))
        .output()
        .unwrap();
    assert!(o.status.success());
    env.labelled("a.txt", b"a", "II");
    let (_, req) = env.request("a.txt", "kameoka-print", "email", &[]);
    let r = env.run(&[
        "approve",
        &req,
        "--key",
        "k/plain",
        "--out",
        "t",
        "--key-passphrase-file",
        "pass",
    ]);
    r.code(4);
    assert!(
        r.stderr.contains("not protected by a passphrase") && r.stderr.contains("ssh-keygen -p"),
        "{}",
        r.stderr
    );
}

/// A request the recipient's agreement does not cover is refused before any custodian is
/// asked: another channel, another class (第6章2). Checked in Japanese, and in English from the
/// record.
#[test]
fn requests_outside_the_agreement_are_refused() {
    let mut env = Env::new();
    env.lang = "ja";
    env.labelled("memo.txt", b"memo", "II");
    env.labelled("tax.csv", b"tax", "I");
    let (r, req) = env.request("memo.txt", "kameoka-print", "lgwan", &[]);
    env.refused(&r, "agreement-channel");
    assert!(!env.path(&req).exists());
    let (r, req) = env.request(
        "tax.csv",
        "kameoka-print",
        "hand",
        &["--legal-basis", "地方税法"],
    );
    env.refused(&r, "agreement-class");
    assert!(!env.path(&req).exists());
    assert_eq!(env.record_entries().len(), 2);
    assert!(
        env.record_entries()
            .iter()
            .all(|e| e["event"] == "request" && e["outcome"] == "refused")
    );
}

/// A token approved for one class does not carry a file the officer has since designated
/// stricter; a token approved under other rules does not survive a change of the rules.
#[test]
fn tokens_for_another_class_or_other_rules_are_refused() {
    let mut env = Env::new();
    env.labelled("tax.csv", b"tax", "II");
    let token = env.approved("tax.csv", "kyoto-pref", "lgwan", &[]);
    // The officer designates it class I later (the newer designation counts; in the same
    // second, the stricter).
    env.designate("tax.csv", "I", &["--store", "sidecar"]);
    env.lang = "ja";
    let r = pack_with(&env, "tax.csv", "kyoto-pref", "lgwan", &token, &[]);
    assert_refused(&env, &r, "legal-basis-required");
    let r = staff(
        &env,
        &[],
        &[
            "pack",
            "tax.csv",
            "--to",
            "kyoto-pref",
            "--channel",
            "lgwan",
            "--legal-basis",
            "地方税法",
            "--approval",
            &token,
            "--out",
            "out",
            "--slip",
            "slips/t",
        ],
    );
    assert_refused(&env, &r, "token-other-class");

    // Any change of the policy's rules voids approvals given under the old ones.
    env.lang = "en";
    env.labelled("memo.txt", b"memo", "II");
    let token = env.approved("memo.txt", "kameoka-print", "email", &[]);
    let changed = variant(
        &env,
        "changed.toml",
        env.policy_text()
            .replace("default_validity_hours = 72", "default_validity_hours = 48"),
    );
    let r = pack_with(
        &env,
        "memo.txt",
        "kameoka-print",
        "email",
        &token,
        &[("OKURI_POLICY", changed.as_str())],
    );
    assert_refused(&env, &r, "token-policy-changed");
}

/// `--approval` and `okuri approve` tell a request id from a token or request file by its
/// syntax (`req-` and 32 hex digits), never by whether a file of that name exists: a file
/// named like an id is not read as a token, and an id is never looked for on disk.
#[test]
fn approval_arguments_are_ids_or_files_by_syntax() {
    let env = Env::new();
    env.labelled("memo.txt", b"memo", "II");
    let id = "req-0123456789abcdef0123456789abcdef";
    let token = env.approved("memo.txt", "kameoka-print", "email", &[]);
    std::fs::copy(env.path(&token), env.path(id)).unwrap();
    // No approval service in this policy: an id cannot be fetched, whatever is on disk.
    let r = env.pack_to("memo.txt", "kameoka-print", "email", &["--approval", id]);
    r.code(2);
    assert!(r.stderr.contains("is a request id"), "{}", r.stderr);
    let r = env.custodian("suzuki.hanako", &["approve", id, "--out", "t.token"], &[]);
    r.code(2);
    assert!(!env.path("t.token").exists());
    // Anything else is a file, even if it starts like an id.
    let r = env.pack_to(
        "memo.txt",
        "kameoka-print",
        "email",
        &["--approval", "req-nope"],
    );
    r.code(4);
    // A malformed id on a command that takes only ids is a usage error, with the id's shape.
    let r = env.run(&["request", "status", "req-123"]);
    r.code(2);
    assert!(r.stderr.contains("req- and 32 hex digits"), "{}", r.stderr);
    // The real token, by its file name, packs.
    env.pack_to(
        "memo.txt",
        "kameoka-print",
        "email",
        &["--approval", &token],
    )
    .ok();
}

/// Issue 9, point 6: the policy's `max_validity_hours` was checked only when okuri signed, so
/// a custodian's key signing a payload by hand could make a token valid for a year, and
/// `token verify` and `pack` accepted it. The limit is now checked wherever a token is read.
#[test]
fn a_token_valid_for_longer_than_the_policy_allows_is_refused() {
    let env = Env::new();
    env.labelled("a.txt", b"a", "II");
    let (r, req) = env.request("a.txt", "kameoka-print", "email", &[]);
    r.ok();
    let policy = okuri::policy::Policy::load(Some(&env.policy)).unwrap();
    let request = okuri::signed::approval::Request::load(&env.path(&req)).unwrap();
    let key = Fixture::get().signing_key("suzuki.hanako");
    let max = i64::from(policy.approval.max_validity_hours);
    // Exactly the limit passes: the check is the limit, not a guess below it.
    let (_, text) = synthetic::token(&policy, &key, &request, max);
    env.write("max.token", text.as_bytes());
    let j = env
        .run(&["token", "verify", "max.token", "--file", "a.txt", "--json"])
        .ok()
        .json();
    assert_eq!(j["accepted"], true, "{j}");
    // One hour more, signed by the same trusted key, is refused by token verify and pack.
    let (_, text) = synthetic::token(&policy, &key, &request, max + 1);
    env.write("long.token", text.as_bytes());
    assert_eq!(failed_checks(&env, "long.token", "a.txt"), ["validity"]);
    assert_refused(
        &env,
        &pack_with(&env, "a.txt", "kameoka-print", "email", "long.token", &[]),
        "token-validity-too-long",
    );
}

/// `record show` names every person the same way, by name: the requester of a request as the
/// packer of a transfer, and the custodian of a decision.
#[test]
fn record_show_names_people_by_name() {
    let env = Env::new();
    env.labelled("memo.txt", b"memo", "II");
    let (r, req) = env.request("memo.txt", "kameoka-print", "email", &[]);
    r.ok();
    env.approve(&req, "suzuki.hanako", &[], &[]).0.ok();
    let mine = env.run(&["record", "show"]).ok().stdout.clone();
    assert!(
        mine.contains("山田 太郎") && !mine.contains("yamada.taro"),
        "{mine}"
    );
    let theirs = env
        .run_in(&env.path("custodian-suzuki.hanako"), &["record", "show"])
        .ok()
        .stdout
        .clone();
    assert!(theirs.contains("鈴木 花子"), "{theirs}");
    assert!(!theirs.contains("suzuki.hanako"), "{theirs}");
}
