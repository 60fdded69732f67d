//! Parsing throughput, for docs/BENCHMARKS.md:
//!   cargo bench -p zhenggai-notice --bench parse -- [NOTICE.txt] [--quick]
//! Uses the seed notice from ../shared when no file is given, else the bundled fixtures.
//! `--quick` runs fewer rounds on less text, for a profiler (callgrind).

use std::time::Instant;

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
}
