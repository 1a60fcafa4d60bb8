//! The password slip: the one document that carries the passphrase, in Japanese and English,
//! for a different channel than the package (the rule against "PPAP": 電子メールで暗号化し送信する
//! 際の復号化パスワードは、当該電子メール以外の確実な方法により送信先に伝達しなければならない).
//!
//! This module holds the slip's facts; [`crate::i18n::slip::render`] writes it, from the
//! message files, at the edge.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use crate::base::channel::Channel;
use crate::base::class::Class;
use crate::base::digest::{Blake3, Sha256};

/// Everything on the slip except the passphrase. Data only: the words are the renderer's.
pub struct SlipData<'a> {
    pub transfer_id: &'a str,
    pub date: &'a str,
    pub sender: &'a str,
    pub recipient: &'a str,
    /// How the slip goes, from the recipient register: the method's key (`phone`, `fax`,
    /// `post`, `hand`).
    pub deliver_method: Option<&'static str>,
    /// To whom and where, from the recipient register: the contact, phone, fax, address.
    pub deliver_to: Option<String>,
    pub class: Class,
    pub channel: Channel,
    pub package_name: &'a OsStr,
    pub package_size: u64,
    pub sha256: &'a Sha256,
    pub blake3: &'a Blake3,
    pub plain_name: &'a OsStr,
}

/// `name` as one word for a POSIX shell (bash, zsh, ksh; `sh` for all but the last form):
/// bare when it is plain ASCII, in single quotes when it is printable UTF-8, and as ANSI-C
/// `$'…'` with `\xNN` escapes when it holds control characters, direction marks or bytes
/// that are not UTF-8 — so that no name can run a command, split into two words, or break
/// the slip's line. A name that starts with `-` is written `./-…`, never read as an option.
pub fn posix_word(name: &OsStr) -> String {
    let bytes = name.as_bytes();
    let dashed = bytes.first() == Some(&b'-');
    let bare = |b: &u8| b.is_ascii_alphanumeric() || b"._+,:@/=-".contains(b);
    let prefix = if dashed { "./" } else { "" };
    // (Not `=name`: zsh expands it to a command's path.)
    if !bytes.is_empty() && bytes[0] != b'=' && bytes.iter().all(bare) {
        return format!("{prefix}{}", name.to_string_lossy());
    }
    if let Some(text) = name.to_str()
        && !text.chars().any(crate::base::fsname::needs_escape)
    {
        return format!("'{prefix}{}'", text.replace('\'', r"'\''"));
    }
    let mut s = format!("$'{prefix}");
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                // As hex, not `\'` and `\\`: a shell without `$'…'` (dash) then still reads
                // one single-quoted word, never the end of the quote; `!` so that no history
                // expansion can happen.
                '\'' | '\\' | '!' => s.push_str(&format!("\\x{:02X}", u32::from(c))),
                c if crate::base::fsname::needs_escape(c) => {
                    let mut buf = [0u8; 4];
                    for b in c.encode_utf8(&mut buf).as_bytes() {
                        s.push_str(&format!("\\x{b:02X}"));
                    }
                }
                c => s.push(c),
            }
        }
        for b in chunk.invalid() {
            s.push_str(&format!("\\x{b:02X}"));
        }
    }
    s.push('\'');
    s
}

/// `name` as one argument for PowerShell (the shell of Windows Terminal), in single quotes
/// with every kind of single quote PowerShell accepts doubled; `None` when the name cannot
/// exist on Windows (not UTF-8, control characters, or one of `<>:"/\|?*`), and so cannot be
/// typed there at all. Plain `cmd.exe` is not offered: it has no quoting that stops `%…%`
/// from being expanded on its command line.
pub fn powershell_word(name: &OsStr) -> Option<String> {
    let text = name.to_str()?;
    if text.is_empty()
        || text
            .chars()
            .any(|c| crate::base::fsname::needs_escape(c) || "<>:\"/\\|?*".contains(c))
    {
        return None;
    }
    // Bare only for the plainest names: in PowerShell `,` makes an array, `@` splats, and a
    // word that starts with a digit may be read as a number (`1kb`, `0x10`).
    if text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
    {
        return Some(text.to_owned());
    }
    let mut s = String::from("'");
    if text.starts_with('-') {
        s.push_str(".\\");
    }
    for c in text.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}') {
            s.push(c);
        }
        s.push(c);
    }
    s.push('\'');
    Some(s)
}

/// Groups digits by thousands, as sizes are printed in Japanese offices too.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_grouping() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
