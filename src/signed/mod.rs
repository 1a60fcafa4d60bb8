//! Signed documents: approval tokens, denials, class designations and medium markers, their
//! envelope, the parts their payloads share, and their one verification ([`verify`]).
//!
//! A signed document is its payload — pretty-printed JSON, ending in `\n` — followed directly
//! by an OpenSSH `SSH SIGNATURE` block (SSHSIG) over exactly those payload bytes. There is no
//! canonicalisation: the signed bytes are the bytes in the file, so an auditor splits the file
//! at the `-----BEGIN SSH SIGNATURE-----` line and checks it with stock `ssh-keygen -Y verify`
//! (docs/approval.md). A JSON text cannot hold a raw newline inside a string, so no payload
//! line can ever begin with `-----` and the split is unambiguous.
//!
//! Each kind of document has its own SSHSIG namespace, so a signature made for one purpose
//! can never be passed off as another (a designation as an approval, say).

pub mod approval;
pub mod designation;
pub mod marker;
pub mod verify;

use serde::{Deserialize, Serialize};
use ssh_key::{LineEnding, PublicKey, SshSig};
pub use verify::{Document, Parsed, Rejected, Unreadable};

use crate::base::digest::Blake3;
use crate::base::ids::StaffId;

use crate::base::digest::Fingerprint;

pub use crate::base::namespace::{NS_APPROVAL, NS_DENIAL, NS_DESIGNATION};

pub(crate) const BEGIN: &str = "-----BEGIN SSH SIGNATURE-----";

/// A parsed signed document. The signature is not yet checked.
#[derive(Clone, Debug)]
pub struct Signed {
    pub payload: Vec<u8>,
    pub sig: SshSig,
}

/// Why a document could not even be read as a signed document.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    #[error("it has no SSH SIGNATURE block")]
    NoSignature,
    #[error("its payload is not UTF-8 JSON text ending in a newline")]
    Payload,
    #[error("its SSH SIGNATURE block cannot be read: {0}")]
    Signature(String),
}

impl Signed {
    /// Splits a file into payload and signature.
    pub fn parse(bytes: &[u8]) -> Result<Signed, FormatError> {
        let text = std::str::from_utf8(bytes).map_err(|_| FormatError::Payload)?;
        let at = if text.starts_with(BEGIN) {
            0
        } else {
            text.find(&format!("\n{BEGIN}\n"))
                .map(|i| i + 1)
                .ok_or(FormatError::NoSignature)?
        };
        let (payload, armor) = text.split_at(at);
        if payload.is_empty() || !payload.ends_with('\n') || !payload.starts_with('{') {
            return Err(FormatError::Payload);
        }
        let sig = SshSig::from_pem(armor.trim_end_matches('\n'))
            .map_err(|e| FormatError::Signature(e.to_string()))?;
        // The version is not covered by the signature, and ssh-key accepts any version up to
        // 1: without this, a token with version 0 would verify here and fail `ssh-keygen -Y
        // verify`, two documents with one signature.
        if sig.version() != SshSig::VERSION {
            return Err(FormatError::Signature(format!(
                "SSHSIG version {} (only {} exists)",
                sig.version(),
                SshSig::VERSION
            )));
        }
        Ok(Signed {
            payload: payload.as_bytes().to_vec(),
            sig,
        })
    }

    /// The file: payload, then the signature block.
    pub fn render(&self) -> Vec<u8> {
        let mut out = self.payload.clone();
        let armor = self
            .sig
            .to_pem(LineEnding::LF)
            .expect("a signature we hold encodes");
        out.extend_from_slice(armor.as_bytes());
        if !out.ends_with(b"\n") {
            out.push(b'\n');
        }
        out
    }

    /// The key that made the signature, as the signature itself names it.
    pub fn signer(&self) -> PublicKey {
        PublicKey::from(self.sig.public_key().clone())
    }

    pub fn signer_fingerprint(&self) -> Fingerprint {
        Fingerprint::of(&self.signer())
    }

    /// Checks the signature over the payload in `namespace`. Whether the key is trusted is a
    /// separate question (see [`crate::policy::trust`]).
    pub fn verify(&self, namespace: &str) -> bool {
        crate::secret::keys::verify_sshsig(&self.sig, namespace, &self.payload)
    }
}

/// Who signed a document, as its payload names them: the trust list's id and the key's
/// fingerprint (checked against the signature), with the name and department for people.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Issuer {
    pub id: StaffId,
    pub name: String,
    pub department: String,
    pub key: Fingerprint,
}

/// The file a document is about: bound by its BLAKE3 and size, so an edited file loses it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FileRef {
    /// The file's name when it was signed, for people; what binds is the digest and size.
    #[serde(with = "crate::base::fsname")]
    pub name: std::ffi::OsString,
    pub size: u64,
    pub blake3: Blake3,
}

/// Renders a signed payload (pretty JSON and a newline) for signing.
pub fn payload_bytes<T: Serialize>(p: &T) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(p).expect("payloads serialize");
    v.push(b'\n');
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_what_is_not_a_signed_document() {
        assert_eq!(
            Signed::parse(b"{}\n").unwrap_err(),
            FormatError::NoSignature
        );
        assert_eq!(
            Signed::parse(b"\xff\n-----BEGIN SSH SIGNATURE-----\n").unwrap_err(),
            FormatError::Payload
        );
        assert!(matches!(
            Signed::parse(
                b"{}\n-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n"
            ),
            Err(FormatError::Signature(_))
        ));
    }
}
