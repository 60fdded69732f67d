//! The traditional → simplified table of `hant.rs`, made once at build time from fast2s
//! (making it at start-up cost every parse half a millisecond).

use std::path::Path;

/// The ideographs that have a simplified form: U+3400..=U+9FFF, all three bytes in UTF-8.
const FIRST: u32 = 0x3400;
const LAST: u32 = 0x9fff;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // One call over every ideograph, each between spaces so that no neighbour turns a
    // character into a word-dependent form.
    let all: String = (FIRST..=LAST)
        .filter_map(char::from_u32)
        .flat_map(|c| [c, ' '])
        .collect();
    let converted = fast2s::convert(&all);
    let mut table = vec![0u16; (LAST - FIRST + 1) as usize];
    for (from, to) in all.chars().zip(converted.chars()) {
        let (f, t) = (from as u32, to as u32);
        // Only three-byte to three-byte pairs keep the offsets.
        if f != t && (FIRST..=LAST).contains(&f) && (0x3400..=0xffff).contains(&t) {
            if let (Some(slot), Ok(t)) = (table.get_mut((f - FIRST) as usize), u16::try_from(t)) {
                *slot = t;
            }
        }
    }
    let mut bits = vec![0u8; table.len().div_ceil(8)];
    for (i, t) in table.iter().enumerate() {
        if *t != 0 {
            bits[i / 8] |= 1 << (i % 8);
        }
    }
    let bytes: Vec<u8> = table.iter().flat_map(|t| t.to_le_bytes()).collect();
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let write = |name: &str, data: &[u8]| {
        std::fs::write(Path::new(&out).join(name), data).expect("write the table");
    };
    write("simplified.bin", &bytes);
    write("traditional.bin", &bits);
}
