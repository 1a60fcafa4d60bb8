//! `okuri media register | list | retire | usbguard-rules`

use std::path::PathBuf;

use okuri::device::Probe;
use okuri::error::Result;
use okuri::media;

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Custodians: register the medium mounted at MOUNTPOINT (writes a signed marker onto it)
    Register {
        mountpoint: PathBuf,
        /// The medium's label, as written on it, e.g. USB-01
        #[arg(long)]
        label: String,
        #[arg(long)]
        json: bool,
    },
    /// Show the media register
    List {
        #[arg(long)]
        json: bool,
    },
    /// Retire a medium: okuri refuses to write to it afterwards
    Retire {
        /// The medium id (med-…)
        id: String,
        /// Why (recorded)
        #[arg(long, default_value = "retired")]
        reason: String,
    },
    /// Print a USBGuard rules drop-in: registered media allowed, other mass storage rejected
    UsbguardRules,
    /// List every file on a medium: recorded package, expired package, unknown age file, or
    /// plain file (a violation); exit code 3 on a violation
    Scan {
        mountpoint: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Remove the delivered packages from a registered medium, and record it
    Wipe { mountpoint: PathBuf },
    /// Copy a package from the record onto a registered medium
    Export {
        package: PathBuf,
        mountpoint: PathBuf,
    },
}

pub fn run(cx: &super::Context, c: Command) -> Result<()> {
    let policy = cx.policy()?;
    match c {
        Command::Register {
            mountpoint,
            label,
            json,
        } => {
            let key = cx.signing_key("a custodian's (情報資産管理責任者)")?;
            let r = media::register(
                &cx.home,
                &policy,
                &Probe::system(),
                &mountpoint,
                &label,
                &key,
            )?;
            drop(key);
            if json {
                return super::json(&r.marker);
            }
            super::out(&format!(
                "Registered {} as {} ({})\n  device: {}\n  marker: {}\n",
                mountpoint.display(),
                r.marker.label,
                r.marker.medium_id,
                r.device.describe(),
                r.device.mountpoint.join(media::MARKER).display()
            ))
        }
        Command::List { json } => {
            let list = media::list(&cx.home, &policy)?;
            if json {
                return super::json(&list);
            }
            let mut s = String::new();
            for m in &list {
                let d = &m.marker.device;
                s.push_str(&format!(
                    "{}  {:<10} {}  registered {} by {}\n    {:?} {}:{} {} {} serial {} filesystem {}\n",
                    m.marker.medium_id,
                    m.marker.label,
                    m.retired
                        .as_ref()
                        .map(|r| format!("RETIRED {} ({})", r.retired_at, r.reason))
                        .unwrap_or_else(|| "in use".into()),
                    m.marker.registered_at,
                    m.marker.custodian.id,
                    d.bus,
                    d.vendor_id.as_deref().unwrap_or("-"),
                    d.product_id.as_deref().unwrap_or("-"),
                    d.vendor.as_deref().unwrap_or(""),
                    d.product.as_deref().unwrap_or(""),
                    d.serial.as_deref().unwrap_or("(none)"),
                    d.fs_uuid
                ));
            }
            if list.is_empty() {
                s.push_str("no media are registered\n");
            }
            super::out(&s)
        }
        Command::Retire { id, reason } => {
            let who = cx
                .home
                .identity()
                .map(|i| i.id)
                .unwrap_or_else(|_| okuri::pack::os_user());
            let m = media::retire(&cx.home, &policy, &id, &who, &reason)?;
            super::out(&format!(
                "Retired {} ({}): writes to it are refused from now on\n",
                m.marker.label, id
            ))
        }
        Command::UsbguardRules => {
            super::out(&media::usbguard_rules(&media::list(&cx.home, &policy)?))
        }
        Command::Scan { mountpoint, json } => scan(cx, &policy, &mountpoint, json),
        Command::Wipe { mountpoint } => {
            let (s, gone) = media::wipe(&cx.home, &policy, &Probe::system(), &mountpoint)?;
            let mut t = format!(
                "Wiped {} delivered package(s) from {}\n",
                gone.len(),
                s.mountpoint.display()
            );
            for g in &gone {
                t.push_str(&format!("  removed {}\n", g.display()));
            }
            super::out(&t)
        }
        Command::Export {
            package,
            mountpoint,
        } => {
            let (id, target) =
                media::export(&cx.home, &policy, &Probe::system(), &package, &mountpoint)?;
            super::out(&format!("Exported to {} (medium {id})\n", target.display()))
        }
    }
}

fn scan(
    cx: &super::Context,
    policy: &okuri::policy::Policy,
    mountpoint: &std::path::Path,
    json: bool,
) -> Result<()> {
    let s = media::scan(&cx.home, policy, &Probe::system(), mountpoint)?;
    if json {
        super::json(&s)?;
    } else {
        let mut t = format!(
            "{} — {}\n",
            s.mountpoint.display(),
            match (&s.label, &s.medium) {
                (Some(l), Some(id)) => format!("registered medium {l} ({id})"),
                _ => "NOT a registered medium".into(),
            }
        );
        for i in &s.items {
            let what = match &i.found {
                media::Found::Marker => "marker".to_owned(),
                media::Found::Recorded {
                    transfer_id,
                    packed_at,
                } => {
                    format!("recorded package {transfer_id} ({packed_at})")
                }
                media::Found::Expired {
                    transfer_id,
                    packed_at,
                } => {
                    format!("VIOLATION past retention: {transfer_id} ({packed_at}); wipe it")
                }
                media::Found::UnknownAge => "age file not in this record".to_owned(),
                media::Found::Plain => {
                    "VIOLATION: not an encrypted package (平文ファイル)".to_owned()
                }
            };
            t.push_str(&format!(
                "  {}  {} bytes  {what}\n",
                i.path.display(),
                i.size
            ));
        }
        super::out(&t)?;
    }
    if s.violations > 0 {
        return Err(okuri::Error::new(
            okuri::error::Kind::Refused,
            format!(
                "{} violation(s) on {}: 記録媒体には暗号化したパッケージのみ / only encrypted packages belong on a medium (第4章3)",
                s.violations,
                s.mountpoint.display()
            ),
        )
        .with_hint("remove plain files and report them to your custodian; `okuri media wipe` removes delivered packages"));
    }
    Ok(())
}
