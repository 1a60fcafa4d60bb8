//! The password slip: the one document that carries the passphrase, in Japanese and English,
//! for a different channel than the package (the rule against "PPAP": 電子メールで暗号化し送信する
//! 際の復号化パスワードは、当該電子メール以外の確実な方法により送信先に伝達しなければならない).

use zeroize::Zeroizing;

use crate::channel::Channel;
use crate::class::Class;
use crate::digest::{Blake3, Sha256};
use crate::passphrase::Passphrase;

/// Everything on the slip except the passphrase.
pub struct SlipData<'a> {
    pub transfer_id: &'a str,
    pub date: &'a str,
    pub sender: &'a str,
    pub recipient: &'a str,
    /// How and to whom the slip goes, from the recipient register.
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

/// Renders the slip. The result holds the passphrase, so it is zeroized when dropped.
pub fn render(d: &SlipData<'_>, pass: &Passphrase) -> Zeroizing<String> {
    let (how_ja, how_en) = match d.channel {
        Channel::Email | Channel::Lgwan => (
            "電話、FAX、手渡し又は郵送で伝えてください。ファイルを送る電子メールに記載・添付してはいけません。",
            "By phone, fax, by hand or by post: never in or attached to the e-mail that carries the file.",
        ),
        Channel::Media | Channel::Hand => (
            "電話、FAX又は別便の郵送で伝えてください。記録媒体やファイルと一緒に渡してはいけません。",
            "By phone, fax or separate post: never together with the medium or the file.",
        ),
    };
    let mut s = Zeroizing::new(String::with_capacity(4096));
    let p = &mut *s;
    let line = "=".repeat(72);
    p.push_str(&line);
    p.push_str("\n パスワード通知書 / PASSWORD SLIP  (okuri)\n");
    p.push_str(&line);
    p.push('\n');
    p.push_str("この通知書は暗号化ファイルとは別の経路で送付してください。\n");
    p.push_str("Send this slip by a different channel than the encrypted file.\n\n");
    let rows = [
        ("送付番号", "Transfer ID", d.transfer_id.to_owned()),
        ("日時", "Date", d.date.to_owned()),
        ("送信者", "Sender", d.sender.to_owned()),
        ("受信者", "Recipient", d.recipient.to_owned()),
        (
            "分類",
            "Class",
            format!("{} (class {})", d.class.ja(), d.class),
        ),
        (
            "ファイル送付経路",
            "File sent by",
            format!("{} ({})", d.channel.ja(), d.channel),
        ),
        ("ファイル名", "File", d.package_name.to_owned()),
        (
            "サイズ",
            "Size",
            format!("{} bytes", thousands(d.package_size)),
        ),
        (
            "指紋",
            "Fingerprint",
            format!("SHA-256 {}", d.sha256.short()),
        ),
    ];
    for (ja, en, v) in rows {
        p.push_str(&format!("{ja} / {en}: {v}\n"));
    }
    p.push('\n');
    p.push_str("Passphrase: ");
    p.push_str(pass.expose());
    p.push('\n');
    p.push_str("(数字とハイフンをそのまま入力 / type the digits and hyphens exactly as shown)\n");
    p.push_str(
        "読み方 / reading: 0 ゼロ, 1 いち, 2 に, 3 さん, 4 よん, 5 ご, 6 ろく, 7 なな, 8 はち, 9 きゅう\n\n",
    );
    p.push_str("■ ファイルの確認 / Check the file\n");
    p.push_str(&format!(
        "  Linux/macOS:  sha256sum {n}\n  Windows:      certutil -hashfile {n} SHA256\n",
        n = d.package_name
    ));
    p.push_str("  先頭16桁が上の指紋と一致すること / the first 16 hex digits must match the fingerprint.\n");
    p.push_str(&format!("  (BLAKE3: {})\n\n", d.blake3));
    p.push_str("■ 復号方法 / How to decrypt (age: https://age-encryption.org, or rage)\n");
    p.push_str(&format!(
        "  Linux/macOS:  age -d -o {o} {n}\n  Windows:      age.exe -d -o {o} {n}\n",
        o = d.plain_name,
        n = d.package_name
    ));
    p.push_str("  パスワードを聞かれたら上の Passphrase を入力 / enter the passphrase above when asked.\n\n");
    p.push_str("■ この通知書の伝達方法 / How this slip must reach the recipient\n");
    p.push_str(&format!("  {how_ja}\n  {how_en}\n"));
    if let Some(to) = &d.deliver_to {
        p.push_str(&format!("  送付先 / Deliver to: {to}\n"));
    }
    p.push_str("  (亀岡市情報セキュリティ対策基準 第2章2: 復号化パスワードは、当該電子メール以外の確実な方法により送信先に伝達しなければならない)\n");
    p.push_str(&line);
    p.push('\n');
    s
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
