//! `okuri token verify`

use std::path::PathBuf;

use serde::Serialize;

use okuri::approval::{self, Token, Transfer};
use okuri::error::{Error, Result};
use okuri::hooks;
use okuri::input::Input;
use okuri::label;
use okuri::record::Record;

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Explain a token and say whether `okuri pack` would accept it, and why (exit 3 if not;
    /// nothing is recorded)
    Verify {
        /// The approval token file
        token: PathBuf,
        /// Also check that this file is the one approved, with its current class
        #[arg(long)]
        file: Option<PathBuf>,
        /// Print the verdict and every check as JSON
        #[arg(long)]
        json: bool,
    },
}

#[derive(Serialize)]
struct Verdict<'a> {
    token: &'a approval::TokenPayload,
    signer_key: String,
    #[serde(flatten)]
    assessment: &'a approval::Assessment,
    refusal: Option<&'a okuri::policy::Refusal>,
}

pub fn run(cx: &super::Context, c: Command) -> Result<()> {
    let Command::Verify { token, file, json } = c;
    let policy = cx.policy()?;
    let register = cx.register()?;
    let t = Token::load(&token)?;
    let record = Record::new(&cx.home);
    let used = record.token_used(&t.payload.token_id)?.map(|e| e.seq);
    let identity = cx.home.identity().ok();
    let classified = match &file {
        Some(f) => {
            let mut input = Input::open(f)?;
            Some(label::classify(&mut input, &cx.home, &policy)?)
        }
        None => None,
    };
    let a = approval::assess(
        &t,
        &policy,
        &register,
        hooks::now().timestamp(),
        &Transfer {
            file: classified.as_ref().map(|c| (c.blake3, c.size)),
            class: classified.as_ref().map(|c| c.class),
            recipient: None,
            channel: None,
            packer: identity.as_ref().map(|i| i.id.as_str()),
            legal_basis: None,
        },
        used,
    );
    if json {
        super::json(&Verdict {
            token: &t.payload,
            signer_key: t.signed.signer_fingerprint().to_string(),
            assessment: &a,
            refusal: a.refusal.as_ref(),
        })?;
    } else {
        let p = &t.payload;
        let r = &p.request;
        let mut s = format!(
            "Approval token {}\n  issued by {} ({}, {}) with key {}\n  issued {}  expires {}\n  request {} by {} ({}, {})\n  file {} ({} bytes, BLAKE3 {})\n  class {} ({}) to {} ({}, {}) by {}\n  purpose: {}\n  legal basis: {}\n\n",
            p.token_id,
            p.issuer.name,
            p.issuer.id,
            p.issuer.department,
            t.signed.signer_fingerprint(),
            p.issued_at,
            p.expires_at,
            r.request_id,
            r.requester.name,
            r.requester.id,
            r.requester.department,
            r.file.name,
            r.file.size,
            r.file.blake3,
            r.class,
            r.class.ja(),
            r.recipient.name,
            r.recipient.id,
            r.recipient.contract,
            r.channel,
            r.purpose,
            r.legal_basis.as_deref().unwrap_or("-"),
        );
        for c in &a.checks {
            s.push_str(&format!(
                "  {} {:<13} {}\n",
                if c.ok { "ok  " } else { "FAIL" },
                c.check,
                c.detail
            ));
        }
        s.push_str(if a.accepted {
            "\nokuri pack would accept this token.\n"
        } else {
            "\nokuri pack would refuse this token.\n"
        });
        super::out(&s)?;
    }
    match a.refusal {
        None => Ok(()),
        Some(r) => Err(Error::refused(r)),
    }
}
