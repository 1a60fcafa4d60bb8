//! The `okuri` binary: parse, call the library, render. See `okuri --help`.

mod cli;

use clap::Parser;
use okuri::error::{Error, Kind};

fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    match cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            render_error(&e);
            std::process::ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// One voice on stderr: `okuri: error: …`, then hints, then the causes.
fn render_error(e: &Error) {
    let label = match e.kind() {
        Kind::Refused => "refused (拒否)",
        Kind::Integrity => "integrity error (改ざん検知)",
        _ => "error",
    };
    let mut lines = e.message().lines();
    if let Some(first) = lines.next() {
        eprintln!("okuri: {label}: {first}");
    }
    for l in lines {
        eprintln!("okuri: {label}: {l}");
    }
    for h in e.hints() {
        for l in h.lines() {
            eprintln!("okuri: hint: {l}");
        }
    }
    for c in e.causes() {
        eprintln!("okuri:   caused by: {c}");
    }
}
