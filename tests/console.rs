//! The web console in a real browser (Debian's Chromium, headless, over WebDriver) against a
//! real okuri-approvald on loopback, under the city's signed documents: browser keys made and
//! enrolled as the docs say, logins, approvals and refusals signed in the browser and accepted
//! by the CLI, `ssh-keygen -Y verify` and Go `age`; what the browser signs is byte for byte
//! what `ssh-keygen -Y sign` makes; and the attacks on the console's forms.

#[path = "support/browser.rs"]
mod browser;
mod common;

use std::path::Path;

use browser::Browser;
use common::*;

/// Enrols a public key line as a custodian's second key (`okuri trust add`, signed by the
/// CISO) or a staff member's (`okuri staff add`, signed by the administrator): the documented
/// commands, as for a key `okuri keygen` made.
fn enrol(env: &Env, svc: &Service, id: &str, line: &str) {
    let f = Fixture::get();
    let pub_file = env.write(&format!("{id}.browser.pub"), format!("{line}\n").as_bytes());
    let (list, who, extra, signer): (&str, [&str; 4], &[&str], &str) = match id {
        "suzuki.hanako" => (
            "trust",
            ["--id", id, "--name", "鈴木 花子"],
            &[
                "--role",
                "custodian",
                "--department",
                "総務課",
                "--classes",
                "I,II",
                "--departments",
                "総務課",
            ],
            "ciso.two",
        ),
        "mallory" => (
            "trust",
            ["--id", id, "--name", "税務 三郎"],
            &[
                "--role",
                "custodian",
                "--department",
                "税務課",
                "--classes",
                "I,II",
                "--departments",
                "税務課",
            ],
            "ciso.two",
        ),
        "sato.jiro" => (
            "trust",
            ["--id", id, "--name", "佐藤 次郎"],
            &[
                "--role",
                "custodian",
                "--department",
                "総務課",
                "--classes",
                "II",
                "--departments",
                "総務課",
            ],
            "ciso.two",
        ),
        "yamada.taro" => (
            "staff",
            ["--id", id, "--name", "山田 太郎"],
            &["--department", "総務課"],
            "kanri.admin",
        ),
        other => panic!("no enrolment for {other}"),
    };
    let file = env.path(&format!("etc/{list}.toml"));
    let signer = f.key(signer);
    let mut args: Vec<&std::ffi::OsStr> = vec![list.as_ref(), "add".as_ref(), file.as_os_str()];
    args.extend(who.iter().map(|a| std::ffi::OsStr::new(*a)));
    args.extend(extra.iter().map(|a| std::ffi::OsStr::new(*a)));
    args.extend([
        "--public-key".as_ref(),
        pub_file.as_os_str(),
        "--key".as_ref(),
        signer.as_os_str(),
        "--key-passphrase-file".as_ref(),
        f.pass.as_os_str(),
    ]);
    env.run_os(&args).ok();
    hup(svc);
    let log = svc.log.lock().unwrap().clone();
    assert!(!log.contains("reload failed"), "{log}");
}

/// Makes a key for `id` on the console's key page; its public key line.
async fn make_key(b: &Browser, url: &str, id: &str) -> String {
    b.goto(&format!("{url}/console/key")).await;
    b.fill("#make-key #id", id).await;
    b.click("#make-key button").await;
    for _ in 0..200 {
        let line = b.text("#public-key").await;
        if !line.is_empty() {
            return line;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no public key shown:\n{}", b.source().await);
}

async fn log_in(b: &Browser, url: &str, id: &str) {
    b.goto(&format!("{url}/console/login")).await;
    b.fill("#login #id", id).await;
    b.click("#login button").await;
}

/// The token's payload and its armored signature, split where `ssh-keygen -Y verify` users do.
fn split(token: &str) -> (String, String) {
    let at = token.find("-----BEGIN SSH SIGNATURE-----").unwrap();
    (token[..at].to_owned(), token[at..].to_owned())
}

fn ssh_keygen(args: &[&std::ffi::OsStr], stdin: Option<&Path>) -> std::process::Output {
    let mut c = std::process::Command::new("ssh-keygen");
    c.args(args);
    if let Some(p) = stdin {
        c.stdin(std::fs::File::open(p).unwrap());
    }
    c.output().unwrap()
}

/// A custodian makes a key in the browser, has it enrolled with `okuri trust add`, logs in,
/// finds the request in their queue and approves it there; the requester packs with that
/// approval, `ssh-keygen -Y verify` accepts the token, Go `age` decrypts the package. A second
/// request is refused in the browser with a reason, which the requester sees on their own
/// page after logging in with their own browser key.
#[test]
fn a_custodian_approves_and_denies_in_the_browser() {
    let (env, svc) = Env::with_signed_service();
    let url = svc.url.clone();
    env.labelled("memo.txt", b"memo for the printer", "II");
    let id = submit(&env, "memo.txt", "kameoka-print", "email", &[]);
    browser::run(async {
        let b = Browser::start().await;
        // Japanese first.
        b.goto(&format!("{url}/console/login")).await;
        assert!(b.source().await.contains("このブラウザーの鍵でログイン"));
        b.screenshot("login").await;
        let line = make_key(&b, &url, "suzuki.hanako").await;
        assert!(
            line.starts_with("ssh-ed25519 AAAA") && line.ends_with(" suzuki.hanako okuri-browser"),
            "{line}"
        );
        b.screenshot("key").await;
        // Not yet enrolled: no login.
        log_in(&b, &url, "suzuki.hanako").await;
        b.until_says("登録されていません").await;
        assert_eq!(b.path().await, "/console/login");
        enrol(&env, &svc, "suzuki.hanako", &line);

        log_in(&b, &url, "suzuki.hanako").await;
        b.until_at("/console/queue").await;
        let session = b.cookie("okuri-session").await.expect("a session cookie");
        assert_eq!(session.len(), 64, "{session}");
        assert!(b.source().await.contains(&id));
        b.screenshot("queue").await;
        b.click(&format!("a[href='/console/requests/{id}']")).await;
        b.until_at(&format!("/console/requests/{id}")).await;
        let page = b.source().await;
        for shown in [
            "memo.txt",
            "株式会社亀岡印刷",
            "亀総契第2026-0123号",
            "2099-03-31",
            "委託業務",
            "山田 太郎",
            "重要性分類Ⅱ",
            "情報責任者が署名した指定",
            "田中 一郎 (tanaka.ichiro) が 総務課 について",
        ] {
            assert!(
                page.contains(shown),
                "{shown} not on the request page:\n{page}"
            );
        }
        b.screenshot("request").await;
        // Usable at 1280×800 and on a tablet held upright: nothing wider than the window.
        for (w, h) in [(768, 1024), (1280, 800)] {
            b.client.set_window_size(w, h).await.unwrap();
            let fits = b
                .run(
                    "return document.documentElement.scrollWidth <= window.innerWidth;",
                    vec![],
                )
                .await;
            assert_eq!(fits, serde_json::Value::Bool(true), "wider than {w}px");
            if w == 768 {
                b.screenshot("request-tablet").await;
            }
        }
        b.fill("#hours", "24").await;
        b.click("#approve button").await;
        b.until_says("このブラウザーの鍵で署名").await;
        b.screenshot("sign").await;
        b.click("#sign button").await;
        b.until_at(&format!("/console/requests/{id}")).await;
        b.until_says("承認済み").await;
        b.screenshot("approved").await;

        // The token: by the browser key, verified by stock ssh-keygen.
        let v = status_of(&env, &id);
        assert_eq!(v["status"], "approved", "{v}");
        assert_eq!(v["decided_by"], "suzuki.hanako");
        let token = v["token"].as_str().unwrap().to_owned();
        let (payload, _) = split(&token);
        let p: serde_json::Value = serde_json::from_str(&payload).unwrap();
        assert_eq!(p["issuer"]["id"], "suzuki.hanako");
        let fp = okuri::base::digest::Fingerprint::of(
            &okuri::secret::keys::parse_public(&line).unwrap(),
        );
        assert_eq!(p["issuer"]["key"], fp.to_string());
        let at = |k: &str| p[k].as_str().unwrap().parse::<jiff::Timestamp>().unwrap();
        assert_eq!(
            at("expires_at").as_second() - at("issued_at").as_second(),
            24 * 3600,
            "{p}"
        );
        let allowed = env.write(
            "allowed_browser",
            format!(
                "suzuki.hanako namespaces=\"{}\" {line}\n",
                okuri::signed::NS_APPROVAL
            )
            .as_bytes(),
        );
        let token_file = env.write("browser.token", token.as_bytes());
        let (ok, said) = ssh_keygen_verify_token(
            &env,
            &token_file,
            &allowed,
            "suzuki.hanako",
            okuri::signed::NS_APPROVAL,
        );
        assert!(ok, "{said}");
        // The requester packs with it, online; Go age decrypts the package.
        env.run_os(&["token".as_ref(), "verify".as_ref(), token_file.as_os_str()])
            .ok();
        let j = env
            .pack_to("memo.txt", "kameoka-print", "email", &["--approval", &id])
            .ok()
            .json();
        assert_eq!(j["consumed_at_service"], true, "{j}");
        let pass =
            passphrase_from_slip(&std::fs::read_to_string(j["slip"].as_str().unwrap()).unwrap());
        let plain = env.path("memo.decrypted");
        let (code, out) = age_decrypt(
            &pass,
            Path::new(j["package"]["path"].as_str().unwrap()),
            &plain,
        );
        assert_eq!(code, 0, "{out}");
        assert_eq!(std::fs::read(&plain).unwrap(), b"memo for the printer");

        // A refusal, with its reason, signed in the browser.
        env.labelled("list.csv", b"a,b\n", "II");
        let id2 = submit(&env, "list.csv", "kameoka-print", "email", &[]);
        b.goto(&format!("{url}/console/requests/{id2}")).await;
        b.fill("#reason", "契約の範囲外です").await;
        b.click("#deny button").await;
        b.until_says("契約の範囲外です").await;
        assert_eq!(b.text("#reason-shown").await, "契約の範囲外です");
        b.click("#sign button").await;
        b.until_at(&format!("/console/requests/{id2}")).await;
        b.until_says("不承認: 契約の範囲外です").await;
        let v = status_of(&env, &id2);
        assert_eq!(v["status"], "denied", "{v}");
        // Their decisions, in English.
        b.goto(&format!("{url}/console/lang/en?back=/console/decisions"))
            .await;
        b.until_at("/console/decisions").await;
        let page = b.source().await;
        assert!(
            page.contains("Your decisions") && page.contains(&id) && page.contains(&id2),
            "{page}"
        );
        b.screenshot("decisions-en").await;

        // The requester, with a browser key of their own in the same browser, sees both.
        b.click("header form button").await;
        b.until_at("/console/login").await;
        let line = make_key(&b, &url, "yamada.taro").await;
        enrol(&env, &svc, "yamada.taro", &line);
        log_in(&b, &url, "yamada.taro").await;
        b.until_at("/console/mine").await;
        let page = b.source().await;
        assert!(page.contains(&id) && page.contains(&id2), "{page}");
        b.screenshot("mine-en").await;
        b.goto(&format!("{url}/console/requests/{id2}")).await;
        b.until_says("Denied: 契約の範囲外です").await;
        b.goto(&format!("{url}/console/requests/{id}")).await;
        let link = b
            .el("#token-download")
            .await
            .attr("href")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(link, format!("/console/requests/{id}/token"));
        // The queue is not a staff member's.
        b.goto(&format!("{url}/console/queue")).await;
        b.until_says("This page is for custodians").await;
        b.close().await;
    });
}

/// Ed25519 is deterministic: a known key imported into the page (for this test only) signs a
/// token byte for byte as `ssh-keygen -Y sign` signs the same payload with the same key.
#[test]
fn the_browser_signs_byte_for_byte_as_ssh_keygen() {
    let (env, svc) = Env::with_signed_service();
    let url = svc.url.clone();
    let dir = env.path("known");
    std::fs::create_dir_all(&dir).unwrap();
    let key = dir.join("key");
    let o = ssh_keygen(
        &[
            "-q".as_ref(),
            "-t".as_ref(),
            "ed25519".as_ref(),
            "-N".as_ref(),
            "".as_ref(),
            "-C".as_ref(),
            "suzuki.hanako okuri-browser".as_ref(),
            "-f".as_ref(),
            key.as_os_str(),
        ],
        None,
    );
    assert!(o.status.success());
    let private = ssh_key::PrivateKey::read_openssh_file(&key).unwrap();
    let pair = private.key_data().ed25519().unwrap();
    let mut pkcs8 = vec![
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20,
    ];
    pkcs8.extend_from_slice(&pair.private.to_bytes());
    let public = pair.public.0.to_vec();
    use base64::Engine as _;
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let line = std::fs::read_to_string(dir.join("key.pub")).unwrap();
    enrol(&env, &svc, "suzuki.hanako", line.trim());
    env.labelled("memo.txt", b"memo", "II");
    let id = submit(&env, "memo.txt", "kameoka-print", "email", &[]);
    env.labelled("memo2.txt", b"memo 2", "II");
    let id2 = submit(&env, "memo2.txt", "kameoka-print", "email", &[]);
    browser::run(async {
        let b = Browser::start().await;
        b.goto(&format!("{url}/console/key")).await;
        let stored = b
            .run_async(
                r#"const [id, pkcs8, raw, done] = arguments;
                const bytes = (t) => Uint8Array.from(atob(t), (c) => c.charCodeAt(0));
                (async () => {
                  const privateKey = await crypto.subtle.importKey("pkcs8", bytes(pkcs8), { name: "Ed25519" }, false, ["sign"]);
                  const publicKey = await crypto.subtle.importKey("raw", bytes(raw), { name: "Ed25519" }, true, ["verify"]);
                  const db = await new Promise((ok, fail) => {
                    const r = indexedDB.open("okuri-console", 1);
                    r.onupgradeneeded = () => r.result.createObjectStore("keys");
                    r.onsuccess = () => ok(r.result);
                    r.onerror = () => fail(r.error);
                  });
                  await new Promise((ok, fail) => {
                    const t = db.transaction("keys", "readwrite");
                    t.objectStore("keys").add({ privateKey, publicKey, created: "test" }, id);
                    t.oncomplete = ok;
                    t.onerror = () => fail(t.error);
                  });
                  return privateKey.extractable;
                })().then((x) => done(x), (e) => done("failed: " + e));"#,
                vec![
                    "suzuki.hanako".into(),
                    b64(&pkcs8).into(),
                    b64(&public).into(),
                ],
            )
            .await;
        assert_eq!(stored, serde_json::Value::Bool(false), "{stored}");
        // The key page shows the same public key as ssh-keygen wrote.
        b.goto(&format!("{url}/console/key")).await;
        b.fill("#make-key #id", "suzuki.hanako").await;
        b.click("#make-key button").await;
        b.until_says("ssh-ed25519").await;
        let shown = b.text("#public-key").await;
        assert_eq!(shown, line.trim());
        log_in(&b, &url, "suzuki.hanako").await;
        b.until_at("/console/queue").await;
        b.goto(&format!("{url}/console/requests/{id}")).await;
        b.click("#approve button").await;
        b.until_says("okuri-approval").await;
        b.click("#sign button").await;
        b.until_at(&format!("/console/requests/{id}")).await;
        b.until_says("承認済み").await;

        // A payload altered between display and signing (here in the page, as a compromised
        // page script or an extension could): the signature is over other bytes than the
        // service kept, and nothing is recorded.
        b.goto(&format!("{url}/console/requests/{id2}")).await;
        b.click("#approve button").await;
        b.until_says("okuri-approval").await;
        let altered = b
            .run(
                r#"const f = document.getElementById("sign");
                const before = atob(f.dataset.payload);
                const after = before.replace('"expires_at": "2', '"expires_at": "3');
                f.dataset.payload = btoa(after);
                return before !== after;"#,
                vec![],
            )
            .await;
        assert_eq!(altered, serde_json::Value::Bool(true));
        b.click("#sign button").await;
        b.until_says("表示した決定に対する、登録済みの鍵による署名ではありません")
            .await;
        b.close().await;
    });
    assert_eq!(status_of(&env, &id2)["status"], "pending");
    let token = status_of(&env, &id)["token"].as_str().unwrap().to_owned();
    let (payload, armor) = split(&token);
    std::fs::write(dir.join("payload"), &payload).unwrap();
    let o = ssh_keygen(
        &[
            "-Y".as_ref(),
            "sign".as_ref(),
            "-q".as_ref(),
            "-f".as_ref(),
            key.as_os_str(),
            "-n".as_ref(),
            okuri::signed::NS_APPROVAL.as_ref(),
            dir.join("payload").as_os_str(),
        ],
        None,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let by_ssh_keygen = std::fs::read_to_string(dir.join("payload.sig")).unwrap();
    assert_eq!(
        armor, by_ssh_keygen,
        "the browser's token differs from ssh-keygen's"
    );
}

/// A console session opened by hand, without a browser, as the login page's script opens one:
/// a person's enrolled (CLI) key signs the challenge, and the form carries the raw signature
/// and the public key line. Every call reads in English.
struct Hand {
    url: String,
    agent: ureq::Agent,
    cookie: Option<String>,
}

struct Answer {
    status: u16,
    body: String,
    headers: ureq::http::HeaderMap,
}

impl Answer {
    fn says(&self, text: &str) -> &Self {
        assert!(
            self.body.contains(text),
            "{} did not say {text:?}:\n{}",
            self.status,
            self.body
        );
        self
    }
    fn status(&self, want: u16) -> &Self {
        assert_eq!(self.status, want, "{}", self.body);
        self
    }
    /// The CSRF token the page's forms carry.
    fn csrf(&self) -> String {
        let re = regex::Regex::new(r#"name="csrf" value="([0-9a-f]{64})""#).unwrap();
        re.captures(&self.body)
            .unwrap_or_else(|| panic!("no CSRF token on the page:\n{}", self.body))[1]
            .to_owned()
    }
    fn location(&self) -> &str {
        self.headers["location"].to_str().unwrap()
    }
}

fn b64(b: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(b)
}

/// The raw Ed25519 signature (64 bytes) `id`'s fixture key makes over the SSHSIG blob of
/// `message` in `namespace`: what the browser's key hands the page.
fn raw_signature(id: &str, namespace: &str, message: &[u8]) -> Vec<u8> {
    let sig = Fixture::get()
        .signing_key(id)
        .sign(namespace, message)
        .unwrap();
    sig.signature().as_bytes().to_vec()
}

impl Hand {
    fn anonymous(url: &str) -> Hand {
        Hand {
            url: url.to_owned(),
            // A connection per call: a refusal sent before a body was read closes its
            // connection, and a pooled one could then be reused just as it closes.
            agent: ureq::Agent::config_builder()
                .http_status_as_error(false)
                .max_redirects(0)
                .max_idle_connections(0)
                .build()
                .into(),
            cookie: None,
        }
    }

    /// Logs `id` in with their fixture key; the login's answer (its Set-Cookie, say).
    fn login(url: &str, id: &str) -> (Hand, Answer) {
        let mut h = Hand::anonymous(url);
        let a = h.login_as(id, id);
        a.status(303);
        assert_eq!(a.location(), "/console");
        let set = a.headers["set-cookie"].to_str().unwrap();
        let value = set
            .strip_prefix("okuri-session=")
            .and_then(|v| v.split(';').next())
            .unwrap();
        h.cookie = Some(value.to_owned());
        (h, a)
    }

    /// Answers a challenge for `id` with `signer`'s fixture key.
    fn login_as(&self, id: &str, signer: &str) -> Answer {
        let mut res = self
            .agent
            .post(format!("{}/v1/auth/challenge", self.url))
            .send_json(serde_json::json!({ "id": id }))
            .unwrap();
        let ch: serde_json::Value = res.body_mut().read_json().unwrap();
        let ch = ch["challenge"].as_str().unwrap().to_owned();
        let raw = raw_signature(
            signer,
            okuri::net::wire::NS_AUTH,
            &okuri::net::wire::auth_message(id, &ch),
        );
        self.post(
            "/console/login",
            &[
                ("id", id),
                ("challenge", &ch),
                ("public_key", &Fixture::get().public(signer)),
                ("signature", &b64(&raw)),
            ],
        )
    }

    fn cookies(&self) -> String {
        match &self.cookie {
            Some(c) => format!("okuri-lang=en; okuri-session={c}"),
            None => "okuri-lang=en".to_owned(),
        }
    }

    fn answer(mut res: ureq::http::Response<ureq::Body>) -> Answer {
        Answer {
            status: res.status().as_u16(),
            headers: res.headers().clone(),
            body: res.body_mut().read_to_string().unwrap_or_default(),
        }
    }

    fn get(&self, path: &str) -> Answer {
        Hand::answer(
            self.agent
                .get(format!("{}{path}", self.url))
                .header("cookie", self.cookies())
                .call()
                .unwrap(),
        )
    }

    fn post(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        Hand::answer(
            self.agent
                .post(format!("{}{path}", self.url))
                .header("cookie", self.cookies())
                .send_form(fields.iter().copied())
                .unwrap(),
        )
    }

    /// Asks to approve `id` for 24 hours: the sign page.
    fn prepare_page(&self, id: &str) -> Answer {
        let csrf = self.get(&format!("/console/requests/{id}")).csrf();
        let page = self.post(
            &format!("/console/requests/{id}/approve"),
            &[("csrf", &csrf), ("hours", "24")],
        );
        page.status(200);
        page
    }

    /// Prepares an approval of `id` for 24 hours: the sign page's nonce and payload. The page
    /// shows the payload's text as it is signed.
    fn prepare(&self, id: &str) -> (String, Vec<u8>) {
        let page = self.prepare_page(id);
        let field = |re: &str| {
            regex::Regex::new(re)
                .unwrap()
                .captures(&page.body)
                .unwrap_or_else(|| panic!("no {re} on the sign page:\n{}", page.body))[1]
                .to_owned()
        };
        use base64::Engine as _;
        let payload = base64::engine::general_purpose::STANDARD
            .decode(field(r#"data-payload="([^"]+)""#))
            .unwrap();
        let shown = field(r#"(?s)<pre class="key-line" id="payload">(.*?)</pre>"#)
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        assert_eq!(
            shown.as_bytes(),
            &payload[..],
            "the text shown is not the text signed"
        );
        (field(r#"name="nonce" value="([0-9a-f]{64})""#), payload)
    }

    /// Signs a prepared decision: the raw signature as the page's script posts it.
    fn sign(&self, csrf: &str, nonce: &str, raw: &[u8]) -> Answer {
        self.post(
            "/console/pending",
            &[("csrf", csrf), ("nonce", nonce), ("signature", &b64(raw))],
        )
    }

    /// A post as a browser sends it from a page of `origin` (`Origin`, `Sec-Fetch-Site`).
    fn post_from(&self, path: &str, fields: &[(&str, &str)], origin: &str, site: &str) -> Answer {
        Hand::answer(
            self.agent
                .post(format!("{}{path}", self.url))
                .header("cookie", self.cookies())
                .header("origin", origin)
                .header("sec-fetch-site", site)
                .send_form(fields.iter().copied())
                .unwrap(),
        )
    }

    /// A page with exactly this Cookie header.
    fn get_with_cookies(&self, path: &str, cookies: &str) -> Answer {
        Hand::answer(
            self.agent
                .get(format!("{}{path}", self.url))
                .header("cookie", cookies)
                .call()
                .unwrap(),
        )
    }
}

/// Every role against every page and form, without a browser (the forms as an attacker posts
/// them): no session, staff, a custodian outside their classes, CSRF missing or another
/// session's, a prepared decision signed from another session, twice, or over other bytes;
/// the cookie's flags and the pages' CSP.
#[test]
fn every_role_against_every_page_and_form() {
    let (env, svc) = Env::with_signed_service();
    let url = svc.url.clone();
    env.labelled("ii.txt", b"ii", "II");
    env.labelled("i.csv", b"i", "I");
    let r2 = submit(&env, "ii.txt", "kameoka-print", "email", &[]);
    let r1 = submit(
        &env,
        "i.csv",
        "kyoto-pref",
        "lgwan",
        &["--legal-basis", "地方税法"],
    );
    let pending = |id: &str| assert_eq!(status_of(&env, id)["status"], "pending");
    // A file name that is markup is shown as text, never as markup.
    let markup = "<img src=x onerror=alert(1)>.txt";
    env.labelled(markup, b"x", "II");
    let rx = submit(&env, markup, "kameoka-print", "email", &[]);

    // No session: pages send to the login page, forms are refused.
    let nobody = Hand::anonymous(&url);
    let a = nobody.get("/console/queue");
    a.status(303);
    assert_eq!(a.location(), "/console/login");
    nobody
        .post(
            &format!("/console/requests/{r2}/approve"),
            &[("csrf", &"0".repeat(64)), ("hours", "24")],
        )
        .status(401)
        .says("You are not logged in");
    nobody
        .post(
            "/console/pending",
            &[("csrf", "x"), ("nonce", "x"), ("signature", "x")],
        )
        .status(401);
    // A login with a signature that is not one, or by another person's key, opens nothing.
    let a = nobody.post(
        "/console/login",
        &[
            ("id", "suzuki.hanako"),
            ("challenge", "x"),
            ("public_key", &Fixture::get().public("suzuki.hanako")),
            ("signature", &b64(&[0u8; 64])),
        ],
    );
    a.status(401);
    assert!(a.headers.get("set-cookie").is_none());
    let a = nobody.login_as("sato.jiro", "suzuki.hanako");
    a.status(401).says("not enrolled");
    assert!(a.headers.get("set-cookie").is_none());
    nobody
        .post("/console/login", &[("id", "x")])
        .status(400)
        .says("could not be read");
    // Login CSRF: another site's page posting a login (an insider's own, say) sets nothing.
    let a = nobody.post_from(
        "/console/login",
        &[
            ("id", "x"),
            ("challenge", "x"),
            ("public_key", "x"),
            ("signature", "x"),
        ],
        "https://evil.example",
        "cross-site",
    );
    a.status(403).says("another site");
    assert!(a.headers.get("set-cookie").is_none());

    // The cookie: HttpOnly, SameSite=Strict, the console's path; not Secure on plain loopback.
    let (suzuki, login) = Hand::login(&url, "suzuki.hanako");
    let set = login.headers["set-cookie"].to_str().unwrap().to_owned();
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/console"] {
        assert!(set.contains(flag), "{set}");
    }
    assert!(!set.contains("Secure"), "{set}");
    // Logging in again ends the browser's earlier session.
    let (again, _) = Hand::login(&url, "suzuki.hanako");
    let relogin = Hand {
        cookie: suzuki.cookie.clone(),
        ..Hand::anonymous(&url)
    }
    .login_as("suzuki.hanako", "suzuki.hanako");
    relogin.status(303);
    suzuki.get("/console/queue").status(303);
    let suzuki = again;
    // A second session cookie beside ours (planted from a sibling host): neither counts.
    let cookie = suzuki.cookie.clone().unwrap();
    suzuki
        .get_with_cookies("/console/queue", &format!("okuri-session={cookie}"))
        .status(200);
    let a = suzuki.get_with_cookies(
        "/console/queue",
        &format!("okuri-session={cookie}; okuri-session=planted"),
    );
    a.status(303);
    // Every page: the CSP, and nothing inline for it to have to allow.
    let queue = suzuki.get("/console/queue");
    queue.status(200).says(&r2).says(&r1).says(&rx);
    for page in [
        &queue.body,
        &suzuki.get(&format!("/console/requests/{rx}")).body,
    ] {
        assert!(
            !page.contains("<img") && page.contains("&lt;img src=x onerror=alert(1)&gt;.txt"),
            "{page}"
        );
    }
    let csp = queue.headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe"),
        "{csp}"
    );
    assert_eq!(queue.headers["x-frame-options"], "DENY");
    let inline = regex::Regex::new(r#"<[a-z][^>]*\s(on[a-z]+|style)="#).unwrap();
    for page in [
        &queue.body,
        &suzuki.get(&format!("/console/requests/{r2}")).body,
        &nobody.get("/console/login").body,
        &nobody.get("/console/key").body,
    ] {
        assert_eq!(
            page.matches("<script").count(),
            page.matches("<script src=\"/console/assets/console.js\"")
                .count(),
            "{page}"
        );
        assert!(!inline.is_match(page), "{page}");
    }
    // The language switch goes back only to a console page, and takes no header-breaking text.
    for (back, to) in [
        ("%2Fconsole%2Fqueue", "/console/queue"),
        ("%2F%2Fevil.example%2Fconsole", "/console"),
        ("https%3A%2F%2Fevil.example", "/console"),
        ("%2Fconsole%0d%0aSet-Cookie%3A%20x%3Dy", "/console"),
        ("%2Fconsole%2F%FF", "/console"),
    ] {
        let a = nobody.get(&format!("/console/lang/en?back={back}"));
        a.status(303);
        assert_eq!(a.location(), to, "{back}");
    }
    // A path that does not parse is a page in the reader's language, not plain text.
    let a = nobody.get("/console/lang/%FF");
    a.status(400).says("could not be read");
    assert!(
        a.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let js = nobody.get("/console/assets/console.js");
    js.status(200);
    assert!(
        js.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );

    // Staff: their own request, no queue, no decision by posting the form.
    let (yamada, _) = Hand::login(&url, "yamada.taro");
    let csrf_y = yamada.get("/console/mine").status(200).says(&r2).csrf();
    yamada
        .get("/console/queue")
        .status(403)
        .says("for custodians");
    yamada.get("/console/decisions").status(403);
    let own = yamada.get(&format!("/console/requests/{r2}"));
    own.status(200);
    assert!(!own.body.contains("id=\"approve\""), "{}", own.body);
    yamada
        .post(
            &format!("/console/requests/{r2}/approve"),
            &[("csrf", &csrf_y), ("hours", "24")],
        )
        .status(403);
    yamada
        .post(
            &format!("/console/requests/{r2}/deny"),
            &[("csrf", &csrf_y), ("reason", "x")],
        )
        .status(403);
    pending(&r2);

    // A custodian outside their classes: sato.jiro decides class II only.
    let (sato, _) = Hand::login(&url, "sato.jiro");
    let q = sato.get("/console/queue");
    q.status(200).says(&r2);
    assert!(!q.body.contains(&r1), "{}", q.body);
    let csrf_s = q.csrf();
    sato.get(&format!("/console/requests/{r1}")).status(403);
    sato.post(
        &format!("/console/requests/{r1}/approve"),
        &[("csrf", &csrf_s), ("hours", "24")],
    )
    .status(403);
    pending(&r1);

    // A custodian of another department (税務課) sees and decides nothing of 総務課's.
    enrol(&env, &svc, "mallory", &Fixture::get().public("mallory"));
    let (mallory, _) = Hand::login(&url, "mallory");
    let q = mallory.get("/console/queue");
    q.status(200).says("Nothing is waiting");
    let csrf_m = q.csrf();
    mallory.get(&format!("/console/requests/{r2}")).status(403);
    mallory
        .post(
            &format!("/console/requests/{r2}/approve"),
            &[("csrf", &csrf_m), ("hours", "24")],
        )
        .status(403);

    // What the requester wrote is shown as theirs: a recipient's name the register does not
    // give it, and invisible direction marks, are shown as such; a purpose of two lines is
    // not taken.
    let yamada_api = common::login(&url, "yamada.taro").unwrap();
    let mut edited: okuri::signed::approval::Request =
        serde_json::from_value(status_of(&env, &r2)["request"].clone()).unwrap();
    edited.request_id = okuri::base::ids::RequestId::new().unwrap();
    edited.recipient.name = "京都府警察本部".into();
    edited.purpose = "委託\u{202e}txt.exe".into();
    let re = edited.request_id.to_string();
    yamada_api.submit(&edited).unwrap();
    let page = suzuki.get(&format!("/console/requests/{re}"));
    page.status(200)
        .says("株式会社亀岡印刷 (kameoka-print)")
        .says("names the recipient &quot;京都府警察本部&quot;")
        .says("委託\\u{202e}txt.exe");
    assert!(!page.body.contains('\u{202e}'), "{}", page.body);
    // The sign page too, in the facts and in the text signed.
    let sign = suzuki.prepare_page(&re);
    assert_eq!(
        sign.body.matches("委託\\u{202e}txt.exe").count(),
        2,
        "{}",
        sign.body
    );
    assert!(!sign.body.contains('\u{202e}'), "{}", sign.body);
    let mut two_lines = edited.clone();
    two_lines.request_id = okuri::base::ids::RequestId::new().unwrap();
    two_lines.purpose = "委託\n(承認済み)".into();
    assert!(yamada_api.submit(&two_lines).is_err());

    // CSRF: missing, another session's, not hex.
    let csrf_k = suzuki.get(&format!("/console/requests/{r2}")).csrf();
    assert_ne!(csrf_k, csrf_s);
    suzuki
        .post(
            &format!("/console/requests/{r2}/approve"),
            &[("hours", "24")],
        )
        .status(400);
    for wrong in [csrf_s.as_str(), "zz", ""] {
        suzuki
            .post(
                &format!("/console/requests/{r2}/approve"),
                &[("csrf", wrong), ("hours", "24")],
            )
            .status(403)
            .says("CSRF");
    }
    suzuki
        .post("/console/logout", &[("csrf", &csrf_s)])
        .status(403);
    // Beyond the rules' limit, or not a number.
    suzuki
        .post(
            &format!("/console/requests/{r2}/approve"),
            &[("csrf", &csrf_k), ("hours", "100000")],
        )
        .status(400);
    suzuki
        .post(
            &format!("/console/requests/{r2}/approve"),
            &[("csrf", &csrf_k), ("hours", "-1")],
        )
        .status(400);
    pending(&r2);

    // A prepared decision: another session can neither sign nor spend it.
    let (nonce, payload) = suzuki.prepare(&r2);
    let sign_as = |ns: &str, bytes: &[u8]| raw_signature("suzuki.hanako", ns, bytes);
    let good = sign_as(okuri::signed::NS_APPROVAL, &payload);
    sato.sign(&csrf_s, &nonce, &good).status(409);
    // Over other bytes (a later expiry), in another namespace, or not 64 bytes: refused, and
    // nothing recorded; it still waits.
    let text = String::from_utf8(payload.clone()).unwrap();
    let later = text.replacen("\"expires_at\": \"2", "\"expires_at\": \"3", 1);
    assert_ne!(later, text);
    suzuki
        .sign(
            &csrf_k,
            &nonce,
            &sign_as(okuri::signed::NS_APPROVAL, later.as_bytes()),
        )
        .status(400)
        .says("not by your enrolled key over the decision that was shown");
    suzuki
        .sign(
            &csrf_k,
            &nonce,
            &sign_as(okuri::signed::NS_DENIAL, &payload),
        )
        .status(400);
    suzuki.sign(&csrf_k, &nonce, &[1u8; 63]).status(400);
    // Posted from another site's page (with this session's CSRF token): refused.
    suzuki
        .post_from(
            "/console/pending",
            &[
                ("csrf", &csrf_k),
                ("nonce", &nonce),
                ("signature", &b64(&good)),
            ],
            "https://evil.example",
            "cross-site",
        )
        .status(403)
        .says("another site");
    pending(&r2);
    // A second one prepared replaces the first (one at a time per session).
    let (nonce2, payload2) = suzuki.prepare(&r2);
    suzuki
        .sign(&csrf_k, &nonce, &good)
        .status(409)
        .says("10 minutes");
    // Signed right: recorded once; the same post again finds nothing to sign.
    let good2 = sign_as(okuri::signed::NS_APPROVAL, &payload2);
    let done = suzuki.sign(&csrf_k, &nonce2, &good2);
    done.status(303);
    assert_eq!(done.location(), format!("/console/requests/{r2}"));
    suzuki.sign(&csrf_k, &nonce2, &good2).status(409);
    let v = status_of(&env, &r2);
    assert_eq!(v["status"], "approved");
    let token = v["token"].as_str().unwrap();
    assert!(
        token.starts_with(&String::from_utf8(payload2).unwrap()),
        "{token}"
    );
    // A second decision of a decided request is not prepared.
    suzuki
        .post(
            &format!("/console/requests/{r2}/deny"),
            &[("csrf", &csrf_k), ("reason", "x")],
        )
        .status(409);

    // The token file: the requester's to download; another staff member's not.
    let file = yamada.get(&format!("/console/requests/{r2}/token"));
    file.status(200);
    assert_eq!(file.body, token);
    assert!(
        file.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let (kimura, _) = Hand::login(&url, "kimura.jiro");
    kimura
        .get(&format!("/console/requests/{r2}/token"))
        .status(403);
    kimura.get(&format!("/console/requests/{r2}")).status(403);
    kimura
        .get(&format!("/console/requests/{r1}/token"))
        .status(403);
    yamada
        .get(&format!("/console/requests/{r1}/token"))
        .status(404);

    // Logging out ends the session on the service, not only in the browser.
    suzuki
        .post("/console/logout", &[("csrf", &csrf_k)])
        .status(303);
    let a = suzuki.get("/console/queue");
    a.status(303);
    assert_eq!(a.location(), "/console/login");
}

/// A prepared decision waits ten minutes for its signature: after that (the service's clock, a
/// test hook, moved on across a restart) it is refused and nothing is recorded; prepared
/// again, it is signed.
#[test]
fn a_prepared_decision_expires() {
    let (env, mut svc) = Env::with_signed_service();
    env.labelled("memo.txt", b"memo", "II");
    let id = submit(&env, "memo.txt", "kameoka-print", "email", &[]);
    let cfg = env.path("approvald.toml");
    svc.kill9();
    svc = Service::start_with(
        &cfg,
        &[("OKURI_TEST_NOW", "2026-12-07T10:00:00+09:00[+09:00]")],
    );
    let (suzuki, _) = Hand::login(&svc.url, "suzuki.hanako");
    let csrf = suzuki.get(&format!("/console/requests/{id}")).csrf();
    let (nonce, payload) = suzuki.prepare(&id);
    let raw = raw_signature("suzuki.hanako", okuri::signed::NS_APPROVAL, &payload);
    svc.kill9();
    svc = Service::start_with(
        &cfg,
        &[("OKURI_TEST_NOW", "2026-12-07T10:10:01+09:00[+09:00]")],
    );
    // The session (15 minutes) still holds; the prepared decision does not.
    suzuki
        .sign(&csrf, &nonce, &raw)
        .status(409)
        .says("more than 10 minutes ago");
    assert_eq!(status_of(&env, &id)["status"], "pending");
    let (nonce, payload) = suzuki.prepare(&id);
    let raw = raw_signature("suzuki.hanako", okuri::signed::NS_APPROVAL, &payload);
    suzuki.sign(&csrf, &nonce, &raw).status(303);
    assert_eq!(status_of(&env, &id)["status"], "approved");
    drop(svc);
}

/// In development mode (unsigned rules, a request from a machine without a key of its own) the
/// console decides what `okuri approve` decides there.
#[test]
fn the_console_decides_in_development_mode_too() {
    let (env, svc) = Env::with_service();
    env.labelled("memo.txt", b"memo", "II");
    let id = submit(&env, "memo.txt", "kameoka-print", "email", &[]);
    let (suzuki, _) = Hand::login(&svc.url, "suzuki.hanako");
    let csrf = suzuki.get(&format!("/console/requests/{id}")).csrf();
    let (nonce, payload) = suzuki.prepare(&id);
    let raw = raw_signature("suzuki.hanako", okuri::signed::NS_APPROVAL, &payload);
    suzuki.sign(&csrf, &nonce, &raw).status(303);
    assert_eq!(status_of(&env, &id)["status"], "approved");
}
