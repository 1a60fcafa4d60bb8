//! A removable medium's registration marker (記録媒体, Ch.4 §3): signed by a custodian in
//! [`NS_MEDIUM`], naming the medium's id, label and device. Like a designation it outlives its
//! key's window, never its revocation; any custodian may register media, so it has no remit.

use serde::{Deserialize, Serialize};

use super::{Document, Issuer};
use crate::base::class::Class;
use crate::base::ids::MediumId;
use crate::base::namespace::NS_MEDIUM;
use crate::base::time::Time;
use crate::policy::trust::SignerRole;
use crate::sys::device::DeviceId;

pub const MARKER_KIND: &str = "medium";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkerPayload {
    pub okuri: String,
    pub version: u32,
    pub medium_id: MediumId,
    pub label: String,
    pub registered_at: Time,
    pub custodian: Issuer,
    pub device: DeviceId,
}

impl Document for MarkerPayload {
    const KIND: &'static str = MARKER_KIND;
    const NAMESPACE: &'static str = NS_MEDIUM;
    const ROLE: SignerRole = SignerRole::Custodian;
    const TRUSTED_NOW: bool = false;

    fn header(&self) -> (&str, u32) {
        (&self.okuri, self.version)
    }
    fn signer(&self) -> &Issuer {
        &self.custodian
    }
    fn signed_at(&self) -> &Time {
        &self.registered_at
    }
    fn remit(&self) -> Option<(Class, &str)> {
        None
    }
}
