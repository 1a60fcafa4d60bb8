//! `okuri keygen`

use std::path::PathBuf;

use okuri::error::Result;
use okuri::keys::{self, Role};

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
    let pass = cx.key_passphrase().read("new key", true)?;
    let g = keys::generate(&a.id, a.role, &out, &pass)?;
    drop(pass);
    super::out(&format!(
        "Ed25519 key for {} ({}):\n  private: {} (mode 0600, encrypted with your passphrase)\n  public:  {}\n  fingerprint: {}\n\n{}\n\nGive the public key line above to the CISO (最高情報統括責任者) for the policy's trust list.\n",
        a.id,
        a.role.as_str(),
        g.private_path.display(),
        g.public_path.display(),
        g.fingerprint,
        g.public_line
    ))
}
