//! Who and where: the machine's name and the OS account, as the record names them.

/// The machine's name, for the record.
pub fn host() -> String {
    #[cfg(feature = "test-hooks")]
    if let Ok(h) = std::env::var("OKURI_TEST_HOST") {
        return h;
    }
    gethostname::gethostname().to_string_lossy().into_owned()
}

/// The OS account, for the record: the login name if the session has one, else the uid
/// (services and cron jobs often run without USER set).
pub fn os_user() -> String {
    use std::os::unix::fs::MetadataExt;
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| match std::fs::metadata("/proc/self") {
            Ok(m) => format!("uid {}", m.uid()),
            Err(_) => "unknown".into(),
        })
}
