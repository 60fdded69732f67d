//! A ledger document's bytes, whole in memory for the parser: serde_json reads a slice
//! several times faster than a reader, which it must take byte by byte. A file is
//! mapped, so a province's gigabyte costs page cache the kernel can take back, not heap.

use std::fs::File;

use crate::error::AppError;

pub enum Bytes {
    Mapped(memmap2::Mmap),
    Owned(Vec<u8>),
}

impl Bytes {
    /// The file's bytes, mapped when it is a regular file that can be, read otherwise.
    pub fn of_file(mut file: File, name: &str) -> Result<Bytes, AppError> {
        let regular = file.metadata().is_ok_and(|m| m.is_file() && m.len() > 0);
        // SAFETY: the map is only read. Another program cutting the file short while it is
        // imported would end this one (SIGBUS) before anything is committed: the import is
        // one transaction.
        if let Some(map) = regular
            .then(|| unsafe { memmap2::Mmap::map(&file) })
            .and_then(Result::ok)
        {
            // Read once, front to back: the kernel may read ahead and drop what is behind.
            let _ = map.advise(memmap2::Advice::Sequential);
            return Ok(Bytes::Mapped(map));
        }
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut bytes)
            .map_err(|e| AppError::from_io(name, &e))?;
        Ok(Bytes::Owned(bytes))
    }

    /// Gives the kernel back the mapped pages before `upto`, which the parser has passed:
    /// a mapping's pages count as the process's memory until they are let go, and the
    /// import has no use for them (a syntax error's column is counted from the file
    /// again, which maps the page in again).
    pub(crate) fn release(&self, upto: usize) {
        if let Bytes::Mapped(map) = self {
            // SAFETY: a read-only mapping of a file: a page let go and read again is read
            // from the file again, the same bytes, on the assumption that mapping the file
            // at all makes (nobody changes it while it is imported).
            let _ = unsafe {
                map.unchecked_advise_range(
                    memmap2::UncheckedAdvice::DontNeed,
                    0,
                    upto.min(map.len()),
                )
            };
        }
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(bytes: Vec<u8>) -> Bytes {
        Bytes::Owned(bytes)
    }
}

impl From<String> for Bytes {
    fn from(text: String) -> Bytes {
        Bytes::Owned(text.into_bytes())
    }
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        match self {
            Bytes::Mapped(m) => m,
            Bytes::Owned(v) => v,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_let_go_read_the_same_again() {
        let text: Vec<u8> = (0..(1u32 << 20)).map(|i| (i % 251) as u8).collect();
        let mut file = tempfile::tempfile().expect("tmp");
        std::io::Write::write_all(&mut file, &text).expect("write");
        let bytes = Bytes::of_file(file, "t").expect("map");
        assert!(
            matches!(bytes, Bytes::Mapped(_)),
            "a regular file is mapped"
        );
        assert_eq!(bytes.as_ref(), &text[..]);
        bytes.release(text.len() / 2);
        assert_eq!(bytes.as_ref(), &text[..]);
        bytes.release(text.len() + 4096);
        assert_eq!(bytes.as_ref(), &text[..]);
    }

    #[test]
    fn an_empty_file_is_read_not_mapped() {
        let file = tempfile::tempfile().expect("tmp");
        let bytes = Bytes::of_file(file, "t").expect("read");
        assert!(matches!(bytes, Bytes::Owned(ref v) if v.is_empty()));
    }
}
