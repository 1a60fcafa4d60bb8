//! Keeping secrets out of core dumps: okuri holds passphrases, private keys and sessions in
//! memory, and a core file (`kill -ABRT`, a crash, `gcore`) would write them to disk for
//! anyone who can read it.
//!
//! [`undumpable`] is called first thing by both binaries, so that it covers every moment a
//! secret exists: it sets `RLIMIT_CORE` to zero (no core file, whatever the shell's
//! `ulimit -c` says) and clears the process's dumpable flag (`prctl(PR_SET_DUMPABLE, 0)`),
//! which also stops other processes of the same user from attaching a debugger or reading
//! `/proc/<pid>/mem`. What it cannot stop: root, a kernel crash dump, swap (see
//! docs/threat-model.md).

use rustix::process::{DumpableBehavior, Resource, Rlimit, set_dumpable_behavior, setrlimit};

/// Makes this process produce no core dump and refuse same-user debuggers. Failures are
/// ignored: neither call fails for an ordinary process on Linux, and there is nothing better
/// to do than go on if one did.
pub fn undumpable() {
    let _ = setrlimit(
        Resource::Core,
        Rlimit {
            current: Some(0),
            maximum: Some(0),
        },
    );
    let _ = set_dumpable_behavior(DumpableBehavior::NotDumpable);
}

#[cfg(test)]
mod tests {
    use rustix::process::{DumpableBehavior, Resource, dumpable_behavior, getrlimit};

    #[test]
    fn the_process_is_undumpable_afterwards() {
        super::undumpable();
        assert_eq!(
            dumpable_behavior().ok(),
            Some(DumpableBehavior::NotDumpable)
        );
        let lim = getrlimit(Resource::Core);
        assert_eq!((lim.current, lim.maximum), (Some(0), Some(0)));
    }
}
