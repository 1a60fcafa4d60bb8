//! A bounded load test of okuri-approvald on loopback: requests per second and latency
//! percentiles for submit, list, approve and consume at 1, 16 and 256 concurrent clients.
//!
//! `cargo bench --bench approvald_load` starts the real service binary (release build) with a
//! fresh database in a temporary directory, drives it with okuri's own client (each client
//! logs in once with its key, as the CLI does), prints a Markdown table, and stops the service.
//! Every loop is bounded by a count; nothing leaves loopback.

use std::io::BufRead;
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use okuri::net::client::Client;
use okuri::net::wire::{DecisionUpload, Status};
use okuri::policy::{Policy, ServiceRef};
use okuri::secret::keys::Role;
use okuri::signed::approval::Request;

#[path = "../tests/support/synthetic.rs"]
mod synthetic;
use synthetic::{request, token};

const PASS: &str = "load test passphrase";

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let key = |id: &str, role| synthetic::key(d, id, role, PASS);
    let staff = key("yamada.taro", Role::Staff);
    let custodian = key("suzuki.hanako", Role::Custodian);
    let line = |id: &str| {
        std::fs::read_to_string(d.join(format!("{id}.pub")))
            .unwrap()
            .trim()
            .to_owned()
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let policy_text = format!(
        "{}\n[service]\nurl = \"{url}\"\n\n[[custodian]]\nid = \"suzuki.hanako\"\nname = \"鈴木 花子\"\ndepartment = \"総務課\"\nclasses = [\"I\", \"II\"]\ndepartments = [\"総務課\"]\nkeys = [{{ key = \"{}\" }}]\n",
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
    std::fs::write(
        d.join("approvald.toml"),
        format!("listen = \"127.0.0.1:{port}\"\ndatabase = \"db.sqlite\"\npolicy = \"policy.toml\"\nrecipients = \"recipients.toml\"\nstaff = \"staff.toml\"\n[limits]\nsession_minutes = 60\n"),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_okuri-approvald"))
        .arg("--config")
        .arg(d.join("approvald.toml"))
        .env("OKURI_LOG", "warn")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    for l in lines.by_ref() {
        if l.unwrap().starts_with("okuri-approvald: listening") {
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    let service = ServiceRef { url, ca: None };

    println!("| operation | clients | operations | requests/s | p50 | p99 |");
    println!("|---|---|---|---|---|---|");
    for clients in [1usize, 16, 256] {
        let per = (800 / clients).max(10);
        let total = per * clients;
        let staffs: Vec<Client> = (0..clients)
            .map(|_| Client::login(&service, &"yamada.taro".parse().unwrap(), &staff).unwrap())
            .collect();
        let custodians: Vec<Client> = (0..clients)
            .map(|_| {
                Client::login(&service, &"suzuki.hanako".parse().unwrap(), &custodian).unwrap()
            })
            .collect();
        let reqs: Vec<Vec<Request>> = (0..clients)
            .map(|c| {
                (0..per)
                    .map(|i| request(&policy, c * 1_000_000 + i))
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
                        .map(|r| token(&policy, &custodian, r, 2))
                        .collect()
                })
                .collect(),
        );
        let r = Arc::clone(&reqs);
        let s = Arc::clone(&staffs);
        row(
            "submit",
            clients,
            total,
            run(clients, per, move |c, i| s[c].submit(&r[c][i]).is_ok()),
        );
        let s = Arc::clone(&staffs);
        row(
            "list (pending, a page of 50)",
            clients,
            total,
            run(clients, per, move |c, _| {
                s[c].list_page(Some(Status::Pending), None, 50).is_ok()
            }),
        );
        let (r, k, t) = (
            Arc::clone(&reqs),
            Arc::clone(&custodians),
            Arc::clone(&tokens),
        );
        row(
            "approve",
            clients,
            total,
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
            clients,
            total,
            run(clients, per, move |c, i| {
                s[c].consume(&t[c][i].0, &"20261127-0000-0000".parse().unwrap(), None)
                    .is_ok()
            }),
        );
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
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
    what: &str,
    clients: usize,
    total: usize,
    (wall, mut lat, failed): (Duration, Vec<Duration>, usize),
) {
    lat.sort();
    let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
    println!(
        "| {what} | {clients} | {total}{} | {:.0} | {:.1} ms | {:.1} ms |",
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
