//! `okuri record verify | show`

use okuri::error::{Error, Result};
use okuri::record::{Event, Outcome, Record};

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Check the hash chain and the head; names the first bad entry (exit code 5)
    Verify {
        #[arg(long)]
        json: bool,
        /// Also compare with the head the approval service witnessed: catches a record cut
        /// short or rewritten together with its record.head
        #[arg(long)]
        witness: bool,
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
        Command::Verify { json, witness } => {
            let v = record.verify()?;
            if witness && v.ok() {
                check_witness(cx, &record, &v)?;
            }
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
                s.push_str(&format!(
                    "{:>5}  {}  {:<10}  ",
                    e.seq,
                    e.event.at(),
                    e.event.outcome().as_str()
                ));
                s.push_str(&describe(&e.event));
                s.push('\n');
            }
            super::out(&s)
        }
    }
}

/// One line per entry: what happened, to what, for whom, and why.
fn describe(ev: &Event) -> String {
    let reason = |r: &Option<okuri::record::Reason>| {
        r.as_ref()
            .map(|r| format!("  [{}]", r.code))
            .unwrap_or_default()
    };
    match ev {
        Event::Transfer(b) => {
            let what = match b.outcome {
                Outcome::Packed => b
                    .package
                    .as_ref()
                    .map(|p| format!("  -> {}", p.name))
                    .unwrap_or_default(),
                _ => reason(&b.reason),
            };
            let approval = b
                .approval
                .as_ref()
                .map(|a| format!("  approved by {}", a.issuer))
                .unwrap_or_default();
            format!(
                "class {:<3}  {:<5}  {}  {}  to {}{approval}{what}",
                b.class.as_str(),
                b.channel.as_str(),
                b.sender.name,
                b.file.name,
                b.recipient
            )
        }
        Event::Request(r) => format!(
            "request {}  class {}  {}  {}  to {}  by {}{}",
            r.request_id,
            r.request.class,
            r.request.channel,
            r.request.file.name,
            r.request.recipient.id,
            r.request.requester.id,
            reason(&r.reason)
        ),
        Event::Decision(d) => format!(
            "decision on {}  class {}  {}  {}  by custodian {}{}{}",
            d.request_id,
            d.request.class,
            d.request.channel,
            d.request.file.name,
            d.custodian.as_ref().map_or("?", |c| c.id.as_str()),
            d.token_id
                .as_ref()
                .map(|t| format!("  token {t}"))
                .unwrap_or_default(),
            reason(&d.reason)
        ),
        Event::Medium(m) => format!(
            "medium {} ({})  by {}{}",
            m.label,
            m.medium_id,
            m.by,
            m.reason
                .as_ref()
                .map(|r| format!("  [{r}]"))
                .unwrap_or_default()
        ),
        Event::Designation(d) => format!(
            "class {:<3}  {}  designated by officer {} for {}",
            d.class.as_str(),
            d.file.name,
            d.officer.id,
            d.department
        ),
    }
}

/// Compares the local record with the head the approval service witnessed.
fn check_witness(cx: &super::Context, record: &Record, v: &okuri::record::Verified) -> Result<()> {
    let policy = cx.policy()?;
    let client = cx.staff_session(&policy, "--witness")?;
    let id = okuri::client::record_id(&client.id);
    let Some(head) = client.witness(&id).map_err(|f| f.into_error())? else {
        super::notice(&format!(
            "note: the approval service has witnessed no head for {id} yet"
        ));
        return Ok(());
    };
    if head.seq > v.entries {
        return Err(Error::integrity(format!(
            "the record has {} entries, but the approval service witnessed entry {} ({}): the record was cut short",
            v.entries, head.seq, head.updated_at
        ))
        .with_hint("do not edit the record; keep a copy and report this to your auditor (監査)"));
    }
    if record.line_hash(head.seq)? != Some(head.hash) {
        return Err(Error::integrity(format!(
            "entry {} is not the entry the approval service witnessed at {}: the record was rewritten",
            head.seq, head.updated_at
        ))
        .with_hint("do not edit the record; keep a copy and report this to your auditor (監査)"));
    }
    super::notice(&format!(
        "witness OK: the approval service's head for {id} (entry {}, {}) matches this record",
        head.seq, head.updated_at
    ));
    Ok(())
}
