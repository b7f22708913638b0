//! Pure helpers of the Windows host that need no Windows API, kept here so they are tested on
//! every platform: GUID text parsing, registry path splitting, registry value rendering and the
//! OS version read from the `CurrentVersion` key.

use crate::{OsVersion, RegistryKey};

/// The parts of a GUID (`data1`, `data2`, `data3`, `data4`) from its text form, with or without
/// braces.
#[must_use]
pub fn parse_guid(s: &str) -> Option<(u32, u16, u16, [u8; 8])> {
    let s = s.trim().trim_start_matches('{').trim_end_matches('}');
    let parts: Vec<&str> = s.split('-').collect();
    let lens = [8, 4, 4, 4, 12];
    if parts.len() != 5 || parts.iter().zip(lens).any(|(p, l)| p.len() != l) {
        return None;
    }
    if !parts
        .iter()
        .all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
    {
        return None;
    }
    let d1 = u32::from_str_radix(parts[0], 16).ok()?;
    let d2 = u16::from_str_radix(parts[1], 16).ok()?;
    let d3 = u16::from_str_radix(parts[2], 16).ok()?;
    let tail = format!("{}{}", parts[3], parts[4]);
    let mut d4 = [0u8; 8];
    for (i, b) in d4.iter_mut().enumerate() {
        *b = u8::from_str_radix(tail.get(i * 2..i * 2 + 2)?, 16).ok()?;
    }
    Some((d1, d2, d3, d4))
}

/// Split `HKLM\SOFTWARE\...` into a root name (`HKLM`, `HKCU`, `HKU`, `HKCR`) and the sub-key.
#[must_use]
pub fn split_registry_path(path: &str) -> Option<(&'static str, &str)> {
    let (root, rest) = path.split_once('\\').unwrap_or((path, ""));
    let root = match root.to_ascii_uppercase().as_str() {
        "HKLM" | "HKEY_LOCAL_MACHINE" => "HKLM",
        "HKCU" | "HKEY_CURRENT_USER" => "HKCU",
        "HKU" | "HKEY_USERS" => "HKU",
        "HKCR" | "HKEY_CLASSES_ROOT" => "HKCR",
        _ => return None,
    };
    Some((root, rest))
}

/// The name of a registry value type.
#[must_use]
pub fn reg_type_name(t: u32) -> &'static str {
    match t {
        0 => "REG_NONE",
        1 => "REG_SZ",
        2 => "REG_EXPAND_SZ",
        3 => "REG_BINARY",
        4 => "REG_DWORD",
        5 => "REG_DWORD_BIG_ENDIAN",
        7 => "REG_MULTI_SZ",
        11 => "REG_QWORD",
        _ => "REG_OTHER",
    }
}

fn utf16(data: &[u8]) -> Vec<u16> {
    data.chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect()
}

/// Render registry value data as JSON: strings, numbers, string arrays, or hex for the rest.
#[must_use]
pub fn reg_value_json(t: u32, data: &[u8]) -> serde_json::Value {
    use serde_json::Value;
    match t {
        1 | 2 => {
            let w = utf16(data);
            let end = w.iter().position(|c| *c == 0).unwrap_or(w.len());
            Value::String(String::from_utf16_lossy(&w[..end]))
        }
        7 => {
            let w = utf16(data);
            Value::Array(
                w.split(|c| *c == 0)
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(String::from_utf16_lossy(s)))
                    .collect(),
            )
        }
        4 if data.len() >= 4 => {
            Value::from(u32::from_le_bytes([data[0], data[1], data[2], data[3]]))
        }
        11 if data.len() >= 8 => {
            let mut b = [0u8; 8];
            b.copy_from_slice(&data[..8]);
            Value::from(u64::from_le_bytes(b))
        }
        _ => Value::String(data.iter().map(|b| format!("{b:02x}")).collect()),
    }
}

/// The OS version from the values of `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion`.
#[must_use]
pub fn os_from_registry(k: &RegistryKey) -> OsVersion {
    let get = |n: &str| {
        k.values
            .iter()
            .find(|v| v.name.eq_ignore_ascii_case(n))
            .map(|v| &v.data)
    };
    let num = |n: &str| {
        get(n).and_then(|d| {
            d.as_u64()
                .or_else(|| d.as_str().and_then(|s| s.trim().parse().ok()))
                .and_then(|v| u32::try_from(v).ok())
        })
    };
    let text = |n: &str| get(n).and_then(|d| d.as_str()).map(str::to_string);
    OsVersion {
        major: num("CurrentMajorVersionNumber").unwrap_or(10),
        minor: num("CurrentMinorVersionNumber").unwrap_or(0),
        build: num("CurrentBuildNumber")
            .or_else(|| num("CurrentBuild"))
            .unwrap_or(0),
        ubr: num("UBR"),
        display_version: text("DisplayVersion").or_else(|| text("ReleaseId")),
        product_name: text("ProductName"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RegistryValue;

    #[test]
    fn guids() {
        let g = parse_guid("{2A79B8C6-4E2E-4A8D-A9F6-5C0D3E1F0001}").unwrap();
        assert_eq!(g.0, 0x2A79_B8C6);
        assert_eq!(g.1, 0x4E2E);
        assert_eq!(g.3, [0xA9, 0xF6, 0x5C, 0x0D, 0x3E, 0x1F, 0x00, 0x01]);
        assert!(parse_guid("not-a-guid").is_none());
        assert!(parse_guid("2A79B8C6-4E2E-4A8D-A9F6-5C0D3E1F000Z").is_none());
    }

    #[test]
    fn registry_paths_and_values() {
        assert_eq!(
            split_registry_path(r"HKLM\SOFTWARE\x"),
            Some(("HKLM", r"SOFTWARE\x"))
        );
        assert_eq!(split_registry_path(r"BOGUS\x"), None);
        let sz: Vec<u8> = "ab\0".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(reg_value_json(1, &sz), serde_json::json!("ab"));
        let multi: Vec<u8> = "a\0b\0\0"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(reg_value_json(7, &multi), serde_json::json!(["a", "b"]));
        assert_eq!(
            reg_value_json(4, &5458u32.to_le_bytes()),
            serde_json::json!(5458)
        );
        assert_eq!(reg_value_json(3, &[1, 0xff]), serde_json::json!("01ff"));
        assert_eq!(reg_value_json(4, &[1]), serde_json::json!("01"));
    }

    #[test]
    fn os_version_from_currentversion() {
        let v = |n: &str, d: serde_json::Value| RegistryValue {
            name: n.into(),
            kind: String::new(),
            data: d,
        };
        let k = RegistryKey {
            path: String::new(),
            values: vec![
                v("CurrentMajorVersionNumber", serde_json::json!(10)),
                v("CurrentBuildNumber", serde_json::json!("17763")),
                v("UBR", serde_json::json!(5458)),
                v("ReleaseId", serde_json::json!("1809")),
                v(
                    "ProductName",
                    serde_json::json!("Windows Server 2019 Datacenter"),
                ),
            ],
            subkeys: vec![],
        };
        let os = os_from_registry(&k);
        assert_eq!(os.build_string(), "10.0.17763.5458");
        assert_eq!(os.display_version.as_deref(), Some("1809"));
    }
}
