//! `okuri keygen`

use std::path::PathBuf;

use okuri::base::error::Result;
use okuri::secret::keys::{self, KeyUse, Role};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The person's id (ASCII, e.g. suzuki.hanako): the principal in the trust list
    #[arg(long)]
    id: String,
    /// What the key is for
    #[arg(long, value_enum)]
    role: Role,
    /// Where to write the private key; the public key goes to PATH.pub
    /// [default: keys/ID in the okuri home]
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
}

pub fn run(cx: &super::Context, a: Args) -> Result<()> {
    let out = a.out.unwrap_or_else(|| cx.home.keys_dir().join(&a.id));
    let pass = cx.key_passphrase().read(KeyUse::New, &cx.prompter())?;
    let g = keys::generate(&a.id, a.role, &out, &pass)?;
    drop(pass);
    super::out(&t!(
        cx,
        "cli-keygen-done",
        id = a.id.as_str(),
        role = a.role.as_str(),
        private = g.private_path.display().to_string(),
        public = g.public_path.display().to_string(),
        fingerprint = g.fingerprint.to_string(),
        line = g.public_line.as_str()
    ))
}
