//! Parsing throughput, for docs/BENCHMARKS.md:
//!   cargo bench -p zhenggai-notice --bench parse -- [NOTICE.txt] [--quick]
//! Uses the seed notice from ../shared when no file is given, else the bundled fixtures.
//! `--quick` runs fewer rounds on less text, for a profiler (callgrind).

use std::time::Instant;

// The allocator of the `zhenggai` binary, so that the figures are the product's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let arg = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let seed = root.join("../../../shared/corpus/000_fba19674a077e205.txt");
    let bytes = match arg {
        Some(path) => std::fs::read(path).expect("read notice"),
        None if seed.exists() => std::fs::read(&seed).expect("read seed"),
        None => std::fs::read(root.join("tests/fixtures/sections_four_levels.txt"))
            .expect("read fixture"),
    };
    let quick = std::env::args().any(|a| a == "--quick");
    let (one_rounds, big_mib, big_rounds) = if quick { (20, 5, 1) } else { (200, 50, 3) };
    let mut big = Vec::new();
    while big.len() < big_mib * 1024 * 1024 {
        big.extend_from_slice(&bytes);
        big.push(b'\n');
    }
    let big_name = format!("{big_mib} MiB of notices");
    for (name, input, rounds) in [
        ("one notice", &bytes, one_rounds),
        (big_name.as_str(), &big, big_rounds),
    ] {
        let t = Instant::now();
        let mut findings = 0;
        for _ in 0..rounds {
            findings += zhenggai_notice::parse(input, "bench")
                .map(|n| n.findings.len())
                .unwrap_or(0);
        }
        let secs = t.elapsed().as_secs_f64();
        let mb = (input.len() * rounds) as f64 / 1_048_576.0;
        println!(
            "{name}: {} bytes × {rounds} in {secs:.3} s = {:.1} MiB/s ({} findings per parse)",
            input.len(),
            mb / secs,
            findings / rounds
        );
    }
    phases(&big);
}

/// Where the time of one parse of the big input goes: each stage alone, best of three.
fn phases(input: &[u8]) {
    let best = |f: &mut dyn FnMut()| {
        (0..3)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .fold(f64::MAX, f64::min)
    };
    let mb = input.len() as f64 / 1_000_000.0;
    let report = |stage: &str, secs: f64| {
        println!("  {stage}: {:.1} ms ({:.0} MB/s)", secs * 1e3, mb / secs)
    };
    report(
        "sha256 of the bytes",
        best(&mut || {
            std::hint::black_box(zhenggai_notice::sha256_hex(input));
        }),
    );
    let decoded = zhenggai_notice::decode(input).expect("decode");
    report(
        "decode (checks, no copy for UTF-8)",
        best(&mut || {
            std::hint::black_box(zhenggai_notice::decode(input).map(|d| d.text.len()).ok());
        }),
    );
    report(
        "normalise",
        best(&mut || {
            std::hint::black_box(zhenggai_notice::decode::normalize(&decoded.text).len());
        }),
    );
    report(
        "parse the decoded text",
        best(&mut || {
            std::hint::black_box(
                zhenggai_notice::parse_text(&decoded.text, "b", "utf-8", "0")
                    .findings
                    .len(),
            );
        }),
    );
    let notice = zhenggai_notice::parse(input, "bench").expect("parse");
    report(
        "JSON of the result",
        best(&mut || {
            std::hint::black_box(serde_json::to_vec(&notice).map(|v| v.len()).ok());
        }),
    );
    report(
        "drop of the result",
        best(&mut || {
            let n = notice.clone();
            let t = Instant::now();
            drop(n);
            std::hint::black_box(t);
        }),
    );
}
