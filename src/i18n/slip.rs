//! The password slip as the recipient reads it: Japanese and English on one page, the words
//! from the message files (`slip-*`), the facts from [`SlipData`].
//!
//! The passphrase never passes through Fluent or any other `String`: it is written straight
//! from the [`Passphrase`] into the zeroizing buffer that holds the slip.

use zeroize::Zeroizing;

use crate::base::channel::Channel;
use crate::base::message::{Lang, Msg};
use crate::msg;
use crate::secret::passphrase::Passphrase;
use crate::transfer::slip::{SlipData, thousands};

use super::Texts;

/// Renders the slip. The result holds the passphrase, so it is zeroized when dropped.
pub fn render(d: &SlipData<'_>, pass: &Passphrase) -> Zeroizing<String> {
    let ja = Texts::new(Lang::Ja);
    let en = Texts::new(Lang::En);
    // One line in both languages: "日本語 / English".
    let both = |m: &Msg| format!("{} / {}", ja.render(m), en.render(m));
    // A value named in Japanese with its English key: "電子メール (email)".
    let named = |m: &Msg| format!("{} ({})", ja.render(m), en.render(m));
    let how = match d.channel {
        Channel::Email | Channel::Lgwan => msg!("slip-how-network"),
        Channel::Media | Channel::Hand => msg!("slip-how-physical"),
    };

    // Everything but the passphrase is written first, into plain strings; the slip itself is
    // then allocated once at its exact size, so the one buffer that holds the passphrase never
    // grows (a growing String would leave an unwiped copy behind in freed memory).
    let mut head = String::new();
    let p = &mut head;
    let line = "=".repeat(72);
    p.push_str(&line);
    p.push_str(&format!("\n {}  (okuri)\n", both(&msg!("slip-title"))));
    p.push_str(&line);
    p.push('\n');
    p.push_str(&format!("{}\n", ja.render(&msg!("slip-send-separately"))));
    p.push_str(&format!("{}\n\n", en.render(&msg!("slip-send-separately"))));
    let rows = [
        (msg!("slip-transfer-id"), d.transfer_id.to_owned()),
        (msg!("slip-date"), d.date.to_owned()),
        (msg!("slip-sender"), d.sender.to_owned()),
        (msg!("slip-recipient"), d.recipient.to_owned()),
        (
            msg!("slip-class"),
            named(&msg!("slip-class-value", class = d.class.as_str())),
        ),
        (
            msg!("slip-channel"),
            named(&msg!("slip-channel-value", channel = d.channel.as_str())),
        ),
        (msg!("slip-file"), d.package_name.to_owned()),
        (msg!("slip-size"), thousands(d.package_size)),
        (
            msg!("slip-fingerprint"),
            format!("SHA-256 {}", d.sha256.short()),
        ),
    ];
    for (label, v) in &rows {
        p.push_str(&format!("{}: {v}\n", both(label)));
    }
    p.push('\n');
    const LABEL: &str = "Passphrase: ";
    let mut tail = String::new();
    let p = &mut tail;
    p.push('\n');
    p.push_str(&format!("({})\n", both(&msg!("slip-type-exactly"))));
    p.push_str(&format!(
        "{}: {}\n\n",
        both(&msg!("slip-reading")),
        ja.render(&msg!("slip-digits"))
    ));

    p.push_str(&format!("■ {}\n", both(&msg!("slip-check-heading"))));
    p.push_str(&format!(
        "  Linux/macOS:  sha256sum {n}\n  Windows:      certutil -hashfile {n} SHA256\n",
        n = d.package_name
    ));
    p.push_str(&format!("  {}\n", both(&msg!("slip-check-match"))));
    p.push_str(&format!("  (BLAKE3: {})\n\n", d.blake3));

    p.push_str(&format!("■ {}\n", both(&msg!("slip-decrypt-heading"))));
    p.push_str(&format!(
        "  Linux/macOS:  age -d -o {o} {n}\n  Windows:      age.exe -d -o {o} {n}\n",
        o = d.plain_name,
        n = d.package_name
    ));
    p.push_str(&format!("  {}\n\n", both(&msg!("slip-decrypt-enter"))));

    p.push_str(&format!("■ {}\n", both(&msg!("slip-delivery-heading"))));
    p.push_str(&format!("  {}\n  {}\n", ja.render(&how), en.render(&how)));
    // 送付先: the method in Japanese with its key, then the register's contact details.
    let to: Vec<String> = d
        .deliver_method
        .map(|m| format!("{} ({m})", ja.render(&msg!("slip-method", method = m))))
        .into_iter()
        .chain(d.deliver_to.clone().filter(|c| !c.is_empty()))
        .collect();
    if !to.is_empty() {
        p.push_str(&format!(
            "  {}: {}\n",
            both(&msg!("slip-deliver-to")),
            to.join(" / ")
        ));
    }
    p.push_str(&format!("  ({})\n", ja.render(&msg!("slip-rule"))));
    p.push_str(&format!("  ({})\n", en.render(&msg!("slip-rule"))));
    p.push_str(&line);
    p.push('\n');
    let secret = pass.expose();
    let mut s = Zeroizing::new(String::with_capacity(
        head.len() + LABEL.len() + secret.len() + tail.len(),
    ));
    let cap = s.capacity();
    s.push_str(&head);
    s.push_str(LABEL);
    s.push_str(secret);
    s.push_str(&tail);
    debug_assert_eq!(s.capacity(), cap, "the slip's buffer grew");
    s
}
