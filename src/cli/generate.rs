//! `okuri completion SHELL` and the hidden `okuri generate-man DIR`: shell completions and
//! man pages made from the same clap definitions as `--help`, so that they never drift from
//! it. The packages are built with them (scripts/package.sh).

use std::path::{Path, PathBuf};

use clap::CommandFactory as _;
use okuri::base::error::{Error, IoOp, Result};

#[derive(clap::Args, Debug)]
pub struct CompletionArgs {
    /// The shell: bash, zsh, fish, elvish or powershell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(clap::Args, Debug)]
pub struct ManArgs {
    /// Where to write okuri.1, okuri-SUBCOMMAND.1 … and okuri-approvald.8 (created)
    pub dir: PathBuf,
}

pub fn completion(a: CompletionArgs) -> Result<()> {
    let mut out = Vec::new();
    clap_complete::generate(a.shell, &mut super::Cli::command(), "okuri", &mut out);
    super::out(&String::from_utf8_lossy(&out))
}

/// The sections the clap definitions do not hold, from the README and the docs.
const OKURI_EXTRA: &str = r#".SH "EXIT STATUS"
.TP
0
success
.TP
1
error: I/O, a lock, an interrupt (nothing is left behind)
.TP
2
usage error: bad arguments, okuri not set up, nowhere to show the slip
.TP
3
refused by policy (重要性分類, channel, legal basis, recipient, approval token, medium, slip placement), recorded; \fBtoken verify\fR: pack would refuse the token; \fBmedia scan\fR: a violation on the medium
.TP
4
invalid input: bad policy, label, register or token file, wrong key passphrase, not a regular file, file changed while read, output exists
.TP
5
the transfer record failed verification (edited, cut short, reordered)
.SH FILES
.TP
/etc/okuri/ciso.allowed_signers
the city's trust anchor: the CISO's keys (owned by root)
.TP
/etc/okuri/{rules,trust,service,staff,recipients,media}.toml and .sig
the city's signed documents; \fBokuri template\fR starts each one
.TP
$XDG_DATA_HOME/okuri
the okuri home: identity, transfer record and its head, designations, outbox, keys
.TP
/usr/share/okuri/examples/
an example of every city file and of the service's configuration
.SH ENVIRONMENT
OKURI_HOME, OKURI_POLICY, OKURI_RECIPIENTS, OKURI_LANG, OKURI_KEY_PASSPHRASE_FILE, and
SSH_AUTH_SOCK (an ssh-agent that holds the key signs instead of asking for its passphrase).
.SH "SEE ALSO"
.BR okuri\-approvald (8),
.BR age (1),
.BR ssh\-keygen (1),
.BR b3sum (1);
/usr/share/doc/okuri/
"#;

const APPROVALD_EXTRA: &str = r#".SH SIGNALS
.TP
SIGHUP
reload the city's signed documents (an older serial than the one in force is refused)
.TP
SIGTERM
finish the requests in flight (at most 10 s), then exit
.SH FILES
.TP
/etc/okuri-approvald/approvald.toml
the configuration (example: /usr/share/okuri/examples/approvald.toml)
.TP
/var/lib/okuri-approvald/approvald.sqlite
the database (SQLite, WAL); back it up with sqlite3 ".backup"
.TP
/etc/okuri
the city's trust anchor and signed documents
.SH "SEE ALSO"
.BR okuri (1),
.BR systemd.exec (5);
/usr/share/doc/okuri-approvald/service.md
"#;

pub fn man(a: ManArgs) -> Result<()> {
    std::fs::create_dir_all(&a.dir).map_err(|e| Error::io(IoOp::Write, &a.dir, e))?;
    let okuri = super::Cli::command();
    // Every subcommand gets its own page, okuri-pack(1), okuri-media-scan(1) …
    clap_mangen::generate_to(okuri.clone(), &a.dir)
        .map_err(|e| Error::io(IoOp::Write, &a.dir, e))?;
    page(
        &a.dir.join("okuri.1"),
        clap_mangen::Man::new(okuri),
        OKURI_EXTRA,
    )?;
    let approvald = <okuri::service::Args as clap::CommandFactory>::command();
    page(
        &a.dir.join("okuri-approvald.8"),
        clap_mangen::Man::new(approvald).section("8"),
        APPROVALD_EXTRA,
    )
}

fn page(path: &Path, man: clap_mangen::Man, extra: &str) -> Result<()> {
    let mut out = Vec::new();
    man.render(&mut out)
        .map_err(|e| Error::io(IoOp::Write, path, e))?;
    out.extend_from_slice(extra.as_bytes());
    std::fs::write(path, out).map_err(|e| Error::io(IoOp::Write, path, e))
}
