//! The decryption password: generated from the OS CSPRNG, digits only, in groups of four.
//!
//! Digits because Japanese staff read digit groups aloud every day (phone numbers, マイナンバー)
//! and each digit has one unmistakable reading (0 ゼロ, 1 いち, 2 に, 3 さん, 4 よん, 5 ご, 6 ろく,
//! 7 なな, 8 はち, 9 きゅう). Latin letters are not safe over a phone line in Japanese: B/D/E/G/P/T
//! and M/N sound alike as katakana (ビー/ディー/イー…, エム/エヌ), and O/0, I/1, S/5 look alike on
//! a fax. The hyphens are part of the password, so it is typed exactly as it is read.

use std::fmt;

use age::secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::base::error::{Error, Result};

/// Bits of entropy in one group of four decimal digits: log2(10^4).
const BITS_PER_GROUP: f64 = 13.287_712_379_549_449;

/// A generated passphrase. Its `Debug` and `Display` never show it.
pub struct Passphrase(SecretString);

impl Passphrase {
    /// Generates a passphrase of at least `min_bits` bits.
    pub fn generate(min_bits: u32) -> Result<Passphrase> {
        let groups = groups_for(min_bits);
        let mut out = Zeroizing::new(String::with_capacity(groups * 5));
        for i in 0..groups {
            if i > 0 {
                out.push('-');
            }
            let n = uniform_below_10000()?;
            // Pushing digit by digit avoids a temporary String that would not be zeroized.
            for d in [n / 1000, n / 100 % 10, n / 10 % 10, n % 10] {
                out.push(char::from(b'0' + d as u8));
            }
        }
        Ok(Passphrase(SecretString::from(out.as_str().to_owned())))
    }

    /// Wraps a passphrase typed by a person (tests, and later decryption helpers).
    pub fn from_secret(s: SecretString) -> Passphrase {
        Passphrase(s)
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    pub fn secret(&self) -> SecretString {
        SecretString::from(self.0.expose_secret().to_owned())
    }

    /// The entropy of a generated passphrase of this length.
    pub fn bits(&self) -> f64 {
        let groups = self.expose().split('-').count();
        groups as f64 * BITS_PER_GROUP
    }
}

/// The number of four-digit groups needed for `min_bits`.
pub fn groups_for(min_bits: u32) -> usize {
    (f64::from(min_bits) / BITS_PER_GROUP).ceil() as usize
}

/// A uniformly distributed number below 10000, by rejection sampling: 65536 is not a multiple
/// of 10000, so values at or above 60000 would bias the low digits.
fn uniform_below_10000() -> Result<u16> {
    loop {
        let mut b = Zeroizing::new([0u8; 2]);
        getrandom::getrandom(b.as_mut()).map_err(Error::random)?;
        let v = u16::from_le_bytes(*b);
        if v < 60000 {
            return Ok(v % 10000);
        }
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strength_and_shape() {
        let p = Passphrase::generate(100).unwrap();
        assert!(p.bits() >= 100.0);
        assert_eq!(groups_for(100), 8);
        let groups: Vec<&str> = p.expose().split('-').collect();
        assert_eq!(groups.len(), 8);
        assert!(
            groups
                .iter()
                .all(|g| g.len() == 4 && g.bytes().all(|b| b.is_ascii_digit()))
        );
        assert_eq!(format!("{p:?}"), "Passphrase(<redacted>)");
        assert!(Passphrase::generate(128).unwrap().bits() >= 128.0);
    }

    #[test]
    fn not_repeated() {
        let a = Passphrase::generate(100).unwrap();
        let b = Passphrase::generate(100).unwrap();
        assert_ne!(a.expose(), b.expose());
    }

    #[test]
    fn digits_are_roughly_uniform() {
        let mut counts = [0u32; 10];
        for _ in 0..5000 {
            let n = uniform_below_10000().unwrap();
            counts[(n % 10) as usize] += 1;
        }
        // Expected 500 each; a biased generator (plain modulo of u16) would still pass this, so
        // the test only guards against gross breakage such as a constant.
        assert!(
            counts.iter().all(|&c| (350..650).contains(&c)),
            "{counts:?}"
        );
    }
}
