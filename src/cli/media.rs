//! `okuri media register | list | retire | usbguard-rules`

use std::path::PathBuf;

use okuri::base::error::Result;
use okuri::base::ids::MediumId;
use okuri::media;
use okuri::msg;
use okuri::sys::device::Probe;

use super::KeyOf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The media register (記録媒体台帳), a directory custodians share [default: media/ in the
    /// home]
    #[arg(long, global = true, env = "OKURI_MEDIA", value_name = "DIR")]
    media: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Custodians: register the medium mounted at MOUNTPOINT (writes a signed marker onto it)
    #[command(mut_arg("key", |a| a.help("Your custodian's (情報資産管理責任者) key, which signs the medium's marker")))]
    Register {
        mountpoint: PathBuf,
        /// The medium's label, as written on it, e.g. USB-01
        #[arg(long)]
        label: String,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        keys: super::KeyArgs,
    },
    /// Show the media register
    List {
        #[arg(long)]
        json: bool,
    },
    /// Retire a medium: okuri refuses to write to it afterwards
    Retire {
        /// The medium id (med-…)
        #[arg(value_parser = super::id_arg::<MediumId>)]
        id: MediumId,
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

pub fn run(cx: &super::Context, a: Args) -> Result<()> {
    let policy = cx.policy()?;
    let home = cx.media_home(&super::MediaArgs { media: a.media });
    match a.command {
        Command::Register {
            mountpoint,
            label,
            json,
            keys,
        } => {
            let key = cx.signing_key(&keys, KeyOf::Custodian)?;
            let r = media::register(&home, &policy, &Probe::system(), &mountpoint, &label, &key)?;
            drop(key);
            // A signed city registers the medium in its signed media register: say what to add.
            if okuri::policy::city::anchored() {
                cx.notice(&okuri::msg!("cli-media-city-entry"));
                eprintln!(
                    "[[medium]]\nid = \"{}\"\nlabel = {}\n",
                    r.marker.medium_id,
                    toml::Value::String(r.marker.label.clone())
                );
            }
            if json {
                return super::json(super::formats::MEDIA_MARKER, &r.marker);
            }
            super::out(&t!(
                cx,
                "cli-media-registered",
                mountpoint = okuri::base::fsname::shown(mountpoint.as_os_str()),
                label = r.marker.label.as_str(),
                medium = r.marker.medium_id.as_str(),
                device = r.device.describe(),
                marker = r
                    .device
                    .mountpoint
                    .join(media::MARKER)
                    .display()
                    .to_string()
            ))
        }
        Command::List { json } => {
            if let Some(city) = media::CityMedia::in_force(&home, &policy)? {
                if json {
                    return super::json(super::formats::MEDIA_CITY, &city);
                }
                let mut s = String::new();
                for m in &city.medium {
                    let state = match &m.retired_at {
                        Some(at) => t!(
                            cx,
                            "cli-media-retired-state",
                            at = at.to_string(),
                            reason = m.reason.clone().unwrap_or_default()
                        ),
                        None => t!(cx, "cli-media-in-use"),
                    };
                    s.push_str(&format!("{}  {:<10}  {state}\n", m.id, m.label));
                }
                if city.medium.is_empty() {
                    s.push_str(&t!(cx, "cli-media-none"));
                    s.push('\n');
                }
                return super::out(&s);
            }
            let list = media::list(&home, &policy)?;
            if json {
                return super::json(super::formats::MEDIA_LOCAL, &list);
            }
            let mut s = String::new();
            for m in &list {
                let d = &m.marker.device;
                let state = m
                    .retired
                    .as_ref()
                    .map(|r| {
                        t!(
                            cx,
                            "cli-media-retired-state",
                            at = r.retired_at.as_str(),
                            reason = r.reason.as_str()
                        )
                    })
                    .unwrap_or_else(|| t!(cx, "cli-media-in-use"));
                s.push_str(&t!(
                    cx,
                    "cli-media-row",
                    medium = m.marker.medium_id.as_str(),
                    label = format!("{:<10}", m.marker.label),
                    state = state,
                    registered = m.marker.registered_at.as_str(),
                    by = m.marker.custodian.id.as_str(),
                    bus = format!("{:?}", d.bus),
                    vendor_id = d.vendor_id.as_deref().unwrap_or("-"),
                    product_id = d.product_id.as_deref().unwrap_or("-"),
                    vendor = d.vendor.as_deref().unwrap_or(""),
                    product = d.product.as_deref().unwrap_or(""),
                    serial = d.serial.as_deref().unwrap_or("-"),
                    uuid = d.fs_uuid.as_str()
                ));
                s.push('\n');
            }
            if list.is_empty() {
                s.push_str(&t!(cx, "cli-media-none"));
                s.push('\n');
            }
            super::out(&s)
        }
        Command::Retire { id, reason } => {
            let who = cx
                .home
                .identity()
                .map(|i| i.id.to_string())
                .unwrap_or_else(|_| okuri::sys::host::os_user());
            let m = media::retire(&home, &policy, &id, &who, &reason)?;
            super::out(&t!(
                cx,
                "cli-media-retired",
                label = m.marker.label.as_str(),
                medium = id.as_str()
            ))
        }
        Command::UsbguardRules => {
            super::out(&media::usbguard_rules(&media::in_use(&home, &policy)?))
        }
        Command::Scan { mountpoint, json } => scan(cx, &home, &policy, &mountpoint, json),
        Command::Wipe { mountpoint } => {
            let (s, gone) = media::wipe(&home, &policy, &Probe::system(), &mountpoint)?;
            let mut text = t!(
                cx,
                "cli-media-wiped",
                count = gone.len(),
                mountpoint = okuri::base::fsname::shown(s.mountpoint.as_os_str())
            );
            text.push('\n');
            for g in &gone {
                text.push_str(&t!(
                    cx,
                    "cli-media-removed",
                    path = okuri::base::fsname::shown(g.as_os_str())
                ));
                text.push('\n');
            }
            super::out(&text)
        }
        Command::Export {
            package,
            mountpoint,
        } => {
            let (id, target) =
                media::export(&home, &policy, &Probe::system(), &package, &mountpoint)?;
            super::out(&t!(
                cx,
                "cli-media-exported",
                path = okuri::base::fsname::shown(target.as_os_str()),
                medium = id.as_str()
            ))
        }
    }
}

fn scan(
    cx: &super::Context,
    home: &okuri::sys::home::Home,
    policy: &okuri::policy::Policy,
    mountpoint: &std::path::Path,
    json: bool,
) -> Result<()> {
    let s = media::scan(home, policy, &Probe::system(), mountpoint)?;
    if json {
        super::json(super::formats::MEDIA_SCAN, &s)?;
    } else {
        let mut text = match (&s.label, &s.medium) {
            (Some(l), Some(id)) => t!(
                cx,
                "cli-scan-registered",
                mountpoint = okuri::base::fsname::shown(s.mountpoint.as_os_str()),
                label = l.as_str(),
                medium = id.as_str()
            ),
            _ => t!(
                cx,
                "cli-scan-unregistered",
                mountpoint = okuri::base::fsname::shown(s.mountpoint.as_os_str())
            ),
        };
        text.push('\n');
        for i in &s.items {
            let what = match &i.found {
                media::Found::Marker => t!(cx, "cli-scan-marker"),
                media::Found::Recorded {
                    transfer_id,
                    packed_at,
                } => t!(
                    cx,
                    "cli-scan-recorded",
                    transfer = transfer_id.as_str(),
                    at = packed_at.as_str()
                ),
                media::Found::Expired {
                    transfer_id,
                    packed_at,
                } => t!(
                    cx,
                    "cli-scan-expired",
                    transfer = transfer_id.as_str(),
                    at = packed_at.as_str()
                ),
                media::Found::UnknownAge => t!(cx, "cli-scan-unknown-age"),
                media::Found::Plain => t!(cx, "cli-scan-plain"),
            };
            text.push_str(&t!(
                cx,
                "cli-scan-item",
                path = okuri::base::fsname::shown(i.path.as_os_str()),
                size = i.size,
                what = what
            ));
            text.push('\n');
        }
        super::out(&text)?;
    }
    if s.violations > 0 {
        return Err(okuri::Error::new(
            okuri::base::error::Kind::Refused,
            msg!(
                "cli-scan-violations",
                count = s.violations,
                mountpoint = &s.mountpoint
            ),
        )
        .with_hint(msg!("hint-cli-scan-violations")));
    }
    Ok(())
}
