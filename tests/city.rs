//! The city's authority (issue 10 §1): okuri obeys the city's signed documents wherever a
//! trust anchor is installed, and nothing a staff account can change. Each test installs a
//! city in a temporary `etc/` (OKURI_SYSTEM_DIR, honoured by test builds) and never reads
//! the machine's /etc/okuri.

mod common;

use common::*;

const NS_RULES: &str = "okuri-rules@city.kameoka.kyoto.jp";

/// The repository's rules with class I allowed by e-mail, unencrypted, to anyone: what an
/// insider would like okuri to obey.
fn permissive() -> String {
    repo_policy()
        .replace("= \"legal-basis-and-approval\"", "= \"allowed\"")
        .replace("= \"approval\"", "= \"allowed\"")
        .replace("= \"forbidden\"", "= \"allowed\"")
        .replace("recipient = \"registered\"", "recipient = \"any\"")
}

/// `ssh-keygen -Y verify` of `etc/FILE` against the anchor, as an auditor runs it.
fn ssh_keygen_verify(env: &Env, file: &str, principal: &str, namespace: &str) -> bool {
    let input = std::fs::File::open(env.path(&format!("etc/{file}"))).unwrap();
    std::process::Command::new("ssh-keygen")
        .args(["-Y", "verify", "-f"])
        .arg(env.path("etc/ciso.allowed_signers"))
        .args(["-I", principal, "-n", namespace, "-s"])
        .arg(env.path(&format!("etc/{file}.sig")))
        .stdin(input)
        .output()
        .unwrap()
        .status
        .success()
}

#[test]
fn a_signed_city_is_obeyed_and_auditors_verify_it_with_ssh_keygen() {
    let env = Env::signed();
    env.labelled("memo.txt", b"memo", "III");
    let j = env.pack("memo.txt", "email", &[]).ok().json();
    assert!(j["package"]["path"].is_string(), "{j}");
    // An entry made under the city's signed rules does not say development.
    let e = env.record_entries();
    assert!(e.iter().all(|e| e.get("development").is_none()), "{e:?}");
    // `policy show` names the documents and their serials.
    let show = env.run(&["policy", "show"]);
    show.ok();
    assert!(
        show.stdout.contains("signed by the city"),
        "{}",
        show.stdout
    );
    assert!(
        show.stdout.contains("rules #1, trust #1"),
        "{}",
        show.stdout
    );
    let j = env.run(&["policy", "show", "--json"]).ok().json();
    assert_eq!(j["development"], false);
    // `policy check --json` checks the city's signed rules, and says so as JSON too.
    let c = env.run(&["policy", "check", "--json"]).ok().json();
    assert_eq!(c["valid"], true, "{c}");
    assert_eq!(c["blake3"], j["blake3"], "{c}");
    // The signatures are plain SSHSIG: stock ssh-keygen agrees, in the right namespace only.
    assert!(ssh_keygen_verify(&env, "rules.toml", "ciso.one", NS_RULES));
    assert!(ssh_keygen_verify(
        &env,
        "trust.toml",
        "ciso.two",
        "okuri-trust@city.kameoka.kyoto.jp"
    ));
    assert!(!ssh_keygen_verify(
        &env,
        "rules.toml",
        "ciso.one",
        "okuri-trust@city.kameoka.kyoto.jp"
    ));
    // The directory and the registers check against the trust list, exported for ssh-keygen.
    env.run(&["policy", "allowed-signers", "--out", "city.allowed_signers"])
        .ok();
    let verify = |file: &str, who: &str, ns: &str| {
        std::process::Command::new("ssh-keygen")
            .args(["-Y", "verify", "-f"])
            .arg(env.path("city.allowed_signers"))
            .args(["-I", who, "-n", ns, "-s"])
            .arg(env.path(&format!("etc/{file}.sig")))
            .stdin(std::fs::File::open(env.path(&format!("etc/{file}"))).unwrap())
            .output()
            .unwrap()
            .status
            .success()
    };
    assert!(verify(
        "staff.toml",
        "kanri.admin",
        "okuri-staff@city.kameoka.kyoto.jp"
    ));
    assert!(verify(
        "recipients.toml",
        "suzuki.hanako",
        "okuri-recipients@city.kameoka.kyoto.jp"
    ));
    assert!(!verify(
        "staff.toml",
        "suzuki.hanako",
        "okuri-staff@city.kameoka.kyoto.jp"
    ));
    // The city's class I rule holds: no e-mail.
    env.labelled("secret.txt", b"secret", "I");
    let r = env.pack_to("secret.txt", "kyoto-pref", "email", &[]);
    env.refused(&r, "channel-forbidden");
}

#[test]
fn a_permissive_unsigned_policy_is_refused_where_an_anchor_is_installed() {
    let env = Env::signed();
    env.write("mine.toml", permissive().as_bytes());
    env.labelled("secret.txt", b"secret", "I");
    for how in ["env", "flag"] {
        let mut c = env.cmd();
        match how {
            "env" => c.env("OKURI_POLICY", env.path("mine.toml")),
            _ => c.args(["--policy", "mine.toml"]),
        };
        let r: Run = c
            .args(["pack", "secret.txt", "--to", "X", "--channel", "email"])
            .args(["--out", "out", "--slip", "slips/s"])
            .output()
            .unwrap()
            .into();
        assert_eq!(r.code, 2, "{how}: {}", r.stderr);
        assert!(
            r.stderr.contains("obeys the city's signed documents"),
            "{how}: {}",
            r.stderr
        );
        assert!(std::fs::read_dir(env.path("out")).unwrap().next().is_none());
    }
    // So is a register of one's own.
    env.write("reg.toml", Fixture::get().recipients.as_bytes());
    let r: Run = env
        .cmd()
        .env("OKURI_RECIPIENTS", env.path("reg.toml"))
        .args(["recipients", "list"])
        .output()
        .unwrap()
        .into();
    assert_eq!(r.code, 2, "{}", r.stderr);
    // And the city's own rules file, edited after it was signed, is refused: integrity.
    let rules = std::fs::read_to_string(env.path("etc/rules.toml")).unwrap();
    env.write(
        "etc/rules.toml",
        rules
            .replace("email = \"forbidden\"", "email = \"allowed\"")
            .as_bytes(),
    );
    let r = env.pack_to("secret.txt", "kyoto-pref", "email", &[]);
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("does not match"), "{}", r.stderr);

    // The same permissive file on a machine without an anchor is development mode: obeyed,
    // and every entry says so, for the service and any auditor to see.
    let dev = Env::new();
    dev.write("mine.toml", permissive().as_bytes());
    dev.labelled("secret.txt", b"secret", "I");
    let r: Run = dev
        .cmd()
        .env("OKURI_POLICY", dev.path("mine.toml"))
        .args(["pack", "secret.txt", "--to", "X", "--channel", "email"])
        .args(["--out", "out", "--slip", "slips/s"])
        .output()
        .unwrap()
        .into();
    r.ok();
    let e = dev.record_entries();
    assert!(!e.is_empty());
    assert!(e.iter().all(|e| e["development"] == true), "{e:?}");
    let show = dev.run(&["policy", "show"]);
    show.ok();
    assert!(show.stdout.contains("development mode"), "{}", show.stdout);
}

#[test]
fn unsigned_swapped_and_wrongly_signed_documents_are_refused() {
    let env = Env::signed();
    let pack = || env.run(&["policy", "show"]);
    pack().ok();
    let sig = env.path("etc/trust.toml.sig");
    let good = std::fs::read(&sig).unwrap();
    // No signature.
    std::fs::remove_file(&sig).unwrap();
    let r = pack();
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("has no signature"), "{}", r.stderr);
    // The rules' valid signature passed off as the trust list's.
    std::fs::copy(env.path("etc/rules.toml.sig"), &sig).unwrap();
    let r = pack();
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("does not match"), "{}", r.stderr);
    // A custodian's good signature over the trust list: only the CISO signs it.
    env.sign("trust", "suzuki.hanako").ok();
    let r = pack();
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("may not sign it"), "{}", r.stderr);
    // A recipient register signed by the administrator instead of a custodian.
    std::fs::write(&sig, &good).unwrap();
    pack().ok();
    env.sign("recipients", "kanri.admin").ok();
    let r = env.run(&["recipients", "list"]);
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("may not sign it"), "{}", r.stderr);
    // Garbage in place of a signature.
    env.write("etc/recipients.toml.sig", b"\xff\xfe not a signature");
    let r = env.run(&["recipients", "list"]);
    assert_ne!(r.code, 0, "{}", r.stderr);
    // Rules that hold people are not signed.
    env.write(
        "etc/rules.toml",
        format!(
            "{}{}{}",
            city_header(2),
            repo_policy(),
            Fixture::get().trust
        )
        .as_bytes(),
    );
    let r = env.sign("rules", "ciso.one");
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("may not hold"), "{}", r.stderr);
}

#[test]
fn an_older_or_expired_signed_policy_is_refused() {
    let env = Env::signed();
    env.labelled("memo.txt", b"memo", "III");
    let old_rules = std::fs::read(env.path("etc/rules.toml")).unwrap();
    let old_sig = std::fs::read(env.path("etc/rules.toml.sig")).unwrap();
    env.city_doc("rules", 2, &repo_policy(), "ciso.two");
    env.pack("memo.txt", "email", &[]).ok();
    // Serial 1, validly signed, put back: a rollback.
    std::fs::write(env.path("etc/rules.toml"), &old_rules).unwrap();
    std::fs::write(env.path("etc/rules.toml.sig"), &old_sig).unwrap();
    let r = env.pack("memo.txt", "email", &[]);
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(
        r.stderr.contains("serial 1, older than serial 2"),
        "{}",
        r.stderr
    );
    // Signed, current serial, but past its valid_until.
    env.write(
        "etc/rules.toml",
        format!("serial = 3\nvalid_until = 2026-01-31\n{}", repo_policy()).as_bytes(),
    );
    env.sign("rules", "ciso.one").ok();
    let r = env.pack("memo.txt", "email", &[]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("was valid until"), "{}", r.stderr);
    // A document without a serial cannot even be signed.
    env.write("etc/rules.toml", repo_policy().as_bytes());
    let r = env.sign("rules", "ciso.one");
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("`serial`"), "{}", r.stderr);
}

#[test]
fn an_anchor_must_be_protected_name_two_keys_and_come_with_the_documents() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::signed();
    let anchor = env.path("etc/ciso.allowed_signers");
    let text = std::fs::read_to_string(&anchor).unwrap();
    // One key only: refused, never a fallback to development mode.
    env.write(
        "etc/ciso.allowed_signers",
        text.lines().next().unwrap().as_bytes(),
    );
    let r = env.run(&["policy", "show"]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("at least two"), "{}", r.stderr);
    // Writable by the group: a staff account could add its own key.
    env.write("etc/ciso.allowed_signers", text.as_bytes());
    std::fs::set_permissions(&anchor, std::fs::Permissions::from_mode(0o664)).unwrap();
    let r = env.run(&["policy", "show"]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("could be changed"), "{}", r.stderr);
    std::fs::set_permissions(&anchor, std::fs::Permissions::from_mode(0o644)).unwrap();
    env.run(&["policy", "show"]).ok();
    env.labelled("memo.txt", b"memo", "III");
    // An anchor without the rules: okuri is not set up, never the embedded default.
    std::fs::remove_file(env.path("etc/rules.toml")).unwrap();
    let r = env.run(&["policy", "show"]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("is not set up"), "{}", r.stderr);
    let r = env.pack("memo.txt", "email", &[]);
    assert_eq!(r.code, 4, "{}", r.stderr);
}

/// The payload of a signed document, edited with `edit`, the signature block kept as it was.
fn edit_payload(path: &std::path::Path, edit: impl Fn(&str) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    let at = text.find("-----BEGIN SSH SIGNATURE-----").unwrap();
    let (payload, sig) = text.split_at(at);
    std::fs::write(path, format!("{}{sig}", edit(payload))).unwrap();
}

/// Issue 10, point 2: a request is signed by its requester's enrolled key; the token binds
/// that key; `approve` checks the request against the signed staff directory offline, so an
/// edited department, a stripped signature or a request with no key is refused.
#[test]
fn an_edited_or_unsigned_request_is_refused_and_the_token_binds_the_requester() {
    let mut env = Env::signed();
    env.labelled("memo.txt", b"memo", "II");
    let (r, req) = env.request("memo.txt", "kameoka-print", "email", &[]);
    r.ok();
    let text = std::fs::read_to_string(env.path(&req)).unwrap();
    assert!(text.contains("-----BEGIN SSH SIGNATURE-----"), "{text}");
    let yamada = Fixture::get().public("yamada.taro");
    let fp =
        okuri::base::digest::Fingerprint::of(&okuri::secret::keys::parse_public(&yamada).unwrap());
    assert!(text.contains(fp.as_str()), "{text}");
    // As written, it is approved, and the token carries the requester's key.
    let (r, token) = env.approve(&req, "suzuki.hanako", &[], &[]);
    r.ok();
    let t = std::fs::read_to_string(env.path(&token)).unwrap();
    assert!(t.contains(&format!("\"requester_key\": \"{fp}\"")), "{t}");
    env.pack_to(
        "memo.txt",
        "kameoka-print",
        "email",
        &["--approval", &token],
    )
    .ok();

    // The department edited after signing: the signature no longer holds.
    let (r, req) = env.request("memo.txt", "kameoka-print", "email", &[]);
    r.ok();
    let edited = env.path("edited.req");
    std::fs::copy(env.path(&req), &edited).unwrap();
    edit_payload(&edited, |p| p.replace("総務課", "税務課"));
    let r = env.custodian(
        "suzuki.hanako",
        &["approve", "edited.req", "--out", "t1"],
        &[],
    );
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("does not hold"), "{}", r.stderr);
    // The signature stripped, the key left in: not believed.
    let text = std::fs::read_to_string(env.path(&req)).unwrap();
    let payload = &text[..text.find("-----BEGIN").unwrap()];
    env.write("stripped.req", payload.as_bytes());
    let r = env.custodian(
        "suzuki.hanako",
        &["approve", "stripped.req", "--out", "t2"],
        &[],
    );
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("carries no signature"), "{}", r.stderr);
    // No key at all: a signed city takes no unsigned request, in either language.
    let mut v: serde_json::Value = serde_json::from_str(payload).unwrap();
    v.as_object_mut().unwrap().remove("requester_key");
    env.write(
        "unsigned.req",
        serde_json::to_string_pretty(&v).unwrap().as_bytes(),
    );
    for lang in ["en", "ja"] {
        env.lang = lang;
        let r = env.custodian(
            "suzuki.hanako",
            &["approve", "unsigned.req", "--out", "t3"],
            &[],
        );
        refused_in(lang, &r, "requester-not-enrolled");
    }
    env.lang = "en";
    assert!(!env.path("t1").exists() && !env.path("t2").exists() && !env.path("t3").exists());
}

/// Issue 10, point 2: one person, one entry. 山田 listed with a second id, suzuki.hanako (a
/// custodian's), may not have that custodian approve his request, offline as at the service;
/// and a requester whose department the directory does not give is refused at pack too.
#[test]
fn a_custodian_cannot_approve_an_alias_s_request_offline() {
    let env = Env::signed();
    env.labelled("memo.txt", b"memo", "II");
    let (r, req) = env.request("memo.txt", "kameoka-print", "email", &[]);
    r.ok();
    let (r, token) = env.approve(&req, "suzuki.hanako", &[], &[]);
    r.ok();
    let f = Fixture::get();
    let aliased = f.staff().replacen(
        "id = \"yamada.taro\"\n",
        "id = \"yamada.taro\"\nalso = [\"suzuki.hanako\"]\n",
        1,
    );
    env.city_doc("staff", 2, &aliased, "kanri.admin");
    let (r, req2) = env.request("memo.txt", "kameoka-print", "email", &[]);
    r.ok();
    let r = env.custodian(
        "suzuki.hanako",
        &["approve", &req2, "--out", "t-alias"],
        &[],
    );
    refused_in("en", &r, "self-approval");
    // 山田 moves to 税務課 in the directory: his home still says 総務課, which no longer counts.
    let moved = f
        .staff()
        .replacen("department = \"総務課\"", "department = \"税務課\"", 1);
    env.city_doc("staff", 3, &moved, "kanri.admin");
    let r = env.pack_to(
        "memo.txt",
        "kameoka-print",
        "email",
        &["--approval", &token],
    );
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(
        r.stderr.contains("has yamada.taro in 税務課"),
        "{}",
        r.stderr
    );
    // In a home set up as the directory has him, the token made for his 総務課 request is
    // refused: it was approved for a department he no longer acts for.
    let home2 = env.path("home2");
    let run2 = |args: &[&str]| env.run_in(&home2, args);
    run2(&[
        "init",
        "--id",
        "yamada.taro",
        "--name",
        "山田 太郎",
        "--department",
        "税務課",
    ])
    .ok();
    std::fs::create_dir_all(home2.join("keys")).unwrap();
    std::fs::copy(f.key("yamada.taro"), home2.join("keys/yamada.taro")).unwrap();
    // Its class designated for 税務課 by their officer, in that home's register.
    let tanaka = f.key("tanaka.ichiro");
    run2(&[
        "label",
        "./memo.txt",
        "--class",
        "II",
        "--store",
        "register",
        "--department",
        "税務課",
        "--key",
        tanaka.to_str().unwrap(),
        "--key-passphrase-file",
        f.pass.to_str().unwrap(),
    ])
    .ok();
    let r = run2(&[
        "pack",
        "memo.txt",
        "--to",
        "kameoka-print",
        "--channel",
        "email",
        "--approval",
        &token,
        "--out",
        "out",
        "--slip",
        "slips/home2.slip",
    ]);
    refused_in("en", &r, "requester-not-enrolled");
}

/// A home that names a colleague cannot pack as them: in a signed city the identity is proven
/// by the packer's own key, which the staff directory must give that person.
#[test]
fn a_home_that_names_a_colleague_cannot_pack_as_them() {
    let env = Env::signed();
    let f = Fixture::get();
    env.labelled("flyer.txt", b"flyer", "III");
    let home = env.path("kimura-home");
    env.run_in(
        &home,
        &[
            "init",
            "--id",
            "kimura.jiro",
            "--name",
            "木村 次郎",
            "--department",
            "総務課",
        ],
    )
    .ok();
    // Without a key of his: refused before anything is done.
    let pack = |extra: &[&str]| {
        let mut args = vec![
            "pack",
            "flyer.txt",
            "--to",
            "X",
            "--channel",
            "email",
            "--out",
            "out",
            "--slip",
            "slips/k",
        ];
        args.extend_from_slice(extra);
        env.run_in(&home, &args)
    };
    let r = pack(&[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    // With 山田's key: the directory does not give it to 木村.
    let yamada = f.key("yamada.taro");
    let r = pack(&["--key", yamada.to_str().unwrap()]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("is not one the city's staff directory gives kimura.jiro"),
        "{}",
        r.stderr
    );
    assert!(std::fs::read_dir(env.path("out")).unwrap().next().is_none());
    // With his own key he packs.
    let kimura = f.key("kimura.jiro");
    pack(&["--key", kimura.to_str().unwrap()]).ok();
}

/// An anchor line with options, and a city document a staff account could rewrite, are
/// refused: ssh-keygen would honour the options, and a writable document could be put back.
#[test]
fn anchor_options_and_writable_documents_are_refused() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::signed();
    let anchor = env.path("etc/ciso.allowed_signers");
    let text = std::fs::read_to_string(&anchor).unwrap();
    let first = text
        .lines()
        .next()
        .unwrap()
        .replacen(' ', " valid-before=\"20250101\" ", 1);
    env.write(
        "etc/ciso.allowed_signers",
        format!("{first}\n{}\n", text.lines().nth(1).unwrap()).as_bytes(),
    );
    let r = env.run(&["policy", "show"]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("not honoured"), "{}", r.stderr);
    env.write("etc/ciso.allowed_signers", text.as_bytes());
    env.run(&["policy", "show"]).ok();
    let rules = env.path("etc/rules.toml.sig");
    std::fs::set_permissions(&rules, std::fs::Permissions::from_mode(0o666)).unwrap();
    let r = env.run(&["policy", "show"]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("could be changed"), "{}", r.stderr);
}

/// `trust add` arguments for the fixture's administrator, before `--public-key`'s value.
const ADMIN: [&str; 9] = [
    "--role",
    "administrator",
    "--id",
    "kanri.admin",
    "--name",
    "管理 花子",
    "--department",
    "情報政策課",
    "--public-key",
];

/// `okuri template KIND` for every kind: each template is a document its reader accepts as it
/// stands, and `okuri sign` signs it for the role that signs it; the rules' template is the
/// embedded rules with a header, so the two never drift apart.
#[test]
fn every_template_is_a_valid_document_and_is_signed_as_it_stands() {
    let dated = |l: &str| l.starts_with("valid_until") || l.starts_with("agreement_ends");
    let env = Env::new();
    let f = Fixture::get();
    std::fs::create_dir_all(env.path("etc")).unwrap();
    for (kind, signer) in [
        ("rules", "ciso.one"),
        ("trust", "ciso.one"),
        ("service", "ciso.one"),
        ("staff", "kanri.admin"),
        ("recipients", "suzuki.hanako"),
        ("media", "suzuki.hanako"),
    ] {
        let r = env.run(&["template", kind]);
        r.ok();
        let shipped = std::fs::read_to_string(format!("packaging/examples/{kind}.toml")).unwrap();
        // Only the date differs from the shipped example: a fiscal year's end ahead of today.
        let header = r
            .stdout
            .lines()
            .find(|l| l.starts_with("valid_until = "))
            .unwrap();
        let date: jiff::civil::Date = header["valid_until = ".len()..][..10].parse().unwrap();
        assert_eq!((date.month(), date.day()), (3, 31), "{kind}: {header}");
        assert_eq!(
            r.stdout.lines().filter(|l| !dated(l)).collect::<Vec<_>>(),
            shipped.lines().filter(|l| !dated(l)).collect::<Vec<_>>(),
            "{kind}"
        );
        env.write(&format!("etc/{kind}.toml"), r.stdout.as_bytes());
        let s = env.sign(kind, signer);
        s.ok();
        assert!(env.path(&format!("etc/{kind}.toml.sig")).exists(), "{kind}");
        let _ = f;
    }
    let rules = std::fs::read_to_string("packaging/examples/rules.toml").unwrap();
    assert!(
        rules.ends_with(&repo_policy()),
        "packaging/examples/rules.toml must end with the repository's policy.toml"
    );
    // An unknown kind is a usage error that names the kinds.
    let r = env.run(&["template", "passwords"]);
    r.code(2);
    assert!(
        r.stderr.contains("rules") && r.stderr.contains("staff"),
        "{}",
        r.stderr
    );
}

/// The trust list and the staff directory built with `trust add` and `staff add` from the
/// templates: what the city then obeys, and what an insider or a typo cannot do with them.
#[test]
fn trust_add_and_staff_add_build_the_city_and_refuse_what_would_break_it() {
    let env = Env::new();
    let f = Fixture::get();
    let pass = f.pass.to_str().unwrap().to_owned();
    let key = |id: &str| f.key(id).display().to_string();
    let public = |id: &str| format!("{}.pub", key(id));
    env.install_anchor();
    for kind in ["rules", "trust", "staff"] {
        let t = env.run(&["template", kind]);
        env.write(&format!("{kind}.toml"), t.ok().stdout.as_bytes());
    }
    let trust_add = |args: &[&str], signer: Option<&str>| {
        let mut a = vec!["trust", "add", "trust.toml"];
        a.extend_from_slice(args);
        let k = signer.map(key);
        if let Some(k) = &k {
            a.extend_from_slice(&["--key", k, "--key-passphrase-file", &pass]);
        }
        env.run(&a)
    };
    let tanaka = public("tanaka.ichiro");
    let officer = [
        "--role",
        "officer",
        "--id",
        "tanaka.ichiro",
        "--name",
        "田中 一郎",
        "--department",
        "総務部",
        "--classes",
        "I,II,III",
        "--departments",
        "総務課,税務課",
        "--public-key",
    ];
    let with_key = |base: &[&str], k: &str| {
        let mut v: Vec<String> = base.iter().map(|s| s.to_string()).collect();
        v.push(k.to_owned());
        v
    };
    let args = with_key(&officer, &tanaka);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = trust_add(&args, Some("ciso.one"));
    r.ok();
    assert!(r.stdout.contains("serial 2"), "{}", r.stdout);
    let text = std::fs::read_to_string(env.path("trust.toml")).unwrap();
    assert!(
        text.contains("# The trust list"),
        "comments are kept:\n{text}"
    );
    assert!(text.contains("serial = 2"), "{text}");
    assert!(ssh_keygen_verify(
        &env,
        "../trust.toml",
        "ciso.one",
        "okuri-trust@city.kameoka.kyoto.jp"
    ));

    // The same key again: nothing changes, not even the serial or the signature.
    let sig = std::fs::read(env.path("trust.toml.sig")).unwrap();
    trust_add(&args, Some("ciso.one")).ok();
    assert_eq!(
        std::fs::read_to_string(env.path("trust.toml")).unwrap(),
        text
    );
    assert_eq!(std::fs::read(env.path("trust.toml.sig")).unwrap(), sig);

    // Refusals leave the file and its signature as they were.
    let unchanged = |what: &str| {
        assert_eq!(
            std::fs::read_to_string(env.path("trust.toml")).unwrap(),
            text,
            "{what}"
        );
        assert_eq!(
            std::fs::read(env.path("trust.toml.sig")).unwrap(),
            sig,
            "{what}"
        );
    };
    // A typo in the name would file a key under someone else.
    let other_name = with_key(&officer, &public("sato.jiro"))
        .into_iter()
        .map(|a| {
            if a == "田中 一郎" {
                "田中 一朗".to_owned()
            } else {
                a
            }
        })
        .collect::<Vec<_>>();
    let r = trust_add(
        &other_name.iter().map(String::as_str).collect::<Vec<_>>(),
        Some("ciso.one"),
    );
    r.code(4).says("en", "enrol-differs");
    unchanged("differs");
    // Someone else's key under a second id: the trust list's own reader refuses it.
    let r = trust_add(
        &[
            "--role",
            "custodian",
            "--id",
            "tanaka.kage",
            "--name",
            "影",
            "--department",
            "総務課",
            "--classes",
            "I",
            "--departments",
            "*",
            "--public-key",
            &tanaka,
        ],
        Some("ciso.one"),
    );
    r.code(4);
    assert!(
        r.stderr.contains("tanaka.ichiro"),
        "the other holder is named: {}",
        r.stderr
    );
    unchanged("duplicate key");
    // A custodian without a remit; a private key, an RSA key, bytes that are not UTF-8, an
    // empty file, and a huge one, given as the public key.
    let r = trust_add(
        &[
            "--role",
            "custodian",
            "--id",
            "suzuki.hanako",
            "--name",
            "鈴木 花子",
            "--department",
            "総務課",
            "--public-key",
            &public("suzuki.hanako"),
        ],
        Some("ciso.one"),
    );
    r.code(2).says("en", "enrol-remit-missing");
    unchanged("remit");
    let rsa = env.path("rsa");
    assert!(
        std::process::Command::new("ssh-keygen")
            .args(["-q", "-t", "rsa", "-b", "2048", "-N", "", "-f"])
            .arg(&rsa)
            .status()
            .unwrap()
            .success()
    );
    env.write("garbage.pub", b"\xff\xfe not a key");
    env.write("empty.pub", b"");
    env.write("huge.pub", &vec![b'A'; 1 << 20]);
    for (bad, id) in [
        (key("suzuki.hanako"), "enrol-key-lines"),
        (format!("{}.pub", rsa.display()), "enrol-key-not-ed25519"),
        ("garbage.pub".into(), "enrol-key-not-utf8"),
        ("empty.pub".into(), "enrol-key-lines"),
        ("huge.pub".into(), "enrol-key-too-long"),
    ] {
        let r = trust_add(
            &[
                "--role",
                "administrator",
                "--id",
                "kanri.admin",
                "--name",
                "管理 花子",
                "--department",
                "情報政策課",
                "--public-key",
                &bad,
            ],
            Some("ciso.one"),
        );
        r.code(4).says("en", id).says("en", "hint-enrol-bad-key");
        unchanged(&bad);
    }
    // A wrong passphrase for the CISO's key: nothing is written.
    env.write("wrong-pass", b"not the passphrase\n");
    std::fs::set_permissions(
        env.path("wrong-pass"),
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();
    let admin_key = public("kanri.admin");
    let r = env.run(
        &[
            &["trust", "add", "trust.toml"][..],
            &ADMIN,
            &[
                &admin_key,
                "--key",
                &key("ciso.one"),
                "--key-passphrase-file",
                "wrong-pass",
            ],
        ]
        .concat(),
    );
    r.code(4).says("en", "key-wrong-passphrase");
    unchanged("wrong passphrase");

    // A signed list is changed only by whoever signs the change: without --key, refused.
    let admin = with_key(&ADMIN, &public("kanri.admin"));
    let admin: Vec<&str> = admin.iter().map(String::as_str).collect();
    let r = trust_add(&admin, None);
    r.code(2).says("en", "enrol-would-unsign");
    unchanged("no --key");
    // Prepared unsigned by one person (a copy without its signature), signed by the CISO.
    std::fs::remove_file(env.path("trust.toml.sig")).unwrap();
    let r = trust_add(&admin, None);
    r.ok().says("en", "cli-enrol-unsigned");
    assert!(
        r.stdout.contains(
            &okuri::base::digest::Fingerprint::of(
                &okuri::secret::keys::parse_public(&f.public("kanri.admin")).unwrap()
            )
            .to_string()
        ),
        "the key's fingerprint is shown: {}",
        r.stdout
    );
    assert!(!env.path("trust.toml.sig").exists());
    let r = env.run(&[
        "sign",
        "trust",
        "trust.toml",
        "--key",
        &key("ciso.two"),
        "--key-passphrase-file",
        &pass,
    ]);
    r.ok();
    assert!(r.stdout.contains("serial 3"), "{}", r.stdout);

    // The staff directory, signed by the administrator just added; a second key for 山田.
    let staff_add = |id: &str, name: &str, k: &str| {
        env.run(&[
            "staff",
            "add",
            "staff.toml",
            "--id",
            id,
            "--name",
            name,
            "--department",
            "総務課",
            "--public-key",
            k,
            "--key",
            &key("kanri.admin"),
            "--key-passphrase-file",
            &pass,
        ])
    };
    staff_add("yamada.taro", "山田 太郎", &public("yamada.taro")).ok();
    let r = staff_add("yamada.taro", "山田 太郎", &public("kimura.jiro"));
    r.ok();
    assert!(r.stdout.contains("serial 3"), "{}", r.stdout);
    let r = env.run(&[
        "staff",
        "add",
        "staff.toml",
        "--role",
        "auditor",
        "--id",
        "kansa.hanako",
        "--name",
        "監査 花子",
        "--department",
        "監査委員事務局",
        "--public-key",
        &public("kansa.hanako"),
        "--key",
        &key("kanri.admin"),
        "--key-passphrase-file",
        &pass,
    ]);
    r.ok();

    // Installed, the city obeys them: the officer designates for 総務課, and a directory
    // signed by the CISO instead of an administrator is refused where it is read.
    for kind in ["rules", "trust", "staff"] {
        if kind == "rules" {
            env.run(&[
                "sign",
                "rules",
                "rules.toml",
                "--key",
                &key("ciso.one"),
                "--key-passphrase-file",
                &pass,
            ])
            .ok();
        }
        std::fs::copy(
            env.path(&format!("{kind}.toml")),
            env.path(&format!("etc/{kind}.toml")),
        )
        .unwrap();
        std::fs::copy(
            env.path(&format!("{kind}.toml.sig")),
            env.path(&format!("etc/{kind}.toml.sig")),
        )
        .unwrap();
    }
    let mut city = env;
    city.city = true;
    let shown = city.run(&["policy", "show", "--json"]).ok().json();
    let text = shown.to_string();
    assert!(
        text.contains("tanaka.ichiro") && text.contains("kanri.admin"),
        "{text}"
    );
    city.write("memo.txt", b"memo");
    city.run(&[
        "label",
        "memo.txt",
        "--class",
        "II",
        "--department",
        "総務課",
        "--key",
        &key("tanaka.ichiro"),
        "--key-passphrase-file",
        &pass,
    ])
    .ok();
    let c = city.run(&["classify", "memo.txt", "--json"]).ok().json();
    assert_eq!(c[0]["class"], "II", "{c}");
    city.run(&[
        "sign",
        "staff",
        "etc/staff.toml",
        "--key",
        &key("ciso.one"),
        "--key-passphrase-file",
        &pass,
    ])
    .ok();
    let r = city.run(&["classify", "memo.txt"]);
    assert_ne!(
        r.code, 0,
        "a directory the CISO signed is not an administrator's"
    );
}

/// A staff directory's mistakes are reported at their line: the placeholder key a newcomer
/// copies from the template's comment, a second entry's id, a custodian listed as staff.
#[test]
fn a_staff_directory_s_errors_name_their_line() {
    let env = Env::new();
    let t = env.run(&["template", "staff"]);
    let template = t.ok().stdout.clone();
    let lines = template.lines().count();
    let entry = |id: &str, roles: &str, key: &str| {
        format!(
            "\n[[person]]\nid = \"{id}\"\nname = \"山田 太郎\"\ndepartment = \"総務課\"\nroles = {roles}\nkeys = [\"{key}\"]\n"
        )
    };
    let f = Fixture::get();
    for (body, line, id) in [
        (
            entry(
                "yamada.taro",
                "[\"staff\"]",
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA… yamada.taro okuri-staff",
            ),
            lines + 7,
            "not an OpenSSH public key",
        ),
        (
            entry("yamada.taro", "[\"custodian\"]", &f.public("yamada.taro")),
            lines + 6,
            "are listed in the trust list",
        ),
        (
            format!(
                "{}{}",
                entry("yamada.taro", "[\"staff\"]", &f.public("yamada.taro")),
                entry("yamada.taro", "[\"staff\"]", &f.public("kimura.jiro"))
            ),
            lines + 10,
            "is listed twice",
        ),
    ] {
        env.write("staff.toml", format!("{template}{body}").as_bytes());
        let r = env.run(&[
            "sign",
            "staff",
            "staff.toml",
            "--key",
            f.key("kanri.admin").to_str().unwrap(),
            "--key-passphrase-file",
            f.pass.to_str().unwrap(),
        ]);
        r.code(4).says("en", "directory-invalid");
        assert!(r.stderr.contains(id), "{id}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!("staff.toml:{line}:")),
            "{id} should be at line {line}: {}",
            r.stderr
        );
        assert!(!env.path("staff.toml.sig").exists());
    }
}

/// What an insider would slip into the trust list through `trust add` or by hand: a line
/// break in a name (which would add a signer to the allowed_signers file auditors give to
/// ssh-keygen), a key file holding two keys, a narrower remit under an existing id, a revoked
/// key enrolled again. Each is refused and nothing is written.
#[test]
fn trust_add_refuses_what_would_mean_something_else() {
    let env = Env::new();
    let f = Fixture::get();
    let pass = f.pass.to_str().unwrap().to_owned();
    let ciso = f.key("ciso.one").display().to_string();
    let public = |id: &str| format!("{}.pub", f.key(id).display());
    env.write(
        "trust.toml",
        env.run(&["template", "trust"]).ok().stdout.as_bytes(),
    );
    let add = |role: &str, id: &str, name: &str, classes: &str, key: &str| {
        let mut a = vec![
            "trust",
            "add",
            "trust.toml",
            "--role",
            role,
            "--id",
            id,
            "--name",
            name,
            "--department",
            "総務課",
            "--public-key",
            key,
            "--key",
            &ciso,
            "--key-passphrase-file",
            &pass,
        ];
        if role != "administrator" {
            a.extend_from_slice(&["--classes", classes, "--departments", "総務課"]);
        }
        env.run(&a)
    };
    add(
        "custodian",
        "suzuki.hanako",
        "鈴木 花子",
        "I,II",
        &public("suzuki.hanako"),
    )
    .ok();
    let text = std::fs::read_to_string(env.path("trust.toml")).unwrap();
    let unchanged = |what: &str| {
        assert_eq!(
            std::fs::read_to_string(env.path("trust.toml")).unwrap(),
            text,
            "{what}"
        );
    };

    // A line break (or an escape, or a bidi override) in a name.
    for name in [
        "鈴木\nmallory namespaces=\"okuri-approval@city.kameoka.kyoto.jp\" ssh-ed25519 AAAA",
        "a\u{1b}]0;x\u{7}",
        "\u{202e}ikuzus",
    ] {
        let r = add("custodian", "mallory", name, "I", &public("sato.jiro"));
        r.code(4);
        assert!(
            r.stderr.contains("control character"),
            "{name:?}: {}",
            r.stderr
        );
        unchanged("control character");
    }
    // The same, written by hand with a TOML escape: the reader refuses the list.
    let edited = text.replace(
        "name = \"鈴木 花子\"",
        "name = \"鈴木\\nmallory ssh-ed25519 AAAA\"",
    );
    env.write("edited.toml", edited.as_bytes());
    let r = env.run(&[
        "sign",
        "trust",
        "edited.toml",
        "--key",
        &ciso,
        "--key-passphrase-file",
        &pass,
    ]);
    r.code(4);
    assert!(r.stderr.contains("control character"), "{}", r.stderr);
    assert!(!env.path("edited.toml.sig").exists());

    // A key file of two keys: which one would be enrolled?
    let two = format!("{}\n{}\n", f.public("kansa.hanako"), f.public("sato.jiro"));
    env.write("two.pub", two.as_bytes());
    let r = add("custodian", "sato.jiro", "佐藤 次郎", "II", "two.pub");
    r.code(4).says("en", "enrol-key-lines");
    unchanged("two keys");

    // A new key under an existing id with another remit: the command adds keys only.
    let r = add(
        "custodian",
        "suzuki.hanako",
        "鈴木 花子",
        "II",
        &public("kimura.jiro"),
    );
    r.code(4).says("en", "enrol-differs");
    assert!(r.stderr.contains("classes"), "{}", r.stderr);
    unchanged("remit");

    // A revoked key is never enrolled again, under any id.
    let revoked = text.replace(
        "classes = [\"I\", \"II\"]",
        &format!(
            "classes = [\"I\", \"II\"]\nrevoked = [{{ key = \"{}\", revoked_at = 2026-06-01, reason = \"PC紛失\" }}]",
            f.public("ito.revoked")
        ),
    );
    env.write("trust.toml", revoked.as_bytes());
    std::fs::remove_file(env.path("trust.toml.sig")).unwrap();
    let r = add(
        "custodian",
        "ito.revoked",
        "伊藤 四郎",
        "I",
        &public("ito.revoked"),
    );
    r.code(4).says("en", "enrol-revoked");
    assert_eq!(
        std::fs::read_to_string(env.path("trust.toml")).unwrap(),
        revoked
    );

    // An unrepresentable expiry is a usage error, not a key without one.
    let admin_key = public("kanri.admin");
    let r = env.run(
        &[
            &["trust", "add", "trust.toml"][..],
            &ADMIN,
            &[
                &admin_key,
                "--valid-before=-000001-01-01",
                "--key",
                &ciso,
                "--key-passphrase-file",
                &pass,
            ],
        ]
        .concat(),
    );
    r.code(2);
    assert_eq!(
        std::fs::read_to_string(env.path("trust.toml")).unwrap(),
        revoked
    );
}

/// A signer extends only what they signed: a list signed by another key, a list edited after
/// it was signed, and a list whose signature was deleted while it names people are refused;
/// a run that stopped before the signature was written is not reported as done.
#[test]
fn trust_add_extends_only_what_its_signer_signed() {
    let env = Env::new();
    let f = Fixture::get();
    let pass = f.pass.to_str().unwrap().to_owned();
    let key = |id: &str| f.key(id).display().to_string();
    let add = |signer: &str, id: &str, name: &str, public: &str| {
        env.run(&[
            "trust",
            "add",
            "trust.toml",
            "--role",
            "custodian",
            "--id",
            id,
            "--name",
            name,
            "--department",
            "総務課",
            "--classes",
            "II",
            "--departments",
            "総務課",
            "--public-key",
            &format!("{}.pub", key(public)),
            "--key",
            &key(signer),
            "--key-passphrase-file",
            &pass,
        ])
    };
    env.write(
        "trust.toml",
        env.run(&["template", "trust"]).ok().stdout.as_bytes(),
    );
    add("ciso.one", "sato.jiro", "佐藤 次郎", "sato.jiro").ok();
    let state = || {
        (
            std::fs::read(env.path("trust.toml")).unwrap(),
            std::fs::read(env.path("trust.toml.sig")).ok(),
        )
    };
    // Signed by the other CISO key: the first one may not extend it unread.
    env.run(&[
        "sign",
        "trust",
        "trust.toml",
        "--key",
        &key("ciso.two"),
        "--key-passphrase-file",
        &pass,
    ])
    .ok();
    let before = state();
    add("ciso.one", "suzuki.hanako", "鈴木 花子", "suzuki.hanako")
        .code(4)
        .says("en", "enrol-unvouched");
    assert_eq!(state(), before);
    // Edited after it was signed: an insider's custodian would ride on the next signature.
    let mut text = String::from_utf8(before.0.clone()).unwrap();
    text.push_str(&format!(
        "\n[[custodian]]\nid = \"kimura.jiro\"\nname = \"木村\"\ndepartment = \"総務課\"\nclasses = [\"I\", \"II\"]\ndepartments = [\"*\"]\nkeys = [{{ key = \"{}\" }}]\n",
        f.public("kimura.jiro")
    ));
    env.write("trust.toml", text.as_bytes());
    add("ciso.two", "suzuki.hanako", "鈴木 花子", "suzuki.hanako")
        .code(4)
        .says("en", "enrol-unvouched");
    // … and with the signature deleted too.
    std::fs::remove_file(env.path("trust.toml.sig")).unwrap();
    add("ciso.two", "suzuki.hanako", "鈴木 花子", "suzuki.hanako")
        .code(4)
        .says("en", "enrol-unvouched");
    assert_eq!(
        std::fs::read_to_string(env.path("trust.toml")).unwrap(),
        text
    );
    assert!(!env.path("trust.toml.sig").exists());

    // A run stopped between the document and its signature: the person is listed, the
    // signature is the old one. Running it again says so instead of "nothing changed".
    env.write("trust.toml", &before.0);
    std::fs::write(env.path("trust.toml.sig"), before.1.as_ref().unwrap()).unwrap();
    add("ciso.two", "suzuki.hanako", "鈴木 花子", "suzuki.hanako").ok();
    std::fs::write(env.path("trust.toml.sig"), before.1.as_ref().unwrap()).unwrap();
    add("ciso.two", "suzuki.hanako", "鈴木 花子", "suzuki.hanako")
        .code(4)
        .says("en", "enrol-stale-signature");

    // The largest serial there is cannot be raised.
    let max = std::fs::read_to_string(env.path("trust.toml"))
        .unwrap()
        .lines()
        .map(|l| {
            if l.starts_with("serial = ") {
                "serial = 9223372036854775807".to_owned()
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    env.write("trust.toml", format!("{max}\n").as_bytes());
    std::fs::remove_file(env.path("trust.toml.sig")).unwrap();
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
        &format!("{}.pub", key("kanri.admin")),
    ]);
    r.code(4).says("en", "enrol-serial-max");
}
