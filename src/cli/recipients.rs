//! `okuri recipients list | check`

use std::path::PathBuf;

use okuri::error::{Error, Result};
use okuri::recipients::Register;

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Show the registered recipients, their agreements and how their slips travel
    List {
        #[arg(long)]
        json: bool,
    },
    /// Validate a register file (line and column of the first error)
    Check {
        /// The register [default: --recipients, or recipients.toml in the home]
        file: Option<PathBuf>,
    },
}

pub fn run(cx: &super::Context, c: Command) -> Result<()> {
    match c {
        Command::List { json } => {
            let reg = cx.register()?;
            if json {
                return super::json(&reg.recipients);
            }
            if !reg.exists {
                super::notice(&format!(
                    "note: there is no recipient register at {}; classes that need a registered recipient cannot be sent",
                    reg.path.display()
                ));
            }
            let mut s = String::new();
            for r in &reg.recipients {
                let classes: Vec<&str> = r.classes.iter().map(|c| c.as_str()).collect();
                let channels: Vec<&str> = r.channels.iter().map(|c| c.as_str()).collect();
                s.push_str(&format!(
                    "{}  {}\n    contract {} until {}; classes {}; channels {}\n    slip: {}\n",
                    r.id,
                    r.name,
                    r.contract,
                    r.agreement_ends,
                    classes.join(", "),
                    channels.join(", "),
                    r.slip_contact()
                ));
            }
            super::out(&s)
        }
        Command::Check { file } => {
            let path = file.unwrap_or_else(|| cx.register_path());
            if !path.exists() {
                return Err(Error::invalid(format!("{} does not exist", path.display())));
            }
            let reg = Register::load(&path)?;
            super::out(&format!(
                "{}: OK, {} recipients\n",
                path.display(),
                reg.recipients.len()
            ))
        }
    }
}
