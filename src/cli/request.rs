//! `okuri request`

use std::path::PathBuf;

use okuri::channel::Channel;
use okuri::error::Result;
use okuri::workflow::{self, RequestArgs};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The file to send
    file: PathBuf,
    /// The recipient's id in the recipient register
    #[arg(long, value_name = "RECIPIENT")]
    to: String,
    /// How the package will travel: email, lgwan, media or hand
    #[arg(long, value_parser = super::pack::parse_channel)]
    channel: Channel,
    /// Why it is sent
    #[arg(long)]
    purpose: String,
    /// The law or ordinance that requires the provision (法令又は条例の規定), for class I
    #[arg(long, value_name = "TEXT")]
    legal_basis: Option<String>,
    /// Where to write the request (created new)
    #[arg(long, value_name = "REQ")]
    out: PathBuf,
    /// Print the request as JSON
    #[arg(long)]
    json: bool,
}

pub fn run(cx: &super::Context, a: Args) -> Result<()> {
    let policy = cx.policy()?;
    let register = cx.register()?;
    let (req, seq) = workflow::request(
        &cx.home,
        &policy,
        &register,
        &RequestArgs {
            file: &a.file,
            to: &a.to,
            channel: a.channel,
            purpose: &a.purpose,
            legal_basis: a.legal_basis.as_deref(),
            out: &a.out,
        },
    )?;
    if a.json {
        return super::json(&req);
    }
    super::out(&format!(
        "Request {} written to {}\n  {} — class {} ({}) to {} ({}) by {}\n  record: entry {seq}\nGive it to your custodian (情報資産管理責任者): okuri approve {} --key KEY --out TOKEN\n",
        req.request_id,
        a.out.display(),
        req.file.name,
        req.class,
        req.class.ja(),
        req.recipient.name,
        req.recipient.id,
        req.channel,
        a.out.display()
    ))
}
