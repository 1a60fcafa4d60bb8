//! `okuri label`

use std::path::PathBuf;

use okuri::base::class::Class;
use okuri::base::error::Result;
use okuri::sys::hooks;
use okuri::sys::input::Input;
use okuri::transfer::label::{self, Store};

use super::KeyOf;

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
#[command(mut_arg("key", |a| a.help("An information officer's (情報責任者) key: sign a designation instead of an unsigned label")))]
pub struct Args {
    /// The file to label
    file: PathBuf,
    /// The importance class: I, II or III
    #[arg(long, value_parser = super::parse_class)]
    class: Class,
    /// Where to keep the label
    #[arg(long, value_enum, default_value = "register")]
    store: StoreArg,
    /// The department whose asset this is, for a designation signed with --key (an
    /// information officer's key) [default: the officer's own]
    #[arg(long)]
    department: Option<String>,
    #[command(flatten)]
    keys: super::KeyArgs,
}

pub fn run(cx: &super::Context, a: Args) -> Result<()> {
    let policy = cx.policy()?;
    let mut input = Input::open(&a.file)?;
    let store = match a.store {
        StoreArg::Register => Store::Register,
        StoreArg::Xattr => Store::Xattr,
        StoreArg::Sidecar => Store::Sidecar,
    };
    if a.keys.key.is_some() {
        let key = cx.signing_key(&a.keys, KeyOf::Officer)?;
        let d = label::designate(
            &mut input,
            &cx.home,
            &policy,
            a.class,
            &key,
            a.department.as_deref(),
            store,
        )?;
        // Registered with the service, which timestamps it: `classify` then finds it by the
        // file's digest wherever the file goes, even if the designation itself is deleted.
        let registered = match cx.login(&policy, &d.officer, &key) {
            Ok(None) => None,
            Ok(Some(c)) => c
                .register_designation(&String::from_utf8_lossy(&d.document))
                .map_err(|f| unregistered(cx, f))
                .ok(),
            // The designation holds on this machine whatever the service said; registering
            // it only ever makes a file stricter elsewhere, so a failure is a warning.
            Err(f) => {
                unregistered(cx, f);
                None
            }
        };
        drop(key);
        if let Some(at) = registered.and_then(|r| r.registered_at) {
            cx.notice(&okuri::msg!("cli-designation-registered", at = at));
        }
        let c = &d.classification;
        return super::out(&t!(
            cx,
            "cli-designated",
            path = okuri::base::fsname::shown(c.path.as_os_str()),
            designated = cx.class(a.class),
            stored = okuri::base::fsname::shown(d.stored.as_os_str()),
            class = cx.class(c.class),
            source = super::classify::source(cx, &c.source),
            entry = d.record_seq
        ));
    }
    if a.department.is_some() {
        return Err(okuri::Error::usage(okuri::msg!("cli-department-needs-key")));
    }
    let who = cx.home.identity()?;
    let now = okuri::base::time::Time::of(&hooks::now());
    let c = label::set_label(&mut input, &cx.home, &policy, a.class, store, &who, &now)?;
    let mut text = t!(
        cx,
        "cli-labelled",
        path = okuri::base::fsname::shown(c.path.as_os_str()),
        labelled = cx.class(a.class),
        class = cx.class(c.class),
        source = super::classify::source(cx, &c.source)
    );
    // The label is kept, but a stricter class stands (the policy's class for unlabeled
    // files, or a designation): say so, or the person thinks the label did nothing.
    if c.class > a.class {
        text.push('\n');
        text.push_str(&t!(
            cx,
            "cli-label-cannot-lower",
            labelled = cx.class(a.class),
            class = cx.class(c.class)
        ));
    }
    super::out(&text)
}

/// Says why the service did not register a designation, and what to do.
fn unregistered(cx: &super::Context, f: okuri::net::client::Failure) {
    let e = f.into_error();
    cx.notice(e.message());
    cx.notice(&okuri::msg!("cli-designation-unregistered"));
}
