//! Throughput of the main job on 256 MiB, with the passphrase (scrypt) cost measured apart,
//! so that later changes can be compared. Figures are in docs/benchmarks.md.
//!
//! Run: `cargo bench --bench pack`. Set OKURI_BENCH_MIB to change the size.

use std::io::Write;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use indicatif::ProgressBar;
use okuri::secret::passphrase::Passphrase;
use okuri::sys::input::Input;
use okuri::transfer::pack::{Keying, stream};

fn size() -> usize {
    std::env::var("OKURI_BENCH_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
        << 20
}

/// Incompressible data on a real file system, like a staff member's export.
fn sample(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("sample.bin");
    let mut f = std::fs::File::create(&path).unwrap();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut buf = vec![0u8; 1 << 20];
    for _ in 0..size() >> 20 {
        for chunk in buf.chunks_mut(8) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            chunk.copy_from_slice(&state.to_le_bytes());
        }
        f.write_all(&buf).unwrap();
    }
    f.sync_all().unwrap();
    path
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = sample(dir.path());
    let n = size() as u64;
    let never = AtomicBool::new(false);
    let hidden = ProgressBar::hidden();

    let mut g = c.benchmark_group("256MiB");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .throughput(Throughput::Bytes(n));

    g.bench_function("blake3 hash (classification pass)", |b| {
        b.iter(|| Input::open(&path).unwrap().digest().unwrap())
    });

    g.bench_function("pack: scrypt 2^18 + encrypt + hash both sides", |b| {
        let pass = Passphrase::generate(100).unwrap();
        b.iter(|| {
            let mut input = Input::open(&path).unwrap();
            let mut out = tempfile::tempfile_in(dir.path()).unwrap();
            let keying = Keying::start(&pass).unwrap();
            stream(&mut input, &mut out, Some(keying), false, &hidden, &never).unwrap()
        })
    });

    g.bench_function("pack --armor", |b| {
        let pass = Passphrase::generate(100).unwrap();
        b.iter(|| {
            let mut input = Input::open(&path).unwrap();
            let mut out = tempfile::tempfile_in(dir.path()).unwrap();
            let keying = Keying::start(&pass).unwrap();
            stream(&mut input, &mut out, Some(keying), true, &hidden, &never).unwrap()
        })
    });
    g.finish();

    // The passphrase cost alone: one scrypt at the pinned work factor, independent of size.
    let mut g = c.benchmark_group("passphrase");
    g.sample_size(10);
    g.bench_function("scrypt 2^18 (wrap file key)", |b| {
        let pass = Passphrase::generate(100).unwrap();
        b.iter(|| {
            let mut r = age::scrypt::Recipient::new(pass.secret());
            r.set_work_factor(okuri::sys::hooks::SCRYPT_LOG_N);
            age::Encryptor::with_recipients(std::iter::once(&r as _)).unwrap()
        })
    });
    g.bench_function("generate passphrase", |b| {
        b.iter(|| Passphrase::generate(100).unwrap())
    });
    g.finish();
}

criterion_group!(pack_benches, benches);
criterion_main!(pack_benches);
