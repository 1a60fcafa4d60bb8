//! What a person's text in a city document (a name, a department, a contract, an address) may
//! hold. Such text is shown on terminals and slips and written into the allowed_signers file
//! auditors give to `ssh-keygen`, one line per key: a line break in a name would add a line of
//! its own there (a signer no list names), and a terminal escape or a bidirectional override
//! would make what people read differ from what was signed.

/// Does `s` hold a control character (C0, DEL, C1), a line or paragraph separator, or a
/// bidirectional override or isolate?
pub fn has_hidden_control(s: &str) -> bool {
    s.chars().any(|c| {
        c.is_control()
            || matches!(
                c,
                '\u{2028}'
                    | '\u{2029}'
                    | '\u{200E}'
                    | '\u{200F}'
                    | '\u{061C}'
                    | '\u{202A}'..='\u{202E}'
                    | '\u{2066}'..='\u{2069}'
            )
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn hidden_controls() {
        for bad in [
            "a\nb",
            "a\rb",
            "\u{1b}[31m",
            "a\u{7f}",
            "a\u{85}",
            "a\u{2028}",
            "\u{202e}abc",
            "a\tb",
            "a\u{200f}b",
            "a\u{61c}",
        ] {
            assert!(super::has_hidden_control(bad), "{bad:?}");
        }
        for ok in [
            "山田 太郎",
            "総務課",
            "株式会社亀岡印刷",
            "0771-22-0000",
            "Ⅰ",
        ] {
            assert!(!super::has_hidden_control(ok), "{ok:?}");
        }
    }
}
