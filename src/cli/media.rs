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
    }
}
