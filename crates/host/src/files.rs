//! File reads shared by the real hosts: a tail-capped read and metadata, over `std::fs`.
//! A plain read only: a file another process holds locked without read sharing (e.g. HNS.data
//! while HNS runs) fails with the OS error rather than being forced.

use crate::{FileData, FileMeta, HostError};
use std::io::{Read, Seek, SeekFrom};

/// Read `path`, keeping at most `max_bytes` (the tail).
pub(crate) fn read_tail(path: &str, max_bytes: u64) -> Result<FileData, HostError> {
    let mut f = std::fs::File::open(path).map_err(|e| HostError::from_io(path, &e))?;
    let total_len = f
        .metadata()
        .map_err(|e| HostError::from_io(path, &e))?
        .len();
    let truncated = total_len > max_bytes;
    if truncated {
        f.seek(SeekFrom::Start(total_len - max_bytes))
            .map_err(|e| HostError::from_io(path, &e))?;
    }
    let mut bytes = Vec::new();
    f.take(max_bytes)
        .read_to_end(&mut bytes)
        .map_err(|e| HostError::from_io(path, &e))?;
    Ok(FileData {
        bytes,
        truncated,
        total_len,
    })
}

/// Open `path` for a streamed copy of at most `max_bytes` (the tail).
pub(crate) fn open_tail(
    path: &str,
    max_bytes: u64,
) -> Result<(Box<dyn Read + Send>, FileData), HostError> {
    let mut f = std::fs::File::open(path).map_err(|e| HostError::from_io(path, &e))?;
    let total_len = f
        .metadata()
        .map_err(|e| HostError::from_io(path, &e))?
        .len();
    let truncated = total_len > max_bytes;
    if truncated {
        f.seek(SeekFrom::Start(total_len - max_bytes))
            .map_err(|e| HostError::from_io(path, &e))?;
    }
    Ok((
        Box::new(f.take(max_bytes)),
        FileData {
            bytes: Vec::new(),
            truncated,
            total_len,
        },
    ))
}

/// Metadata of `path`.
pub(crate) fn metadata(path: &str) -> Result<FileMeta, HostError> {
    let m = std::fs::metadata(path).map_err(|e| HostError::from_io(path, &e))?;
    let modified_unix = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .and_then(|d| i64::try_from(d.as_secs()).ok());
    Ok(FileMeta {
        path: path.to_string(),
        len: m.len(),
        modified_unix,
        is_dir: m.is_dir(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_read_and_metadata() {
        let p = std::env::temp_dir().join(format!("hnsdoctor-files-{}", std::process::id()));
        std::fs::write(&p, b"hello world").unwrap();
        let ps = p.to_string_lossy().into_owned();
        let d = read_tail(&ps, 5).unwrap();
        assert_eq!(d.bytes, b"world");
        assert!(d.truncated);
        assert_eq!(d.total_len, 11);
        let whole = read_tail(&ps, 100).unwrap();
        assert_eq!(whole.bytes, b"hello world");
        assert!(!whole.truncated);
        let m = metadata(&ps).unwrap();
        assert_eq!(m.len, 11);
        assert!(m.modified_unix.is_some());
        std::fs::remove_file(&p).unwrap();
        assert!(matches!(read_tail(&ps, 5), Err(HostError::NotFound(_))));
    }
}
