//! Traditional characters mapped to simplified ones for matching. Notices are written in
//! simplified characters; mirror sites convert some to traditional ones (巡察組, 反饋). The
//! parser reads the mapped text and reports what is written, so the map is character for
//! character and keeps every byte offset: both forms of every mapped ideograph take three
//! bytes in UTF-8.

use std::sync::LazyLock;

/// The ideographs that have a simplified form: U+3400..=U+9FFF (the BMP's unified
/// ideographs and extension A, all three bytes in UTF-8).
const FIRST: u32 = 0x3400;
const LAST: u32 = 0x9fff;

/// For each ideograph from FIRST, its simplified form, or 0 when it is its own.
static SIMPLIFIED: LazyLock<Vec<u16>> = LazyLock::new(|| {
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
    table
});

/// One bit per ideograph from FIRST: whether it is traditional. Asked of every ideograph of
/// every notice, so it is kept small enough to stay in the fastest cache (3.4 KiB).
static TRADITIONAL: LazyLock<Vec<u64>> = LazyLock::new(|| {
    let mut bits = vec![0u64; SIMPLIFIED.len().div_ceil(64)];
    for (i, t) in SIMPLIFIED.iter().enumerate() {
        if *t != 0 {
            bits[i / 64] |= 1 << (i % 64);
        }
    }
    bits
});

/// The map, for loops that look up every character (one lazy check, not one per char).
pub struct Map {
    table: &'static [u16],
    bits: &'static [u64],
}

impl Map {
    pub fn get() -> Map {
        Map {
            table: &SIMPLIFIED,
            bits: &TRADITIONAL,
        }
    }

    /// Whether the character with this code is a traditional one.
    #[inline]
    pub fn has_simplified(&self, code: u32) -> bool {
        code.checked_sub(FIRST)
            .and_then(|i| {
                self.bits
                    .get(i as usize / 64)
                    .map(|w| w >> (i % 64) & 1 == 1)
            })
            .unwrap_or(false)
    }

    /// The simplified form of a traditional character, if it has one.
    #[inline]
    pub fn simplified(&self, c: char) -> Option<char> {
        let code = c as u32;
        let t = *self.table.get(code.checked_sub(FIRST)? as usize)?;
        (t != 0).then(|| char::from_u32(u32::from(t))).flatten()
    }
}

#[cfg(test)]
fn simplified(c: char) -> Option<char> {
    Map::get().simplified(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_traditional_and_keeps_the_width() {
        let pairs: Vec<(char, Option<char>)> = "巡察組反饋整改措施關於針對問題"
            .chars()
            .map(|c| (c, simplified(c)))
            .collect();
        let mapped: String = pairs.iter().map(|(c, s)| s.unwrap_or(*c)).collect();
        assert_eq!(mapped, "巡察组反馈整改措施关于针对问题");
        for (c, s) in pairs {
            if let Some(s) = s {
                assert_eq!(c.len_utf8(), s.len_utf8(), "{c}");
            }
        }
        assert_eq!(simplified('组'), None);
        let map = Map::get();
        assert!(map.has_simplified('組' as u32) && !map.has_simplified('组' as u32));
        assert!(!map.has_simplified('a' as u32) && !map.has_simplified(0x10000));
        assert_eq!(simplified('a'), None);
    }
}
