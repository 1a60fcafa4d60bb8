//! The password slip as the recipient reads it: Japanese and English on one page, the words
//! from the message files (`slip-*`), the facts from [`SlipData`].
//!
//! The passphrase never passes through Fluent or any other `String`: it is written straight
//! from the [`Passphrase`] into the zeroizing buffer that holds the slip.

use zeroize::Zeroizing;

use crate::base::channel::Channel;
use crate::base::fsname::shown;
use crate::base::message::{Lang, Msg};
use crate::msg;
use crate::secret::passphrase::Passphrase;
use crate::transfer::slip::{SlipData, posix_word, powershell_word, thousands};

use super::Texts;

/// `v` with its control characters escaped, so it stays on its line.
fn one_line(v: &str) -> String {
    shown(std::ffi::OsStr::new(v))
}

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
        (msg!("slip-file"), shown(d.package_name)),
        (msg!("slip-size"), thousands(d.package_size)),
        (
            msg!("slip-fingerprint"),
            format!("SHA-256 {}", d.sha256.short()),
        ),
    ];
    for (label, v) in &rows {
        // Every value on one line: nothing a sender, recipient or register wrote can draw a
        // line of its own (a forged "Passphrase:" above the real one).
        p.push_str(&format!("{}: {}\n", both(label), one_line(v)));
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
    // Names go into commands quoted for the shell that will read them (see slip::posix_word).
    let (pkg_sh, plain_sh) = (posix_word(d.package_name), posix_word(d.plain_name));
    let windows = powershell_word(d.package_name).zip(powershell_word(d.plain_name));
    p.push_str(&format!("  Linux/macOS:  sha256sum {pkg_sh}\n"));
    if let Some((pkg_ps, _)) = &windows {
        p.push_str(&format!(
            "  Windows:      certutil -hashfile {pkg_ps} SHA256\n"
        ));
    }
    p.push_str(&format!("  {}\n", both(&msg!("slip-check-match"))));
    p.push_str(&format!("  (BLAKE3: {})\n\n", d.blake3));

    p.push_str(&format!("■ {}\n", both(&msg!("slip-decrypt-heading"))));
    p.push_str(&format!("  Linux/macOS:  age -d -o {plain_sh} {pkg_sh}\n"));
    match &windows {
        Some((pkg_ps, plain_ps)) => p.push_str(&format!(
            "  Windows:      age.exe -d -o {plain_ps} {pkg_ps}\n"
        )),
        None => p.push_str(&format!(
            "  Windows:      {}\n",
            both(&msg!("slip-windows-unnamable"))
        )),
    }
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
            one_line(&to.join(" / "))
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
