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
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        match self {
            Bytes::Mapped(m) => m,
            Bytes::Owned(v) => v,
        }
    }
}
