//! An information officer's (情報責任者) class designation (Ch.2 §1): bound to a file's BLAKE3
//! and size, for a class and a department, signed in [`NS_DESIGNATION`]. It outlives its key's
//! window (a class does not change when keys rotate) but never its revocation.

use serde::{Deserialize, Serialize};

use super::{Document, FileRef, Issuer};
use crate::base::class::Class;
use crate::base::ids::DesignationId;
use crate::base::namespace::NS_DESIGNATION;
use crate::base::time::Time;
use crate::policy::trust::SignerRole;

pub const DESIGNATION_KIND: &str = "designation";

/// The signed payload of a class designation.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DesignationPayload {
    pub okuri: String,
    pub version: u32,
    pub designation_id: DesignationId,
    pub file: FileRef,
    pub class: Class,
    pub department: String,
    pub designated_at: Time,
    pub officer: Issuer,
}

impl Document for DesignationPayload {
    const KIND: &'static str = DESIGNATION_KIND;
    const NAMESPACE: &'static str = NS_DESIGNATION;
    const ROLE: SignerRole = SignerRole::Officer;
    const TRUSTED_NOW: bool = false;

    fn header(&self) -> (&str, u32) {
        (&self.okuri, self.version)
    }
    fn signer(&self) -> &Issuer {
        &self.officer
    }
    fn signed_at(&self) -> &Time {
        &self.designated_at
    }
    fn remit(&self) -> Option<(Class, &str)> {
        Some((self.class, &self.department))
    }
}
