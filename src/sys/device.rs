//! Which device is behind a mount point (記録媒体の識別, Ch.4 §3): the device number from the
//! path's `st_dev` and `/proc/self/mountinfo`; from sysfs, whether it is removable, its bus
//! (USB, MMC, …), vendor, product and serial; and the filesystem's UUID.
//!
//! The sysfs root, the mountinfo file and the by-UUID directory can be pointed elsewhere in test
//! builds (`OKURI_TEST_SYSFS`, `OKURI_TEST_MOUNTINFO`, `OKURI_TEST_BY_UUID`), so that the suite
//! can present fake trees for a USB stick, an SD card reader, a USB disk and a fixed disk.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::base::error::{Error, IoOp, Result};
use crate::msg;

/// Where the kernel's view of devices is read from.
#[derive(Clone, Debug)]
pub struct Probe {
    pub sysfs: PathBuf,
    pub mountinfo: PathBuf,
    pub by_uuid: PathBuf,
}

impl Probe {
    /// The running system, or the test hooks' fake trees in a test build.
    pub fn system() -> Probe {
        #[allow(unused_mut)]
        let mut p = Probe {
            sysfs: PathBuf::from("/sys"),
            mountinfo: PathBuf::from("/proc/self/mountinfo"),
            by_uuid: PathBuf::from("/dev/disk/by-uuid"),
        };
        #[cfg(feature = "test-hooks")]
        {
            let var = |k: &str| std::env::var_os(k).map(PathBuf::from);
            if let Some(v) = var("OKURI_TEST_SYSFS") {
                p.sysfs = v;
            }
            if let Some(v) = var("OKURI_TEST_MOUNTINFO") {
                p.mountinfo = v;
            }
            if let Some(v) = var("OKURI_TEST_BY_UUID") {
                p.by_uuid = v;
            }
        }
        p
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Bus {
    Usb,
    Mmc,
    Ata,
    Nvme,
    Virtual,
    Other,
}

/// What okuri knows of the device behind a mount point.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub mountpoint: PathBuf,
    /// `major:minor` of the mounted block device.
    pub dev: String,
    /// The mounted source, e.g. `/dev/sdb1`.
    pub source: String,
    pub fstype: String,
    /// The whole disk's kernel name, e.g. `sdb`.
    pub disk: String,
    pub removable: bool,
    pub bus: Bus,
    pub vendor_id: Option<String>,
    pub product_id: Option<String>,
    pub vendor: Option<String>,
    pub product: Option<String>,
    pub serial: Option<String>,
    pub fs_uuid: Option<String>,
}

impl Device {
    /// A medium okuri may write to: removable, or on a bus that carries removable media.
    pub fn is_removable_medium(&self) -> bool {
        self.removable || matches!(self.bus, Bus::Usb | Bus::Mmc)
    }

    /// The device as data (no words), for messages and the record:
    /// `USB 0781:5581 SanDisk Ultra S/N 4C53…, vfat 1234-ABCD`.
    pub fn describe(&self) -> String {
        let mut s = format!("{:?}", self.bus).to_uppercase();
        if let (Some(v), Some(p)) = (&self.vendor_id, &self.product_id) {
            s.push_str(&format!(" {v}:{p}"));
        }
        for x in [&self.vendor, &self.product].into_iter().flatten() {
            s.push_str(&format!(" {x}"));
        }
        if let Some(sn) = &self.serial {
            s.push_str(&format!(" S/N {sn}"));
        }
        if let Some(u) = &self.fs_uuid {
            s.push_str(&format!(", {} {u}", self.fstype));
        }
        s
    }
}

/// glibc's encoding of a device number.
fn major_minor(dev: u64) -> (u64, u64) {
    let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff);
    let minor = (dev & 0xff) | ((dev >> 12) & !0xff);
    (major, minor)
}

/// mountinfo escapes spaces and the like as `\040`.
pub fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 3 < b.len()
            && let Some(v) = std::str::from_utf8(&b[i + 1..i + 4])
                .ok()
                .and_then(|o| u8::from_str_radix(o, 8).ok())
        {
            out.push(v);
            i += 4;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn read_trim(p: &Path) -> Option<String> {
    std::fs::read_to_string(p)
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

/// Identifies the device mounted at `mountpoint`.
pub fn identify(probe: &Probe, mountpoint: &Path) -> Result<Device> {
    let mp =
        std::fs::canonicalize(mountpoint).map_err(|e| Error::io(IoOp::Resolve, mountpoint, e))?;
    let meta = std::fs::metadata(&mp).map_err(|e| Error::io(IoOp::Read, &mp, e))?;
    let (major, minor) = major_minor(meta.dev());
    let dev = format!("{major}:{minor}");
    let info = std::fs::read_to_string(&probe.mountinfo)
        .map_err(|e| Error::io(IoOp::Read, &probe.mountinfo, e))?;
    let not_mounted = || {
        Error::invalid(msg!("device-not-mount-point", path = mountpoint))
            .with_hint(msg!("device-not-mount-point-hint"))
    };
    // The last matching line is the mount on top, if several are stacked.
    let line = info
        .lines()
        .rev()
        .filter_map(|l| {
            let (pre, post) = l.split_once(" - ")?;
            let f: Vec<&str> = pre.split(' ').collect();
            let g: Vec<&str> = post.split(' ').collect();
            (f.len() >= 5 && g.len() >= 2 && f[2] == dev && unescape(f[4]) == mp.to_string_lossy())
                .then(|| (g[0].to_owned(), unescape(g[1])))
        })
        .next()
        .ok_or_else(not_mounted)?;
    let (fstype, source) = line;
    let node = std::fs::canonicalize(probe.sysfs.join("dev/block").join(&dev)).map_err(|e| {
        Error::invalid(msg!(
            "device-not-block",
            path = mountpoint,
            source = source.as_str(),
            dev = dev.as_str()
        ))
        .with_source(e)
    })?;
    let disk_dir = if node.join("partition").exists() {
        node.parent().map(Path::to_path_buf).unwrap_or(node.clone())
    } else {
        node.clone()
    };
    let disk = disk_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let removable = read_trim(&disk_dir.join("removable")).as_deref() == Some("1");
    let path = disk_dir.to_string_lossy();
    let has = |seg: &str| {
        disk_dir
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with(seg))
    };
    let bus = if has("usb") {
        Bus::Usb
    } else if has("mmc") {
        Bus::Mmc
    } else if has("nvme") {
        Bus::Nvme
    } else if has("ata") {
        Bus::Ata
    } else if path.contains("/virtual/") {
        Bus::Virtual
    } else {
        Bus::Other
    };
    let mut d = Device {
        mountpoint: mp.clone(),
        dev,
        source: source.clone(),
        fstype,
        disk,
        removable,
        bus,
        vendor_id: None,
        product_id: None,
        vendor: None,
        product: None,
        serial: None,
        fs_uuid: None,
    };
    match bus {
        Bus::Usb => {
            // The USB device is the nearest ancestor with idVendor.
            if let Some(u) = disk_dir.ancestors().find(|a| a.join("idVendor").is_file()) {
                d.vendor_id = read_trim(&u.join("idVendor"));
                d.product_id = read_trim(&u.join("idProduct"));
                d.vendor = read_trim(&u.join("manufacturer"));
                d.product = read_trim(&u.join("product"));
                d.serial = read_trim(&u.join("serial"));
            }
        }
        Bus::Mmc => {
            let dev = disk_dir.join("device");
            d.vendor_id = read_trim(&dev.join("manfid"));
            d.product_id = read_trim(&dev.join("oemid"));
            d.product = read_trim(&dev.join("name"));
            d.serial = read_trim(&dev.join("serial"));
        }
        _ => {
            let dev = disk_dir.join("device");
            d.vendor = read_trim(&dev.join("vendor"));
            d.product = read_trim(&dev.join("model"));
        }
    }
    d.fs_uuid = fs_uuid(probe, &source);
    Ok(d)
}

/// The filesystem UUID: from /dev/disk/by-uuid where udev keeps it, else from `blkid`.
fn fs_uuid(probe: &Probe, source: &str) -> Option<String> {
    let name = Path::new(source).file_name()?.to_owned();
    if let Ok(rd) = std::fs::read_dir(&probe.by_uuid) {
        for e in rd.flatten() {
            if let Ok(t) = std::fs::read_link(e.path())
                && t.file_name() == Some(&name)
            {
                return Some(e.file_name().to_string_lossy().into_owned());
            }
        }
    }
    if !Path::new(source).exists() {
        return None;
    }
    let o = std::process::Command::new("blkid")
        .args(["-o", "value", "-s", "UUID", source])
        .output()
        .ok()?;
    let s = String::from_utf8_lossy(&o.stdout).trim().to_owned();
    (o.status.success() && !s.is_empty()).then_some(s)
}

/// The device facts a marker binds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceId {
    pub bus: Bus,
    pub removable: bool,
    pub vendor_id: Option<String>,
    pub product_id: Option<String>,
    pub vendor: Option<String>,
    pub product: Option<String>,
    pub serial: Option<String>,
    pub fs_uuid: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_numbers_and_escapes() {
        assert_eq!(major_minor(0x0801), (8, 1));
        assert_eq!(major_minor(0x0700), (7, 0));
        assert_eq!(major_minor((259 << 8) | 3), (259, 3));
        assert_eq!(unescape("/media/a\\040b"), "/media/a b");
    }
}
