//! The clock and the scrypt cost, with hooks that only test builds honour.
//!
//! Like Go age's tests, the test suite lowers the scrypt work factor so that hundreds of packs
//! run in seconds; the hook exists only when okuri is built with the `test-hooks` feature,
//! so a production binary always uses [`SCRYPT_LOG_N`] whatever its environment says.

/// The scrypt work factor of every package: 2^18, the value Go age and rage use by default.
/// Pinned rather than calibrated, because the age crate's calibration can exceed 22 on a fast
/// machine, and Go age refuses to decrypt anything above 22.
pub const SCRYPT_LOG_N: u8 = 18;

/// A number a test build takes from the environment, if it is set and within `range`.
#[cfg(feature = "test-hooks")]
fn test_number<T: std::str::FromStr + PartialOrd>(
    name: &str,
    range: std::ops::RangeInclusive<T>,
) -> Option<T> {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse::<T>().ok())
        .filter(|n| range.contains(n))
}

/// The work factor to encrypt with.
pub fn scrypt_log_n() -> u8 {
    #[cfg(feature = "test-hooks")]
    if let Some(n) = test_number::<u8>("OKURI_TEST_SCRYPT_LOG_N", 1..=SCRYPT_LOG_N) {
        return n;
    }
    SCRYPT_LOG_N
}

/// The bcrypt-pbkdf rounds that protect a new private key: 16, as `ssh-keygen` uses. Test
/// builds may lower it (`OKURI_TEST_KDF_ROUNDS`) so that the suite can make many keys.
pub fn key_kdf_rounds() -> u32 {
    #[cfg(feature = "test-hooks")]
    if let Some(n) = test_number::<u32>("OKURI_TEST_KDF_ROUNDS", 1..=16) {
        return n;
    }
    16
}

/// The current time in the machine's time zone.
pub fn now() -> jiff::ZonedDateTime {
    #[cfg(feature = "test-hooks")]
    if let Some(z) = std::env::var("OKURI_TEST_NOW")
        .ok()
        .and_then(|v| v.parse::<jiff::ZonedDateTime>().ok())
    {
        return z;
    }
    jiff::ZonedDateTime::now()
}

/// Test builds only: sleep for `OKURI_TEST_PAUSE_MS` after classification, so that a test can
/// change the input or send a signal at a known point. A no-op in every other build.
pub fn test_pause() {
    #[cfg(feature = "test-hooks")]
    if let Some(ms) = std::env::var("OKURI_TEST_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// Test builds only: if `OKURI_TEST_CRASH_AT` names this point, okuri kills itself with
/// `SIGKILL` there, as a power cut or `kill -9` would, so that a test can check what a later
/// run makes of each step's leftovers. A no-op in every other build.
pub fn crash_point(name: &str) {
    #[cfg(feature = "test-hooks")]
    if std::env::var("OKURI_TEST_CRASH_AT").is_ok_and(|v| v == name) {
        let _ = signal_hook::low_level::raise(signal_hook::consts::SIGKILL);
    }
    let _ = name;
}

/// Test builds only: the file `OKURI_TEST_WIRE_LOG` names, where the service appends every
/// JSON body it reads and writes, so that the test suite can check each against its schema
/// (docs/json.md). Other builds have neither this nor the code that would log.
#[cfg(feature = "test-hooks")]
pub fn wire_log() -> Option<std::path::PathBuf> {
    std::env::var_os("OKURI_TEST_WIRE_LOG").map(Into::into)
}

/// Requests asked of the approval service per page: 200. Test builds may lower it
/// (`OKURI_TEST_PAGE`), so that a test reads several pages.
pub fn page_size() -> u32 {
    #[cfg(feature = "test-hooks")]
    if let Some(n) = test_number::<u32>("OKURI_TEST_PAGE", 1..=200) {
        return n;
    }
    200
}
