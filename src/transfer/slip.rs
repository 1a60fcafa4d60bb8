//! The password slip: the one document that carries the passphrase, in Japanese and English,
//! for a different channel than the package (the rule against "PPAP": 電子メールで暗号化し送信する
//! 際の復号化パスワードは、当該電子メール以外の確実な方法により送信先に伝達しなければならない).
//!
//! This module holds the slip's facts; [`crate::i18n::slip::render`] writes it, from the
//! message files, at the edge.

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
    pub package_name: &'a str,
    pub package_size: u64,
    pub sha256: &'a Sha256,
    pub blake3: &'a Blake3,
    pub plain_name: &'a str,
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
