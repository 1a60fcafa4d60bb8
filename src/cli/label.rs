//! `okuri label`

use std::path::PathBuf;

use okuri::class::Class;
use okuri::error::Result;
use okuri::hooks;
use okuri::input::Input;
use okuri::label::{self, Store};

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum StoreArg {
    /// The label register under the home, keyed by the file's BLAKE3
    Register,
    /// The extended attribute user.okuri.class
    Xattr,
    /// A sidecar file <name>.okuri-class next to the file
    Sidecar,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The file to label
    file: PathBuf,
    /// The importance class: I, II or III
    #[arg(long, value_parser = parse_class)]
    class: Class,
    /// Where to keep the label
    #[arg(long, value_enum, default_value = "register")]
    store: StoreArg,
}

fn parse_class(s: &str) -> Result<Class, String> {
    s.parse::<Class>().map_err(|e| e.to_string())
}

pub fn run(cx: &super::Context, a: Args) -> Result<()> {
    let policy = cx.policy()?;
    let who = cx.home.identity()?;
    let mut input = Input::open(&a.file)?;
    let store = match a.store {
        StoreArg::Register => Store::Register,
        StoreArg::Xattr => Store::Xattr,
        StoreArg::Sidecar => Store::Sidecar,
    };
    let now = hooks::rfc3339(&hooks::now());
    let c = label::set_label(&mut input, &cx.home, &policy, a.class, store, &who, &now)?;
    super::out(&format!(
        "{}: class {} ({}) — from {}\n",
        c.path.display(),
        c.class,
        c.class.ja(),
        c.source.describe()
    ))
}
