//! Signing keys of custodians, information officers and staff: Ed25519, in OpenSSH format,
//! the private half always encrypted with a passphrase (bcrypt-pbkdf + AES-256-CTR, as
//! `ssh-keygen` does), so that an existing OpenSSH key can be brought and every file works
//! with `ssh-keygen`.
//!
//! Secret material lives only in zeroizing types: the passphrase in `Zeroizing<String>`, the
//! decrypted key in `ssh_key::PrivateKey` (whose Ed25519 half is wiped on drop); neither has a
//! `Debug` that shows it.

use std::fmt;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ssh_key::rand_core::OsRng;
use ssh_key::{Algorithm, HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};
use zeroize::Zeroizing;

use crate::base::error::{Error, IoOp, Result};
use crate::base::message::Msg;
use crate::msg;
use crate::sys::fsutil;

/// The shortest key passphrase okuri accepts: the key file may be copied, and only the
/// passphrase then stands between a thief and the custodian's signature.
pub const MIN_KEY_PASSPHRASE_CHARS: usize = 12;

/// What a key is for. Written into the key's comment; the trust list decides what it may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// 情報資産管理責任者: approves external provision
    Custodian,
    /// 情報責任者: designates importance classes
    Officer,
    /// 職員等: requests approvals, signs record heads
    Staff,
    /// 最高情報統括責任者 (CISO): signs the city's rules, trust list and service address
    Ciso,
    /// The administrator the trust list names: signs the staff directory
    Administrator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Custodian => "custodian",
            Role::Officer => "officer",
            Role::Staff => "staff",
            Role::Ciso => "ciso",
            Role::Administrator => "administrator",
        }
    }
}

pub use crate::base::digest::Fingerprint;

/// Where a key passphrase comes from. `--batch` makes a prompt an error, so that a script
/// never hangs waiting for a person.
#[derive(Clone, Debug)]
pub enum PassphraseSource {
    File(PathBuf),
    Prompt { batch: bool },
}

/// Which key a passphrase is asked for: it decides the prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyUse {
    /// A key that exists, to be unlocked.
    Existing,
    /// A key being made, whose passphrase is chosen now.
    New,
}

impl KeyUse {
    fn prompt(self) -> Msg {
        match self {
            KeyUse::Existing => msg!("key-prompt"),
            KeyUse::New => msg!("key-prompt-new"),
        }
    }
}

impl PassphraseSource {
    /// Reads the passphrase for `key`. For a new key a terminal asks twice, so that a typing
    /// slip cannot lock the key. `prompt` renders a message in the reader's language, for the
    /// prompts on the terminal.
    pub fn read(&self, key: KeyUse, prompt: &dyn Fn(&Msg) -> String) -> Result<Zeroizing<String>> {
        match self {
            PassphraseSource::File(p) => {
                use std::io::Read as _;
                use std::os::unix::fs::PermissionsExt as _;
                let mut f = std::fs::File::open(p).map_err(|e| Error::io(IoOp::Open, p, e))?;
                // As ssh treats a private key: a secret others can read is refused, not used.
                // Checked on the open file, so a swap after the check changes nothing.
                let mode = f
                    .metadata()
                    .map_err(|e| Error::io(IoOp::Read, p, e))?
                    .permissions()
                    .mode();
                if mode & 0o077 != 0 {
                    return Err(Error::invalid(msg!(
                        "key-passphrase-file-open",
                        path = p,
                        mode = format!("{:04o}", mode & 0o7777)
                    ))
                    .with_hint(msg!("hint-key-passphrase-file-open", path = p)));
                }
                let mut bytes = Zeroizing::new(Vec::new());
                f.read_to_end(&mut bytes)
                    .map_err(|e| Error::io(IoOp::Read, p, e))?;
                let text = std::str::from_utf8(&bytes)
                    .map_err(|_| Error::invalid(msg!("key-passphrase-not-utf8", path = p)))?;
                // The first line, as `ssh-keygen -P "$(cat FILE)"` would take it.
                let line = text.lines().next().unwrap_or("");
                Ok(Zeroizing::new(line.to_owned()))
            }
            PassphraseSource::Prompt { batch } => {
                if *batch || !std::io::stderr().is_terminal() {
                    let message = if *batch {
                        msg!("key-passphrase-batch")
                    } else {
                        msg!("key-passphrase-no-terminal")
                    };
                    return Err(
                        Error::usage(message).with_hint(msg!("hint-key-passphrase-file-0600"))
                    );
                }
                let ask = |m: Msg| -> Result<Zeroizing<String>> {
                    // Fluent drops the trailing space of a message; the prompt needs one.
                    let text = format!("{} ", prompt(&m).trim_end());
                    rpassword::prompt_password(text)
                        .map(Zeroizing::new)
                        .map_err(|e| {
                            Error::usage(msg!("key-passphrase-unreadable"))
                                .with_source(e)
                                .with_hint(msg!("hint-key-passphrase-file"))
                        })
                };
                let first = ask(key.prompt())?;
                if key == KeyUse::New {
                    let again = ask(msg!("key-prompt-again"))?;
                    if *again != *first {
                        return Err(Error::usage(msg!("key-passphrases-differ"))
                            .with_hint(msg!("hint-key-passphrases-differ")));
                    }
                }
                Ok(first)
            }
        }
    }
}

/// A newly generated key pair.
#[derive(Debug)]
pub struct Generated {
    pub private_path: PathBuf,
    pub public_path: PathBuf,
    pub public_line: String,
    pub fingerprint: Fingerprint,
}

pub use crate::base::ids::check_id;

/// Generates an Ed25519 key pair and writes it: `out` (the private key, 0600, encrypted with
/// `passphrase`) and `out.pub`. Neither file is ever overwritten.
pub fn generate(id: &str, role: Role, out: &Path, passphrase: &str) -> Result<Generated> {
    check_id(id).map_err(|e| Error::usage(e).with_hint(msg!("hint-key-id")))?;
    if passphrase.chars().count() < MIN_KEY_PASSPHRASE_CHARS {
        return Err(Error::usage(msg!(
            "key-passphrase-too-short",
            min = MIN_KEY_PASSPHRASE_CHARS
        ))
        .with_hint(msg!("hint-key-passphrase-sentence")));
    }
    let public_path = pub_path(out);
    for p in [out, public_path.as_path()] {
        if p.symlink_metadata().is_ok() {
            return Err(fsutil::exists_error(p));
        }
    }
    let mut key = PrivateKey::random(&mut OsRng, Algorithm::Ed25519)
        .map_err(|e| Error::failure(msg!("key-generate-failed")).with_source(e))?;
    key.set_comment(format!("{id} okuri-{}", role.as_str()));
    let encrypted = encrypt(&key, passphrase)?;
    let pem = encrypted
        .to_openssh(LineEnding::LF)
        .map_err(|e| Error::failure(msg!("key-encode-failed")).with_source(e))?;
    let public = key.public_key().clone();
    let public_line = public
        .to_openssh()
        .map_err(|e| Error::failure(msg!("key-encode-public-failed")).with_source(e))?;
    drop(key);
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        fsutil::create_dir(dir, 0o700)?;
    }
    fsutil::write_new(out, pem.as_bytes())?;
    if let Err(e) =
        fsutil::write_new_mode(&public_path, format!("{public_line}\n").as_bytes(), 0o644)
    {
        let _ = std::fs::remove_file(out);
        return Err(e);
    }
    Ok(Generated {
        private_path: out.to_path_buf(),
        public_path,
        fingerprint: Fingerprint::of(&public),
        public_line,
    })
}

fn encrypt(key: &PrivateKey, passphrase: &str) -> Result<PrivateKey> {
    let fail = |e: ssh_key::Error| Error::failure(msg!("key-encrypt-failed")).with_source(e);
    let mut salt = vec![0u8; 16];
    getrandom::getrandom(&mut salt).map_err(Error::random)?;
    let mut check = [0u8; 4];
    getrandom::getrandom(&mut check).map_err(Error::random)?;
    let kdf = ssh_key::Kdf::Bcrypt {
        salt,
        rounds: crate::sys::hooks::key_kdf_rounds(),
    };
    key.encrypt_with(
        ssh_key::Cipher::Aes256Ctr,
        kdf,
        u32::from_le_bytes(check),
        passphrase.as_bytes(),
    )
    .map_err(fail)
}

/// `KEY.pub` for `KEY`.
pub fn pub_path(key: &Path) -> PathBuf {
    let mut s = key.as_os_str().to_os_string();
    s.push(".pub");
    PathBuf::from(s)
}

/// A key ready to sign: decrypted here, or held by the user's `ssh-agent`. Dropping a
/// decrypted key wipes the secret half.
pub struct SigningKey {
    signer: Signer,
    pub public: PublicKey,
    pub fingerprint: Fingerprint,
}

/// Who makes the signature.
enum Signer {
    /// The key file, decrypted with its passphrase.
    Decrypted(Box<PrivateKey>),
    /// The agent at this socket, which holds the same key: as `ssh` does, a person who has
    /// added the key to their agent types its passphrase once per login, not at every call.
    /// Only the socket's path is kept; the agent never hands out the key.
    Agent(PathBuf),
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.signer {
            Signer::Decrypted(_) => {
                write!(f, "SigningKey({}, <secret redacted>)", self.fingerprint)
            }
            Signer::Agent(_) => write!(f, "SigningKey({}, in ssh-agent)", self.fingerprint),
        }
    }
}

/// How long an agent may take to list its keys: a stuck agent (a forwarded one whose
/// connection hangs) must not hang okuri; after this it is treated as holding nothing.
const AGENT_LIST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);
/// How long an agent may take to sign: long enough for a person to confirm a key added with
/// `ssh-add -c`, and no longer.
const AGENT_SIGN_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// A connection to the agent at `sock` whose every read and write gives up after `timeout`.
fn agent(
    sock: &Path,
    timeout: std::time::Duration,
) -> std::io::Result<ssh_agent_client_rs::Client> {
    let stream = std::os::unix::net::UnixStream::connect(sock)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    Ok(ssh_agent_client_rs::Client::with_read_write(Box::new(
        stream,
    )))
}

/// The agent's socket, from `SSH_AUTH_SOCK` as every OpenSSH tool finds it, if it holds
/// `public`. An agent that cannot be reached or does not hold the key is no error: the key
/// file and its passphrase are used, as `ssh` falls back to them.
fn agent_holding(public: &PublicKey) -> Option<PathBuf> {
    let sock = PathBuf::from(std::env::var_os("SSH_AUTH_SOCK")?);
    let mut client = agent(&sock, AGENT_LIST_TIMEOUT).ok()?;
    let held = client.list_all_identities().ok()?;
    // A plain key only: a certificate for the same key is the agent's to use with ssh.
    held.iter()
        .any(|i| matches!(i, ssh_agent_client_rs::Identity::PublicKey(k) if k.key_data() == public.key_data()))
        .then_some(sock)
}

impl SigningKey {
    /// Reads and decrypts a private key. An unencrypted key is refused: custodians' signing
    /// keys must be protected at rest (Ch.3 (2)).
    /// `prompt` renders the passphrase prompt in the reader's language.
    pub fn load(
        path: &Path,
        pass: &PassphraseSource,
        prompt: &dyn Fn(&Msg) -> String,
    ) -> Result<SigningKey> {
        let text = Zeroizing::new(
            std::fs::read_to_string(path).map_err(|e| Error::io(IoOp::Read, path, e))?,
        );
        let key = PrivateKey::from_openssh(text.as_bytes()).map_err(|e| {
            Error::invalid(msg!("key-not-private", path = path))
                .with_source(e)
                .with_hint(msg!("hint-key-not-private"))
        })?;
        if key.algorithm() != Algorithm::Ed25519 {
            return Err(Error::invalid(msg!(
                "key-not-ed25519-private",
                path = path,
                algorithm = key.algorithm().to_string()
            ))
            .with_hint(msg!("hint-key-make-ed25519")));
        }
        if !key.is_encrypted() {
            return Err(Error::invalid(msg!("key-not-encrypted", path = path))
                .with_hint(msg!("hint-key-not-encrypted", path = path)));
        }
        // The public half of an encrypted OpenSSH key is in clear: the agent is asked for
        // exactly this key, and the file must still be encrypted at rest.
        if let Some(sock) = agent_holding(key.public_key()) {
            let public = key.public_key().clone();
            return Ok(SigningKey {
                fingerprint: Fingerprint::of(&public),
                public,
                signer: Signer::Agent(sock),
            });
        }
        let passphrase = pass.read(KeyUse::Existing, prompt)?;
        let key = key.decrypt(passphrase.as_bytes()).map_err(|_| {
            Error::invalid(msg!("key-wrong-passphrase", path = path))
                .with_hint(msg!("hint-key-wrong-passphrase"))
        })?;
        let public = key.public_key().clone();
        Ok(SigningKey {
            fingerprint: Fingerprint::of(&public),
            public,
            signer: Signer::Decrypted(Box::new(key)),
        })
    }

    /// Is the signature made by the user's ssh-agent?
    pub fn in_agent(&self) -> bool {
        matches!(self.signer, Signer::Agent(_))
    }

    /// Signs `msg` in `namespace` (SSHSIG, SHA-512, as `ssh-keygen -Y sign` does).
    pub fn sign(&self, namespace: &str, msg: &[u8]) -> Result<SshSig> {
        let failed = |e: ssh_key::Error| Error::failure(msg!("key-sign-failed")).with_source(e);
        match &self.signer {
            Signer::Decrypted(key) => key.sign(namespace, HashAlg::Sha512, msg).map_err(failed),
            Signer::Agent(sock) => {
                let data = sshsig_signed_data(namespace, msg).map_err(failed)?;
                let mut client = agent(sock, AGENT_SIGN_TIMEOUT).map_err(|e| {
                    Error::failure(msg!("key-agent-gone", socket = sock))
                        .with_source(e)
                        .with_hint(msg!("hint-key-agent"))
                })?;
                let signature = client.sign(&self.public, &data).map_err(|e| {
                    use ssh_agent_client_rs::Error as E;
                    // A declined confirmation (`ssh-add -c`) or a lifetime that ran out is the
                    // agent's answer; a timeout is a person who did not answer in time.
                    let why = match &e {
                        E::RemoteFailure => msg!("key-agent-refused", socket = sock),
                        E::AgentCommunicationError(io)
                            if matches!(
                                io.kind(),
                                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                            ) =>
                        {
                            msg!("key-agent-timeout", socket = sock)
                        }
                        _ => msg!("key-agent-gone", socket = sock),
                    };
                    Error::failure(why)
                        .with_source(e)
                        .with_hint(msg!("hint-key-agent"))
                })?;
                // The agent is another process: what it answers is checked like any
                // signature okuri reads, so a wrong or foreign one is never sent or stored.
                assemble_sshsig(&self.public, namespace, msg, signature.as_bytes()).ok_or_else(
                    || {
                        Error::failure(msg!("key-agent-bad-signature", socket = sock))
                            .with_hint(msg!("hint-key-agent"))
                    },
                )
            }
        }
    }
}

/// Why a line is not a public key okuri trusts. Each reader of keys (the trust list, the
/// staff directory) says it in its own message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BadPublicKey {
    /// Not an OpenSSH public key line: the parser's own words.
    NotOpenSsh(String),
    /// A key of another algorithm (named) than Ed25519.
    NotEd25519(String),
}

/// Parses one OpenSSH public key line (`ssh-ed25519 AAAA… comment`).
pub fn parse_public(line: &str) -> std::result::Result<PublicKey, BadPublicKey> {
    let key = PublicKey::from_openssh(line.trim())
        .map_err(|e| BadPublicKey::NotOpenSsh(e.to_string()))?;
    if key.algorithm() != Algorithm::Ed25519 {
        return Err(BadPublicKey::NotEd25519(key.algorithm().to_string()));
    }
    Ok(key)
}

/// Is `sig` a valid SSHSIG by the Ed25519 key it names, with SHA-512, version 1, over `msg`
/// in `namespace`? The one check of a signature's own validity for every signed thing okuri
/// reads (documents, city documents, logins, record heads); whether the key is trusted is
/// each caller's question. The version is checked because ssh-key accepts any version up to
/// 1 and it is not covered by the signature: a version 0 copy would verify here and fail
/// `ssh-keygen -Y verify`.
pub fn verify_sshsig(sig: &SshSig, namespace: &str, msg: &[u8]) -> bool {
    let key = PublicKey::from(sig.public_key().clone());
    sig.version() == SshSig::VERSION
        && sig.hash_alg() == HashAlg::Sha512
        && sig.algorithm() == Algorithm::Ed25519
        && key.algorithm() == Algorithm::Ed25519
        && key.verify(namespace, msg, sig).is_ok()
}

/// What an Ed25519 key signs for an SSHSIG over `msg` in `namespace` (SHA-512): `"SSHSIG" ‖
/// string(namespace) ‖ string("") ‖ string("sha512") ‖ string(SHA-512(msg))`. A signer outside
/// okuri (an ssh-agent, a browser's WebCrypto key) is given this, never the message alone.
pub fn sshsig_signed_data(namespace: &str, msg: &[u8]) -> ssh_key::Result<Vec<u8>> {
    SshSig::signed_data(namespace, HashAlg::Sha512, msg)
}

/// The SSHSIG that a raw Ed25519 signature (64 bytes) by `public` over
/// [`sshsig_signed_data`] makes, if it is one: assembled as `ssh-keygen -Y sign` writes it,
/// byte for byte, and checked with the one verification ([`verify_sshsig`]) before anything
/// keeps it.
pub fn assemble_sshsig(
    public: &PublicKey,
    namespace: &str,
    msg: &[u8],
    raw: &[u8],
) -> Option<SshSig> {
    let signature = ssh_key::Signature::new(Algorithm::Ed25519, raw.to_vec()).ok()?;
    let sig = SshSig::new(
        public.key_data().clone(),
        namespace,
        HashAlg::Sha512,
        signature,
    )
    .ok()?;
    verify_sshsig(&sig, namespace, msg).then_some(sig)
}

/// The key line without its comment, as allowed_signers and comparisons want it.
pub fn public_line(key: &PublicKey) -> String {
    let mut k = key.clone();
    k.set_comment("");
    k.to_openssh()
        .expect("a parsed key encodes")
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The raw Ed25519 signature inside what stock `ssh-keygen -Y sign` writes, assembled
    /// again, is the same file byte for byte (what a browser's key will send, issue 15); the
    /// same signature for another message, namespace or key, or altered, assembles into
    /// nothing.
    #[test]
    fn a_raw_signature_assembles_into_what_ssh_keygen_signs() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("k");
        let ran = |args: &[&str]| {
            let out = std::process::Command::new("ssh-keygen")
                .args(args)
                .output()
                .expect("ssh-keygen (openssh-client) is installed by scripts/test.sh");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        let key_arg = key.to_str().unwrap();
        ran(&[
            "-q", "-t", "ed25519", "-N", "", "-C", "browser", "-f", key_arg,
        ]);
        let msg = "okuri-token v1\n許可 ✓\n".as_bytes();
        let file = dir.path().join("payload");
        std::fs::write(&file, msg).unwrap();
        let ns = "okuri-approval@city.kameoka.kyoto.jp";
        ran(&[
            "-Y",
            "sign",
            "-f",
            key_arg,
            "-n",
            ns,
            file.to_str().unwrap(),
        ]);
        let written = std::fs::read_to_string(dir.path().join("payload.sig")).unwrap();
        let public = PublicKey::read_openssh_file(&dir.path().join("k.pub")).unwrap();
        let raw = SshSig::from_pem(&written)
            .unwrap()
            .signature_bytes()
            .to_vec();
        assert_eq!(raw.len(), 64);
        let sig = assemble_sshsig(&public, ns, msg, &raw).expect("assembles");
        assert_eq!(sig.to_pem(LineEnding::LF).unwrap(), written);
        assert!(sshsig_signed_data(ns, msg).is_ok());
        assert!(assemble_sshsig(&public, ns, b"another payload", &raw).is_none());
        assert!(assemble_sshsig(&public, "okuri-auth@city.kameoka.kyoto.jp", msg, &raw).is_none());
        let mut altered = raw.clone();
        altered[0] ^= 1;
        assert!(assemble_sshsig(&public, ns, msg, &altered).is_none());
        assert!(assemble_sshsig(&public, ns, msg, &raw[..63]).is_none());
        ran(&[
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-f",
            dir.path().join("other").to_str().unwrap(),
        ]);
        let other = PublicKey::read_openssh_file(&dir.path().join("other.pub")).unwrap();
        assert!(assemble_sshsig(&other, ns, msg, &raw).is_none());
    }

    #[test]
    fn ids() {
        assert!(check_id("suzuki.hanako").is_ok());
        assert!(check_id("kyoto-pref_2.x").is_ok());
        for bad in ["", "a b", "a,b", "a\"b", "a*", "鈴木", "a@b", "Yamada.Taro"] {
            assert!(check_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn debug_hides_the_secret() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("k");
        generate("t", Role::Staff, &out, "correct horse battery").unwrap();
        let pass = dir.path().join("p");
        std::fs::write(&pass, "correct horse battery\n").unwrap();
        std::fs::set_permissions(&pass, std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .unwrap();
        let k = SigningKey::load(&out, &PassphraseSource::File(pass), &|m: &Msg| {
            format!("{m:?}")
        })
        .unwrap();
        let shown = format!("{k:?}");
        assert!(
            shown.contains("redacted") && shown.contains("SHA256:"),
            "{shown}"
        );
        let sig = k.sign("test", b"x").unwrap();
        assert!(k.public.verify("test", b"x", &sig).is_ok());
    }
}
