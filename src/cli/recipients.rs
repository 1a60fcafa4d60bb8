//! `okuri recipients list | check | template`

use std::path::PathBuf;

use okuri::base::error::{Error, Result};
use okuri::msg;
use okuri::policy::recipients::Register;

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Show the registered recipients, their agreements and how their slips travel
    List {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        register: super::RegisterArgs,
    },
    /// Print a filled-in example register to start the city's from
    /// (packaging/examples/recipients.toml)
    Template,
    /// Validate a register file (every error, with its line and column)
    Check {
        /// The register [default: --recipients, or recipients.toml in the home]
        file: Option<PathBuf>,
        #[command(flatten)]
        register: super::RegisterArgs,
    },
}

pub fn run(cx: &super::Context, c: Command) -> Result<()> {
    match c {
        Command::List { json, register } => {
            let reg = cx.register(&register)?;
            if json {
                return super::json(super::formats::RECIPIENTS, &reg.recipients);
            }
            if !reg.exists {
                cx.notice(&msg!("cli-recipients-none", path = &reg.path));
            }
            let mut s = String::new();
            for r in &reg.recipients {
                let classes: Vec<&str> = r.classes.iter().map(|c| c.as_str()).collect();
                let channels: Vec<&str> = r.channels.iter().map(|c| c.as_str()).collect();
                s.push_str(&t!(
                    cx,
                    "cli-recipients-row",
                    id = r.id.as_str(),
                    name = okuri::base::fsname::shown(&r.name),
                    contract = r.contract.as_str(),
                    until = r.agreement_ends.to_string(),
                    classes = classes.join(", "),
                    channels = channels.join(", "),
                    method = cx.say(&msg!("slip-method", method = r.slip.method.as_str())),
                    slip = r.slip_contact()
                ));
                s.push('\n');
            }
            super::out(&s)
        }
        // The same template as `okuri template recipients`.
        Command::Template => super::out(&super::enrol::today_s(super::enrol::template(
            okuri::policy::city::Kind::Recipients,
        ))),
        Command::Check { file, register } => {
            // In a signed city the register to check is the city's, signature and all.
            if file.is_none() && okuri::policy::city::anchored() {
                let reg = cx.register(&register)?;
                return super::out(&t!(
                    cx,
                    "cli-recipients-ok",
                    path = okuri::base::fsname::shown(reg.path.as_os_str()),
                    count = reg.recipients.len()
                ));
            }
            let path = file.unwrap_or_else(|| cx.register_path(&register));
            if !path.exists() {
                return Err(Error::invalid(msg!("cli-recipients-missing", path = &path)));
            }
            let reg = Register::load(&path)?;
            super::out(&t!(
                cx,
                "cli-recipients-ok",
                path = okuri::base::fsname::shown(path.as_os_str()),
                count = reg.recipients.len()
            ))
        }
    }
}
