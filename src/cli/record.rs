//! `okuri record verify | show`

use okuri::error::{Error, Result};
use okuri::record::{Outcome, Record};

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Check the hash chain and the head; names the first bad entry (exit code 5)
    Verify {
        #[arg(long)]
        json: bool,
    },
    /// Print the entries
    Show {
        /// Print a JSON array of the entries as stored
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cx: &super::Context, c: Command) -> Result<()> {
    let record = Record::new(&cx.home);
    match c {
        Command::Verify { json } => {
            let v = record.verify()?;
            if json {
                super::json(&v)?;
            } else {
                if let Some(n) = v.torn_tail_bytes {
                    super::notice(&format!(
                        "warning: the last line ({n} bytes) is incomplete: an interrupted write that never reported success; earlier entries are intact and the next okuri command sets it aside"
                    ));
                }
                if v.head_lagging {
                    super::notice(
                        "note: record.head is one entry behind (a crash after an append); the next okuri command brings it up to date",
                    );
                }
                if v.ok() {
                    super::out(&format!(
                        "record OK: {} entries in {}{}\n",
                        v.entries,
                        record.path().display(),
                        v.last_hash
                            .map(|h| format!(", last entry BLAKE3 {h}"))
                            .unwrap_or_default()
                    ))?;
                }
            }
            match v.problem {
                None => Ok(()),
                Some(p) => Err(Error::integrity(format!(
                    "the transfer record failed verification at entry {}: {}",
                    p.entry, p.message
                ))
                .with_hint(
                    "do not edit the record; keep a copy and report this to your auditor (監査)",
                )),
            }
        }
        Command::Show { json } => {
            let entries = record.entries()?;
            if json {
                return super::json(&entries);
            }
            let mut s = String::new();
            for e in &entries {
                let b = &e.body;
                let what = match b.outcome {
                    Outcome::Packed => b
                        .package
                        .as_ref()
                        .map(|p| format!("-> {}", p.name))
                        .unwrap_or_default(),
                    Outcome::Refused => b
                        .reason
                        .as_ref()
                        .map(|r| format!("[{}]", r.code))
                        .unwrap_or_default(),
                };
                s.push_str(&format!(
                    "{:>5}  {}  {:<7}  class {:<3}  {:<5}  {}  {}  to {}  {}\n",
                    e.seq,
                    b.at,
                    format!("{:?}", b.outcome).to_lowercase(),
                    b.class.as_str(),
                    b.channel.as_str(),
                    b.sender.name,
                    b.file.name,
                    b.recipient,
                    what
                ));
            }
            super::out(&s)
        }
    }
}
