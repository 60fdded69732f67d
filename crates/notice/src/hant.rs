//! Traditional characters mapped to simplified ones for matching. Notices are written in
//! simplified characters; mirror sites convert some to traditional ones (巡察組, 反饋). The
//! parser reads the mapped text and reports what is written, so the map is character for
//! character and keeps every byte offset: both forms of every mapped ideograph take three
//! bytes in UTF-8.

/// The ideographs that have a simplified form: U+3400..=U+9FFF (the BMP's unified
/// ideographs and extension A, all three bytes in UTF-8).
const FIRST: u32 = 0x3400;

/// For each ideograph from FIRST, its simplified form (two bytes, little-endian), or 0 when
/// it is its own; made from fast2s by `build.rs`.
static SIMPLIFIED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/simplified.bin"));

/// One bit per ideograph from FIRST: whether it is traditional. Asked of every ideograph of
/// every notice, so it is kept small enough to stay in the fastest cache (3.4 KiB).
static TRADITIONAL: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/traditional.bin"));

/// The map, for loops that look up every character.
pub struct Map {
    table: &'static [u8],
    bits: &'static [u8],
}

impl Map {
    pub fn get() -> Map {
        Map {
            table: SIMPLIFIED,
            bits: TRADITIONAL,
        }
    }

    /// Whether the character with this code is a traditional one.
    #[inline]
    pub fn has_simplified(&self, code: u32) -> bool {
        code.checked_sub(FIRST)
            .and_then(|i| self.bits.get(i as usize / 8).map(|w| w >> (i % 8) & 1 == 1))
            .unwrap_or(false)
    }

    /// The simplified form of a traditional character, if it has one.
    #[inline]
    pub fn simplified(&self, c: char) -> Option<char> {
        let code = c as u32;
        let at = code.checked_sub(FIRST)? as usize * 2;
        let t = u16::from_le_bytes([*self.table.get(at)?, *self.table.get(at + 1)?]);
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
