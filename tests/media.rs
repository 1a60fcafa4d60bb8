//! Removable media: fake sysfs trees for a USB stick, an SD card reader, a USB disk and a fixed
//! disk; registration, the marker, writes only to registered unretired media whose device
//! matches, and USBGuard rules checked by `usbguard-rule-parser`. As root, real writes go to a
//! loop-device ext4 filesystem that the test creates and mounts.

mod common;

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// glibc's split of a device number into major and minor.
fn major_minor(dev: u64) -> (u64, u64) {
    (
        ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff),
        (dev & 0xff) | ((dev >> 12) & !0xff),
    )
}

/// A fake medium: a directory, and the fake kernel view that says what device it is.
struct Fake {
    dir: PathBuf,
    envs: Vec<(String, String)>,
}

#[derive(Clone, Copy)]
enum Kind {
    UsbStick,
    SdReader,
    UsbDisk,
    FixedDisk,
}

fn write(p: &Path, text: &str) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, format!("{text}\n")).unwrap();
}

/// Builds a fake /sys, mountinfo and by-uuid for a medium "mounted" at `env/<name>`.
fn fake(env: &Env, name: &str, kind: Kind, serial: Option<&str>, uuid: &str) -> Fake {
    let dir = env.path(name);
    std::fs::create_dir_all(&dir).unwrap();
    let root = env.path(&format!("fake-{name}"));
    let st = std::fs::metadata(&dir).unwrap().dev();
    let (major, minor) = major_minor(st);
    let sys = root.join("sys");
    let (disk, part, fstype) = match kind {
        Kind::UsbStick | Kind::UsbDisk => {
            let usb = sys.join("devices/pci0000:00/0000:00:14.0/usb1/1-2");
            write(&usb.join("idVendor"), "0781");
            write(&usb.join("idProduct"), "5581");
            write(&usb.join("manufacturer"), "SanDisk");
            write(
                &usb.join("product"),
                if matches!(kind, Kind::UsbDisk) {
                    "Extreme SSD"
                } else {
                    "Ultra"
                },
            );
            if let Some(s) = serial {
                write(&usb.join("serial"), s);
            }
            let disk = usb.join("1-2:1.0/host6/target6:0:0/6:0:0:0/block/sdb");
            write(
                &disk.join("removable"),
                if matches!(kind, Kind::UsbDisk) {
                    "0"
                } else {
                    "1"
                },
            );
            (disk.clone(), disk.join("sdb1"), "vfat")
        }
        Kind::SdReader => {
            let disk =
                sys.join("devices/platform/soc/fe340000.mmc/mmc_host/mmc0/mmc0:aaaa/block/mmcblk0");
            write(&disk.join("removable"), "0");
            let dev = disk.parent().unwrap().parent().unwrap();
            write(&dev.join("name"), "SD32G");
            write(&dev.join("manfid"), "0x000003");
            write(&dev.join("oemid"), "0x5344");
            if let Some(s) = serial {
                write(&dev.join("serial"), s);
            }
            std::os::unix::fs::symlink(dev, disk.join("device")).unwrap();
            (disk.clone(), disk.join("mmcblk0p1"), "exfat")
        }
        Kind::FixedDisk => {
            let disk = sys
                .join("devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sda");
            write(&disk.join("removable"), "0");
            write(&disk.join("device/vendor"), "ATA");
            write(&disk.join("device/model"), "Samsung SSD 870");
            (disk.clone(), disk.join("sda1"), "ext4")
        }
    };
    let _ = disk;
    write(&part.join("partition"), "1");
    std::fs::create_dir_all(sys.join("dev/block")).unwrap();
    std::os::unix::fs::symlink(&part, sys.join(format!("dev/block/{major}:{minor}"))).unwrap();
    let partname = part.file_name().unwrap().to_string_lossy().into_owned();
    write(
        &root.join("mountinfo"),
        &format!(
            "42 27 {major}:{minor} / {} rw,relatime - {fstype} /dev/{partname} rw",
            dir.display()
        ),
    );
    let by = root.join("by-uuid");
    std::fs::create_dir_all(&by).unwrap();
    std::os::unix::fs::symlink(format!("../../{partname}"), by.join(uuid)).unwrap();
    Fake {
        dir,
        envs: vec![
            ("OKURI_TEST_SYSFS".into(), sys.display().to_string()),
            (
                "OKURI_TEST_MOUNTINFO".into(),
                root.join("mountinfo").display().to_string(),
            ),
            ("OKURI_TEST_BY_UUID".into(), by.display().to_string()),
        ],
    }
}

fn run_on(env: &Env, f: &Fake, args: &[&str], custodian: bool) -> Run {
    let fx = Fixture::get();
    let mut c = env.cmd();
    c.envs(f.envs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    c.args(args);
    if custodian {
        c.env("OKURI_HOME", env.path("custodian-home"));
        // Only registering signs; the other media commands take no key.
        if args.contains(&"register") {
            c.arg("--key")
                .arg(fx.key("suzuki.hanako"))
                .arg("--key-passphrase-file")
                .arg(&fx.pass);
        }
    }
    c.output().unwrap().into()
}

fn register(env: &Env, f: &Fake, label: &str) -> Run {
    run_on(
        env,
        f,
        &[
            "media",
            "register",
            f.dir.to_str().unwrap(),
            "--label",
            label,
            "--json",
        ],
        true,
    )
}

/// Packs a class III file by medium onto `f`, as staff whose home shares the custodian's
/// register (one machine's register in this test).
fn pack_onto(env: &Env, f: &Fake, file: &str) -> Run {
    let mut c = env.cmd();
    c.envs(f.envs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    c.args([
        "pack",
        file,
        "--to",
        "kameoka-print",
        "--channel",
        "media",
        "--out",
        f.dir.to_str().unwrap(),
        "--slip",
    ])
    .arg(format!(
        "slips/{file}.{}",
        f.dir.file_name().unwrap().to_string_lossy()
    ))
    .arg("--json");
    c.output().unwrap().into()
}

/// Staff and custodian share one media register directory (`OKURI_MEDIA`), as a city would.
fn share_register(env: &mut Env) {
    let reg = env.path("custodian-home/media");
    env.extra_env
        .push(("OKURI_MEDIA".into(), reg.display().to_string()));
}

#[test]
fn the_kinds_of_device_are_told_apart() {
    let env = Env::new();
    let stick = fake(&env, "stick", Kind::UsbStick, Some("4C530001"), "1A2B-3C4D");
    let sd = fake(&env, "sd", Kind::SdReader, Some("0x1234abcd"), "5E6F-7A8B");
    let usbdisk = fake(
        &env,
        "usbdisk",
        Kind::UsbDisk,
        Some("S5SSNF0R"),
        "9C0D-1E2F",
    );
    let fixed = fake(
        &env,
        "fixed",
        Kind::FixedDisk,
        None,
        "0f0e0d0c-0000-4000-8000-000000000001",
    );

    let j = register(&env, &stick, "USB-01").ok().json();
    assert_eq!(j["device"]["bus"], "usb");
    assert_eq!(j["device"]["vendor_id"], "0781");
    assert_eq!(j["device"]["product_id"], "5581");
    assert_eq!(j["device"]["serial"], "4C530001");
    assert_eq!(j["device"]["removable"], true);
    assert_eq!(j["device"]["fs_uuid"], "1A2B-3C4D");
    let marker = std::fs::read_to_string(stick.dir.join(".okuri-medium")).unwrap();
    assert!(marker.contains("-----BEGIN SSH SIGNATURE-----"), "{marker}");

    let j = register(&env, &sd, "SD-01").ok().json();
    assert_eq!(j["device"]["bus"], "mmc");
    assert_eq!(j["device"]["product"], "SD32G");
    assert_eq!(j["device"]["serial"], "0x1234abcd");

    // A USB disk says removable=0 but is on USB: a medium all the same.
    let j = register(&env, &usbdisk, "HDD-01").ok().json();
    assert_eq!(
        (
            j["device"]["bus"].as_str(),
            j["device"]["removable"].as_bool()
        ),
        (Some("usb"), Some(false))
    );

    // A fixed disk is refused.
    let r = register(&env, &fixed, "NOPE");
    env.refused(&r, "medium-not-allowed");
    let ja = run_on(
        &env,
        &fixed,
        &[
            "--lang",
            "ja",
            "media",
            "register",
            fixed.dir.to_str().unwrap(),
            "--label",
            "NOPE",
        ],
        true,
    );
    refused_in("ja", &ja, "medium-not-allowed");
    assert!(
        r.stderr.contains("not a removable medium") && r.stderr.contains("記録媒体"),
        "{}",
        r.stderr
    );
    assert!(!fixed.dir.join(".okuri-medium").exists());

    // A staff key cannot register.
    let mut c = env.cmd();
    c.envs(stick.envs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let fx = Fixture::get();
    let r: Run = c
        .args([
            "media",
            "register",
            env.path("sd").to_str().unwrap(),
            "--label",
            "X",
            "--key",
        ])
        .arg(fx.key("yamada.taro"))
        .arg("--key-passphrase-file")
        .arg(&fx.pass)
        .output()
        .unwrap()
        .into();
    r.code(3);

    let r = env
        .cmd()
        .env("OKURI_HOME", env.path("custodian-home"))
        .args(["media", "list"])
        .output()
        .unwrap();
    let list = String::from_utf8_lossy(&r.stdout);
    assert!(
        list.contains("USB-01") && list.contains("SD-01") && list.contains("HDD-01"),
        "{list}"
    );
    assert!(list.contains("serial 4C530001"), "{list}");
    let r: common::Run = env
        .cmd()
        .env("OKURI_HOME", env.path("custodian-home"))
        .args(["media", "list", "--json"])
        .output()
        .unwrap()
        .into();
    let j = r.ok().json();
    let labels: Vec<&str> = j
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["marker"]["label"].as_str())
        .collect();
    assert_eq!(labels.len(), 3, "{j}");
}

#[test]
fn only_registered_unretired_matching_media_take_packages() {
    let mut env = Env::new();
    share_register(&mut env);
    env.labelled("flyer.txt", b"public flyer", "III");
    let stick = fake(&env, "stick", Kind::UsbStick, Some("AA00"), "1111-1111");
    let other = fake(&env, "other", Kind::UsbStick, Some("AA00"), "2222-2222");
    let unregistered = fake(&env, "unreg", Kind::UsbStick, None, "3333-3333");
    let medium_id = register(&env, &stick, "USB-01").ok().json()["medium_id"]
        .as_str()
        .unwrap()
        .to_owned();

    // The registered stick takes an encrypted package; the slip never goes onto it.
    let j = pack_onto(&env, &stick, "flyer.txt").ok().json();
    assert!(stick.dir.join("flyer.txt.age").exists());
    assert_eq!(
        env.record_entries().last().unwrap()["medium"],
        medium_id.as_str()
    );
    assert!(
        !j["slip"]
            .as_str()
            .unwrap()
            .starts_with(stick.dir.to_str().unwrap())
    );
    let files: Vec<_> = std::fs::read_dir(&stick.dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");

    // An unregistered medium is refused and recorded.
    let r = pack_onto(&env, &unregistered, "flyer.txt");
    env.refused(&r, "medium-unregistered");
    assert!(r.stderr.contains("not a registered medium"), "{}", r.stderr);
    assert_eq!(
        env.record_entries().last().unwrap()["reason"]["code"],
        "medium-unregistered"
    );
    assert!(!unregistered.dir.join("flyer.txt.age").exists());

    // A marker copied onto another stick of the same batch (same serial) is caught by the UUID.
    std::fs::copy(
        stick.dir.join(".okuri-medium"),
        other.dir.join(".okuri-medium"),
    )
    .unwrap();
    let r = pack_onto(&env, &other, "flyer.txt");
    env.refused(&r, "medium-mismatch");
    assert!(r.stderr.contains("copied"), "{}", r.stderr);
    assert_eq!(
        env.record_entries().last().unwrap()["reason"]["code"],
        "medium-mismatch"
    );
    assert!(!other.dir.join("flyer.txt.age").exists());

    // A plain directory is no medium.
    std::fs::create_dir_all(env.path("plain")).unwrap();
    let r = env.run(&[
        "pack",
        "flyer.txt",
        "--to",
        "kameoka-print",
        "--channel",
        "media",
        "--out",
        "plain",
        "--slip",
        "slips/p",
    ]);
    env.refused(&r, "medium-required");
    assert_eq!(
        env.record_entries().last().unwrap()["reason"]["code"],
        "medium-required"
    );

    // --no-encrypt never goes onto a medium.
    let mut c = env.cmd();
    c.envs(stick.envs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    std::fs::remove_file(stick.dir.join("flyer.txt.age")).unwrap();
    let r: Run = c
        .args([
            "pack",
            "flyer.txt",
            "--to",
            "kameoka-print",
            "--channel",
            "media",
            "--no-encrypt",
            "--out",
            stick.dir.to_str().unwrap(),
        ])
        .output()
        .unwrap()
        .into();
    r.code(3);
    assert!(!stick.dir.join("flyer.txt").exists());

    // Retired: refused.
    env.cmd()
        .env("OKURI_HOME", env.path("custodian-home"))
        .args(["media", "retire", &medium_id, "--reason", "紛失"])
        .output()
        .map(Run::from)
        .unwrap()
        .ok();
    std::fs::remove_file(env.path("slips/flyer.txt.stick")).unwrap();
    let r = pack_onto(&env, &stick, "flyer.txt");
    env.refused(&r, "medium-retired");
    assert!(
        r.stderr.contains("retired") && r.stderr.contains("紛失"),
        "{}",
        r.stderr
    );
    assert_eq!(
        env.record_entries().last().unwrap()["reason"]["code"],
        "medium-retired"
    );
}

#[test]
fn usbguard_rules_parse_with_usbguard() {
    let env = Env::new();
    let a = fake(&env, "a", Kind::UsbStick, Some("4C530001"), "1111-AAAA");
    let b = fake(&env, "b", Kind::UsbStick, None, "2222-BBBB");
    let sd = fake(&env, "sd", Kind::SdReader, Some("0x1"), "3333-CCCC");
    register(&env, &a, "USB \"01\"").ok();
    register(&env, &b, "USB-02").ok();
    register(&env, &sd, "SD-01").ok();
    let r = env
        .cmd()
        .env("OKURI_HOME", env.path("custodian-home"))
        .args(["media", "usbguard-rules"])
        .output()
        .unwrap();
    let rules = String::from_utf8_lossy(&r.stdout).into_owned();
    assert!(
        rules.contains("allow id 0781:5581 serial \"4C530001\" name \"Ultra\" label \"okuri:med-"),
        "{rules}"
    );
    assert!(rules.contains("USB \\\"01\\\"\""), "{rules}");
    assert!(
        rules
            .trim_end()
            .ends_with("reject with-interface one-of { 08:*:* }"),
        "{rules}"
    );
    env.write("rules.conf", rules.as_bytes());
    let o = Command::new("usbguard-rule-parser")
        .arg("-f")
        .arg(env.path("rules.conf"))
        .output()
        .expect("usbguard-rule-parser (Debian's usbguard package) is installed");
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    // A broken rule is caught by the same parser: the check can fail.
    env.write(
        "broken.conf",
        rules
            .replace("allow id 0781:5581", "allow id 0781-5581")
            .as_bytes(),
    );
    let o = Command::new("usbguard-rule-parser")
        .arg("-f")
        .arg(env.path("broken.conf"))
        .output()
        .unwrap();
    assert!(!o.status.success());
}

/// A loop-device ext4 filesystem, mounted; unmounted and detached when dropped.
struct Loop {
    dev: String,
    mnt: PathBuf,
}

impl Loop {
    fn new(env: &Env, name: &str) -> Loop {
        let img = env.path(&format!("{name}.img"));
        let f = std::fs::File::create(&img).unwrap();
        f.set_len(16 << 20).unwrap();
        let ok = |c: &mut Command| {
            let o = c.output().unwrap();
            assert!(
                o.status.success(),
                "{c:?}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            String::from_utf8_lossy(&o.stdout).trim().to_owned()
        };
        ok(Command::new("mkfs.ext4").args(["-q", "-F"]).arg(&img));
        let dev = ok(Command::new("losetup").args(["-f", "--show"]).arg(&img));
        let mnt = env.path(name);
        std::fs::create_dir_all(&mnt).unwrap();
        ok(Command::new("mount").arg(&dev).arg(&mnt));
        Loop { dev, mnt }
    }
}

impl Drop for Loop {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.mnt).status();
        let _ = Command::new("losetup").args(["-d", &self.dev]).status();
    }
}

/// The loop device's sysfs entry made to look like a USB stick, with the real mountinfo and
/// the real filesystem UUID (blkid).
fn usb_view_of(env: &Env, l: &Loop, serial: &str) -> Vec<(String, String)> {
    let st = std::fs::metadata(&l.mnt).unwrap().dev();
    let (major, minor) = major_minor(st);
    let name = Path::new(&l.dev)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let sys = env.path(&format!("sys-{name}"));
    let usb = sys.join("devices/pci0000:00/0000:00:14.0/usb1/1-3");
    write(&usb.join("idVendor"), "058f");
    write(&usb.join("idProduct"), "6387");
    write(&usb.join("product"), "Mass Storage");
    write(&usb.join("serial"), serial);
    let disk = usb.join(format!("1-3:1.0/host7/target7:0:0/7:0:0:0/block/{name}"));
    write(&disk.join("removable"), "1");
    std::fs::create_dir_all(sys.join("dev/block")).unwrap();
    std::os::unix::fs::symlink(&disk, sys.join(format!("dev/block/{major}:{minor}"))).unwrap();
    vec![
        ("OKURI_TEST_SYSFS".into(), sys.display().to_string()),
        (
            "OKURI_TEST_BY_UUID".into(),
            env.path("no-by-uuid").display().to_string(),
        ),
    ]
}

/// Needs root for losetup and mount: ignored by default, run by scripts/test.sh where it runs
/// as root (CI), counted and named as skipped elsewhere — never passed without running.
#[test]
#[ignore = "needs root: losetup and mount a loop-device filesystem"]
fn real_writes_to_a_loop_device_filesystem() {
    assert_eq!(
        euid(),
        0,
        "this test needs root (losetup, mount); scripts/test.sh runs it only as root"
    );
    let mut env = Env::new();
    share_register(&mut env);
    env.labelled("flyer.txt", b"public flyer", "III");
    let a = Loop::new(&env, "loop-a");
    let b = Loop::new(&env, "loop-b");
    let fa = Fake {
        dir: a.mnt.clone(),
        envs: usb_view_of(&env, &a, "BATCH-0001"),
    };
    let fb = Fake {
        dir: b.mnt.clone(),
        envs: usb_view_of(&env, &b, "BATCH-0001"),
    };
    let j = register(&env, &fa, "USB-LOOP").ok().json();
    let uuid = j["device"]["fs_uuid"].as_str().unwrap().to_owned();
    let blkid = Command::new("blkid")
        .args(["-o", "value", "-s", "UUID", &a.dev])
        .output()
        .unwrap();
    assert_eq!(uuid, String::from_utf8_lossy(&blkid.stdout).trim());
    pack_onto(&env, &fa, "flyer.txt").ok();
    // On the real filesystem, durable, an age file.
    let pkg = std::fs::read(a.mnt.join("flyer.txt.age")).unwrap();
    assert!(pkg.starts_with(b"age-encryption.org/v1\n"));
    // The same serial on another stick, with the marker copied: refused by the UUID.
    std::fs::copy(a.mnt.join(".okuri-medium"), b.mnt.join(".okuri-medium")).unwrap();
    let r = pack_onto(&env, &fb, "flyer.txt");
    r.code(3);
    assert_eq!(
        env.record_entries().last().unwrap()["reason"]["code"],
        "medium-mismatch"
    );
    assert!(!b.mnt.join("flyer.txt.age").exists());
}

/// An age file made by stock `age` for a recipient okuri knows nothing of.
fn stock_age_file(env: &Env, at: &Path) {
    let key = env.path("stock-age.key");
    let k = std::process::Command::new("age-keygen")
        .arg("-o")
        .arg(&key)
        .output()
        .expect("Debian's age-keygen");
    assert!(k.status.success());
    let said = String::from_utf8_lossy(&k.stderr);
    let public = said
        .split_whitespace()
        .find(|w| w.starts_with("age1"))
        .expect("age-keygen prints the public key");
    std::fs::write(env.path("stock-age.txt"), b"someone else's file").unwrap();
    let s = std::process::Command::new(age_binary())
        .args(["-r", public, "-o"])
        .arg(at)
        .arg(env.path("stock-age.txt"))
        .status()
        .unwrap();
    assert!(s.success());
}

/// Issue 9, point 5: `media scan` took a plaintext copy of a file packed with `--no-encrypt`
/// for a "recorded package", and a plain file that starts with `age-encryption.org/v1` for an
/// age file. Only encrypted packages count, and the whole age header is parsed (stanzas and
/// MAC line), not a prefix; `--no-encrypt` never packs onto a medium.
#[test]
fn only_encrypted_packages_count_on_media_and_scan_parses_the_whole_age_header() {
    let mut env = Env::new();
    share_register(&mut env);
    env.labelled("flyer.txt", b"public flyer", "III");
    env.labelled("open.txt", b"an open notice", "III");
    let stick = fake(&env, "stick", Kind::UsbStick, Some("S1"), "AAAA-0001");
    register(&env, &stick, "USB-01").ok();
    pack_onto(&env, &stick, "flyer.txt").ok();
    // --no-encrypt onto the medium: refused and recorded.
    let mut c = env.cmd();
    c.envs(stick.envs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let r: Run = c
        .args([
            "pack",
            "open.txt",
            "--to",
            "kameoka-print",
            "--channel",
            "media",
        ])
        .args(["--no-encrypt", "--out", stick.dir.to_str().unwrap()])
        .output()
        .unwrap()
        .into();
    env.refused(&r, "medium-required");
    assert!(!stick.dir.join("open.txt").exists());
    // Packed --no-encrypt for hand delivery (allowed for class III), then copied by hand.
    env.pack_to("open.txt", "kameoka-print", "hand", &["--no-encrypt"])
        .ok();
    std::fs::copy(env.path("out/open.txt"), stick.dir.join("open.txt")).unwrap();
    // Plain files dressed as age files.
    std::fs::write(
        stick.dir.join("fake.age"),
        b"age-encryption.org/v1\n-> scrypt x 18\nnot base64 at all\n--- nomac\nplain text",
    )
    .unwrap();
    std::fs::write(
        stick.dir.join("fake-armor.age"),
        b"-----BEGIN AGE ENCRYPTED FILE-----\nplain text\n-----END AGE ENCRYPTED FILE-----\n",
    )
    .unwrap();
    // A real package cut inside its header is not an age file either.
    let real = std::fs::read(stick.dir.join("flyer.txt.age")).unwrap();
    let mac = real.windows(4).position(|w| w == b"\n---").unwrap();
    std::fs::write(stick.dir.join("cut.age"), &real[..mac + 5]).unwrap();
    stock_age_file(&env, &stick.dir.join("stock.age"));
    let mut c = env.cmd();
    c.envs(stick.envs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let r: Run = c
        .args(["media", "scan", stick.dir.to_str().unwrap(), "--json"])
        .output()
        .unwrap()
        .into();
    r.code(3);
    let j = r.json();
    let kind = |name: &str| {
        j["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["path"] == name)
            .unwrap_or_else(|| panic!("{name} not listed: {j}"))["kind"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(kind("flyer.txt.age"), "recorded");
    assert_eq!(kind("stock.age"), "unknown-age");
    for plain in ["open.txt", "fake.age", "fake-armor.age", "cut.age"] {
        assert_eq!(kind(plain), "plain", "{plain}");
    }
    assert_eq!(j["violations"], 4, "{j}");
}

#[test]
fn scan_flags_plain_files_wipe_removes_delivered_packages_export_copies() {
    let mut env = Env::new();
    share_register(&mut env);
    env.labelled("flyer.txt", b"public flyer", "III");
    env.labelled("poster.txt", b"poster", "III");
    env.labelled("memo.txt", b"memo", "II");
    let stick = fake(&env, "stick", Kind::UsbStick, Some("S1"), "AAAA-0001");
    register(&env, &stick, "USB-01").ok();
    pack_onto(&env, &stick, "flyer.txt").ok();
    let scan = |extra: &[(&str, &str)]| -> Run {
        let mut c = env.cmd();
        c.envs(stick.envs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        c.envs(extra.iter().copied());
        c.args(["media", "scan", stick.dir.to_str().unwrap(), "--json"])
            .output()
            .unwrap()
            .into()
    };
    let j = scan(&[]).ok().json();
    let kinds: Vec<&str> = j["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["marker", "recorded"], "{j}");
    // A plain file is a violation; an age file this record does not know is listed.
    std::fs::write(stick.dir.join("名簿.xlsx"), b"plain personal data").unwrap();
    std::fs::create_dir_all(stick.dir.join("sub")).unwrap();
    stock_age_file(&env, &stick.dir.join("sub/other.age"));
    let r = scan(&[]);
    r.code(3);
    let j = r.json();
    assert_eq!(j["violations"], 1);
    let find = |name: &str| {
        j["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["path"] == name)
            .unwrap()["kind"]
            .clone()
    };
    assert_eq!(find("名簿.xlsx"), "plain");
    assert_eq!(find("sub/other.age"), "unknown-age");
    assert!(r.stderr.contains("violation"), "{}", r.stderr);
    // What people see (pinned, issue 11): the times are today's, so they are redacted too.
    let times =
        regex::Regex::new(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2})?").unwrap();
    for (lang, snapshot) in [("en", "media-scan"), ("ja", "media-scan-ja")] {
        let mut c = env.cmd();
        c.envs(stick.envs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let shown: Run = c
            .args(["--lang", lang, "media", "scan", stick.dir.to_str().unwrap()])
            .output()
            .unwrap()
            .into();
        shown.code(3);
        insta::assert_snapshot!(
            snapshot,
            times.replace_all(
                &redact(&env, &format!("{}{}", shown.stdout, shown.stderr)),
                "⟨time⟩"
            )
        );
    }
    // Forty days on, the delivered package is past the policy's 30-day retention.
    let later = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 40);
    let later = later.to_zoned_datetime(jiff::tz::TimeZone::UTC).to_string();
    let j = scan(&[("OKURI_TEST_NOW", later.as_str())]).json();
    assert_eq!(j["violations"], 2, "{j}");
    // Wipe removes the delivered package, keeps the rest for whoever investigates, records it.
    let mut c = env.cmd();
    c.envs(stick.envs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let r: Run = c
        .args(["media", "wipe", stick.dir.to_str().unwrap()])
        .output()
        .unwrap()
        .into();
    r.ok();
    assert!(!stick.dir.join("flyer.txt.age").exists());
    assert!(stick.dir.join("名簿.xlsx").exists() && stick.dir.join("sub/other.age").exists());
    let last = env.record_entries().pop().unwrap();
    assert_eq!(
        (last["event"].as_str(), last["outcome"].as_str()),
        (Some("medium"), Some("wiped"))
    );
    assert_eq!(last["files"], serde_json::json!(["flyer.txt.age"]));
    // Export: a class III package from the record goes onto the medium; class II packed for
    // e-mail does not (its approval was not for the medium).
    env.pack_to("poster.txt", "kameoka-print", "email", &[])
        .ok();
    let export = |pkg: &str| -> Run {
        let mut c = env.cmd();
        c.envs(stick.envs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        c.args(["media", "export", pkg, stick.dir.to_str().unwrap()])
            .output()
            .unwrap()
            .into()
    };
    export("out/poster.txt.age").ok();
    assert!(stick.dir.join("poster.txt.age").exists());
    assert_eq!(env.record_entries().last().unwrap()["outcome"], "exported");
    let token = env.approved("memo.txt", "kameoka-print", "email", &[]);
    env.pack_to(
        "memo.txt",
        "kameoka-print",
        "email",
        &["--approval", &token],
    )
    .ok();
    let r = export("out/memo.txt.age");
    env.refused(&r, "medium-not-allowed");
    assert!(r.stderr.contains("approval for the medium"), "{}", r.stderr);
    assert!(!stick.dir.join("memo.txt.age").exists());
    // A file that is not an okuri package is not exported.
    env.write("loose.age", b"age-encryption.org/v1\n");
    export("loose.age").code(4);
}

/// Issue 10, point 5: a retired medium stays retired. In a signed city the media register is
/// one signed snapshot with a serial (media.toml, signed by a custodian); a register
/// directory of the staff member's choosing, with a copied marker and no `.retired` note,
/// counts for nothing, an older snapshot is a rollback, and `media retire` points to the
/// register instead of writing a loose note.
#[test]
fn a_retired_medium_stays_retired_in_a_signed_city() {
    let mut env = Env::signed();
    for (i, f) in ["a", "b", "c", "d", "e"].iter().enumerate() {
        env.labelled(&format!("{f}.txt"), format!("flyer {i}").as_bytes(), "III");
    }
    let stick = fake(&env, "stick", Kind::UsbStick, Some("AB12"), "4444-4444");
    let reg = register(&env, &stick, "USB-07");
    let id = reg.ok().json()["medium_id"].as_str().unwrap().to_owned();
    assert!(
        reg.stderr.contains(&format!("id = \"{id}\"")),
        "{}",
        reg.stderr
    );
    // Registered on the medium, not yet in the city's register: refused.
    let r = pack_onto(&env, &stick, "a.txt");
    env.refused(&r, "medium-unregistered");
    let entry = format!("version = 1\n\n[[medium]]\nid = \"{id}\"\nlabel = \"USB-07\"\n");
    env.city_doc("media", 1, &entry, "suzuki.hanako");
    pack_onto(&env, &stick, "a.txt").ok();
    let listed = env.run(&["media", "list"]);
    assert!(listed.ok().stdout.contains(&id), "{}", listed.stdout);
    let j = env.run(&["media", "list", "--json"]).ok().json();
    assert_eq!(j["medium"][0]["id"], id.as_str(), "{j}");
    assert_eq!(j["medium"][0]["label"], "USB-07", "{j}");
    let usbguard = || run_on(&env, &stick, &["media", "usbguard-rules"], true);
    let rules = usbguard();
    assert!(
        rules.ok().stdout.contains(&format!("okuri:{id}")),
        "{}",
        rules.stdout
    );
    let old = (
        std::fs::read(env.path("etc/media.toml")).unwrap(),
        std::fs::read(env.path("etc/media.toml.sig")).unwrap(),
    );

    // Retiring is the register's business, not a note in a directory.
    let r = run_on(
        &env,
        &stick,
        &["media", "retire", &id, "--reason", "紛失"],
        true,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("signed media register"), "{}", r.stderr);
    env.city_doc(
        "media",
        2,
        &format!("{entry}retired_at = 2026-11-20\nreason = \"紛失\"\n"),
        "suzuki.hanako",
    );
    let r = pack_onto(&env, &stick, "b.txt");
    env.refused(&r, "medium-retired");
    assert!(r.stderr.contains("紛失"), "{}", r.stderr);
    // USBGuard no longer lets it mount, though its marker is still in the register directory.
    let rules = usbguard();
    assert!(
        !rules.ok().stdout.contains(&format!("okuri:{id}")),
        "{}",
        rules.stdout
    );
    // A register directory of one's own, holding only the medium's marker: still retired.
    let mine = env.path("my-media");
    std::fs::create_dir(&mine).unwrap();
    std::fs::copy(
        stick.dir.join(".okuri-medium"),
        mine.join(format!("{id}.okuri-medium")),
    )
    .unwrap();
    env.extra_env
        .push(("OKURI_MEDIA".into(), mine.display().to_string()));
    let r = pack_onto(&env, &stick, "c.txt");
    env.refused(&r, "medium-retired");
    // The older snapshot put back: a rollback.
    std::fs::write(env.path("etc/media.toml"), &old.0).unwrap();
    std::fs::write(env.path("etc/media.toml.sig"), &old.1).unwrap();
    let r = pack_onto(&env, &stick, "d.txt");
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("older than serial 2"), "{}", r.stderr);
    // A register signed by someone the trust list does not make a custodian.
    env.city_doc("media", 3, &entry, "kanri.admin");
    let r = pack_onto(&env, &stick, "e.txt");
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(!stick.dir.join("e.txt.age").exists());
}
