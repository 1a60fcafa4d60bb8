//! `okuri approve`, `okuri deny`

use std::path::PathBuf;

use okuri::approval::Request;
use okuri::error::Result;
use okuri::keys::SigningKey;
use okuri::workflow;

#[derive(clap::Args, Debug)]
pub struct ApproveArgs {
    /// The request file (from `okuri request`)
    request: PathBuf,
    /// The custodian's private key
    #[arg(long, value_name = "KEY")]
    key: PathBuf,
    /// Read the key's passphrase from the first line of FILE instead of asking
    #[arg(long, value_name = "FILE")]
    key_passphrase_file: Option<PathBuf>,
    /// How long the approval stays valid, e.g. 72h or 3d [default: the policy's]
    #[arg(long, value_name = "DURATION", value_parser = parse_span)]
    expires: Option<jiff::Span>,
    /// Where to write the approval token (created new)
    #[arg(long, value_name = "TOKEN")]
    out: PathBuf,
    /// Print the token's payload as JSON
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args, Debug)]
pub struct DenyArgs {
    /// The request file (from `okuri request`)
    request: PathBuf,
    /// The custodian's private key
    #[arg(long, value_name = "KEY")]
    key: PathBuf,
    /// Read the key's passphrase from the first line of FILE instead of asking
    #[arg(long, value_name = "FILE")]
    key_passphrase_file: Option<PathBuf>,
    /// Why the request is refused (recorded, and shown to the requester)
    #[arg(long)]
    reason: String,
    /// Also write the signed refusal here, for the requester
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

fn parse_span(s: &str) -> Result<jiff::Span, String> {
    s.parse::<jiff::Span>()
        .map_err(|e| format!("{s:?} is not a duration like 72h or 3d ({e})"))
}

fn load(cx: &super::Context, key: &std::path::Path, pass: &Option<PathBuf>) -> Result<SigningKey> {
    SigningKey::load(key, &cx.key_passphrase(pass))
}

pub fn approve(cx: &super::Context, a: ApproveArgs) -> Result<()> {
    let policy = cx.policy()?;
    let register = cx.register()?;
    let req = Request::load(&a.request)?;
    let key = load(cx, &a.key, &a.key_passphrase_file)?;
    let done = workflow::approve(&cx.home, &policy, &register, &req, &key, a.expires, &a.out)?;
    drop(key);
    if a.json {
        return super::json(&done.token);
    }
    let t = &done.token;
    super::out(&format!(
        "Approved {} — {} (class {}, {}) to {} by {}\n  token:   {} ({})\n  expires: {}\n  record:  entry {}\nGive the token to {} ({}); it is good for one transfer of exactly this file.\n",
        t.request.request_id,
        t.request.file.name,
        t.request.class,
        t.request.class.ja(),
        t.request.recipient.name,
        t.request.channel,
        done.path.display(),
        t.token_id,
        t.expires_at,
        done.record_seq,
        t.request.requester.name,
        t.request.requester.id
    ))
}

pub fn deny(cx: &super::Context, a: DenyArgs) -> Result<()> {
    let policy = cx.policy()?;
    let register = cx.register()?;
    let req = Request::load(&a.request)?;
    let key = load(cx, &a.key, &a.key_passphrase_file)?;
    let done = workflow::deny(
        &cx.home,
        &policy,
        &register,
        &req,
        &key,
        &a.reason,
        a.out.as_deref(),
    )?;
    drop(key);
    super::out(&format!(
        "Denied {} — {}: {}\n  record: entry {}{}\n",
        req.request_id,
        req.file.name,
        done.denial.reason,
        done.record_seq,
        done.path
            .map(|p| format!("\n  signed refusal: {}", p.display()))
            .unwrap_or_default()
    ))
}
