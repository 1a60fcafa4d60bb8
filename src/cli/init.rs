//! `okuri init`

use okuri::error::Result;
use okuri::home::prompt_missing;
use okuri::hooks;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The sender's staff id, ASCII [default: the login name]; approvals and the trust list
    /// name people by it
    #[arg(long)]
    id: Option<String>,
    /// The sender's name, as shown on slips and in the record (prompted on a terminal if missing)
    #[arg(long)]
    name: Option<String>,
    /// The sender's department (所属), e.g. 総務課 (prompted on a terminal if missing)
    #[arg(long)]
    department: Option<String>,
}

pub fn run(cx: &super::Context, a: Args) -> Result<()> {
    let name = prompt_missing(a.name, "name / 氏名", "--name")?;
    let department = prompt_missing(a.department, "department / 所属", "--department")?;
    let staff_id = match a.id {
        Some(i) => i,
        None => std::env::var("USER")
            .or_else(|_| std::env::var("LOGNAME"))
            .ok()
            .filter(|u| okuri::keys::check_id(u).is_ok())
            .map_or_else(|| prompt_missing(None, "staff id / 職員ID", "--id"), Ok)?,
    };
    let id = cx.home.init(
        &staff_id,
        &name,
        &department,
        &hooks::rfc3339(&hooks::now()),
    )?;
    super::out(&format!(
        "okuri is set up in {} for {} ({}, {}).\n",
        cx.home.root().display(),
        id.name,
        id.id,
        id.department
    ))
}
