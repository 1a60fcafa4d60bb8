//! `okuri init`

use okuri::base::error::Result;
use okuri::sys::home::{Field, prompt_missing};
use okuri::sys::hooks;

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
    let say = cx.prompter();
    // Asked in the order of the flags (--id, --name, --department).
    let staff_id = match a.id {
        Some(i) => i,
        None => std::env::var("USER")
            .or_else(|_| std::env::var("LOGNAME"))
            .ok()
            .filter(|u| okuri::secret::keys::check_id(u).is_ok())
            .map_or_else(|| prompt_missing(None, Field::Id, &say), Ok)?,
    };
    let name = prompt_missing(a.name, Field::Name, &say)?;
    let department = prompt_missing(a.department, Field::Department, &say)?;
    let id = cx.home.init(
        &staff_id,
        &name,
        &department,
        &okuri::base::time::Time::of(&hooks::now()).to_string(),
    )?;
    super::out(&t!(
        cx,
        "cli-init-done",
        home = okuri::base::fsname::shown(cx.home.root().as_os_str()),
        name = okuri::base::fsname::shown(&id.name),
        id = id.id.as_str(),
        department = id.department.as_str()
    ))
}
