//! The SSHSIG namespaces of okuri's signatures. Each kind of signed document has its own, so a
//! signature made for one purpose can never be passed off as another (a designation as an
//! approval, say); `ssh-keygen -Y verify -n NAMESPACE` checks the same.

/// Approval tokens (`okuri approve`).
pub const NS_APPROVAL: &str = "okuri-approval@city.kameoka.kyoto.jp";
/// A custodian's refusal of a request (`okuri deny`).
pub const NS_DENIAL: &str = "okuri-denial@city.kameoka.kyoto.jp";
/// Class designations (`okuri label --key`).
pub const NS_DESIGNATION: &str = "okuri-designation@city.kameoka.kyoto.jp";
/// A removable medium's registration marker (`okuri media register`).
pub const NS_MEDIUM: &str = "okuri-medium@city.kameoka.kyoto.jp";
/// A login: the caller's signature over a challenge of okuri-approvald.
pub const NS_AUTH: &str = "okuri-auth@city.kameoka.kyoto.jp";
/// A staff member's signature over their record's head, for the service to witness.
pub const NS_WITNESS: &str = "okuri-witness@city.kameoka.kyoto.jp";
/// The city's rules (`rules.toml.sig`), signed by the CISO.
pub const NS_RULES: &str = "okuri-rules@city.kameoka.kyoto.jp";
/// The trust list (`trust.toml.sig`), signed by the CISO.
pub const NS_TRUST: &str = "okuri-trust@city.kameoka.kyoto.jp";
/// The approval service's address (`service.toml.sig`), signed by the CISO.
pub const NS_SERVICE: &str = "okuri-service@city.kameoka.kyoto.jp";
/// The staff directory (`staff.toml.sig`), signed by an administrator of the trust list.
pub const NS_STAFF: &str = "okuri-staff@city.kameoka.kyoto.jp";
/// The recipient register (`recipients.toml.sig`), signed by a custodian.
pub const NS_RECIPIENTS: &str = "okuri-recipients@city.kameoka.kyoto.jp";
/// A staff member's request for approval, signed with their enrolled key.
pub const NS_REQUEST: &str = "okuri-request@city.kameoka.kyoto.jp";
/// The city's media register (`media.toml.sig`): registered and retired media, signed by a
/// custodian.
pub const NS_MEDIA_REGISTER: &str = "okuri-media-register@city.kameoka.kyoto.jp";
