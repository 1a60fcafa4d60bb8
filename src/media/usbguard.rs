//! USBGuard rules from the media register: the registered USB media allowed, every other
//! mass-storage interface rejected.

use super::Medium;
use crate::sys::device::Bus;

/// An OpenSSH-free USBGuard rules drop-in: allow the registered media, reject other mass
/// storage. Checked by `usbguard-rule-parser` in the test suite.
pub fn usbguard_rules(media: &[Medium]) -> String {
    let q = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let mut out = String::from(
        "# USBGuard rules from okuri's media register (okuri media usbguard-rules).\n# Registered media are allowed; every other mass-storage interface is rejected.\n",
    );
    for m in media.iter().filter(|m| m.retired.is_none()) {
        let d = &m.marker.device;
        let (Some(v), Some(p)) = (&d.vendor_id, &d.product_id) else {
            out.push_str(&format!(
                "# {} ({}): {:?}, no USB id — not a USB device, nothing to allow\n",
                m.marker.label, m.marker.medium_id, d.bus
            ));
            continue;
        };
        if d.bus != Bus::Usb {
            out.push_str(&format!(
                "# {} ({}): {:?} reader, not a USB device\n",
                m.marker.label, m.marker.medium_id, d.bus
            ));
            continue;
        }
        let mut rule = format!("allow id {v}:{p}");
        if let Some(s) = &d.serial {
            rule.push_str(&format!(" serial \"{}\"", q(s)));
        }
        if let Some(n) = &d.product {
            rule.push_str(&format!(" name \"{}\"", q(n)));
        }
        rule.push_str(&format!(
            " label \"okuri:{} {}\"",
            m.marker.medium_id,
            q(&m.marker.label)
        ));
        out.push_str(&rule);
        out.push('\n');
    }
    out.push_str("reject with-interface one-of { 08:*:* }\n");
    out
}
