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
    /// Read the new key's passphrase from the first line of FILE instead of asking twice
    #[arg(long, env = "OKURI_KEY_PASSPHRASE_FILE", value_name = "FILE")]
    key_passphrase_file: Option<PathBuf>,
    /// Never prompt: a missing passphrase is an error instead
    #[arg(long)]
    batch: bool,
}

pub fn run(cx: &super::Context, a: Args) -> Result<()> {
    let out = a.out.unwrap_or_else(|| cx.home.keys_dir().join(&a.id));
    let keys = super::KeyArgs {
        key: None,
        key_passphrase_file: a.key_passphrase_file.clone(),
        batch: a.batch,
    };
    let pass = cx.key_passphrase(&keys).read(KeyUse::New, &cx.prompter())?;
    let g = keys::generate(&a.id, a.role, &out, &pass)?;
    drop(pass);
    super::out(&t!(
        cx,
        "cli-keygen-done",
        id = a.id.as_str(),
        role = a.role.as_str(),
        private = okuri::base::fsname::shown(g.private_path.as_os_str()),
        public = okuri::base::fsname::shown(g.public_path.as_os_str()),
        fingerprint = g.fingerprint.to_string(),
        line = g.public_line.as_str()
    ))
}
