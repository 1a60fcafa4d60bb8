//! The README's "Using it" section runs as written: its `sh` blocks, in order, in one bash
//! with `set -euo pipefail`, in a temporary HOME, with the binaries this build made first on
//! PATH. Three things differ from a city's machine, and only these: `/etc/okuri` (whose steps
//! the README says to run as root) is a directory of the test's own (OKURI_SYSTEM_DIR, which
//! only test builds honour; the machine's /etc/okuri is never read or written), the service's
//! port (8441 on 127.0.0.1) is a free one, and key passphrases come from
//! OKURI_KEY_PASSPHRASE_FILE instead of a terminal. The work factors are lowered as in every
//! other test.

mod common;

use std::os::unix::fs::PermissionsExt as _;
use std::os::unix::process::CommandExt as _;
use std::process::{Command, Stdio};

use common::*;

/// The `sh` blocks of the section `## {title}`.
fn blocks(readme: &str, title: &str) -> Vec<String> {
    let start = readme
        .find(&format!("\n## {title}\n"))
        .unwrap_or_else(|| panic!("README has no section {title}"));
    let section = &readme[start + 1..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |e| e + 3)];
    let mut out = Vec::new();
    let mut lines = section.lines();
    while let Some(l) = lines.next() {
        if l.trim_start() == "```sh" {
            let body: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "```").collect();
            out.push(body.join("\n"));
        }
    }
    out
}

#[test]
fn the_readme_s_using_it_section_runs_as_written() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let blocks = blocks(&readme, "Using it");
    assert!(blocks.len() >= 5, "only {} sh blocks found", blocks.len());
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let system = dir.path().join("system-okuri");
    std::fs::create_dir(&home).unwrap();
    let pass = dir.path().join("pass");
    std::fs::write(&pass, format!("{KEY_PASSPHRASE}\n")).unwrap();
    std::fs::set_permissions(&pass, std::fs::Permissions::from_mode(0o600)).unwrap();
    let port = free_port().to_string();
    let script: String = blocks
        .iter()
        .map(|b| {
            b.replace("/etc/okuri", &system.display().to_string())
                .replace("127.0.0.1:8441", &format!("127.0.0.1:{port}"))
                .replace("127.0.0.1/8441", &format!("127.0.0.1/{port}"))
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        script.contains(&*system.to_string_lossy()) && script.contains(&port),
        "the substitutions found nothing to change: {script}"
    );
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_okuri"))
        .parent()
        .unwrap()
        .to_owned();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut child = Command::new("bash")
        .args(["-euo", "pipefail", "-x", "-c", &script])
        .current_dir(&home)
        .env_clear()
        .env("HOME", &home)
        .env("PATH", path)
        .env("LANG", "C.UTF-8")
        .env("OKURI_SYSTEM_DIR", &system)
        .env("OKURI_KEY_PASSPHRASE_FILE", &pass)
        .env("OKURI_TEST_KDF_ROUNDS", "1")
        .env("OKURI_TEST_SCRYPT_LOG_N", "10")
        .stdin(Stdio::null())
        // Files, not pipes: a service left running must not keep the test waiting on a pipe.
        .stdout(std::fs::File::create(dir.path().join("stdout")).unwrap())
        .stderr(std::fs::File::create(dir.path().join("stderr")).unwrap())
        // Its own process group, so that the service it starts in the background is stopped
        // even when a step fails before the README stops it.
        .process_group(0)
        .spawn()
        .unwrap();
    let pgid = rustix::process::Pid::from_child(&child);
    let status = child.wait().unwrap();
    let _ = rustix::process::kill_process_group(pgid, rustix::process::Signal::KILL);
    let read = |p: std::path::PathBuf| {
        String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned()
    };
    let stdout = read(dir.path().join("stdout"));
    let stderr = read(dir.path().join("stderr"));
    let log = read(home.join("approvald.log"));
    assert!(
        status.success(),
        "the README stopped ({status:?})\n--- stdout\n{stdout}\n--- stderr\n{stderr}\n--- service\n{log}"
    );

    // What the day left behind is what the README says it does.
    // Two packages, three slips (the class III file, the approved one, the offline one).
    for slip in ["講座案内.txt", "選定メモ.txt", "議事録.txt"] {
        let p = home.join("slips").join(slip);
        let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{slip}: {e}"));
        assert!(text.contains("Passphrase:"), "{slip}");
        assert_eq!(mode(&p), 0o600, "{slip}");
    }
    assert_eq!(mode(&home.join("slips")), 0o700);
    // The request id was captured and the approval consumed at the service.
    assert!(
        stderr.contains("+ req=req-"),
        "the request id was not captured: {stderr}"
    );
    // Every entry of the record verifies, and none is a development-mode entry.
    let record = std::fs::read_to_string(home.join(".local/share/okuri/record.jsonl")).unwrap();
    let entries: Vec<serde_json::Value> = record
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(entries.len() >= 5, "{record}");
    assert!(
        entries.iter().all(|e| e.get("development").is_none()),
        "the README's city is a signed one: {record}"
    );
    let packed = entries.iter().filter(|e| e["outcome"] == "packed").count();
    assert_eq!(packed, 3, "{record}");
    // What people read came out: the classes, the approval, the verified record.
    assert!(stdout.contains("kameoka-print"), "{stdout}");
}
