//! Guards against hostile or accidental inputs: zip-slip entry names, zip bombs (total size,
//! per-entry size, per-entry and whole-archive compression ratio), oversized files, too many
//! files, and a memory budget on what is held after decoding.
//!
//! Memory is bounded by design: every source is decoded as soon as it is read and its raw bytes
//! dropped, and what is kept (decoded UTF-8 text, evtx bytes) is charged to
//! [`Limits::max_decoded_bytes`] — counted on the *decoded* size, so windows-1252 bytes that
//! triple in UTF-8 cannot slip past it. A read is bounded by what is left of the budget (and by
//! [`Limits::max_file_bytes`]) whatever the archive claims, and a zip whose entries add up to
//! more than [`Limits::max_archive_ratio`] times its size is refused as a whole.
//!
//! The limits are generous for real collections (a CollectLogs folder is ~40 files and some
//! tens of MiB of text plus evtx copies); a source past the budget is refused with a message
//! naming it while the rest is still read.

use crate::error::BundleError;
use std::io::Read;

/// Caps applied while opening an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest single file or zip entry read (uncompressed), in bytes.
    pub max_file_bytes: u64,
    /// Largest total uncompressed size of all sources, in bytes.
    pub max_total_bytes: u64,
    /// Most files / zip entries considered.
    pub max_files: usize,
    /// Highest uncompressed/compressed ratio accepted for a zip entry larger than 1 MiB.
    pub max_ratio: u64,
    /// Most bytes held after decoding, over all sources: UTF-8 text plus binary (evtx) bytes.
    pub max_decoded_bytes: u64,
    /// Highest ratio of the sum of a zip's declared entry sizes to the zip's own size, judged
    /// once that sum passes [`Limits::archive_ratio_floor`].
    pub max_archive_ratio: u64,
    /// Total declared size below which a zip's whole-archive ratio is not judged (a small zip
    /// of very repetitive logs is fine).
    pub archive_ratio_floor: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_bytes: 256 * 1024 * 1024,
            max_total_bytes: 2 * 1024 * 1024 * 1024,
            max_files: 20_000,
            max_ratio: 250,
            max_decoded_bytes: 160 * 1024 * 1024,
            max_archive_ratio: 100,
            archive_ratio_floor: 64 * 1024 * 1024,
        }
    }
}

/// Check a zip entry name and return it as a clean relative path with forward slashes.
///
/// # Errors
/// [`BundleError::ZipSlip`] for absolute paths, drive letters, UNC names, `..` components and NUL.
pub fn safe_entry_name(archive: &str, raw: &str) -> Result<String, BundleError> {
    let slip = || BundleError::ZipSlip {
        archive: archive.to_string(),
        entry: raw.to_string(),
    };
    let name = raw.replace('\\', "/");
    if name.starts_with('/') || name.contains('\0') {
        return Err(slip());
    }
    let bytes = name.as_bytes();
    if bytes.len() >= 2 && bytes.get(1) == Some(&b':') {
        return Err(slip());
    }
    let mut parts = Vec::new();
    for part in name.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(slip()),
            p => parts.push(p),
        }
    }
    Ok(parts.join("/"))
}

/// Compression-ratio check for one zip entry (only entries above 1 MiB are judged).
///
/// # Errors
/// [`BundleError::Ratio`] when the entry expands more than `limits.max_ratio` times.
pub fn check_ratio(
    archive: &str,
    entry: &str,
    size: u64,
    compressed: u64,
    limits: &Limits,
) -> Result<(), BundleError> {
    if size <= 1024 * 1024 {
        return Ok(());
    }
    let ratio = size / compressed.max(1);
    if ratio > limits.max_ratio {
        return Err(BundleError::Ratio {
            archive: archive.to_string(),
            entry: entry.to_string(),
            ratio,
            cap: limits.max_ratio,
        });
    }
    Ok(())
}

/// Whole-archive ratio check: the sum of the entries' declared sizes against the archive's size.
///
/// # Errors
/// [`BundleError::ArchiveRatio`] when the sum passes [`Limits::archive_ratio_floor`] and is more
/// than [`Limits::max_archive_ratio`] times the archive's size.
pub fn check_archive_ratio(
    archive: &str,
    total: u64,
    archive_len: u64,
    limits: &Limits,
) -> Result<(), BundleError> {
    if total <= limits.archive_ratio_floor {
        return Ok(());
    }
    let ratio = total / archive_len.max(1);
    if ratio > limits.max_archive_ratio {
        return Err(BundleError::ArchiveRatio {
            archive: archive.to_string(),
            total,
            ratio,
            cap: limits.max_archive_ratio,
        });
    }
    Ok(())
}

/// Read at most `cap` bytes; more is [`BundleError::TooLarge`] naming `name`. Works whatever size
/// the reader's metadata claimed, so a lying zip header cannot blow memory up.
///
/// # Errors
/// I/O errors (as [`BundleError::Io`] on `name`) and [`BundleError::TooLarge`].
pub fn read_capped(name: &str, reader: impl Read, cap: u64) -> Result<Vec<u8>, BundleError> {
    let mut buf = Vec::new();
    reader
        .take(cap.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|source| BundleError::Io {
            path: name.into(),
            source,
        })?;
    let len = u64::try_from(buf.len()).unwrap_or(u64::MAX);
    if len > cap {
        return Err(BundleError::TooLarge {
            name: name.to_string(),
            size: len,
            cap,
        });
    }
    Ok(buf)
}

/// A running total of bytes read, failing past [`Limits::max_total_bytes`].
#[derive(Debug, Default)]
pub struct Budget {
    used: u64,
}

impl Budget {
    /// Account for `n` more bytes.
    ///
    /// # Errors
    /// [`BundleError::TotalTooLarge`] once the total passes the cap.
    pub fn take(&mut self, input: &str, n: u64, limits: &Limits) -> Result<(), BundleError> {
        self.used = self.used.saturating_add(n);
        if self.used > limits.max_total_bytes {
            return Err(BundleError::TotalTooLarge {
                name: input.to_string(),
                cap: limits.max_total_bytes,
            });
        }
        Ok(())
    }
}

/// What is left of [`Limits::max_decoded_bytes`] while an input is opened.
#[derive(Debug)]
pub struct DecodedBudget {
    left: u64,
}

impl DecodedBudget {
    /// A fresh budget.
    #[must_use]
    pub fn new(limits: &Limits) -> Self {
        Self {
            left: limits.max_decoded_bytes,
        }
    }

    /// Bytes left.
    #[must_use]
    pub fn left(&self) -> u64 {
        self.left
    }

    /// Bytes left, as a `usize` cap for the decoder.
    #[must_use]
    pub fn left_usize(&self) -> usize {
        usize::try_from(self.left).unwrap_or(usize::MAX)
    }

    /// Charge `n` bytes held (saturating at zero).
    pub fn charge(&mut self, n: usize) {
        self.left = self
            .left
            .saturating_sub(u64::try_from(n).unwrap_or(u64::MAX));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names() {
        assert_eq!(safe_entry_name("z", "logs\\ip.txt").unwrap(), "logs/ip.txt");
        assert_eq!(safe_entry_name("z", "./a//b.txt").unwrap(), "a/b.txt");
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "C:/Windows/x",
            "c:x",
            "\\\\srv\\x",
        ] {
            let e = safe_entry_name("bundle.zip", bad).unwrap_err();
            assert!(e.to_string().contains("bundle.zip"), "{bad}: {e}");
        }
    }

    #[test]
    fn ratio_and_caps() {
        let l = Limits::default();
        assert!(check_ratio("z", "e", 10 << 20, 1 << 20, &l).is_ok());
        assert!(check_ratio("z", "e", 1 << 30, 1 << 10, &l).is_err());
        assert!(check_ratio("z", "small", 1000, 1, &l).is_ok());
        assert_eq!(read_capped("f", &b"abc"[..], 3).unwrap(), b"abc");
        let e = read_capped("big.txt", &b"abcd"[..], 3).unwrap_err();
        assert!(e.to_string().contains("big.txt"), "{e}");
        let mut b = Budget::default();
        let small = Limits {
            max_total_bytes: 10,
            ..l
        };
        assert!(b.take("in", 6, &small).is_ok());
        assert!(b.take("in", 6, &small).is_err());
    }

    #[test]
    fn whole_archive_ratio() {
        let l = Limits::default();
        // 2,040 one-MiB entries in a 6.5 MB zip: each entry is under the per-entry threshold,
        // the archive as a whole is ~330x.
        let e = check_archive_ratio("z.zip", 2040 << 20, 6_500_000, &l).unwrap_err();
        assert!(
            e.to_string().contains("z.zip") && e.to_string().contains("zip bomb"),
            "{e}"
        );
        assert!(check_archive_ratio("z.zip", 2040 << 20, 100 << 20, &l).is_ok());
        assert!(
            check_archive_ratio("z.zip", 60 << 20, 1000, &l).is_ok(),
            "under the floor"
        );
        let mut d = DecodedBudget::new(&Limits {
            max_decoded_bytes: 10,
            ..l
        });
        d.charge(4);
        assert_eq!(d.left(), 6);
        d.charge(40);
        assert_eq!(d.left_usize(), 0);
    }
}
