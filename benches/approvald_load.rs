//! A bounded load test of okuri-approvald on loopback: requests per second and latency
//! percentiles for submit, list, the web console's queue page, approve, consume and witness at
//! 16 and 256 concurrent clients,
//! on SQLite, on PostgreSQL with one instance, and on PostgreSQL with two instances behind a
//! TCP load balancer.
//!
//! `cargo bench --bench approvald_load` starts the real service binary (release build) with a
//! fresh database (a SQLite file in a temporary directory; a throwaway PostgreSQL cluster that
//! fsyncs every commit, from tests/support/pg.rs), drives it with okuri's own client (each
//! client logs in once with its key, as the CLI does), prints a Markdown table, and stops the
//! service. `OKURI_BENCH_BACKENDS` (default `sqlite,postgres,postgres-2`) and
//! `OKURI_BENCH_CLIENTS` (default `16,256`) choose what runs. Every loop is bounded by a
//! count; nothing leaves loopback.

use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use okuri::net::client::Client;
use okuri::net::wire::{DecisionUpload, Status};
use okuri::policy::{Policy, ServiceRef};
use okuri::secret::keys::{Role, SigningKey};
use okuri::signed::approval::Request;

// A cluster, its databases and a free port: not what the tests stop and freeze.
#[allow(dead_code)]
#[path = "../tests/support/pg.rs"]
mod pg;
#[path = "../tests/support/proxy.rs"]
mod proxy;
#[path = "../tests/support/synthetic.rs"]
mod synthetic;
use synthetic::{request, token};

const PASS: &str = "load test passphrase";

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let key = |id: &str, role| synthetic::key(d, id, role, PASS);
    let staff = Arc::new(key("yamada.taro", Role::Staff));
    let custodian = key("suzuki.hanako", Role::Custodian);
    let line = |id: &str| {
        std::fs::read_to_string(d.join(format!("{id}.pub")))
            .unwrap()
            .trim()
            .to_owned()
    };
    let policy_text = format!(
        "{}\n[service]\nurl = \"http://127.0.0.1:1\"\n\n[[custodian]]\nid = \"suzuki.hanako\"\nname = \"鈴木 花子\"\ndepartment = \"総務課\"\nclasses = [\"I\", \"II\"]\ndepartments = [\"総務課\"]\nkeys = [{{ key = \"{}\" }}]\n",
        okuri::policy::EMBEDDED,
        line("suzuki.hanako")
    );
    std::fs::write(d.join("policy.toml"), &policy_text).unwrap();
    let policy = Policy::load(Some(&d.join("policy.toml"))).unwrap();
    std::fs::write(
        d.join("recipients.toml"),
        "version = 1\n[[recipient]]\nid = \"kameoka-print\"\nname = \"株式会社亀岡印刷\"\ncontract = \"亀総契第2026-0123号\"\nclasses = [\"II\", \"III\"]\nchannels = [\"email\"]\nagreement_ends = 2099-03-31\n[recipient.slip]\nmethod = \"phone\"\nphone = \"0771-22-0000\"\ncontact = \"印刷 太郎\"\n",
    )
    .unwrap();
    std::fs::write(
        d.join("staff.toml"),
        format!(
            "version = 1\n[[person]]\nid = \"yamada.taro\"\nname = \"山田 太郎\"\ndepartment = \"総務課\"\nroles = [\"staff\"]\nkeys = [\"{}\"]\n",
            line("yamada.taro")
        ),
    )
    .unwrap();
    let setting = |name: &str, default: &str| -> Vec<String> {
        std::env::var(name)
            .unwrap_or_else(|_| default.to_owned())
            .split(',')
            .map(str::to_owned)
            .collect()
    };
    let clients_list: Vec<usize> = setting("OKURI_BENCH_CLIENTS", "16,256")
        .iter()
        .map(|c| c.parse().expect("OKURI_BENCH_CLIENTS: numbers"))
        .collect();
    // One PostgreSQL cluster for the PostgreSQL runs, durable as in production.
    let mut cluster: Option<pg::Cluster> = None;

    println!("| database | operation | clients | operations | requests/s | p50 | p99 |");
    println!("|---|---|---|---|---|---|---|");
    for backend in setting("OKURI_BENCH_BACKENDS", "sqlite,postgres,postgres-2") {
        let (database, instances, label) = match backend.as_str() {
            "sqlite" => (format!("{}/db.sqlite", d.display()), 1, "SQLite"),
            "postgres" => {
                let c = cluster.get_or_insert_with(|| pg::Cluster::start_with(true));
                (c.database(), 1, "PostgreSQL, 1 instance")
            }
            "postgres-2" => {
                let c = cluster.get_or_insert_with(|| pg::Cluster::start_with(true));
                (c.database(), 2, "PostgreSQL, 2 instances")
            }
            other => panic!("OKURI_BENCH_BACKENDS: unknown {other}"),
        };
        let services: Vec<(Child, String)> = (0..instances)
            .map(|i| start(d, &format!("{backend}-{i}"), &database))
            .collect();
        let urls: Vec<&str> = services.iter().map(|s| s.1.as_str()).collect();
        // Two instances: the clients reach them through the load balancer.
        let balancer = (instances > 1).then(|| proxy::Proxy::start(&urls));
        let url = balancer
            .as_ref()
            .map_or_else(|| urls[0].to_owned(), |p| p.url.clone());
        let service = ServiceRef { url, ca: None };
        // After the submits, PostgreSQL is given its statistics of the tables the way
        // autovacuum gives them to a table in use (which a table filled a second ago has not
        // had yet: then it plans for an empty table).
        let settle = || {
            if let Some(c) = &cluster
                && backend != "sqlite"
            {
                c.psql(pg::name_of(&database), "ANALYZE");
            }
        };
        for &clients in &clients_list {
            let who = Who {
                label,
                service: &service,
                policy: &policy,
                staff: &staff,
                custodian: &custodian,
                settle: &settle,
            };
            measure(&who, clients, d);
        }
        if let Some(b) = &balancer {
            let sent: Vec<usize> = b
                .sent
                .iter()
                .map(|n| n.load(std::sync::atomic::Ordering::Relaxed))
                .collect();
            eprintln!("{label}: connections per instance {sent:?}");
        }
        for (mut child, _) in services {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            let _ = child.wait();
        }
    }
}

/// Starts one service on `database`, named `name`; its process and URL.
fn start(d: &Path, name: &str, database: &str) -> (Child, String) {
    let port = pg::free_port();
    let config = d.join(format!("{name}.toml"));
    std::fs::write(
        &config,
        format!("listen = \"127.0.0.1:{port}\"\ndatabase = \"{database}\"\npolicy = \"policy.toml\"\nrecipients = \"recipients.toml\"\nstaff = \"staff.toml\"\n[limits]\nsession_minutes = 60\n"),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_okuri-approvald"))
        .arg("--config")
        .arg(&config)
        .env("OKURI_LOG", "warn")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    for l in lines.by_ref() {
        let l = l.unwrap();
        if l.starts_with("okuri-approvald: listening") {
            break;
        }
        eprintln!("{l}");
    }
    std::thread::spawn(move || for _ in lines {});
    (child, format!("http://127.0.0.1:{port}"))
}

/// What one backend's runs share.
struct Who<'a> {
    label: &'a str,
    service: &'a ServiceRef,
    policy: &'a Policy,
    staff: &'a Arc<SigningKey>,
    custodian: &'a SigningKey,
    /// Called after the submits, before the rest is measured.
    settle: &'a dyn Fn(),
}

/// One row per operation at `clients` concurrent clients.
fn measure(w: &Who<'_>, clients: usize, d: &Path) {
    let per = (800 / clients).max(10);
    let total = per * clients;
    let staffs: Vec<Client> = (0..clients)
        .map(|_| Client::login(w.service, &"yamada.taro".parse().unwrap(), w.staff).unwrap())
        .collect();
    let custodians: Vec<Client> = (0..clients)
        .map(|_| Client::login(w.service, &"suzuki.hanako".parse().unwrap(), w.custodian).unwrap())
        .collect();
    // Each run its own file numbers and records, apart from every earlier run's.
    let base = next_run() * 1_000_000_000;
    let reqs: Vec<Vec<Request>> = (0..clients)
        .map(|c| {
            (0..per)
                .map(|i| request(w.policy, base + c * 1_000_000 + i))
                .collect()
        })
        .collect();
    let reqs = Arc::new(reqs);
    let staffs = Arc::new(staffs);
    let custodians = Arc::new(custodians);
    // Tokens, signed ahead so that `approve` measures the service, not the signing.
    let tokens: Arc<Vec<Vec<(okuri::base::ids::TokenId, String)>>> = Arc::new(
        reqs.iter()
            .map(|rs| {
                rs.iter()
                    .map(|r| token(w.policy, w.custodian, r, 2))
                    .collect()
            })
            .collect(),
    );
    let row = |what: &str, m| row(w.label, what, clients, total, m);
    let r = Arc::clone(&reqs);
    let s = Arc::clone(&staffs);
    row(
        "submit",
        run(clients, per, move |c, i| s[c].submit(&r[c][i]).is_ok()),
    );
    (w.settle)();
    let s = Arc::clone(&staffs);
    row(
        "list (pending, a page of 50)",
        run(clients, per, move |c, _| {
            s[c].list_page(Some(Status::Pending), None, 50).is_ok()
        }),
    );
    // The web console: a custodian's queue, a page of 100 pending requests rendered as HTML.
    let consoles: Arc<Vec<(ureq::Agent, String)>> = Arc::new(
        (0..clients)
            .map(|_| console_login(w.service, w.custodian))
            .collect(),
    );
    let queue = format!("{}/console/queue", w.service.url);
    row(
        "console: queue page (100 rows)",
        run(clients, per, move |c, _| {
            let (agent, cookie) = &consoles[c];
            agent
                .get(&queue)
                .header("cookie", cookie)
                .call()
                .is_ok_and(|mut r| {
                    r.status() == 200
                        && r.body_mut()
                            .read_to_string()
                            .is_ok_and(|b| b.contains("</table>"))
                })
        }),
    );
    let (r, k, t) = (
        Arc::clone(&reqs),
        Arc::clone(&custodians),
        Arc::clone(&tokens),
    );
    row(
        "approve",
        run(clients, per, move |c, i| {
            k[c].decide(
                &r[c][i].request_id,
                &DecisionUpload {
                    token: Some(t[c][i].1.clone()),
                    denial: None,
                },
            )
            .is_ok()
        }),
    );
    let (s, t) = (Arc::clone(&staffs), Arc::clone(&tokens));
    row(
        "consume",
        run(clients, per, move |c, i| {
            s[c].consume(&t[c][i].0, &"20261127-0000-0000".parse().unwrap(), None)
                .is_ok()
        }),
    );
    // Each client a record of its own (a staff member's machine), one entry more per head.
    let records: Arc<Vec<Mutex<synthetic::Record>>> = Arc::new(
        (0..clients)
            .map(|c| Mutex::new(synthetic::Record::new(d, &format!("pc-{base}-{c}"))))
            .collect(),
    );
    let (s, k) = (Arc::clone(&staffs), Arc::clone(w.staff));
    row(
        "witness (one entry)",
        run(clients, per, move |c, _| {
            let mut rec = records[c].lock().unwrap();
            rec.append();
            s[c].send_head(&rec.id, &rec.path, &k).is_ok()
        }),
    );
}

/// A custodian's console session, opened as the login page's script opens one: the key signs
/// the challenge, and the form carries the raw signature and the public key line. The agent
/// and the session's `Cookie` header.
fn console_login(service: &ServiceRef, key: &SigningKey) -> (ureq::Agent, String) {
    use base64::Engine as _;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .build()
        .into();
    let id = "suzuki.hanako";
    let mut res = agent
        .post(format!("{}/v1/auth/challenge", service.url))
        .send_json(serde_json::json!({ "id": id }))
        .unwrap();
    let challenge: serde_json::Value = res.body_mut().read_json().unwrap();
    let challenge = challenge["challenge"].as_str().unwrap().to_owned();
    let sig = key
        .sign(
            okuri::net::wire::NS_AUTH,
            &okuri::net::wire::auth_message(id, &challenge),
        )
        .unwrap();
    let raw = base64::engine::general_purpose::STANDARD.encode(sig.signature().as_bytes());
    let line = okuri::secret::keys::public_line(&key.public);
    let res = agent
        .post(format!("{}/console/login", service.url))
        .send_form([
            ("id", id),
            ("challenge", challenge.as_str()),
            ("public_key", line.as_str()),
            ("signature", raw.as_str()),
        ])
        .unwrap();
    assert_eq!(res.status(), 303, "the console login failed");
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    (agent, cookie)
}

/// The number of this run (0, 1, …).
fn next_run() -> usize {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Runs `op(client, i)` for `per` operations on each of `clients` threads, started together.
/// Returns the wall time, the latencies, and how many failed.
fn run(
    clients: usize,
    per: usize,
    op: impl Fn(usize, usize) -> bool + Send + Sync + 'static,
) -> (Duration, Vec<Duration>, usize) {
    let op = Arc::new(op);
    let barrier = Arc::new(Barrier::new(clients + 1));
    let handles: Vec<_> = (0..clients)
        .map(|c| {
            let (op, barrier) = (Arc::clone(&op), Arc::clone(&barrier));
            std::thread::spawn(move || {
                barrier.wait();
                let mut lat = Vec::with_capacity(per);
                let mut failed = 0;
                for i in 0..per {
                    let t = Instant::now();
                    if !op(c, i) {
                        failed += 1;
                    }
                    lat.push(t.elapsed());
                }
                (lat, failed)
            })
        })
        .collect();
    barrier.wait();
    let started = Instant::now();
    let mut all = Vec::new();
    let mut failed = 0;
    for h in handles {
        let (l, f) = h.join().unwrap();
        all.extend(l);
        failed += f;
    }
    (started.elapsed(), all, failed)
}

fn row(
    label: &str,
    what: &str,
    clients: usize,
    total: usize,
    (wall, mut lat, failed): (Duration, Vec<Duration>, usize),
) {
    lat.sort();
    let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
    println!(
        "| {label} | {what} | {clients} | {total}{} | {:.0} | {:.1} ms | {:.1} ms |",
        if failed > 0 {
            format!(" ({failed} failed)")
        } else {
            String::new()
        },
        total as f64 / wall.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
    );
}
