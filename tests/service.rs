//! okuri-approvald end to end over loopback: the CLI's online flow, the race for one token,
//! the authorization matrix, bad bodies and logins, kill -9 and restarts under load, bad
//! configurations, TLS, and a service that is down.

mod common;
#[path = "support/synthetic.rs"]
mod synthetic;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use okuri::base::ids::{RequestId, TokenId};
use okuri::net::client::Failure;
use okuri::net::wire::{DecisionUpload, Status};

/// `okuri-approvald --config <the Env's> ARGS`, in English.
fn approvald(env: &Env, args: &[&str]) -> Run {
    std::process::Command::new(env!("CARGO_BIN_EXE_okuri-approvald"))
        .arg("--config")
        .arg(env.path("approvald.toml"))
        .args(args)
        .env("OKURI_LANG", "en")
        .output()
        .unwrap()
        .into()
}

fn pack_id(env: &Env, file: &str, to: &str, channel: &str, id: &str, out: &str) -> Run {
    std::fs::create_dir_all(env.path(out)).unwrap();
    let slip = format!("slips/{out}.slip");
    env.run(&[
        "pack",
        file,
        "--to",
        to,
        "--channel",
        channel,
        "--approval",
        id,
        "--out",
        out,
        "--slip",
        &slip,
        "--json",
    ])
}

/// Rewrites every entry's chain after `edit`, consistently, with a new record.head: what a
/// careful tamperer with the whole home directory could do.
fn rechain(env: &Env, keep: usize, edit: impl Fn(&mut serde_json::Value)) {
    let text = env.record_text();
    let mut prev = okuri::base::digest::Blake3::ZERO;
    let mut out = String::new();
    for (i, line) in text.lines().take(keep).enumerate() {
        let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
        if i == 0 {
            edit(&mut v);
        }
        v["seq"] = (i as u64 + 1).into();
        v["prev"] = prev.to_hex().into();
        let l = format!("{}\n", serde_json::to_string(&v).unwrap());
        prev = okuri::base::digest::Blake3::of(l.as_bytes());
        out.push_str(&l);
    }
    std::fs::write(env.home.join("record.jsonl"), &out).unwrap();
    std::fs::write(env.home.join("record.head"), format!("{keep} {prev}\n")).unwrap();
}

#[test]
fn the_whole_flow_through_the_service() {
    let (env, _svc) = Env::with_service();
    env.labelled("memo.txt", b"memo", "II");
    let id = submit(&env, "memo.txt", "kameoka-print", "email", &[]);
    assert_eq!(status_of(&env, &id)["status"], "pending");
    // The custodian sees it waiting, and approves it by id.
    let r = env.custodian("suzuki.hanako", &["approvals", "list", "--json"], &[]);
    let listed = r.ok().json();
    assert_eq!(listed[0]["request"]["request_id"], id.as_str(), "{listed}");
    assert_eq!(listed[0]["status"], "pending", "{listed}");
    env.custodian("suzuki.hanako", &["approve", &id], &[]).ok();
    let v = status_of(&env, &id);
    assert_eq!(v["status"], "approved");
    assert_eq!(v["decided_by"], "suzuki.hanako");
    // The requester packs with the id: the token comes from the service and is consumed there.
    let j = pack_id(&env, "memo.txt", "kameoka-print", "email", &id, "out")
        .ok()
        .json();
    assert_eq!(j["consumed_at_service"], true);
    let pass = passphrase_from_slip(&std::fs::read_to_string(j["slip"].as_str().unwrap()).unwrap());
    assert_eq!(
        rust_age_decrypt(
            &pass,
            std::path::Path::new(j["package"]["path"].as_str().unwrap())
        )
        .unwrap(),
        b"memo"
    );
    let v = status_of(&env, &id);
    assert_eq!(v["status"], "consumed");
    assert_eq!(v["consumed"]["transfer_id"], j["transfer_id"]);
    // Once only.
    let r = pack_id(&env, "memo.txt", "kameoka-print", "email", &id, "again");
    env.refused(&r, "token-reused");
    assert!(r.stderr.contains("already used"), "{}", r.stderr);
    assert_eq!(
        env.record_entries().last().unwrap()["reason"]["code"],
        "token-reused"
    );
    assert!(env.files("again").is_empty());

    // A denial reaches the requester with its reason.
    env.labelled("b.txt", b"b", "II");
    let id2 = submit(&env, "b.txt", "kameoka-print", "email", &[]);
    env.custodian(
        "suzuki.hanako",
        &["deny", &id2, "--reason", "契約の範囲外"],
        &[],
    )
    .ok();
    let r = env.run(&["request", "status", &id2]);
    r.ok();
    assert!(
        r.stdout.contains("denied") && r.stdout.contains("契約の範囲外"),
        "{}",
        r.stdout
    );
    env.custodian("suzuki.hanako", &["approve", &id2], &[])
        .code(4);

    // The witness: intact, then cut short, then rewritten — each consistent with record.head.
    let r = env.run(&["record", "verify", "--witness"]);
    r.ok();
    assert!(r.stderr.contains("witness OK"), "{}", r.stderr);
    let n = env.record_entries().len();
    let saved = (
        env.record_text(),
        std::fs::read_to_string(env.home.join("record.head")).unwrap(),
    );
    // Cut short below the witnessed head, with a record.head that agrees.
    let kept: String = saved.0.lines().take(2).map(|l| format!("{l}\n")).collect();
    let last = format!("{}\n", saved.0.lines().nth(1).unwrap());
    std::fs::write(env.home.join("record.jsonl"), &kept).unwrap();
    std::fs::write(
        env.home.join("record.head"),
        format!("2 {}\n", okuri::base::digest::Blake3::of(last.as_bytes())),
    )
    .unwrap();
    env.run(&["record", "verify"]).ok();
    let r = env.run(&["record", "verify", "--witness"]);
    r.code(5);
    assert!(r.stderr.contains("cut short"), "{}", r.stderr);
    std::fs::write(env.home.join("record.jsonl"), &saved.0).unwrap();
    std::fs::write(env.home.join("record.head"), &saved.1).unwrap();
    rechain(&env, n, |v| v["purpose"] = "書き換え".into());
    env.run(&["record", "verify"]).ok();
    let r = env.run(&["record", "verify", "--witness"]);
    r.code(5);
    assert!(r.stderr.contains("rewritten"), "{}", r.stderr);
    // The service refuses the rewritten record's next head: it does not extend the witnessed one.
    env.labelled("c.txt", b"c", "III");
    let r = env.pack_to("c.txt", "kameoka-print", "email", &[]);
    r.ok();
    assert!(
        r.stderr.contains("did not witness") && r.stderr.contains("does not extend"),
        "{}",
        r.stderr
    );
}

/// A database another process holds is a 503 with a JSON body and Retry-After, not a 500.
#[test]
fn a_locked_database_is_busy_not_an_error() {
    let (env, mut svc) = Env::with_service();
    env.service_limit(&mut svc, "busy_timeout_ms = 200");
    let yamada = login(&svc.url, "yamada.taro").unwrap();
    let policy = okuri::policy::Policy::load(Some(&env.policy)).unwrap();
    let holder = rusqlite::Connection::open(env.path("approvald.sqlite")).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    match yamada.submit(&synthetic_request(&policy, 1)) {
        Err(Failure::Refused { status, code, .. }) => {
            assert_eq!((status, code.as_str()), (503, "busy"))
        }
        other => panic!("expected 503 busy, got {other:?}"),
    }
    holder.execute_batch("ROLLBACK").unwrap();
    yamada.submit(&synthetic_request(&policy, 2)).unwrap();
}

#[test]
fn two_packers_one_token_exactly_one_wins() {
    let (env, _svc) = Env::with_service();
    env.labelled("memo.txt", &vec![3u8; 1 << 20], "II");
    let id = submit(&env, "memo.txt", "kameoka-print", "email", &[]);
    env.custodian("suzuki.hanako", &["approve", &id], &[]).ok();
    // The same person on a second machine: another home with the same identity and key.
    let second = env.path("second-home");
    std::fs::create_dir_all(second.join("keys")).unwrap();
    std::fs::copy(env.home.join("identity.toml"), second.join("identity.toml")).unwrap();
    std::fs::copy(
        env.home.join("keys/yamada.taro"),
        second.join("keys/yamada.taro"),
    )
    .unwrap();
    let spawn = |home: &std::path::Path, out: &str| {
        std::fs::create_dir_all(env.path(out)).unwrap();
        env.cmd()
            .env("OKURI_HOME", home)
            .env("OKURI_TEST_PAUSE_MS", "800")
            .args([
                "pack",
                "memo.txt",
                "--to",
                "kameoka-print",
                "--channel",
                "email",
                "--approval",
                &id,
                "--out",
                out,
                "--slip",
            ])
            .arg(format!("slips/{out}"))
            .stderr(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let a = spawn(&env.home, "out-a");
    let b = spawn(&second, "out-b");
    let ra: Run = a.wait_with_output().unwrap().into();
    let rb: Run = b.wait_with_output().unwrap().into();
    let mut codes = [ra.code, rb.code];
    codes.sort();
    assert_eq!(codes, [0, 3], "a: {}\nb: {}", ra.stderr, rb.stderr);
    let (loser, loser_out) = if ra.code == 3 {
        (&ra, "out-a")
    } else {
        (&rb, "out-b")
    };
    assert!(loser.stderr.contains("already used"), "{}", loser.stderr);
    assert!(env.files(loser_out).is_empty(), "the loser left a package");
    assert!(
        !env.path(&format!("slips/{loser_out}")).exists(),
        "the loser left a slip"
    );
    assert_eq!(env.files("out-a").len() + env.files("out-b").len(), 1);
}

/// Every role against every endpoint: what is allowed works, the rest is 401 or 403.
#[test]
fn authorization_matrix() {
    let (env, svc) = Env::with_service();
    env.labelled("ii.txt", b"ii", "II");
    env.labelled("i.csv", b"i", "I");
    let r2: RequestId = submit(&env, "ii.txt", "kameoka-print", "email", &[])
        .parse()
        .unwrap();
    let r1: RequestId = submit(
        &env,
        "i.csv",
        "kyoto-pref",
        "lgwan",
        &["--legal-basis", "地方税法"],
    )
    .parse()
    .unwrap();
    env.run(&[
        "request",
        "ii.txt",
        "--to",
        "kameoka-print",
        "--channel",
        "hand",
        "--purpose",
        "x",
        "--out",
        "fresh.req",
    ])
    .ok();
    let fresh = okuri::signed::approval::Request::load(&env.path("fresh.req")).unwrap();

    let yamada = login(&svc.url, "yamada.taro").unwrap();
    let kimura = login(&svc.url, "kimura.jiro").unwrap();
    let suzuki = login(&svc.url, "suzuki.hanako").unwrap();
    let sato = login(&svc.url, "sato.jiro").unwrap();
    let kansa = login(&svc.url, "kansa.hanako").unwrap();
    let code = |r: Result<(), Failure>| match r {
        Ok(()) => 200,
        Err(Failure::Refused { status, .. }) => status,
        Err(Failure::Unreachable(e) | Failure::Broken(e)) => panic!("{}", e.message()),
    };
    let all = [&yamada, &kimura, &suzuki, &sato, &kansa];
    let names = [
        "yamada (requester)",
        "kimura (other staff)",
        "suzuki (custodian I, II)",
        "sato (custodian II)",
        "kansa (auditor)",
    ];
    let check = |what: &str, got: Vec<u16>, want: [u16; 5]| {
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            assert_eq!(*g, w, "{what} as {}", names[i]);
        }
    };

    // Submitting: staff only, and only as themselves.
    check(
        "POST /v1/requests",
        all.iter()
            .map(|c| code(c.submit(&fresh).map(|_| ())))
            .collect(),
        [200, 403, 403, 403, 403],
    );
    // Reading one request.
    check(
        "GET /v1/requests/{class I}",
        all.iter().map(|c| code(c.get(&r1).map(|_| ()))).collect(),
        [200, 403, 200, 403, 200],
    );
    check(
        "GET /v1/requests/{class II}",
        all.iter().map(|c| code(c.get(&r2).map(|_| ()))).collect(),
        [200, 403, 200, 200, 200],
    );
    // Listing: everyone may list, and sees only what they may.
    let seen = |c: &okuri::net::client::Client| {
        let mut ids: Vec<RequestId> = c
            .list(None)
            .unwrap()
            .into_iter()
            .map(|v| v.request.request_id)
            .collect();
        ids.sort();
        ids
    };
    let mut mine = vec![r1.clone(), r2.clone(), fresh.request_id.clone()];
    mine.sort();
    assert_eq!(seen(&yamada), mine);
    assert!(seen(&kimura).is_empty());
    assert_eq!(seen(&suzuki), mine);
    assert_eq!(seen(&sato), {
        let mut v = vec![r2.clone(), fresh.request_id.clone()];
        v.sort();
        v
    });
    assert_eq!(seen(&kansa), mine);
    // Deciding: custodians within their remit only (the body is checked after the role).
    let junk = DecisionUpload {
        token: Some("not a token".into()),
        denial: None,
    };
    check(
        "POST /v1/requests/{class I}/decision",
        all.iter()
            .map(|c| code(c.decide(&r1, &junk).map(|_| ())))
            .collect(),
        [403, 403, 400, 403, 403],
    );
    env.custodian("suzuki.hanako", &["approve", r1.as_str()], &[])
        .ok();
    let token_id = okuri::signed::approval::Token::parse(
        yamada.get(&r1).unwrap().token.unwrap().as_bytes(),
        "t",
    )
    .unwrap()
    .payload
    .token_id;
    // Consuming: the requester only, once.
    check(
        "POST /v1/tokens/{id}/consume",
        all.iter()
            .map(|c| {
                code(
                    c.consume(&token_id, &"20261127-0000-0001".parse().unwrap(), None)
                        .map(|_| ()),
                )
            })
            .collect(),
        [200, 403, 403, 403, 403],
    );
    assert_eq!(
        code(
            yamada
                .consume(&token_id, &"20261127-0000-0002".parse().unwrap(), None)
                .map(|_| ())
        ),
        409
    );
    // The witness: the owner sends and reads; the auditor reads.
    let record = okuri::net::client::record_id(&"yamada.taro".parse().unwrap());
    let f = Fixture::get();
    let key = |id: &str| f.signing_key(id);
    let home_record = env.home.join("record.jsonl");
    check(
        "PUT /v1/witness/{record}",
        all.iter()
            .zip([
                "yamada.taro",
                "kimura.jiro",
                "suzuki.hanako",
                "sato.jiro",
                "kansa.hanako",
            ])
            .map(|(c, id)| code(c.send_head(&record, &home_record, &key(id)).map(|_| ())))
            .collect(),
        [200, 403, 403, 403, 403],
    );
    check(
        "GET /v1/witness/{record}",
        all.iter()
            .map(|c| code(c.witness(&record).map(|_| ())))
            .collect(),
        [200, 403, 403, 403, 200],
    );

    // Without a session: only health.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let get = |p: &str| {
        agent
            .get(format!("{}{p}", svc.url))
            .call()
            .unwrap()
            .status()
            .as_u16()
    };
    let post = |p: &str, body: &str| {
        agent
            .post(format!("{}{p}", svc.url))
            .header("content-type", "application/json")
            .send(body)
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(get("/v1/health"), 200);
    assert_eq!(get("/v1/requests"), 401);
    assert_eq!(get(&format!("/v1/requests/{r1}")), 401);
    assert_eq!(get(&format!("/v1/witness/{record}")), 401);
    assert_eq!(post("/v1/requests", "{}"), 401);
    assert_eq!(post(&format!("/v1/requests/{r1}/decision"), "{}"), 401);
    assert_eq!(post(&format!("/v1/tokens/{token_id}/consume"), "{}"), 401);
    let mut res = agent
        .get(format!("{}/v1/requests", svc.url))
        .header("authorization", "Bearer 00")
        .call()
        .unwrap();
    assert_eq!(res.status().as_u16(), 401);
    let body: serde_json::Value = res.body_mut().read_json().unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
}

#[test]
fn bad_bodies_and_logins_are_refused_with_json_errors() {
    let (env, svc) = Env::with_service();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let post = |p: &str, ct: &str, body: Vec<u8>| {
        // A body over the limit is answered (413) and the connection closed while the client
        // may still be writing it: that race loses the answer, not the check, so try again.
        let mut tries = 0;
        let mut res = loop {
            match agent
                .post(format!("{}{p}", svc.url))
                .header("content-type", ct)
                .send(&body[..])
            {
                Ok(res) => break res,
                Err(ureq::Error::Io(e)) if tries < 20 => {
                    tries += 1;
                    eprintln!("retrying after the service closed mid-upload: {e}");
                }
                Err(e) => panic!("{p}: {e}"),
            }
        };
        let status = res.status().as_u16();
        let j: serde_json::Value = res.body_mut().read_json().expect("a JSON error body");
        (status, j)
    };
    let (s, j) = post(
        "/v1/auth/challenge",
        "application/json",
        br#"{"id":"yamada.taro","extra":1}"#.to_vec(),
    );
    assert_eq!(s, 400);
    assert_eq!(j["error"]["code"], "bad-body");
    assert!(
        j["error"]["message"]
            .as_str()
            .unwrap()
            .contains("unknown field"),
        "{j}"
    );
    let (s, _) = post(
        "/v1/auth/challenge",
        "application/json",
        b"{\"id\": ".to_vec(),
    );
    assert_eq!(s, 400);
    let (s, j) = post(
        "/v1/auth/challenge",
        "application/json",
        vec![b' '; 300 * 1024],
    );
    assert_eq!(s, 413, "{j}");
    assert_eq!(j["error"]["code"], "too-large");
    let (s, _) = post(
        "/v1/auth/challenge",
        "text/plain",
        br#"{"id":"yamada.taro"}"#.to_vec(),
    );
    assert_eq!(s, 415);
    let (s, j) = post("/v1/nowhere", "application/json", b"{}".to_vec());
    assert_eq!(s, 404);
    assert_eq!(j["error"]["code"], "not-found");

    // A login: the signed challenge works once; a replay, a wrong namespace, or a key that is
    // not enrolled do not.
    let f = Fixture::get();
    let key = |id: &str| f.signing_key(id);
    let challenge = || {
        let (s, j) = post(
            "/v1/auth/challenge",
            "application/json",
            br#"{"id":"yamada.taro"}"#.to_vec(),
        );
        assert_eq!(s, 200);
        j["challenge"].as_str().unwrap().to_owned()
    };
    let session = |id: &str, ch: &str, ns: &str, signer: &str| {
        let sig = key(signer)
            .sign(ns, &okuri::net::wire::auth_message(id, ch))
            .unwrap();
        let body = serde_json::json!({"id": id, "challenge": ch, "signature": sig.to_pem(ssh_key::LineEnding::LF).unwrap()});
        post(
            "/v1/auth/session",
            "application/json",
            body.to_string().into_bytes(),
        )
    };
    let ch = challenge();
    let (s, j) = session("yamada.taro", &ch, okuri::net::wire::NS_AUTH, "yamada.taro");
    assert_eq!(s, 200, "{j}");
    assert_eq!(j["roles"], serde_json::json!(["staff"]));
    let (s, j) = session("yamada.taro", &ch, okuri::net::wire::NS_AUTH, "yamada.taro");
    assert_eq!(s, 401);
    assert!(
        j["error"]["message"].as_str().unwrap().contains("replay"),
        "{j}"
    );
    let (s, _) = session(
        "yamada.taro",
        &challenge(),
        okuri::signed::NS_APPROVAL,
        "yamada.taro",
    );
    assert_eq!(s, 401);
    let (s, j) = session(
        "yamada.taro",
        &challenge(),
        okuri::net::wire::NS_AUTH,
        "mallory",
    );
    assert_eq!(s, 401);
    assert!(
        j["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not enrolled"),
        "{j}"
    );
    // Someone else's key under yamada's id.
    let (s, _) = session(
        "yamada.taro",
        &challenge(),
        okuri::net::wire::NS_AUTH,
        "kimura.jiro",
    );
    assert_eq!(s, 401);
    // The service first (its bodies are checked where the Env keeps them), then the Env.
    drop(svc);
    drop(env);
}

#[test]
fn an_expired_challenge_is_refused() {
    let (env, mut svc) = Env::with_service();
    env.service_limit(&mut svc, "challenge_seconds = 5");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut res = agent
        .post(format!("{}/v1/auth/challenge", svc.url))
        .send_json(serde_json::json!({"id": "yamada.taro"}))
        .unwrap();
    let ch: serde_json::Value = res.body_mut().read_json().unwrap();
    let ch = ch["challenge"].as_str().unwrap().to_owned();
    std::thread::sleep(Duration::from_millis(6200));
    let f = Fixture::get();
    let key = f.signing_key("yamada.taro");
    let sig = key
        .sign(
            okuri::net::wire::NS_AUTH,
            &okuri::net::wire::auth_message("yamada.taro", &ch),
        )
        .unwrap();
    let mut res = agent
        .post(format!("{}/v1/auth/session", svc.url))
        .send_json(serde_json::json!({"id": "yamada.taro", "challenge": ch, "signature": sig.to_pem(ssh_key::LineEnding::LF).unwrap()}))
        .unwrap();
    assert_eq!(res.status().as_u16(), 401);
    let j: serde_json::Value = res.body_mut().read_json().unwrap();
    assert!(
        j["error"]["message"].as_str().unwrap().contains("expired"),
        "{j}"
    );
}

/// A valid request by yamada.taro for a made-up file, as the CLI would submit it.
fn synthetic_request(policy: &okuri::policy::Policy, n: usize) -> okuri::signed::approval::Request {
    synthetic::request(policy, n)
}

/// suzuki.hanako's signed token for `req`.
fn token_for(
    policy: &okuri::policy::Policy,
    req: &okuri::signed::approval::Request,
) -> (TokenId, String) {
    synthetic::token(policy, &Fixture::get().signing_key("suzuki.hanako"), req, 1)
}

#[derive(Default)]
struct Acked {
    submitted: Vec<RequestId>,
    approved: Vec<(RequestId, TokenId)>,
    consumed: Vec<RequestId>,
    /// Each record's witnessed head, as the service last acknowledged it.
    witnessed: std::collections::BTreeMap<String, u64>,
}

/// Submits, approves, consumes and has a record head witnessed (each thread its own record,
/// in `dir`) from several threads until `stop`; keeps what the service acknowledged.
fn load(
    url: &str,
    dir: &std::path::Path,
    policy: &okuri::policy::Policy,
    stop: &Arc<AtomicBool>,
    acked: &Arc<Mutex<Acked>>,
) -> Vec<std::thread::JoinHandle<()>> {
    let mut threads = Vec::new();
    static RUN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUN.fetch_add(1, Ordering::Relaxed);
    for t in 0..6 {
        let (url, policy, stop, acked) = (
            url.to_owned(),
            policy.clone(),
            Arc::clone(stop),
            Arc::clone(acked),
        );
        let mut record = synthetic::Record::new(dir, &format!("pc-load-{run}-{t}"));
        threads.push(std::thread::spawn(move || {
            let key = Fixture::get().signing_key("yamada.taro");
            let Ok(staff) = login(&url, "yamada.taro") else {
                return;
            };
            let Ok(custodian) = login(&url, "suzuki.hanako") else {
                return;
            };
            let mut n = t * 100_000;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let req = synthetic_request(&policy, n);
                if staff.submit(&req).is_err() {
                    continue;
                }
                acked.lock().unwrap().submitted.push(req.request_id.clone());
                let (tok, text) = token_for(&policy, &req);
                let d = DecisionUpload {
                    token: Some(text),
                    denial: None,
                };
                if custodian.decide(&req.request_id, &d).is_err() {
                    continue;
                }
                acked
                    .lock()
                    .unwrap()
                    .approved
                    .push((req.request_id.clone(), tok.clone()));
                if staff
                    .consume(&tok, &"20261127-0000-0000".parse().unwrap(), None)
                    .is_ok()
                {
                    acked.lock().unwrap().consumed.push(req.request_id.clone());
                }
                record.append();
                if let Ok(h) = staff.send_head(&record.id, &record.path, &key) {
                    acked
                        .lock()
                        .unwrap()
                        .witnessed
                        .insert(record.id.to_string(), h.seq);
                }
            }
        }));
    }
    threads
}

/// [`load`] running: its clients go on until [`Load::finish`].
struct Load {
    stop: Arc<AtomicBool>,
    acked: Arc<Mutex<Acked>>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Load {
    fn start(url: &str, dir: &std::path::Path, policy: &okuri::policy::Policy) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let acked = Arc::new(Mutex::new(Acked::default()));
        let threads = load(url, dir, policy, &stop, &acked);
        Load {
            stop,
            acked,
            threads,
        }
    }

    /// Waits until `n` consumptions are acknowledged, or `secs` seconds; how many there are.
    fn until_consumed(&self, n: usize, secs: u64) -> usize {
        let started = Instant::now();
        let consumed = || self.acked.lock().unwrap().consumed.len();
        while consumed() < n && started.elapsed() < Duration::from_secs(secs) {
            std::thread::sleep(Duration::from_millis(50));
        }
        consumed()
    }

    /// Stops the clients; what the service acknowledged.
    fn finish(self) -> Acked {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads {
            t.join().unwrap();
        }
        std::mem::take(&mut *self.acked.lock().unwrap())
    }
}

fn check_acked(url: &str, acked: &Acked) {
    let auditor = login(url, "kansa.hanako").unwrap();
    assert!(!acked.submitted.is_empty(), "the load did nothing");
    for id in &acked.submitted {
        let v = auditor
            .get(id)
            .unwrap_or_else(|e| panic!("acknowledged request {id} lost: {:?}", e));
        if acked.consumed.contains(id) {
            assert_eq!(v.status, Status::Consumed, "{id}");
        } else if acked.approved.iter().any(|(r, _)| r == id) {
            assert!(
                matches!(v.status, Status::Approved | Status::Consumed),
                "{id}: {:?}",
                v.status
            );
        }
    }
    let staff = login(url, "yamada.taro").unwrap();
    assert!(!acked.witnessed.is_empty(), "nothing was witnessed");
    for (record, seq) in &acked.witnessed {
        let head = staff
            .witness(&record.parse().unwrap())
            .unwrap()
            .unwrap_or_else(|| panic!("acknowledged head of {record} lost"));
        assert!(head.seq >= *seq, "{record}: {} < {seq}", head.seq);
    }
}

#[test]
fn kill_9_and_restarts_under_load_lose_nothing_acknowledged() {
    let (env, mut svc) = Env::with_service();
    let policy = okuri::policy::Policy::load(Some(&env.policy)).unwrap();
    for phase in ["kill -9", "SIGTERM"] {
        let load = Load::start(&svc.url, env.dir.path(), &policy);
        load.until_consumed(20, 20);
        if phase == "kill -9" {
            svc.kill9();
        } else {
            let status = svc.terminate();
            assert!(
                status.success(),
                "SIGTERM: {status:?}\n{}",
                svc.log.lock().unwrap()
            );
        }
        let a = load.finish();
        svc = Service::start(&svc.config.clone());
        check_acked(&svc.url, &a);
        eprintln!(
            "{phase}: {} submitted, {} approved, {} consumed, {} heads witnessed acknowledged; \
             none lost",
            a.submitted.len(),
            a.approved.len(),
            a.consumed.len(),
            a.witnessed.len()
        );
    }
}

#[test]
fn bad_configurations_stop_the_service_with_a_message() {
    let env = Env::new();
    let run = |cfg: &str| -> Run {
        env.write("bad.toml", cfg.as_bytes());
        std::process::Command::new(env!("CARGO_BIN_EXE_okuri-approvald"))
            .arg("--config")
            .arg(env.path("bad.toml"))
            .output()
            .unwrap()
            .into()
    };
    env.write("staff.toml", b"version = 1\n");
    env.write("open-password", b"secret\n");
    std::fs::set_permissions(
        env.path("open-password"),
        std::os::unix::fs::PermissionsExt::from_mode(0o644),
    )
    .unwrap();
    let good = "database = \"db.sqlite\"\npolicy = \"policy.toml\"\nrecipients = \"recipients.toml\"\nstaff = \"staff.toml\"\n";
    for (cfg, want) in [
        (format!("{good}colour = 1\n"), "unknown field `colour`"),
        (
            format!("listen = \"0.0.0.0:8441\"\n{good}"),
            "not a loopback address, and there is no [tls]",
        ),
        (good.replace("staff.toml", "nope.toml"), "does not exist"),
        (
            good.replace("db.sqlite", "no/such/dir/db.sqlite"),
            "database directory",
        ),
        (good.replace("policy.toml", "recipients.toml"), "not valid"),
        (
            format!("{good}[tls]\ncert = \"recipients.toml\"\nkey = \"recipients.toml\"\n"),
            "cannot use the TLS certificate",
        ),
        (
            format!("listen = \"nonsense\"\n{good}"),
            "invalid socket address",
        ),
        // PostgreSQL: never a password in the configuration, never plain text over a network
        // by accident.
        (
            good.replace(
                "db.sqlite",
                "postgres://okuri:secret@db.example/okuri?sslmode=disable",
            ),
            "holds a password",
        ),
        (
            good.replace(
                "db.sqlite",
                "postgres://okuri@db.example/okuri?password=secret",
            ),
            "holds a password",
        ),
        (
            good.replace("db.sqlite", "postgres://okuri@db.example/okuri"),
            "sslmode=require with database_ca_file",
        ),
        (
            good.replace(
                "db.sqlite",
                "postgres://okuri@db.example/okuri?sslmode=require",
            ),
            "sslmode=require with database_ca_file",
        ),
        (
            good.replace(
                "db.sqlite",
                "postgres://okuri@db.example/okuri?sslmode=sometimes",
            ),
            "neither a SQLite file nor a PostgreSQL URL",
        ),
        (
            format!("{good}database_password_file = \"staff.toml\"\n"),
            "for a PostgreSQL database",
        ),
        (
            good.replace(
                "db.sqlite",
                "postgres://okuri@db.example/okuri?sslmode=disable",
            ) + "database_password_file = \"no-such-file\"\n",
            "does not exist",
        ),
        (
            good.replace(
                "db.sqlite",
                "postgres://okuri@db.example/okuri?sslmode=disable",
            ) + "database_password_file = \"open-password\"\n",
            "can be read by others",
        ),
        (
            good.replace(
                "db.sqlite",
                "postgres://okuri@db.example/okuri?sslmode=disable",
            ) + "database_ca_file = \"staff.toml\"\n",
            "the connection would be plain text",
        ),
        (
            format!("{good}[limits]\npool_size = 0\n"),
            "limits.pool_size",
        ),
        (
            format!("{good}[limits]\nrequest_timeout_ms = 5\n"),
            "limits.request_timeout_ms",
        ),
    ] {
        let r = run(&cfg);
        assert_ne!(r.code, 0, "{cfg}");
        assert!(
            r.stderr.contains("okuri-approvald: error:"),
            "{cfg}\n{}",
            r.stderr
        );
        assert!(
            r.stderr.contains(want),
            "{cfg}\nwanted {want:?} in\n{}",
            r.stderr
        );
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    }
    env.write("bad.toml", good.as_bytes());
    let r: Run = std::process::Command::new(env!("CARGO_BIN_EXE_okuri-approvald"))
        .args(["--config"])
        .arg(env.path("bad.toml"))
        .arg("--check")
        .output()
        .unwrap()
        .into();
    r.ok();
    assert!(r.stdout.contains("configuration OK"));
}

/// The schema is versioned: a database of a release before versions (the same tables, no
/// `schema_migrations`) adopts version 1 with its rows kept; `migrate` says what it applied and
/// where the database stands, and applies nothing the second time; a database of a newer
/// release is refused (exit 4) by `migrate` and `--check`, and nothing is written to it.
#[test]
fn the_schema_is_versioned_and_a_newer_database_is_refused() {
    let (env, svc) = Env::with_service();
    env.labelled("memo.txt", b"memo", "II");
    let id = submit(&env, "memo.txt", "kameoka-print", "email", &[]);
    drop(svc);
    let db = env.path("approvald.sqlite");
    let c = rusqlite::Connection::open(&db).unwrap();
    let versions = |c: &rusqlite::Connection| -> Vec<u32> {
        let mut st = c
            .prepare("SELECT version FROM schema_migrations ORDER BY version")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(versions(&c), [1, 2, 3]);
    // As a release before versioned migrations left it.
    c.execute_batch(
        "DROP TABLE schema_migrations; DROP TABLE secrets; DROP TABLE console_pending; \
         DROP INDEX decisions_by_custodian",
    )
    .unwrap();
    let run = |args: &[&str]| approvald(&env, args);
    let r = run(&["migrate"]);
    r.ok();
    assert!(
        r.stdout.contains("applied schema migration 1 (baseline)")
            && r.stdout
                .contains("applied schema migration 2 (shared_secrets)")
            && r.stdout
                .contains("applied schema migration 3 (console_pending)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("is at schema version 3"), "{}", r.stdout);
    let r = run(&["migrate"]);
    r.ok();
    assert!(!r.stdout.contains("applied"), "{}", r.stdout);
    assert_eq!(versions(&c), [1, 2, 3]);
    // The request made before is still there, as it was.
    let svc = Service::start(&env.path("approvald.toml"));
    assert_eq!(status_of(&env, &id)["status"], "pending");
    drop(svc);
    // A newer release's database: refused, and left as it is.
    c.execute(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'then')",
        [],
    )
    .unwrap();
    for args in [&["migrate"][..], &["--check"]] {
        let r = run(args);
        r.code(4);
        assert!(
            r.stderr.contains("schema version 99") && r.stderr.contains("up to 3"),
            "{args:?}: {}",
            r.stderr
        );
    }
    assert_eq!(versions(&c), [1, 2, 3, 99]);
    let n: u32 = c
        .query_row("SELECT count(*) FROM requests", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}

/// A test CA and a certificate it signs for `localhost` and 127.0.0.1: (CA, certificate, key),
/// in PEM.
fn test_ca() -> (String, String, String) {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "亀岡市 テスト CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let mut leaf_params = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    leaf_params
        .subject_alt_names
        .push(rcgen::SanType::IpAddress("127.0.0.1".parse().unwrap()));
    let leaf = leaf_params.signed_by(&leaf_key, &issuer).unwrap();
    (ca.pem(), leaf.pem(), leaf_key.serialize_pem())
}

#[test]
fn tls_with_the_city_ca() {
    let mut env = Env::new();
    let (ca, cert, key) = test_ca();
    env.write("tls/cert.pem", cert.as_bytes());
    env.write("tls/key.pem", key.as_bytes());
    env.write("tls/ca.pem", ca.as_bytes());
    let port = free_port();
    env.service_policy(
        &format!("https://127.0.0.1:{port}"),
        Some(&env.path("tls/ca.pem")),
    );
    env.write(
        "approvald.toml",
        format!("listen = \"127.0.0.1:{port}\"\ndatabase = \"{}\"\npolicy = \"policy.toml\"\nrecipients = \"recipients.toml\"\nstaff = \"staff.toml\"\n[tls]\ncert = \"tls/cert.pem\"\nkey = \"tls/key.pem\"\n", env.database()).as_bytes(),
    );
    let svc = Service::start(&env.path("approvald.toml"));
    assert!(svc.url.starts_with("https://"), "{}", svc.url);
    env.labelled("memo.txt", b"memo", "II");
    let id = submit(&env, "memo.txt", "kameoka-print", "email", &[]);
    assert_eq!(status_of(&env, &id)["status"], "pending");
    // Without the city's CA the client does not trust the service.
    let text = std::fs::read_to_string(&env.policy).unwrap();
    let ca_line = format!("ca = \"{}\"\n", env.path("tls/ca.pem").display());
    std::fs::write(&env.policy, text.replace(&ca_line, "")).unwrap();
    // A TLS failure is an error, not "unreachable" (issue 10, point 3): no offline fallback.
    let r = env.run(&["request", "status", &id]);
    r.code(1);
    assert!(r.stderr.contains("could not be used"), "{}", r.stderr);
    assert!(!r.stderr.contains("cannot be reached"), "{}", r.stderr);
}

/// With a service in the policy, a pack that uses an approval must log in, so that the service
/// keeps the token to one use: a token file with no key to log in with is an error, never a
/// quiet offline pack (a pack without approval may go on, unwitnessed).
#[test]
fn a_token_file_needs_a_login_when_the_policy_names_a_service() {
    let (env, _svc) = Env::with_service();
    env.labelled("memo.txt", b"memo", "II");
    let token = env.approved("memo.txt", "kameoka-print", "email", &[]);
    std::fs::remove_file(env.home.join("keys/yamada.taro")).unwrap();
    let r = env.pack_to(
        "memo.txt",
        "kameoka-print",
        "email",
        &["--approval", &token],
    );
    r.code(2);
    assert!(r.stderr.contains("needs your key"), "{}", r.stderr);
    assert!(env.files("out").is_empty() && env.files("slips").is_empty());
    env.labelled("flyer.txt", b"flyer", "III");
    let r = env.pack_to("flyer.txt", "kameoka-print", "email", &[]);
    r.ok();
    assert!(r.stderr.contains("will not be witnessed"), "{}", r.stderr);
}

#[test]
fn a_service_that_is_down_gives_a_clear_message_and_the_offline_path() {
    let mut env = Env::new();
    let port = free_port();
    env.service_policy(&format!("http://127.0.0.1:{port}"), None);
    env.labelled("memo.txt", b"memo", "II");
    env.labelled("tax.csv", b"tax", "I");
    let r = env.run(&[
        "request",
        "memo.txt",
        "--to",
        "kameoka-print",
        "--channel",
        "email",
        "--purpose",
        "x",
        "--submit",
    ]);
    r.code(1);
    assert!(
        r.stderr.contains("cannot be reached") && r.stderr.contains("hint:"),
        "{}",
        r.stderr
    );
    assert!(
        env.record_entries().is_empty(),
        "a request nobody received was recorded"
    );
    // Class II: a token file still works (policy: offline_tokens = true), with a warning.
    let t2 = env.approved("memo.txt", "kameoka-print", "email", &[]);
    let r = env.run(&[
        "pack",
        "memo.txt",
        "--to",
        "kameoka-print",
        "--channel",
        "email",
        "--approval",
        &t2,
        "--out",
        "out",
        "--slip",
        "slips/m",
        "--json",
    ]);
    r.ok();
    assert!(r.stderr.contains("cannot be reached"), "{}", r.stderr);
    assert_eq!(r.json()["consumed_at_service"], false);
    // A pack that stops at its input never needed the service: no word of it.
    std::fs::create_dir_all(env.path("a-directory")).unwrap();
    for input in ["a-directory", "no-such-file.txt"] {
        let r = env.pack(input, "email", &[]);
        assert_ne!(r.code, 0);
        assert!(
            !r.stderr.contains("cannot be reached"),
            "{input}: {}",
            r.stderr
        );
    }
    // Class I: not offline (offline_tokens = false); refused and recorded, nothing left.
    let t1 = env.approved(
        "tax.csv",
        "kyoto-pref",
        "lgwan",
        &["--legal-basis", "地方税法"],
    );
    let r = env.run(&[
        "pack",
        "tax.csv",
        "--to",
        "kyoto-pref",
        "--channel",
        "lgwan",
        "--approval",
        &t1,
        "--out",
        "out",
        "--slip",
        "slips/t",
    ]);
    env.refused(&r, "offline-token-refused");
    assert!(r.stderr.contains("offline"), "{}", r.stderr);
    assert_eq!(
        env.record_entries().last().unwrap()["reason"]["code"],
        "offline-token-refused"
    );
    assert!(!env.path("out/tax.csv.age").exists() && !env.path("slips/t").exists());
    // A request id needs the service.
    let r = env.run(&[
        "pack",
        "memo.txt",
        "--to",
        "kameoka-print",
        "--channel",
        "email",
        "--approval",
        "req-0123456789abcdef0123456789abcdef",
        "--out",
        "out",
        "--slip",
        "slips/x",
    ]);
    r.code(1);
    assert!(r.stderr.contains("cannot be reached"), "{}", r.stderr);
}

/// A session expires: the service's clock (a test hook) moves past it across a restart, and
/// the old session is refused.
#[test]
fn an_expired_session_is_refused() {
    let (env, mut svc) = Env::with_service();
    svc.kill9();
    let cfg = env.path("approvald.toml");
    svc = Service::start_with(
        &cfg,
        &[("OKURI_TEST_NOW", "2026-11-27T10:00:00+09:00[+09:00]")],
    );
    let yamada = login(&svc.url, "yamada.taro").unwrap();
    yamada.list(None).unwrap();
    svc.kill9();
    svc = Service::start_with(
        &cfg,
        &[("OKURI_TEST_NOW", "2026-11-27T10:16:00+09:00[+09:00]")],
    );
    match yamada.list(None) {
        Err(Failure::Refused {
            status: 401,
            message,
            ..
        }) => {
            assert!(message.contains("expired"), "{message}")
        }
        other => panic!("expected 401 expired, got {other:?}"),
    }
    drop(svc);
}

/// Witnessing an empty record that nothing was witnessed for is a 404 with a message, not a
/// crash of the request (the first pack of a new home can fail before it records anything).
#[test]
fn witnessing_an_empty_record_is_not_a_crash() {
    let (env, svc) = Env::with_service();
    let yamada = login(&svc.url, "yamada.taro").unwrap();
    let empty = env.write("empty.jsonl", b"");
    let key = Fixture::get().signing_key("yamada.taro");
    let record = okuri::net::client::record_id(&"yamada.taro".parse().unwrap());
    match yamada.send_head(&record, &empty, &key) {
        Err(okuri::net::client::Failure::Refused { status, code, .. }) => {
            assert_eq!((status, code.as_str()), (404, "not-found"));
        }
        other => panic!("expected 404, got {:?}", other.map(|h| h.seq)),
    }
    // The service is still there.
    assert!(yamada.witness(&record).unwrap().is_none());
}

/// The service's errors are codes with English text, and the CLI says them in its user's
/// language from the message id and arguments the service sent.
#[test]
fn the_cli_says_the_service_s_errors_in_its_language() {
    let (env, _svc) = Env::with_service();
    let missing = "req-00000000000000000000000000000000";
    let r = env.run(&["--lang", "ja", "request", "status", missing]);
    r.code(4).says("ja", "api-no-request");
    assert!(r.stderr.contains(missing), "{}", r.stderr);
    let r = env.run(&["--lang", "en", "request", "status", missing]);
    r.code(4).says("en", "api-no-request");
}

/// A session made by hand (challenge, SSHSIG, session), so that a test can send what the
/// client would never form. Returns the agent (statuses are not errors) and the bearer header.
fn by_hand(svc: &Service, id: &str) -> (ureq::Agent, String) {
    let (agent, bearer, _) = by_hand_across(&svc.url, &svc.url, id);
    (agent, bearer)
}

/// Logs in by hand: the challenge asked at `asked`, answered at `answered` (two instances, or
/// one). The agent, the bearer header, and the answer as sent (to replay it).
fn by_hand_across(
    asked: &str,
    answered: &str,
    id: &str,
) -> (ureq::Agent, String, serde_json::Value) {
    let key = Fixture::get().signing_key(id);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let json = |res: &mut ureq::http::Response<ureq::Body>| -> serde_json::Value {
        res.body_mut().read_json().expect("a JSON body")
    };
    let mut res = agent
        .post(format!("{asked}/v1/auth/challenge"))
        .send_json(serde_json::json!({ "id": id }))
        .unwrap();
    let ch = json(&mut res)["challenge"].as_str().unwrap().to_owned();
    let sig = key
        .sign(
            okuri::net::wire::NS_AUTH,
            &okuri::net::wire::auth_message(id, &ch),
        )
        .unwrap()
        .to_pem(ssh_key::LineEnding::LF)
        .unwrap();
    let answer = serde_json::json!({"id": id, "challenge": ch, "signature": sig});
    let mut res = agent
        .post(format!("{answered}/v1/auth/session"))
        .send_json(&answer)
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let bearer = format!("Bearer {}", json(&mut res)["session"].as_str().unwrap());
    (agent, bearer, answer)
}

/// `GET /v1/requests` a page at a time: every request exactly once, newest first, the next
/// page named by a header until the last; a place that is not a request is an error, not an
/// empty page. `okuri approvals list` reads every page.
#[test]
fn requests_are_listed_a_page_at_a_time() {
    let (env, svc) = Env::with_service();
    let mut ids = Vec::new();
    for i in 0..5 {
        let f = format!("p{i}.txt");
        env.labelled(&f, format!("page {i}").as_bytes(), "II");
        ids.push(submit(&env, &f, "kameoka-print", "email", &[]));
    }
    let (agent, bearer) = by_hand(&svc, "yamada.taro");
    let get = |q: &str| {
        let mut res = agent
            .get(format!("{}/v1/requests{q}", svc.url))
            .header("authorization", &bearer)
            .call()
            .unwrap();
        let next = res
            .headers()
            .get("okuri-next-after")
            .map(|v| v.to_str().unwrap().to_owned());
        let status = res.status().as_u16();
        let body: serde_json::Value = res.body_mut().read_json().unwrap();
        (status, body, next)
    };
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let q = match &after {
            Some(a) => format!("?limit=2&after={a}"),
            None => "?limit=2".to_owned(),
        };
        let (status, page, next) = get(&q);
        assert_eq!(status, 200, "{page}");
        pages += 1;
        let page = page.as_array().unwrap().clone();
        seen.extend(page.iter().map(|v| {
            (
                v["submitted_at"].as_str().unwrap().to_owned(),
                v["request"]["request_id"].as_str().unwrap().to_owned(),
            )
        }));
        match next {
            Some(n) => {
                assert_eq!(page.len(), 2);
                assert_eq!(Some(&n), seen.last().map(|s| &s.1));
                after = Some(n);
            }
            None => break,
        }
        assert!(pages < 10, "the pages never end");
    }
    assert_eq!(pages, 3);
    let mut got: Vec<String> = seen.iter().map(|s| s.1.clone()).collect();
    assert!(
        seen.windows(2).all(|w| w[0].0 >= w[1].0),
        "not newest first: {seen:?}"
    );
    got.sort();
    let mut want = ids.clone();
    want.sort();
    assert_eq!(got, want);
    for (after, status, code) in [
        ("req-00000000000000000000000000000000", 404, "not-found"),
        ("nonsense", 400, "bad-request"),
    ] {
        let (s, body, next) = get(&format!("?after={after}"));
        assert_eq!(
            (s, body["error"]["code"].as_str()),
            (status, Some(code)),
            "{body}"
        );
        assert!(next.is_none());
    }
    // The command line reads every page (two requests a page here).
    let r = env.custodian(
        "suzuki.hanako",
        &["approvals", "list", "--json"],
        &[("OKURI_TEST_PAGE", "2")],
    );
    let mut listed: Vec<String> = r
        .ok()
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["request"]["request_id"].as_str().unwrap().to_owned())
        .collect();
    listed.sort();
    assert_eq!(listed, want);
}

/// Issue 9, point 9: a bad query string (or path parameter) came back as axum's `text/plain`,
/// not the documented JSON error.
#[test]
fn query_string_errors_are_json_errors() {
    let (_env, svc) = Env::with_service();
    let (agent, bearer) = by_hand(&svc, "yamada.taro");
    for (path, code) in [
        ("/v1/requests?limit=many", "bad-query"),
        ("/v1/requests?colour=blue", "bad-query"),
        ("/v1/requests?limit=-1", "bad-query"),
        ("/v1/witness/%FF%FE", "bad-path"),
    ] {
        let mut res = agent
            .get(format!("{}{path}", svc.url))
            .header("authorization", &bearer)
            .call()
            .unwrap();
        assert_eq!(res.status().as_u16(), 400, "{path}");
        let ct = res
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(ct.as_deref(), Some("application/json"), "{path}");
        let j: serde_json::Value = res.body_mut().read_json().expect("a JSON body");
        assert_eq!(j["error"]["code"], code, "{path}: {j}");
        assert!(j["error"]["id"].as_str().is_some(), "{path}: {j}");
    }
}

/// Issue 9, point 7: the witness matched record ids by prefix and ids could hold `@`, so
/// `yamada.taro` could read and write `yamada.taro@soumu@vm`, the record of a person
/// `yamada.taro@soumu`. A record's owner is now compared whole, and no id holds an `@`.
#[test]
fn witness_matches_record_ids_exactly() {
    let (env, svc) = Env::with_service();
    let key = Fixture::get().signing_key("yamada.taro");
    let (agent, bearer) = by_hand(&svc, "yamada.taro");
    let json = |res: &mut ureq::http::Response<ureq::Body>| -> serde_json::Value {
        res.body_mut().read_json().expect("a JSON body")
    };

    let line =
        r#"{"seq":1,"prev":"0000000000000000000000000000000000000000000000000000000000000000"}"#;
    let hash = okuri::base::digest::Blake3::of(format!("{line}\n").as_bytes());
    for record in [
        "yamada.taro@soumu@vm",
        "Yamada.Taro@vm",
        "yamada.taro@",
        "yamada.taro",
    ] {
        let mut res = agent
            .get(format!("{}/v1/witness/{record}", svc.url))
            .header("authorization", &bearer)
            .call()
            .unwrap();
        assert_eq!(res.status().as_u16(), 400, "GET {record}");
        assert_eq!(
            json(&mut res)["error"]["code"],
            "bad-request",
            "GET {record}"
        );
        let signature = key
            .sign(
                okuri::net::wire::NS_WITNESS,
                &okuri::net::wire::witness_message(record, 1, &hash),
            )
            .unwrap()
            .to_pem(ssh_key::LineEnding::LF)
            .unwrap();
        let mut res = agent
            .put(format!("{}/v1/witness/{record}", svc.url))
            .header("authorization", &bearer)
            .send_json(serde_json::json!({"seq": 1, "hash": hash, "lines": [line], "signature": signature}))
            .unwrap();
        assert_eq!(res.status().as_u16(), 400, "PUT {record}");
        assert_eq!(
            json(&mut res)["error"]["code"],
            "bad-request",
            "PUT {record}"
        );
    }
    // Someone else's record whose id starts like one's own is not one's own.
    let res = agent
        .get(format!("{}/v1/witness/yamada.taro2@vm", svc.url))
        .header("authorization", &bearer)
        .call()
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);
    // And no one can be given an id with an "@" (or in upper case) to begin with.
    for id in ["yamada.taro@soumu", "Yamada.Taro"] {
        let r = env.run(&["keygen", "--id", id, "--role", "staff"]);
        assert_ne!(r.code, 0, "{id}");
        r.says("en", "key-bad-id");
    }
}

/// Issue 9, point 6, at the service: a decision whose token is valid for longer than the
/// policy's `max_validity_hours` is refused (400) and the request stays pending; a token of
/// exactly the limit is taken.
#[test]
fn the_service_refuses_a_token_longer_than_the_policy_allows() {
    let (env, svc) = Env::with_service();
    let policy = okuri::policy::Policy::load(Some(&env.policy)).unwrap();
    let key = Fixture::get().signing_key("suzuki.hanako");
    let max = i64::from(policy.approval.max_validity_hours);
    let yamada = login(&svc.url, "yamada.taro").unwrap();
    let suzuki = login(&svc.url, "suzuki.hanako").unwrap();
    let req = synthetic_request(&policy, 1);
    yamada.submit(&req).unwrap();
    let decide = |hours: i64| {
        let (_, text) = synthetic::token(&policy, &key, &req, hours);
        suzuki.decide(
            &req.request_id,
            &DecisionUpload {
                token: Some(text),
                denial: None,
            },
        )
    };
    match decide(max + 1) {
        Err(Failure::Refused { status, code, .. }) => {
            assert_eq!((status, code.as_str()), (400, "bad-request"));
        }
        other => panic!("expected 400, got {:?}", other.map(|v| v.status)),
    }
    assert_eq!(
        status_of(&env, req.request_id.as_str())["status"],
        "pending"
    );
    decide(max).unwrap();
}

/// A stand-in for the service that answers every connection with `reply` and closes.
fn answering(reply: &'static [u8]) -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    std::thread::spawn(move || {
        for s in l.incoming() {
            let Ok(mut s) = s else { continue };
            let mut buf = [0u8; 4096];
            let _ = std::io::Read::read(&mut s, &mut buf);
            let _ = std::io::Write::write_all(&mut s, reply);
        }
    });
    url
}

/// Issue 10, point 3: only a failure to connect to the service counts as "unreachable" (and
/// may fall back offline where the rules allow). A proxy variable pointing nowhere, a `503`,
/// or an answer that is not HTTP were ways for a staff member to make the service look gone
/// and use a class II token offline; now the first is ignored and the others are errors.
#[test]
fn the_service_cannot_be_made_to_look_unreachable() {
    // The environment's proxy is not used: the real service is reached, the token consumed.
    let (env, _svc) = Env::with_service();
    env.labelled("memo.txt", b"memo", "II");
    let id = submit(&env, "memo.txt", "kameoka-print", "email", &[]);
    env.custodian("suzuki.hanako", &["approve", &id], &[]).ok();
    let dead = format!("http://127.0.0.1:{}", free_port());
    let proxies = [
        "ALL_PROXY",
        "all_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
    ];
    let r: Run = env
        .cmd()
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .envs(proxies.map(|k| (k, dead.as_str())))
        .args([
            "pack",
            "memo.txt",
            "--to",
            "kameoka-print",
            "--channel",
            "email",
        ])
        .args([
            "--approval",
            &id,
            "--out",
            "out",
            "--slip",
            "slips/m",
            "--json",
        ])
        .output()
        .unwrap()
        .into();
    assert_eq!(r.ok().json()["consumed_at_service"], true, "{}", r.stderr);

    // A 503, and an answer that is not HTTP at all: errors, not the offline path.
    for (reply, says) in [
        (
            &b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                [..],
            "503",
        ),
        (&b"this is not HTTP\r\n\r\n"[..], "could not be used"),
    ] {
        let mut env = Env::new();
        env.service_policy(&answering(reply), None);
        env.labelled("memo.txt", b"memo", "II");
        let t2 = env.approved("memo.txt", "kameoka-print", "email", &[]);
        let r = pack_id(&env, "memo.txt", "kameoka-print", "email", &t2, "out");
        assert_ne!(
            r.code, 0,
            "packed offline past a service that answered: {}",
            r.stderr
        );
        assert!(!r.stderr.contains("cannot be reached"), "{}", r.stderr);
        assert!(r.stderr.contains(says), "{}", r.stderr);
        assert!(!env.path("out/memo.txt.age").exists() && !env.path("slips/m").exists());
    }
}

/// Issue 10, point 5: a session outlived its person. Roles are now worked out from the
/// documents in force on every call, SIGHUP reloads them without a restart (a file that does
/// not load leaves the old ones in force), and a session can be ended (logout).
#[test]
fn a_session_ends_with_its_person_and_on_logout() {
    let (env, svc) = Env::with_service();
    let kimura = login(&svc.url, "kimura.jiro").unwrap();
    let yamada = login(&svc.url, "yamada.taro").unwrap();
    kimura.list(None).unwrap();
    let staff = env.path("staff.toml");
    let before = std::fs::read_to_string(&staff).unwrap();
    let hup = |svc: &Service| {
        let s = std::process::Command::new("kill")
            .args(["-HUP", &svc.child.id().to_string()])
            .status()
            .unwrap();
        assert!(s.success());
        // The reload is logged once done.
        for _ in 0..100 {
            if svc.log.lock().unwrap().matches("reload").count() > 0 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    };
    // A directory that does not load: the documents in force stay, the service keeps serving.
    std::fs::write(&staff, "version = 1\n[[person]]\nid = \"broken\n").unwrap();
    hup(&svc);
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(
        svc.log.lock().unwrap().contains("reload failed"),
        "{}",
        svc.log.lock().unwrap()
    );
    kimura.list(None).unwrap();
    // 木村 leaves: his session ends with the next reload, 山田's goes on.
    let start = before.find("[[person]]\nid = \"kimura.jiro\"").unwrap();
    let end = start + before[start + 1..].find("[[person]]").unwrap() + 1;
    let without = format!("{}{}", &before[..start], &before[end..]);
    assert!(!without.contains("kimura.jiro"));
    svc.log.lock().unwrap().clear();
    std::fs::write(&staff, &without).unwrap();
    hup(&svc);
    match kimura.list(None) {
        Err(Failure::Refused {
            status: 401,
            detail,
            ..
        }) => assert_eq!(
            detail.map(|m| m.id.to_string()).as_deref(),
            Some("api-session-revoked")
        ),
        other => panic!("a removed person's session still works: {other:?}"),
    }
    yamada.list(None).unwrap();
    // Logout ends a session at once.
    yamada.logout().unwrap();
    match yamada.list(None) {
        Err(Failure::Refused { status: 401, .. }) => {}
        other => panic!("a session works after logout: {other:?}"),
    }
}

/// Issue 10, point 3: with a service configured, a token file a custodian approved offline
/// (`okuri approve REQ --out FILE`) failed with "no approved token (404)". It is now checked by
/// the service with the one verification and consumed there, once; the request shows as
/// consumed to its requester and to auditors.
#[test]
fn an_offline_token_file_is_consumed_at_the_service() {
    let (env, svc) = Env::with_service();
    env.labelled("memo.txt", b"memo", "II");
    let token = env.approved("memo.txt", "kameoka-print", "email", &[]);
    let token = env.path(&token).display().to_string();
    let t = okuri::signed::approval::Token::load(std::path::Path::new(&token)).unwrap();
    let id = t.payload.request.request_id.to_string();
    let j = pack_id(&env, "memo.txt", "kameoka-print", "email", &token, "out")
        .ok()
        .json();
    assert_eq!(j["consumed_at_service"], true);
    let v = status_of(&env, &id);
    assert_eq!(v["status"], "consumed");
    assert_eq!(v["decided_by"], "suzuki.hanako");
    assert_eq!(v["consumed"]["transfer_id"], j["transfer_id"]);
    // The service holds it now: a second use from another home of the same person is refused
    // by the service, not only by this machine's record.
    let mut other = Env::new();
    other.service_policy(&svc.url, None);
    other.labelled("memo.txt", b"memo", "II");
    let r = pack_id(&other, "memo.txt", "kameoka-print", "email", &token, "out");
    other.refused(&r, "token-reused");
    assert!(r.stderr.contains("already used"), "{}", r.stderr);
    // A token edited after signing is refused by the service's own verification (the client
    // would refuse it first; this asks the service directly), and nothing is recorded.
    env.labelled("b.txt", b"b", "II");
    let b = env.path(&env.approved("b.txt", "kameoka-print", "email", &[]));
    let tb = okuri::signed::approval::Token::load(&b).unwrap();
    let text = std::fs::read_to_string(&b).unwrap();
    let edited = text.replacen("\"purpose\"", "\"purpose\" ", 1);
    assert_ne!(edited, text, "the token has no purpose field to edit");
    let yamada = login(&svc.url, "yamada.taro").unwrap();
    let transfer = "20261127-0000-0042".parse().unwrap();
    match yamada.consume(&tb.payload.token_id, &transfer, Some(&edited)) {
        Err(Failure::Refused { status, .. }) if status == 400 || status == 403 => {}
        other => panic!("an edited token was taken: {other:?}"),
    }
    let id_b = tb.payload.request.request_id.to_string();
    let r = yamada.get(&id_b.parse().unwrap());
    assert!(
        matches!(r, Err(Failure::Refused { status: 404, .. })),
        "{r:?}"
    );
    // The token as signed is taken.
    yamada
        .consume(&tb.payload.token_id, &transfer, Some(&text))
        .unwrap();
}

/// Issue 10, point 3: a token used offline (the service down, the rules allowing it for class
/// II) is marked so in its record entry; the service learns of the use when the record is
/// next witnessed; a token used by two transfers (offline on two machines) is a violation
/// custodians and auditors see, and an online use after an offline one is refused.
#[test]
fn a_token_used_offline_twice_is_a_violation_the_service_shows() {
    let (mut env, mut svc) = Env::with_service();
    env.extra_env
        .push(("OKURI_TEST_HOST".into(), "pc-a".into()));
    env.labelled("memo.txt", b"memo", "II");
    env.labelled("flyer.txt", b"flyer", "III");
    let token = env.path(&env.approved("memo.txt", "kameoka-print", "email", &[]));
    let token = token.display().to_string();
    let mut other = Env::new();
    other.service_policy(&svc.url, None);
    other
        .extra_env
        .push(("OKURI_TEST_HOST".into(), "pc-b".into()));
    other.labelled("memo.txt", b"memo", "II");
    other.labelled("poster.txt", b"poster", "III");
    // The service is down: both machines use the one token offline (class II allows it).
    svc.kill9();
    for e in [&env, &other] {
        let r = pack_id(e, "memo.txt", "kameoka-print", "email", &token, "out");
        assert_eq!(r.ok().json()["consumed_at_service"], false);
        let last = e.record_entries().pop().unwrap();
        assert_eq!(
            (last["outcome"].as_str(), last["token_offline"].as_bool()),
            (Some("packed"), Some(true))
        );
    }
    // Back up: each machine's next pack has its record witnessed, offline entries included.
    svc.restart();
    for (e, file) in [(&env, "flyer.txt"), (&other, "poster.txt")] {
        let r = e.pack_to(file, "kameoka-print", "email", &[]);
        r.ok();
        assert!(!r.stderr.contains("not witnessed"), "{}", r.stderr);
    }
    let ids: Vec<String> = [&env, &other]
        .iter()
        .map(|e| {
            e.record_entries()
                .iter()
                .find(|x| x["outcome"] == "packed" && x["token_offline"] == true)
                .unwrap()["transfer_id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let auditor = login(&svc.url, "kansa.hanako").unwrap();
    let v = auditor.violations().unwrap();
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].first_transfer, ids[0]);
    assert_eq!(v[0].transfer_id, ids[1]);
    assert_eq!(v[0].by, "yamada.taro");
    assert_eq!(v[0].record, "yamada.taro@pc-b");
    // The custodian sees it with okuri too, also as JSON.
    let j = env
        .custodian("suzuki.hanako", &["approvals", "violations", "--json"], &[])
        .ok()
        .json();
    assert_eq!(j["tokens"][0]["token_id"], v[0].token_id.as_str(), "{j}");
    let r = env.custodian("suzuki.hanako", &["approvals", "violations"], &[]);
    r.ok();
    assert!(
        r.stdout.contains(&v[0].token_id) && r.stdout.contains(&ids[1]),
        "{}",
        r.stdout
    );
    // Staff do not see the list.
    let yamada = login(&svc.url, "yamada.taro").unwrap();
    assert!(matches!(
        yamada.violations(),
        Err(Failure::Refused { status: 403, .. })
    ));
    // And the token, used offline, cannot be used online.
    let t = okuri::signed::approval::Token::load(std::path::Path::new(&token)).unwrap();
    let text = std::fs::read_to_string(&token).unwrap();
    match yamada.consume(
        &t.payload.token_id,
        &"20261127-0000-0009".parse().unwrap(),
        Some(&text),
    ) {
        Err(Failure::Refused { status: 409, .. }) => {}
        other => panic!("an offline-used token was consumed online: {other:?}"),
    }
}

/// Issue 10, point 2: a custodian approved their own request under an alias (a staff login
/// with another id). The directory holds each person once: a key under two entries is refused,
/// and the service refuses a decision whose custodian is the requester under any of their ids
/// or keys.
#[test]
fn a_custodian_cannot_approve_their_own_request_under_an_alias() {
    let (env, mut svc) = Env::with_service();
    let f = Fixture::get();
    let public = |id: &str| {
        std::fs::read_to_string(f.dir.join(format!("{id}.pub")))
            .unwrap()
            .trim()
            .to_owned()
    };
    // 鈴木 (custodian suzuki.hanako) also logs in as staff, as suzuki.staff, with her own key.
    let staff = env.path("staff.toml");
    let mut text = std::fs::read_to_string(&staff).unwrap();
    text.push_str(&format!(
        "\n[[person]]\nid = \"suzuki.staff\"\nname = \"鈴木 花子\"\ndepartment = \"総務課\"\nroles = [\"staff\"]\nkeys = [\"{}\"]\n",
        public("suzuki.hanako")
    ));
    std::fs::write(&staff, &text).unwrap();
    svc.restart();
    let home = env.path("suzuki-staff-home");
    let as_alias = |args: &[&str]| env.run_in(&home, args);
    as_alias(&[
        "init",
        "--id",
        "suzuki.staff",
        "--name",
        "鈴木 花子",
        "--department",
        "総務課",
    ])
    .ok();
    std::fs::create_dir_all(home.join("keys")).unwrap();
    std::fs::copy(f.key("suzuki.hanako"), home.join("keys/suzuki.staff")).unwrap();
    env.labelled("memo.txt", b"memo", "II");
    let r = as_alias(&[
        "request",
        "memo.txt",
        "--to",
        "kameoka-print",
        "--channel",
        "email",
        "--purpose",
        "x",
        "--submit",
        "--json",
    ]);
    let id = r.ok().json()["request_id"].as_str().unwrap().to_owned();
    let r = env.custodian("suzuki.hanako", &["approve", &id], &[]);
    assert_ne!(
        r.code, 0,
        "approved her own request under an alias: {}",
        r.stdout
    );
    assert!(r.stderr.contains("self-approval"), "{}", r.stderr);
    let st = as_alias(&["request", "status", &id, "--json"]);
    assert_eq!(st.ok().json()["status"], "pending");
    // Nor may she refuse it through the API: a denial signed by hand (`okuri deny` refuses to
    // sign it) is refused by the service.
    let policy = okuri::policy::Policy::load(Some(&env.policy)).unwrap();
    let client = login(&svc.url, "suzuki.hanako").unwrap();
    let rid: RequestId = id.parse().unwrap();
    let req = client.get(&rid).unwrap().request;
    let signer = policy
        .trust
        .by_id(okuri::policy::trust::SignerRole::Custodian, "suzuki.hanako")
        .unwrap();
    let key = f.signing_key("suzuki.hanako");
    let payload = okuri::transfer::workflow::denial_payload(
        &policy,
        signer,
        &key.fingerprint,
        &req,
        "自分で却下",
        &okuri::sys::hooks::now(),
    )
    .unwrap();
    let bytes = okuri::signed::payload_bytes(&payload);
    let sig = key.sign(okuri::signed::NS_DENIAL, &bytes).unwrap();
    let doc = okuri::signed::Signed {
        payload: bytes,
        sig,
    }
    .render();
    let denial = DecisionUpload {
        token: None,
        denial: Some(String::from_utf8(doc).unwrap()),
    };
    match client.decide(&rid, &denial) {
        Err(Failure::Refused {
            status,
            detail: Some(m),
            ..
        }) => assert_eq!((status, m.id()), (403, "api-self-decision")),
        other => panic!("a self-denial was not refused: {other:?}"),
    }
    let st = as_alias(&["request", "status", &id, "--json"]);
    assert_eq!(st.ok().json()["status"], "pending");

    // A directory that lists one key under two entries does not load: the service refuses to
    // start with a message naming both.
    text.push_str(&format!(
        "\n[[person]]\nid = \"yamada.alias\"\nname = \"山田 太郎\"\ndepartment = \"総務課\"\nroles = [\"staff\"]\nkeys = [\"{}\"]\n",
        public("yamada.taro")
    ));
    std::fs::write(&staff, &text).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_okuri-approvald"))
        .arg("--config")
        .arg(env.path("approvald.toml"))
        .arg("--check")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{said}");
    assert!(
        said.contains("yamada.alias") && said.contains("yamada.taro"),
        "{said}"
    );
}

/// Issue 10, point 1, at the service: under the city's signed documents (`city = "etc"`) the
/// whole flow works; an older document (a rollback) is refused on reload and at start, saying
/// which serial the service holds; a staff directory the administrator did not sign is
/// refused; and a record written in development mode (no anchor, unsigned rules) is not
/// witnessed.
#[test]
fn a_signed_city_s_service_refuses_rollback_and_development_entries() {
    let (env, svc) = Env::with_signed_service();
    env.labelled("memo.txt", b"memo", "II");
    let id = submit(&env, "memo.txt", "kameoka-print", "email", &[]);
    env.custodian("suzuki.hanako", &["approve", &id], &[]).ok();
    let j = pack_id(&env, "memo.txt", "kameoka-print", "email", &id, "out")
        .ok()
        .json();
    assert_eq!(j["consumed_at_service"], true);
    let r = env.run(&["record", "verify", "--witness"]);
    r.ok();
    assert!(r.stderr.contains("witness OK"), "{}", r.stderr);

    // A newer staff directory is taken; the older one put back is a rollback.
    let f = Fixture::get();
    let old = (
        std::fs::read(env.path("etc/staff.toml")).unwrap(),
        std::fs::read(env.path("etc/staff.toml.sig")).unwrap(),
    );
    env.city_doc("staff", 2, &f.staff(), "kanri.admin");
    hup(&svc);
    assert!(
        !svc.log.lock().unwrap().contains("reload failed"),
        "{}",
        svc.log.lock().unwrap()
    );
    std::fs::write(env.path("etc/staff.toml"), &old.0).unwrap();
    std::fs::write(env.path("etc/staff.toml.sig"), &old.1).unwrap();
    hup(&svc);
    let log = svc.log.lock().unwrap().clone();
    assert!(
        log.contains("reload failed") && log.contains("serial 1, older than serial 2"),
        "{log}"
    );
    let check = |env: &Env| approvald(env, &["--check"]);
    let r = check(&env);
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("older than serial 2"), "{}", r.stderr);
    // A directory signed by a custodian, not the administrator the trust list names.
    env.city_doc("staff", 3, &f.staff(), "suzuki.hanako");
    let r = check(&env);
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("may not sign it"), "{}", r.stderr);
    env.city_doc("staff", 3, &f.staff(), "kanri.admin");
    check(&env).ok();

    // Another machine of 山田's has no anchor: development mode, pointed at the city's
    // service. Its entries say so, and the service will not witness them.
    let mut dev = Env::new();
    dev.service_policy(&svc.url, None);
    dev.extra_env
        .push(("OKURI_TEST_HOST".into(), "dev-pc".into()));
    dev.labelled("c.txt", b"c", "III");
    let r = dev.pack_to("c.txt", "kameoka-print", "email", &[]);
    r.ok();
    assert!(
        r.stderr.contains("did not witness") && r.stderr.contains("development mode"),
        "{}",
        r.stderr
    );
}

/// Issue 10, point 4: officers' designations are registered with the service when signed
/// (and timestamped by it), and `classify` and `pack` ask it by the file's digest, so a
/// designation deleted locally still counts. Here 総務課's officer first designated a file
/// class III by mistake and then re-designated it class I; the staff member kept the old
/// sidecar and deleted the new one. With the service the city's latest word (class I) holds;
/// with the service down only the local designation counts, and the record says so.
#[test]
fn a_designation_deleted_locally_still_counts_where_the_service_knows_it() {
    let (env, mut svc) = Env::with_signed_service();
    env.write("memo.txt", b"personal data");
    let r = env.designate_at(
        "memo.txt",
        "III",
        &["--store", "sidecar"],
        Some("2026-11-01T09:00:00+09:00[+09:00]"),
    );
    assert!(
        r.stderr.contains("registered with the approval service"),
        "{}",
        r.stderr
    );
    let sidecar = env.path("memo.txt.okuri-designation");
    let old = std::fs::read(&sidecar).unwrap();
    env.designate_at(
        "memo.txt",
        "I",
        &["--store", "sidecar"],
        Some("2026-11-02T09:00:00+09:00[+09:00]"),
    );
    std::fs::write(&sidecar, &old).unwrap();
    // Locally, only the mistaken class III designation is left.
    let local = env.run(&["classify", "memo.txt", "--json"]);
    let j = local.ok().json();
    assert_eq!(j[0]["class"], "I", "{j}");
    assert_eq!(j[0]["city"], "asked");
    assert!(
        j[0]["labels"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["class"] == "I"
                && l["source"]["path"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with("okuri-approvald:")),
        "{j}"
    );
    let r = env.pack_to("memo.txt", "kameoka-print", "email", &[]);
    env.refused(&r, "channel-forbidden");
    // The service down: the local designation counts alone, and the entry says so.
    svc.kill9();
    let j = env.run(&["classify", "memo.txt", "--json"]).ok().json();
    assert_eq!(
        (j[0]["class"].as_str(), j[0]["city"].as_str()),
        (Some("III"), Some("unasked"))
    );
    let r = env.pack_to("memo.txt", "株式会社テスト", "email", &[]);
    r.ok();
    let last = env.record_entries().pop().unwrap();
    assert_eq!(last["designations_unasked"], true, "{last}");
    assert_eq!(last["class"], "III");
    // Back online, the witness brings the entry to the service, which holds the stricter
    // designation: custodians and auditors see the finding.
    let svc = Service::start(&env.path("approvald.toml"));
    env.run(&["record", "verify", "--witness"]).ok();
    env.write("e.txt", b"e");
    env.designate("e.txt", "III", &["--store", "sidecar"]);
    env.pack_to("e.txt", "株式会社テスト", "email", &[]).ok();
    let auditor = login(&svc.url, "kansa.hanako").unwrap();
    let found = auditor.class_findings().unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].class.as_str(), found[0].city_class.as_str()),
        ("III", "I")
    );
    assert_eq!(found[0].transfer_id, last["transfer_id"].as_str().unwrap());
    let r = env.custodian("suzuki.hanako", &["approvals", "violations"], &[]);
    assert!(
        r.ok().stdout.contains("without asking the service"),
        "{}",
        r.stdout
    );
}

/// A witnessed entry in one person's record that claims another person's token as used
/// offline is not a use of that token: the token's requester still packs with it online.
#[test]
fn a_forged_offline_use_of_another_person_s_token_does_not_spend_it() {
    let (env, _svc) = Env::with_service();
    let f = Fixture::get();
    // 木村, on his own machine, asks and is approved.
    let mut kim = Env::bare();
    kim.service_policy(&_svc.url, None);
    kim.run(&[
        "init",
        "--id",
        "kimura.jiro",
        "--name",
        "木村 次郎",
        "--department",
        "総務課",
    ])
    .ok();
    std::fs::copy(f.key("kimura.jiro"), kim.home.join("keys/kimura.jiro")).unwrap();
    kim.extra_env
        .push(("OKURI_TEST_HOST".into(), "kimura-pc".into()));
    kim.labelled("memo.txt", b"kimura's memo", "II");
    let id = submit(&kim, "memo.txt", "kameoka-print", "email", &[]);
    env.custodian("suzuki.hanako", &["approve", &id], &[]).ok();
    let v = status_of(&kim, &id);
    let token = okuri::signed::approval::Token::parse(v["token"].as_str().unwrap().as_bytes(), "t")
        .unwrap();
    let token_id = token.payload.token_id.to_string();
    // 山田 writes into his own record a transfer that claims 木村's token, offline, chained
    // and headed consistently, and has it witnessed with his next pack.
    env.labelled("a.txt", b"a", "III");
    env.pack_to("a.txt", "kameoka-print", "email", &[]).ok();
    let text = env.record_text();
    let last: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    let mut forged = last.clone();
    let seq = last["seq"].as_u64().unwrap() + 1;
    forged["seq"] = seq.into();
    forged["prev"] =
        okuri::base::digest::Blake3::of(format!("{}\n", text.lines().last().unwrap()).as_bytes())
            .to_hex()
            .into();
    forged["transfer_id"] = "20261127-0000-0001".into();
    forged["outcome"] = "packed".into();
    forged["token_offline"] = true.into();
    forged["approval"] = serde_json::json!({
        "token_id": token_id,
        "request_id": id,
        "issuer": "suzuki.hanako",
        "key": "SHA256:x",
        "expires_at": "2099-01-01T00:00:00+09:00",
    });
    let line = format!("{}\n", serde_json::to_string(&forged).unwrap());
    std::fs::write(env.home.join("record.jsonl"), format!("{text}{line}")).unwrap();
    let head = okuri::base::digest::Blake3::of(line.as_bytes());
    std::fs::write(env.home.join("record.head"), format!("{seq} {head}\n")).unwrap();
    env.labelled("b.txt", b"b", "III");
    let r = env.pack_to("b.txt", "kameoka-print", "email", &[]);
    r.ok();
    assert!(!r.stderr.contains("did not witness"), "{}", r.stderr);
    // 木村's token is still his to use, and no violation is listed.
    let j = pack_id(&kim, "memo.txt", "kameoka-print", "email", &id, "out")
        .ok()
        .json();
    assert_eq!(j["consumed_at_service"], true);
    let auditor = login(&_svc.url, "kansa.hanako").unwrap();
    let v = auditor.violations().unwrap();
    assert!(v.is_empty(), "{v:?}");
}

/// A signed city's service witnesses only entries made under rules it has held: an entry
/// whose `development` mark was stripped (and the chain rewritten) still names other rules.
/// And a document that stops being valid while the service runs is no longer obeyed.
#[test]
fn entries_under_other_rules_are_not_witnessed_and_expired_documents_stop_the_service() {
    let (env, svc) = Env::with_signed_service();
    let mut dev = Env::new();
    dev.service_policy(&svc.url, None);
    dev.extra_env
        .push(("OKURI_TEST_HOST".into(), "dev-pc".into()));
    dev.labelled("c.txt", b"c", "III");
    dev.pack_to("c.txt", "kameoka-print", "email", &[]).ok();
    // Strip the mark from every entry and rechain, as an insider could.
    let mut prev = okuri::base::digest::Blake3::ZERO;
    let mut out = String::new();
    let mut n = 0;
    for l in dev.record_text().lines() {
        let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
        v.as_object_mut().unwrap().remove("development");
        v["prev"] = prev.to_hex().into();
        let line = format!("{}\n", serde_json::to_string(&v).unwrap());
        prev = okuri::base::digest::Blake3::of(line.as_bytes());
        out.push_str(&line);
        n += 1;
    }
    std::fs::write(dev.home.join("record.jsonl"), &out).unwrap();
    std::fs::write(dev.home.join("record.head"), format!("{n} {prev}\n")).unwrap();
    let r = dev.run(&["record", "verify"]);
    r.ok();
    dev.labelled("d.txt", b"d", "III");
    let r = dev.pack_to("d.txt", "kameoka-print", "email", &[]);
    r.ok();
    assert!(
        r.stderr.contains("did not witness")
            && r.stderr
                .contains("not rules of the city this service has worked under"),
        "{}",
        r.stderr
    );
    drop(svc);

    // A staff directory valid for a few seconds more: served until then, refused after.
    let until = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_secs(4))
        .unwrap()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    env.write(
        "etc/staff.toml",
        format!(
            "serial = 5\nvalid_until = {until}\n{}",
            Fixture::get().staff()
        )
        .as_bytes(),
    );
    env.sign("staff", "kanri.admin").ok();
    let svc = Service::start(&env.path("approvald.toml"));
    let yamada = login(&svc.url, "yamada.taro").unwrap();
    yamada.list(None).unwrap();
    std::thread::sleep(std::time::Duration::from_secs(5));
    match yamada.list(None) {
        Err(Failure::Refused {
            status: 503,
            detail,
            ..
        }) => assert_eq!(
            detail.map(|m| m.id.to_string()).as_deref(),
            Some("api-documents-expired")
        ),
        other => panic!("served under an expired directory: {other:?}"),
    }
}

/// `okuri request memo.txt … --submit --batch`: a submission that never prompts.
const MEMO_SUBMIT: [&str; 10] = [
    "request",
    "memo.txt",
    "--to",
    "kameoka-print",
    "--channel",
    "email",
    "--purpose",
    "委託業務",
    "--submit",
    "--batch",
];

/// The user's own `ssh-agent -D` on a socket in the Env, with `ids`' fixture keys added the
/// way a person adds theirs (`ssh-add`, its passphrase through SSH_ASKPASS). Killed on drop.
struct Agent {
    child: std::process::Child,
    sock: std::path::PathBuf,
}

impl Agent {
    fn start(env: &Env, ids: &[&str]) -> Agent {
        Agent::start_with(env, ids, false)
    }

    /// With `confirm`, the keys are added with `ssh-add -c` and the agent's own askpass
    /// answers no: every signature is refused, as when a person declines the confirmation.
    fn start_with(env: &Env, ids: &[&str], confirm: bool) -> Agent {
        let sock = env.path("agent.sock");
        let child = std::process::Command::new("ssh-agent")
            .arg("-D")
            .arg("-a")
            .arg(&sock)
            .env("SSH_ASKPASS", "/bin/false")
            .env("SSH_ASKPASS_REQUIRE", "force")
            .env("DISPLAY", ":0")
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("ssh-agent (openssh-client) is installed");
        let t = Instant::now();
        while !sock.exists() {
            assert!(
                t.elapsed() < Duration::from_secs(10),
                "ssh-agent never listened"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let askpass = env.write(
            "askpass.sh",
            format!("#!/bin/sh\necho '{KEY_PASSPHRASE}'\n").as_bytes(),
        );
        std::fs::set_permissions(
            &askpass,
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .unwrap();
        for id in ids {
            let o = std::process::Command::new("ssh-add")
                .args(if confirm { &["-c"][..] } else { &[][..] })
                .arg(Fixture::get().key(id))
                .env("SSH_AUTH_SOCK", &sock)
                .env("SSH_ASKPASS", &askpass)
                .env("SSH_ASKPASS_REQUIRE", "force")
                .stdin(std::process::Stdio::null())
                .output()
                .unwrap();
            assert!(
                o.status.success(),
                "ssh-add: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        Agent { child, sock }
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn online_commands_sign_with_the_key_in_ssh_agent_and_never_ask_for_its_passphrase() {
    let (mut env, _svc) = Env::with_service();
    env.extra_env
        .retain(|(k, _)| k != "OKURI_KEY_PASSPHRASE_FILE");
    env.labelled("memo.txt", b"memo", "II");
    let submit_args = [&MEMO_SUBMIT[..], &["--json"]].concat();
    // No agent, no passphrase file: a script is told, not left hanging.
    let r = env.run(&submit_args);
    r.code(2).says("en", "key-passphrase-batch");

    // An agent that holds someone else's key changes nothing: okuri uses only the key it
    // was given, and falls back to its passphrase.
    let other = Agent::start(&env, &["kimura.jiro"]);
    let r = env
        .cmd()
        .env("SSH_AUTH_SOCK", &other.sock)
        .args(&submit_args)
        .output()
        .unwrap();
    let r: Run = r.into();
    r.code(2).says("en", "key-passphrase-batch");
    drop(other);
    std::fs::remove_file(env.path("agent.sock")).ok();

    // The key in the agent: submit and status without a passphrase.
    let agent = Agent::start(&env, &["yamada.taro"]);
    env.extra_env
        .push(("SSH_AUTH_SOCK".into(), agent.sock.display().to_string()));
    let r = env.run(&submit_args);
    let id = r.ok().json()["request_id"].as_str().unwrap().to_owned();
    let v = env
        .run(&["request", "status", &id, "--json", "--batch"])
        .ok()
        .json();
    assert_eq!(v["status"], "pending");
    // What the agent signed is an ordinary SSHSIG by 山田's key: the service verified the
    // login and the request against the directory, and the custodian approves it as usual.
    env.custodian("suzuki.hanako", &["approve", &id], &[]).ok();
    assert_eq!(status_of(&env, &id)["status"], "approved");

    // The agent's key is still only the key file's: a key file that is not encrypted at rest
    // is refused even when the agent holds its key.
    let plain = env.path("plain");
    let o = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "plain", "-f"])
        .arg(&plain)
        .output()
        .unwrap();
    assert!(o.status.success());
    let o = std::process::Command::new("ssh-add")
        .arg(&plain)
        .env("SSH_AUTH_SOCK", &agent.sock)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = env.run_os(&[
        "approvals".as_ref(),
        "list".as_ref(),
        "--key".as_ref(),
        plain.as_os_str(),
        "--batch".as_ref(),
    ]);
    r.code(4).says("en", "key-not-encrypted");
}

/// An agent answering with a signature that is not valid for the key it claims: okuri checks
/// what the agent answers and signs nothing with it.
#[test]
fn a_lying_agent_is_caught_and_nothing_is_sent() {
    use std::io::{Read as _, Write as _};
    let (mut env, _svc) = Env::with_service();
    env.extra_env
        .retain(|(k, _)| k != "OKURI_KEY_PASSPHRASE_FILE");
    let sock = env.path("fake-agent.sock");
    let listener = std::os::unix::net::UnixListener::bind(&sock).unwrap();
    // yamada's public key blob, as the agent protocol lists it.
    let line = Fixture::get().public("yamada.taro");
    let blob = base64_decode(line.split_whitespace().nth(1).unwrap());
    std::thread::spawn(move || {
        let string = |b: &[u8]| [&(b.len() as u32).to_be_bytes()[..], b].concat();
        for conn in listener.incoming() {
            let Ok(mut c) = conn else { return };
            loop {
                let mut len = [0u8; 4];
                if c.read_exact(&mut len).is_err() {
                    break;
                }
                let mut body = vec![0u8; u32::from_be_bytes(len) as usize];
                if c.read_exact(&mut body).is_err() {
                    break;
                }
                let answer = match body[0] {
                    // SSH_AGENTC_REQUEST_IDENTITIES → one identity, 山田's key.
                    11 => [
                        &[12u8][..],
                        &1u32.to_be_bytes(),
                        &string(&blob),
                        &string(b"yamada"),
                    ]
                    .concat(),
                    // SSH_AGENTC_SIGN_REQUEST → an Ed25519 signature of 64 zero bytes.
                    13 => [
                        &[14u8][..],
                        &string(&[string(b"ssh-ed25519"), string(&[0u8; 64])].concat()),
                    ]
                    .concat(),
                    _ => vec![5u8],
                };
                let _ = c.write_all(&string(&answer));
            }
        }
    });
    env.extra_env
        .push(("SSH_AUTH_SOCK".into(), sock.display().to_string()));
    env.labelled("memo.txt", b"memo", "II");
    let before = env.record_text();
    let r = env.run(&MEMO_SUBMIT);
    r.code(1).says("en", "key-agent-bad-signature");
    assert!(r.stderr.contains("ssh-add -l"), "{}", r.stderr);
    assert_eq!(env.record_text(), before);
    let r = env.custodian("suzuki.hanako", &["approvals", "list", "--json"], &[]);
    assert_eq!(
        r.ok().json(),
        serde_json::json!([]),
        "nothing reached the service"
    );
}

fn base64_decode(s: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

/// A signer whose agent refuses to sign (a confirmation declined, `ssh-add -c`): `trust add`
/// signs before it writes, so the document and its signature stay as they were.
#[test]
fn a_refusing_agent_leaves_the_document_and_its_signature_as_they_were() {
    let mut env = Env::new();
    env.extra_env
        .retain(|(k, _)| k != "OKURI_KEY_PASSPHRASE_FILE");
    let f = Fixture::get();
    let ciso = f.key("ciso.one").display().to_string();
    env.write(
        "trust.toml",
        env.run(&["template", "trust"]).ok().stdout.as_bytes(),
    );
    env.run(&[
        "sign",
        "trust",
        "trust.toml",
        "--key",
        &ciso,
        "--key-passphrase-file",
        f.pass.to_str().unwrap(),
    ])
    .ok();
    let text = std::fs::read(env.path("trust.toml")).unwrap();
    let sig = std::fs::read(env.path("trust.toml.sig")).unwrap();
    let agent = Agent::start_with(&env, &["ciso.one"], true);
    env.extra_env
        .push(("SSH_AUTH_SOCK".into(), agent.sock.display().to_string()));
    let r = env.run(&[
        "trust",
        "add",
        "trust.toml",
        "--role",
        "administrator",
        "--id",
        "kanri.admin",
        "--name",
        "管理 花子",
        "--department",
        "情報政策課",
        "--public-key",
        &format!("{}.pub", f.key("kanri.admin").display()),
        "--key",
        &ciso,
        "--batch",
    ]);
    r.code(1).says("en", "key-agent-refused");
    assert_eq!(std::fs::read(env.path("trust.toml")).unwrap(), text);
    assert_eq!(std::fs::read(env.path("trust.toml.sig")).unwrap(), sig);
}

// ---- every test again on PostgreSQL ----------------------------------------------------------

/// The tests above that start a service, run again with its database on PostgreSQL (the
/// shared throwaway cluster of common::pg): the same test, not a copy.
mod on_postgres {
    use super::common::{Backend, with_backend};

    macro_rules! again {
        ($($name:ident),+ $(,)?) => {
            $(
                #[test]
                fn $name() {
                    with_backend(Backend::Postgres, super::$name)
                }
            )+
        };
    }

    again!(
        the_whole_flow_through_the_service,
        two_packers_one_token_exactly_one_wins,
        authorization_matrix,
        bad_bodies_and_logins_are_refused_with_json_errors,
        an_expired_challenge_is_refused,
        kill_9_and_restarts_under_load_lose_nothing_acknowledged,
        tls_with_the_city_ca,
        a_token_file_needs_a_login_when_the_policy_names_a_service,
        a_service_that_is_down_gives_a_clear_message_and_the_offline_path,
        an_expired_session_is_refused,
        witnessing_an_empty_record_is_not_a_crash,
        the_cli_says_the_service_s_errors_in_its_language,
        requests_are_listed_a_page_at_a_time,
        query_string_errors_are_json_errors,
        witness_matches_record_ids_exactly,
        the_service_refuses_a_token_longer_than_the_policy_allows,
        the_service_cannot_be_made_to_look_unreachable,
        a_session_ends_with_its_person_and_on_logout,
        an_offline_token_file_is_consumed_at_the_service,
        a_token_used_offline_twice_is_a_violation_the_service_shows,
        a_custodian_cannot_approve_their_own_request_under_an_alias,
        a_signed_city_s_service_refuses_rollback_and_development_entries,
        a_designation_deleted_locally_still_counts_where_the_service_knows_it,
        a_forged_offline_use_of_another_person_s_token_does_not_spend_it,
        entries_under_other_rules_are_not_witnessed_and_expired_documents_stop_the_service,
        online_commands_sign_with_the_key_in_ssh_agent_and_never_ask_for_its_passphrase,
        a_lying_agent_is_caught_and_nothing_is_sent,
        a_refusing_agent_leaves_the_document_and_its_signature_as_they_were,
    );
}

/// The tests that run on SQLite only, and why: each has a PostgreSQL counterpart or does not
/// reach a database.
const SQLITE_ONLY: [&str; 3] = [
    // A SQLite file held by another process; on PostgreSQL: an exhausted pool
    // (postgres::an_exhausted_pool_is_busy).
    "a_locked_database_is_busy_not_an_error",
    // Configuration only: the service stops before it opens a database.
    "bad_configurations_stop_the_service_with_a_message",
    // Reads the SQLite file; on PostgreSQL: postgres::the_schema_is_versioned.
    "the_schema_is_versioned_and_a_newer_database_is_refused",
];

/// Every test of this file runs on both backends, or is named in SQLITE_ONLY with a reason:
/// a new test cannot be left out of the PostgreSQL run by forgetting it.
#[test]
fn every_test_runs_on_both_backends() {
    let text = include_str!("service.rs");
    let tests: Vec<&str> = text
        .split("#[test]\nfn ")
        .skip(1)
        .filter_map(|t| t.split("()").next())
        .collect();
    let again = text
        .split("again!(\n")
        .nth(1)
        .and_then(|t| t.split(");").next())
        .expect("the again! list");
    let again: Vec<&str> = again
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .collect();
    assert!(tests.len() > 20, "found only {tests:?}");
    for t in tests {
        if t == "every_test_runs_on_both_backends" {
            continue;
        }
        assert!(
            again.contains(&t) != SQLITE_ONLY.contains(&t),
            "{t}: run it again on PostgreSQL (on_postgres's again! list) or say in SQLITE_ONLY why not"
        );
    }
}

// ---- PostgreSQL: several instances, one truth -------------------------------------------------

/// What only PostgreSQL has: several instances on one database behind a load balancer, a
/// server that stops and starts under load, a pool that runs out, and its schema's versions.
mod postgres {
    use super::*;
    use common::pg::Cluster;
    use common::proxy::Proxy;
    use common::{Backend, with_backend};

    /// Moves the Env's service to the database `url` (with `extra` configuration lines),
    /// restarting it.
    fn move_to(env: &Env, svc: &mut Service, url: &str, extra: &str) {
        let cfg = std::fs::read_to_string(env.path("approvald.toml")).unwrap();
        env.write(
            "approvald.toml",
            format!("{}{extra}", cfg.replace(env.database(), url)).as_bytes(),
        );
        svc.restart();
    }

    /// Runs `a` and `b` on two threads released together; both results.
    fn race<T: Send>(a: impl FnOnce() -> T + Send, b: impl FnOnce() -> T + Send) -> [T; 2] {
        let barrier = std::sync::Barrier::new(2);
        std::thread::scope(|s| {
            let x = s.spawn(|| {
                barrier.wait();
                a()
            });
            let y = s.spawn(|| {
                barrier.wait();
                b()
            });
            [x.join().unwrap(), y.join().unwrap()]
        })
    }

    /// A second instance of the Env's service, on the same database, on its own port.
    fn second_instance(env: &Env) -> Service {
        second_instance_with(env, |c| c)
    }

    /// [`second_instance`], its configuration changed by `edit` first.
    fn second_instance_with(env: &Env, edit: impl Fn(String) -> String) -> Service {
        let cfg = edit(std::fs::read_to_string(env.path("approvald.toml")).unwrap());
        let port = free_port();
        let other = cfg
            .lines()
            .map(|l| {
                if l.starts_with("listen") {
                    format!("listen = \"127.0.0.1:{port}\"")
                } else {
                    l.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        env.write("approvald-b.toml", other.as_bytes());
        Service::start(&env.path("approvald-b.toml"))
    }

    /// Two custodians' approvals of one request, and then two packers for its token, each
    /// through another instance, race over many rounds: exactly one wins each time, and the
    /// service says which.
    #[test]
    fn two_instances_race_for_one_token_and_exactly_one_wins_every_round() {
        with_backend(Backend::Postgres, || {
            let (env, a) = Env::with_service();
            let b = second_instance(&env);
            let policy = okuri::policy::Policy::load(Some(&env.policy)).unwrap();
            let on_a = login(&a.url, "yamada.taro").unwrap();
            let on_b = login(&b.url, "yamada.taro").unwrap();
            let custodian_a = login(&a.url, "suzuki.hanako").unwrap();
            let custodian_b = login(&b.url, "suzuki.hanako").unwrap();
            let auditor = login(&b.url, "kansa.hanako").unwrap();
            let mut wins = [0, 0];
            for round in 0..40 {
                let req = synthetic_request(&policy, round);
                on_a.submit(&req).unwrap();
                // Two approvals of one request, at once, at each instance: one is taken.
                let tokens = [token_for(&policy, &req), token_for(&policy, &req)];
                let upload = |i: usize| DecisionUpload {
                    token: Some(tokens[i].1.clone()),
                    denial: None,
                };
                let decided = race(
                    || custodian_a.decide(&req.request_id, &upload(0)),
                    || custodian_b.decide(&req.request_id, &upload(1)),
                );
                let approved: Vec<usize> = (0..2).filter(|i| decided[*i].is_ok()).collect();
                assert_eq!(approved.len(), 1, "round {round}: {decided:?}");
                match &decided[1 - approved[0]] {
                    Err(Failure::Refused {
                        status: 409,
                        detail: Some(m),
                        ..
                    }) => assert_eq!(m.id, "api-already-decided", "round {round}"),
                    other => panic!("round {round}: the second approval got {other:?}"),
                }
                let tok = &tokens[approved[0]].0;
                let transfers: [okuri::base::ids::TransferId; 2] = [
                    format!("20261207-{:04}-0001", round).parse().unwrap(),
                    format!("20261207-{:04}-0002", round).parse().unwrap(),
                ];
                let results = race(
                    || on_a.consume(tok, &transfers[0], None),
                    || on_b.consume(tok, &transfers[1], None),
                );
                let won: Vec<usize> = (0..2).filter(|i| results[*i].is_ok()).collect();
                assert_eq!(won.len(), 1, "round {round}: {results:?}");
                let w = won[0];
                wins[w] += 1;
                match &results[1 - w] {
                    Err(Failure::Refused {
                        status: 409,
                        detail: Some(m),
                        ..
                    }) => assert_eq!(m.id, "api-token-used", "round {round}"),
                    other => panic!("round {round}: the loser got {other:?}"),
                }
                let seen = auditor.get(&req.request_id).unwrap();
                assert_eq!(seen.status, Status::Consumed);
                assert_eq!(
                    seen.consumed.unwrap().transfer_id,
                    transfers[w].to_string(),
                    "round {round}: the service names the winner"
                );
            }
            eprintln!(
                "40 rounds: instance a won {}, instance b {}",
                wins[0], wins[1]
            );
        });
    }

    /// `kill -9` of one of two instances under load, while the clients go on through the
    /// other: every acknowledged submit, decision, consumption and witnessed head is there.
    #[test]
    fn kill_9_of_one_instance_under_load_loses_nothing_acknowledged() {
        with_backend(Backend::Postgres, || {
            let (env, mut a) = Env::with_service();
            let b = second_instance(&env);
            let proxy = Proxy::start(&[&a.url, &b.url]);
            let policy = okuri::policy::Policy::load(Some(&env.policy)).unwrap();
            let load = Load::start(&proxy.url, env.dir.path(), &policy);
            load.until_consumed(20, 20);
            a.kill9();
            let at_kill = load.until_consumed(0, 0);
            load.until_consumed(at_kill + 20, 20);
            let acked = load.finish();
            assert!(
                acked.consumed.len() >= at_kill + 20,
                "the clients did not go on through the other instance: {} then {}",
                at_kill,
                acked.consumed.len()
            );
            assert!(
                proxy.sent.iter().all(|n| n.load(Ordering::Relaxed) > 0),
                "the proxy used one instance only"
            );
            check_acked(&b.url, &acked);
            eprintln!(
                "kill -9 of one instance: {} submitted, {} consumed ({} after the kill), {} heads; \
                 none lost",
                acked.submitted.len(),
                acked.consumed.len(),
                acked.consumed.len() - at_kill,
                acked.witnessed.len()
            );
        });
    }

    /// PostgreSQL stopped under load, then frozen: every answer while it is gone is a 503 with
    /// Retry-After (never a 500), none waits past the request timeout, the CLI says to try
    /// again, and the service recovers by itself when the server is back.
    #[test]
    fn postgres_stopped_and_started_under_load_is_503_then_recovers() {
        with_backend(Backend::Postgres, || {
            let cluster = Cluster::start();
            let (env, mut svc) = Env::with_service();
            // The service on a cluster of its own, which this test stops.
            move_to(&env, &mut svc, &cluster.database(), "");
            env.service_limit(&mut svc, "request_timeout_ms = 2000");
            env.labelled("memo.txt", b"memo", "II");
            let policy = okuri::policy::Policy::load(Some(&env.policy)).unwrap();
            let (agent, bearer) = by_hand(&svc, "yamada.taro");
            let stop = Arc::new(AtomicBool::new(false));
            // Submitters: every answer's status and how long it took.
            let seen = Arc::new(Mutex::new(Vec::<(u16, Duration, bool)>::new()));
            let threads: Vec<_> = (0..4)
                .map(|t| {
                    let (agent, bearer, url) = (agent.clone(), bearer.clone(), svc.url.clone());
                    let (stop, seen, policy) =
                        (Arc::clone(&stop), Arc::clone(&seen), policy.clone());
                    std::thread::spawn(move || {
                        let mut n = t * 100_000;
                        while !stop.load(Ordering::Relaxed) {
                            n += 1;
                            let started = Instant::now();
                            let res = agent
                                .post(format!("{url}/v1/requests"))
                                .header("authorization", &bearer)
                                .send_json(synthetic_request(&policy, n));
                            let Ok(res) = res else {
                                // The service never fails to answer: counted, and none
                                // is allowed.
                                seen.lock().unwrap().push((0, started.elapsed(), false));
                                std::thread::sleep(Duration::from_millis(20));
                                continue;
                            };
                            let retry = res.headers().contains_key("retry-after");
                            seen.lock().unwrap().push((
                                res.status().as_u16(),
                                started.elapsed(),
                                retry,
                            ));
                            std::thread::sleep(Duration::from_millis(20));
                        }
                    })
                })
                .collect();
            let count = |status: u16| {
                seen.lock()
                    .unwrap()
                    .iter()
                    .filter(|s| s.0 == status)
                    .count()
            };
            let wait_for = |what: &str, f: &dyn Fn() -> bool| {
                let started = Instant::now();
                while !f() {
                    assert!(started.elapsed() < Duration::from_secs(30), "{what}");
                    std::thread::sleep(Duration::from_millis(50));
                }
            };
            wait_for("no submit succeeded", &|| count(201) + count(200) >= 10);
            cluster.stop();
            wait_for("no 503 while PostgreSQL was down", &|| count(503) >= 10);
            // The CLI, meanwhile: an error that says to try again, never "unreachable".
            let r = env.run(&request_args("memo.txt", "kameoka-print", "email"));
            assert_ne!(r.code, 0);
            assert!(
                r.stderr.contains("try again") && !r.stderr.contains("unreachable"),
                "{}",
                r.stderr
            );
            let ok_before = count(201) + count(200);
            cluster.run_server();
            wait_for("the service did not recover", &|| {
                count(201) + count(200) >= ok_before + 10
            });
            // A server that accepts and never answers (a cut network): 503 at the request
            // timeout, never a hang; and back when it answers again.
            let unavailable = count(503);
            cluster.signal_all("STOP");
            wait_for("no 503 while PostgreSQL was frozen", &|| {
                count(503) >= unavailable + 4
            });
            cluster.signal_all("CONT");
            let ok_before = count(201) + count(200);
            wait_for("the service did not recover from the freeze", &|| {
                count(201) + count(200) >= ok_before + 10
            });
            stop.store(true, Ordering::Relaxed);
            for t in threads {
                t.join().unwrap();
            }
            let seen = seen.lock().unwrap();
            for (status, took, retry) in seen.iter() {
                assert!(
                    matches!(status, 200 | 201 | 503),
                    "a {status} (0: no answer) while PostgreSQL stopped and started:\n{}",
                    svc.log.lock().unwrap()
                );
                assert!(*status != 503 || *retry, "a 503 without Retry-After");
                assert!(
                    *took < Duration::from_millis(2000 + 1500),
                    "an answer took {took:?}, past the request timeout"
                );
            }
            eprintln!(
                "PostgreSQL stopped and started: {} answers, {} of them 503, the slowest {:?}",
                seen.len(),
                seen.iter().filter(|s| s.0 == 503).count(),
                seen.iter().map(|s| s.1).max().unwrap()
            );
            drop(svc);
        });
    }

    /// Every connection of the pool in use (one, held by a request that waits on a lock
    /// another session holds): the next request is 503 busy after busy_timeout_ms, and the
    /// held one completes when the lock is let go.
    #[test]
    fn an_exhausted_pool_is_busy() {
        with_backend(Backend::Postgres, || {
            use std::io::Write;
            let (env, mut svc) = Env::with_service();
            env.service_limit(
                &mut svc,
                "pool_size = 1\nbusy_timeout_ms = 300\nrequest_timeout_ms = 8000",
            );
            let policy = okuri::policy::Policy::load(Some(&env.policy)).unwrap();
            let staff = login(&svc.url, "yamada.taro").unwrap();
            let cluster = common::pg::shared();
            let db = common::pg::name_of(env.database()).to_owned();
            let mut holder = cluster
                .psql_command(&db, "SELECT 1")
                .args(["-f", "-"])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap();
            let mut sql = holder.stdin.take().unwrap();
            sql.write_all(b"BEGIN; LOCK TABLE requests IN ACCESS EXCLUSIVE MODE;\n")
                .unwrap();
            sql.flush().unwrap();
            // Until psql holds the lock.
            let started = Instant::now();
            while !cluster
                .psql(&db, "SELECT count(*) FROM pg_locks WHERE relation = 'requests'::regclass AND granted")
                .trim()
                .eq("1")
            {
                assert!(started.elapsed() < Duration::from_secs(10), "no lock");
                std::thread::sleep(Duration::from_millis(20));
            }
            std::thread::scope(|s| {
                let held = s.spawn(|| staff.submit(&synthetic_request(&policy, 1)));
                // Until the service's one connection waits for the lock.
                let started = Instant::now();
                while cluster
                    .psql(
                        &db,
                        "SELECT count(*) FROM pg_stat_activity \
                         WHERE application_name = 'okuri-approvald' AND wait_event_type = 'Lock'",
                    )
                    .trim()
                    == "0"
                {
                    assert!(
                        started.elapsed() < Duration::from_secs(10),
                        "no request waits"
                    );
                    std::thread::sleep(Duration::from_millis(20));
                }
                let other = login(&svc.url, "kimura.jiro");
                match other {
                    Err(Failure::Refused { status, code, .. }) => {
                        assert_eq!((status, code.as_str()), (503, "busy"))
                    }
                    other => panic!("expected 503 busy, got {other:?}"),
                }
                sql.write_all(b"ROLLBACK;\n").unwrap();
                sql.flush().unwrap();
                held.join().unwrap().expect("the held request completes");
            });
            drop(sql);
            holder.wait().unwrap();
            staff.submit(&synthetic_request(&policy, 2)).unwrap();
        });
    }

    /// The schema's versions on PostgreSQL: the first start applies version 1, `migrate`
    /// then applies nothing, and a database a newer release migrated is refused (exit 4) and
    /// left as it is.
    #[test]
    fn the_schema_is_versioned_on_postgres() {
        with_backend(Backend::Postgres, || {
            let (env, svc) = Env::with_service();
            drop(svc);
            let cluster = common::pg::shared();
            let db = common::pg::name_of(env.database()).to_owned();
            let versions = || cluster.psql(&db, "SELECT version FROM schema_migrations ORDER BY 1");
            assert_eq!(versions().trim(), "1\n2\n3");
            let run = |args: &[&str]| approvald(&env, args);
            let r = run(&["migrate"]);
            r.ok();
            assert!(!r.stdout.contains("applied"), "{}", r.stdout);
            assert!(r.stdout.contains("is at schema version 3"), "{}", r.stdout);
            cluster.psql(
                &db,
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'then')",
            );
            for args in [&["migrate"][..], &["--check"]] {
                let r = run(args);
                r.code(4);
                assert!(
                    r.stderr.contains("schema version 99"),
                    "{args:?}: {}",
                    r.stderr
                );
            }
            assert_eq!(versions().trim(), "1\n2\n3\n99");
        });
    }

    /// Sessions and login challenges live in the database: a challenge one instance issued
    /// is answered at another, and the session it gives works at the first.
    #[test]
    fn any_instance_accepts_what_another_issued() {
        with_backend(Backend::Postgres, || {
            let (env, a) = Env::with_service();
            let b = second_instance(&env);
            let (agent, bearer, answer) = by_hand_across(&a.url, &b.url, "yamada.taro");
            // Answered once, at either: the other refuses it too.
            let again = agent
                .post(format!("{}/v1/auth/session", a.url))
                .send_json(&answer)
                .unwrap();
            assert_eq!(again.status().as_u16(), 401);
            let list = |url: &str| {
                agent
                    .get(format!("{url}/v1/requests"))
                    .header("authorization", &bearer)
                    .call()
                    .unwrap()
                    .status()
                    .as_u16()
            };
            assert_eq!(list(&a.url), 200);
            // Logged out at one, out at both.
            let out = agent
                .post(format!("{}/v1/auth/logout", a.url))
                .header("authorization", &bearer)
                .send_empty()
                .unwrap();
            assert_eq!(out.status().as_u16(), 200);
            assert_eq!(list(&b.url), 401);
            // One console key for both, made once.
            let db = common::pg::name_of(env.database()).to_owned();
            let keys = common::pg::shared().psql(&db, "SELECT count(*) FROM secrets");
            assert_eq!(keys.trim(), "1");
        });
    }

    /// Every instance works under the documents in force: when one puts a newer staff
    /// directory in force, another that still has the older one writes nothing (503
    /// documents-stale, saying which serials) until its own files have the newer one, which
    /// it then picks up by itself.
    #[test]
    fn an_instance_with_older_documents_writes_nothing_until_it_has_the_new_ones() {
        with_backend(Backend::Postgres, || {
            let (env, mut a) = Env::with_signed_service();
            env.service_limit(&mut a, "document_poll_seconds = 1");
            // Instance b on another machine: its own copy of the city's directory.
            let copied = std::process::Command::new("cp")
                .args(["-a"])
                .arg(env.path("etc"))
                .arg(env.path("etc-b"))
                .status()
                .unwrap();
            assert!(copied.success());
            let b = second_instance_with(&env, |c| c.replace("city = \"etc\"", "city = \"etc-b\""));
            login(&b.url, "yamada.taro").unwrap();

            // A newer staff directory, put in force at a.
            env.city_doc("staff", 2, &Fixture::get().staff(), "kanri.admin");
            hup(&a);
            login(&a.url, "yamada.taro").unwrap();
            match login(&b.url, "yamada.taro") {
                Err(Failure::Refused {
                    status: 503,
                    code,
                    detail: Some(m),
                    ..
                }) => {
                    assert_eq!(code, "documents-stale");
                    assert_eq!(m.id, "api-documents-stale");
                    let text = okuri::i18n::Texts::new(okuri::base::message::Lang::Ja).render(&m);
                    assert!(
                        text.contains("版番号 1") && text.contains("版番号 2"),
                        "{text}"
                    );
                }
                other => panic!("expected 503 documents-stale, got {other:?}"),
            }
            // b's machine gets the new directory: b picks it up by itself and writes again.
            for f in ["staff.toml", "staff.toml.sig"] {
                std::fs::copy(
                    env.path(&format!("etc/{f}")),
                    env.path(&format!("etc-b/{f}")),
                )
                .unwrap();
            }
            let started = Instant::now();
            loop {
                match login(&b.url, "yamada.taro") {
                    Ok(_) => break,
                    Err(Failure::Refused { status: 503, .. })
                        if started.elapsed() < Duration::from_secs(15) =>
                    {
                        std::thread::sleep(Duration::from_millis(100))
                    }
                    other => panic!(
                        "b did not pick up the new directory: {other:?}\n{}",
                        b.log.lock().unwrap()
                    ),
                }
            }
            assert!(
                b.log
                    .lock()
                    .unwrap()
                    .contains("loaded the documents another instance put in force"),
                "{}",
                b.log.lock().unwrap()
            );
        });
    }

    /// `copy-db` moves a database the service filled (requests, decisions, consumptions,
    /// witnessed heads, sessions) from SQLite to PostgreSQL, reads every row back, and the
    /// service goes on against the copy: everything acknowledged is there, a session from
    /// before still works, and new work succeeds. Copying into a database that is not empty,
    /// or onto itself, is refused and changes nothing.
    #[test]
    fn copy_db_moves_a_city_from_sqlite_to_postgres_and_the_service_goes_on() {
        // Filled on SQLite.
        let (env, mut svc) = Env::with_service();
        assert_eq!(env.database(), "approvald.sqlite");
        env.labelled("memo.txt", b"memo", "II");
        let id = submit(&env, "memo.txt", "kameoka-print", "email", &[]);
        env.custodian("suzuki.hanako", &["approve", &id], &[]).ok();
        pack_id(&env, "memo.txt", "kameoka-print", "email", &id, "out").ok();
        let policy = okuri::policy::Policy::load(Some(&env.policy)).unwrap();
        let load = Load::start(&svc.url, env.dir.path(), &policy);
        load.until_consumed(20, 20);
        let acked = load.finish();
        let (agent, bearer) = by_hand(&svc, "kansa.hanako");
        svc.terminate();

        let cluster = common::pg::shared();
        let url = cluster.database();
        let from = format!("sqlite:{}", env.path("approvald.sqlite").display());
        let copy = |args: &[&str]| approvald(&env, &[&["copy-db"], args].concat());
        let r = copy(&["--from", &from, "--to", &url]);
        r.ok();
        let requests = acked.submitted.len() + 1;
        assert!(
            r.stdout.contains(&format!(
                "copied {requests} rows of requests, each read back and compared"
            )),
            "{}",
            r.stdout
        );
        assert!(
            r.stdout.contains("every one the same in both"),
            "{}",
            r.stdout
        );
        // Again: the target is not empty now; nothing changes.
        let db = common::pg::name_of(&url).to_owned();
        let count = || cluster.psql(&db, "SELECT count(*) FROM requests");
        let before = count();
        let r = copy(&["--from", &from, "--to", &url]);
        r.code(4);
        assert!(r.stderr.contains("is not empty"), "{}", r.stderr);
        assert_eq!(count(), before);
        // Onto itself, or from nowhere: refused.
        copy(&["--from", &from, "--to", &from]).code(2);
        copy(&["--from", "sqlite:/nonexistent/x.sqlite", "--to", &url]).code(4);

        // The service on the copy.
        let cfg = std::fs::read_to_string(env.path("approvald.toml")).unwrap();
        env.write(
            "approvald.toml",
            cfg.replace(
                "database = \"approvald.sqlite\"",
                &format!("database = \"{url}\""),
            )
            .as_bytes(),
        );
        let svc = Service::start(&env.path("approvald.toml"));
        check_acked(&svc.url, &acked);
        assert_eq!(status_of(&env, &id)["status"], "consumed");
        let listed = agent
            .get(format!("{}/v1/requests", svc.url))
            .header("authorization", &bearer)
            .call()
            .unwrap();
        assert_eq!(
            listed.status().as_u16(),
            200,
            "the session from before the copy"
        );
        let r = env.run(&["record", "verify", "--witness"]);
        r.ok();
        assert!(r.stderr.contains("witness OK"), "{}", r.stderr);
        // And the work goes on.
        let id2 = submit(&env, "memo.txt", "kameoka-print", "email", &[]);
        env.custodian("suzuki.hanako", &["approve", &id2], &[]).ok();
        pack_id(&env, "memo.txt", "kameoka-print", "email", &id2, "out2").ok();
        assert_eq!(status_of(&env, &id2)["status"], "consumed");
    }

    /// PostgreSQL over TLS (`sslmode=require` and `database_ca_file`): the service works, over
    /// TLS; with a CA that did not sign the server's certificate it does not start, and says
    /// why.
    #[test]
    fn postgres_over_tls_checks_the_server_s_certificate() {
        with_backend(Backend::Postgres, || {
            let (ca, cert, key) = test_ca();
            let cluster = Cluster::start_tls(&cert, &key);
            let name = common::pg::name_of(&cluster.database()).to_owned();
            let (env, mut svc) = Env::with_service();
            env.write("db-ca.pem", ca.as_bytes());
            let tls = format!(
                "postgres://postgres@localhost:{}/{name}?sslmode=require",
                cluster.port
            );
            move_to(&env, &mut svc, &tls, "database_ca_file = \"db-ca.pem\"\n");
            let policy = okuri::policy::Policy::load(Some(&env.policy)).unwrap();
            login(&svc.url, "yamada.taro")
                .unwrap()
                .submit(&synthetic_request(&policy, 1))
                .unwrap();
            let over_tls = cluster.psql(
                "postgres",
                "SELECT count(*) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) \
                 WHERE ssl AND application_name = 'okuri-approvald'",
            );
            assert_ne!(over_tls.trim(), "0", "no connection of the service is TLS");
            drop(svc);
            // Another CA: the server is not trusted.
            let (other, _, _) = test_ca();
            env.write("db-ca.pem", other.as_bytes());
            let r = approvald(&env, &["--check"]);
            r.code(1);
            assert!(
                r.stderr.contains("cannot use the PostgreSQL database")
                    && r.stderr.contains("invalid peer certificate"),
                "{}",
                r.stderr
            );
            // Started so, it stops with the reason: a certificate is not a server that is
            // away, to be waited for.
            let started: Run = std::process::Command::new("timeout")
                .arg("20")
                .arg(env!("CARGO_BIN_EXE_okuri-approvald"))
                .arg("--config")
                .arg(env.path("approvald.toml"))
                .env("OKURI_LANG", "en")
                .output()
                .unwrap()
                .into();
            started.code(1);
            assert!(
                started.stderr.contains("invalid peer certificate"),
                "{}",
                started.stderr
            );
        });
    }

    /// An instance started while PostgreSQL is down listens and answers `503
    /// database-unavailable` with Retry-After (health answers: the process is up) rather than
    /// refusing connections, which staff machines would take for "unreachable"; it says why in
    /// its log and becomes ready by itself when the server is back.
    #[test]
    fn an_instance_started_while_postgres_is_down_waits_for_it() {
        with_backend(Backend::Postgres, || {
            let cluster = Cluster::start();
            let (env, mut svc) = Env::with_service();
            move_to(&env, &mut svc, &cluster.database(), "");
            svc.kill9();
            cluster.stop();
            // The unit's ExecStartPre (--check) lets it start, saying what it could not check.
            let r = approvald(&env, &["--check"]);
            r.ok();
            assert!(
                r.stderr.contains("does not answer now (")
                    && r.stderr.contains("onnect")
                    && r.stdout.contains("configuration OK"),
                "{}{}",
                r.stdout,
                r.stderr
            );
            let svc = Service::start(&env.path("approvald.toml"));
            let agent: ureq::Agent = ureq::Agent::config_builder()
                .http_status_as_error(false)
                .build()
                .into();
            // Health answers (the process is up, as on an instance that was running when the
            // database went away); everything else is 503 with Retry-After.
            let health = agent.get(format!("{}/v1/health", svc.url)).call().unwrap();
            assert_eq!(health.status().as_u16(), 200);
            let challenge = || {
                let res = agent
                    .post(format!("{}/v1/auth/challenge", svc.url))
                    .send_json(serde_json::json!({ "id": "yamada.taro" }))
                    .unwrap();
                (
                    res.status().as_u16(),
                    res.headers().contains_key("retry-after"),
                )
            };
            assert_eq!(challenge(), (503, true));
            match login(&svc.url, "yamada.taro") {
                Err(Failure::Refused { status, code, .. }) => {
                    assert_eq!((status, code.as_str()), (503, "database-unavailable"))
                }
                other => panic!("expected 503 database-unavailable, got {other:?}"),
            }
            // Its log says why (the cause below "error connecting to server").
            let log = svc.log.lock().unwrap().clone();
            assert!(
                log.contains("does not answer; serving 503")
                    && log.contains("error connecting to server: "),
                "{log}"
            );
            cluster.run_server();
            let started = Instant::now();
            while challenge().0 != 200 {
                assert!(
                    started.elapsed() < Duration::from_secs(15),
                    "not ready:\n{}",
                    svc.log.lock().unwrap()
                );
                std::thread::sleep(Duration::from_millis(100));
            }
            let policy = okuri::policy::Policy::load(Some(&env.policy)).unwrap();
            login(&svc.url, "yamada.taro")
                .unwrap()
                .submit(&synthetic_request(&policy, 1))
                .unwrap();
        });
    }
}
