//! The Windows version: `[Environment]::OSVersion`, `ver`, `systeminfo`, `reg query …\CurrentVersion`
//! and collectlogs' `winver.txt`.
//!
//! * **Commands and shapes** (any mix in one text; each line is recognised on its own):
//!   * `[Environment]::OSVersion` → `Microsoft Windows NT 10.0.17763.0`, or its table view
//!     (`Platform ServicePack Version VersionString`, row ` Win32NT  10.0.17763.0 Microsoft
//!     Windows NT 10.0.17763.0`). The 4th field is the service pack, **not** the UBR: build only.
//!   * `cmd /c ver` → `Microsoft Windows [Version 10.0.17763.5458]` (the word `Version` is
//!     translated: `Versión`, `version`…): build and UBR.
//!   * `systeminfo` → `OS Name:` (product name, labels in English/German/French/Spanish),
//!     `OS Version: 10.0.17763 N/A Build 17763` (build; any label — the value shape decides),
//!     `Hotfix(s): N Hotfix(s) Installed.` and `[01]: KB5034768` lines (hotfixes).
//!   * `reg query "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion"` → `CurrentBuild`
//!     (or `CurrentBuildNumber`), `UBR REG_DWORD 0x…`, `DisplayVersion`, `ReleaseId`,
//!     `ProductName`, `BuildLabEx` (build only when `CurrentBuild` is absent; its second field is
//!     the install-time revision, not the UBR).
//!   * collectlogs `winver.txt`: the OSVersion line, two blank lines, then a Get-HotFix table
//!     (read by [`crate::hotfix`]) or `<No hotfix>`.
//! * **Numbers:** the line regexes here only recognise which kind of line it is; build and UBR
//!   are read by [`hnsdoctor_kb::parse_build_ubr`], the workspace's one Windows build/UBR
//!   reader (so a `ver` revision of 0 is no UBR, as for `hnsdoctor kb issues --build`).
//! * **Bundle paths:** `os/winver.txt`, `os/ver.txt`, `os/systeminfo.txt`,
//!   `os/currentversion-reg.txt`. **Legacy CollectLogs:** `winver.txt`.
//! * **Encodings:** UTF-16LE with BOM and CRLF (PowerShell 5.1 `>`), UTF-8/OEM from cmd.exe.
//! * **Merging:** fills `model.os` without overwriting what another source gave: a field is set
//!   when this text knows it; a build different from an already known one is kept from the
//!   newer source with a warning. [`Fact::OsUbr`] only when `ver` or the registry `UBR` was read.
//! * **Partial input:** lines not recognised are ignored (these are free-form texts); a text with
//!   nothing recognised → `Broken` at its first line; empty/collector error/`ERROR: The system
//!   was unable to find the specified registry key` → `Skip`.
//!
//! ```
//! use hnsdoctor_parse::{osversion, HostModel, Input, InputSummary, Fact};
//! let text = "Microsoft Windows NT 10.0.17763.0\n\n\n<No hotfix>\n";
//! let mut model = HostModel::new();
//! let mut summary = InputSummary::default();
//! osversion::parse(&Input::new("winver.txt", text), &mut model, &mut summary).unwrap();
//! let os = model.os.as_ref().unwrap();
//! assert_eq!(os.build, 17763);
//! assert_eq!(os.ubr, None); // the trailing .0 is not a UBR
//! assert!(model.has(Fact::Hotfixes) && !model.has(Fact::OsUbr));
//! ```

use crate::hotfix::{kb_id, read_hotfix_tables};
use crate::winout::{check_skip, mark, reg_number, reg_value};
use crate::{Fact, HostModel, Input, InputSummary, ParseError, Prov};
use hnsdoctor_kb::parse_build_ubr;
use hnsdoctor_model::Hotfix;
use regex::Regex;
use std::sync::LazyLock;

#[allow(clippy::unwrap_used)]
static NT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"Microsoft Windows NT (\d+)\.(\d+)\.(\d+)\.(\d+)").unwrap());
#[allow(clippy::unwrap_used)]
static WIN32NT_ROW: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*Win32NT\s+(?:\d+\s+)?(\d+)\.(\d+)\.(\d+)\.(\d+)").unwrap());
#[allow(clippy::unwrap_used)]
static VER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"Microsoft Windows \[[^\]\d]*(\d+)\.(\d+)\.(\d+)\.(\d+)\]").unwrap()
});
#[allow(clippy::unwrap_used)]
static SYSINFO_VERSION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[^:\[]+:\s+\d+\.\d+\.(\d{4,5})\s+\S.*\b(\d{4,5})\s*$").unwrap());
#[allow(clippy::unwrap_used)]
static SYSINFO_HOTFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\[\d+\]:\s*(KB\d+)").unwrap());

/// `systeminfo` labels of the OS name line (lower case).
const OS_NAME_LABELS: &[&str] = &[
    "os name",
    "betriebssystemname",
    "nom du système d'exploitation",
    "nombre del sistema operativo",
];

/// Content detector.
#[must_use]
pub fn detect(text: &str) -> u8 {
    if text.contains("Microsoft Windows NT 10.") || VER.is_match(text) {
        80
    } else if text.contains(r"\Windows NT\CurrentVersion") && text.contains("REG_") {
        90
    } else if text.contains("[01]: KB") || text.contains(" N/A Build ") {
        70
    } else {
        0
    }
}

/// What one text said about the OS.
#[derive(Default)]
struct Found {
    build: Option<(u32, Prov)>,
    ubr: Option<u32>,
    product: Option<String>,
    display: Option<String>,
    release_id: Option<String>,
    buildlab: Option<(u32, Prov)>,
    hotfixes: Vec<Hotfix>,
    hotfix_list_seen: bool,
}

/// Parse any of the version texts above.
///
/// # Errors
/// `Skip` for empty input, collector error text or a missing registry key; `Broken` when no
/// line is recognised.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    if input
        .text
        .contains("unable to find the specified registry key")
    {
        return Err(ParseError::skip(
            "reg query: the CurrentVersion key was not found",
        ));
    }
    let mut f = Found::default();
    let mut hotfix_table_from: Option<u32> = None;
    for (no, raw) in input.lines() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if VER.is_match(line) {
            if let Some(v) = parse_build_ubr(line) {
                f.build = Some((v.build, input.prov(no, raw)));
                f.ubr = v.ubr;
            }
            continue;
        }
        if NT.is_match(line) || WIN32NT_ROW.is_match(raw) {
            if let Some(b) = parse_build_ubr(line).map(|v| v.build) {
                if f.build.is_none() {
                    f.build = Some((b, input.prov(no, raw)));
                }
                hotfix_table_from.get_or_insert(no);
            }
            continue;
        }
        if line.eq_ignore_ascii_case("<No hotfix>") {
            f.hotfix_list_seen = true;
            continue;
        }
        if let Some((name, _ty, data)) = reg_value(raw) {
            match name.to_ascii_lowercase().as_str() {
                "currentbuild" => {
                    if let Ok(b) = data.parse::<u32>() {
                        f.build = Some((b, input.prov(no, raw)));
                    }
                }
                "currentbuildnumber" if f.build.is_none() => {
                    if let Ok(b) = data.parse::<u32>() {
                        f.build = Some((b, input.prov(no, raw)));
                    }
                }
                "ubr" => f.ubr = reg_number(data),
                "productname" if !data.is_empty() => f.product = Some(data.to_string()),
                "displayversion" if !data.is_empty() => f.display = Some(data.to_string()),
                "releaseid" if !data.is_empty() => f.release_id = Some(data.to_string()),
                "buildlabex" => {
                    if let Some(b) = parse_build_ubr(data).map(|v| v.build) {
                        f.buildlab = Some((b, input.prov(no, raw)));
                    }
                }
                _ => {}
            }
            continue;
        }
        if let Some(c) = SYSINFO_HOTFIX.captures(raw) {
            if let Some(id) = c.get(1).and_then(|m| kb_id(m.as_str())) {
                f.hotfix_list_seen = true;
                f.hotfixes.push(Hotfix {
                    id,
                    description: None,
                    installed_on: None,
                    prov: input.prov(no, raw),
                });
            }
            continue;
        }
        if SYSINFO_VERSION.is_match(raw) {
            if let Some(b) = parse_build_ubr(raw).map(|v| v.build) {
                if f.build.is_none() {
                    f.build = Some((b, input.prov(no, raw)));
                }
            }
            continue;
        }
        if let Some((k, v)) = raw.split_once(':') {
            let key = k.trim().to_lowercase();
            if OS_NAME_LABELS.contains(&key.as_str()) && !v.trim().is_empty() {
                f.product = Some(v.trim().to_string());
            } else if key.starts_with("hotfix") || key.starts_with("correctif") {
                // "Hotfix(s): 3 Hotfix(s) Installed." — the list follows (possibly empty)
                f.hotfix_list_seen = true;
            }
        }
    }

    let mut any = false;
    if let Some(from) = hotfix_table_from {
        any |= read_hotfix_tables(input, from, model, summary).is_some();
    }
    let build = f.build.or(f.buildlab);
    any |= build.is_some()
        || f.ubr.is_some()
        || f.hotfix_list_seen
        || f.product.is_some()
        || f.display.is_some()
        || f.release_id.is_some();
    if !any {
        return Err(ParseError::broken_at_first_line(
            input,
            "a Windows version line (OSVersion, ver, systeminfo or reg query CurrentVersion)",
        ));
    }

    let os = model.os.get_or_insert_with(Default::default);
    let mut warnings = Vec::new();
    let mut facts = Vec::new();
    let have_build = build.is_some();
    if let Some((b, prov)) = build {
        if os.build != 0 && os.build != b {
            warnings.push(format!(
                "{prov}: build {b} differs from build {} read from {}",
                os.build, os.prov
            ));
        }
        os.build = b;
        os.prov = prov;
        facts.push(Fact::OsBuild);
    }
    if let Some(u) = f.ubr {
        os.ubr = Some(u);
        facts.push(Fact::OsUbr);
    }
    if let Some(p) = f.product {
        os.product_name = Some(p);
    }
    if let Some(d) = f.display.or(f.release_id) {
        os.display_version = Some(d);
    }
    let n = f.hotfixes.len();
    for h in f.hotfixes {
        if !os.hotfixes.iter().any(|x| x.id == h.id) {
            os.hotfixes.push(h);
        }
    }
    if f.hotfix_list_seen {
        facts.push(Fact::Hotfixes);
    }
    summary.objects += n + usize::from(have_build);
    summary.warnings.extend(warnings);
    for fact in facts {
        mark(model, summary, fact);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::winout::decode;

    fn run_into(
        m: &mut HostModel,
        source: &str,
        bytes: &[u8],
    ) -> (Result<(), ParseError>, InputSummary) {
        let text = decode(bytes);
        let mut s = InputSummary::default();
        let r = parse(&Input::new(source, &text), m, &mut s);
        (r, s)
    }

    #[test]
    fn winver_with_hotfix_table_utf16() {
        let mut m = HostModel::new();
        let (r, s) = run_into(
            &mut m,
            "winver.txt",
            include_bytes!("../fixtures/osversion/winver-hotfixes-utf16le.txt"),
        );
        r.unwrap();
        let os = m.os.as_ref().unwrap();
        assert_eq!(os.build, 20348);
        assert_eq!(os.ubr, None);
        assert_eq!(os.prov.line, 1);
        let ids: Vec<&str> = os.hotfixes.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["KB5034439", "KB5037422"]);
        assert_eq!(m.host_name.as_deref(), Some("AKSWIN000001"));
        assert!(m.has(Fact::OsBuild) && m.has(Fact::Hotfixes) && !m.has(Fact::OsUbr));
        assert_eq!(s.facts, vec![Fact::Hotfixes, Fact::OsBuild]);
    }

    #[test]
    fn winver_no_hotfix_then_registry_merges_ubr() {
        let mut m = HostModel::new();
        let (r, _) = run_into(
            &mut m,
            "winver.txt",
            include_bytes!("../fixtures/osversion/winver-nohotfix.txt"),
        );
        r.unwrap();
        assert!(m.os.as_ref().unwrap().hotfixes.is_empty());
        assert!(m.has(Fact::Hotfixes));
        let (r, s) = run_into(
            &mut m,
            "os/currentversion-reg.txt",
            include_bytes!("../fixtures/osversion/reg-currentversion-utf16le.txt"),
        );
        r.unwrap();
        let os = m.os.as_ref().unwrap();
        assert_eq!((os.build, os.ubr), (17763, Some(5458)));
        assert_eq!(os.display_version.as_deref(), Some("1809"));
        assert_eq!(
            os.product_name.as_deref(),
            Some("Windows Server 2019 Datacenter")
        );
        assert_eq!(os.prov.source, "os/currentversion-reg.txt");
        assert_eq!(os.prov.line, 8);
        assert!(m.has(Fact::OsUbr));
        assert!(s.warnings.is_empty());
    }

    #[test]
    fn ver_gives_ubr_and_conflict_warns() {
        let mut m = HostModel::new();
        run_into(&mut m, "a", b"Microsoft Windows NT 10.0.17763.0\r\n")
            .0
            .unwrap();
        let (r, s) = run_into(
            &mut m,
            "os/ver.txt",
            "\r\nMicrosoft Windows [Versión 10.0.20348.2340]\r\n".as_bytes(),
        );
        r.unwrap();
        let os = m.os.as_ref().unwrap();
        assert_eq!((os.build, os.ubr), (20348, Some(2340)));
        assert_eq!(os.prov.line, 2);
        assert!(s.warnings[0].contains("differs from build 17763"));
    }

    #[test]
    fn osversion_table_view() {
        let mut m = HostModel::new();
        let (r, _) = run_into(
            &mut m,
            "paste#1",
            include_bytes!("../fixtures/osversion/osversion-table.txt"),
        );
        r.unwrap();
        assert_eq!(m.os.as_ref().unwrap().build, 17763);
        assert_eq!(m.os.as_ref().unwrap().prov.line, 4);
        assert!(!m.has(Fact::OsUbr) && !m.has(Fact::Hotfixes));
    }

    #[test]
    fn systeminfo_en_and_de() {
        for (file, bytes) in [
            (
                "en",
                &include_bytes!("../fixtures/osversion/systeminfo-en-us.txt")[..],
            ),
            (
                "de",
                &include_bytes!("../fixtures/osversion/systeminfo-de-de-utf16le.txt")[..],
            ),
        ] {
            let mut m = HostModel::new();
            run_into(&mut m, "systeminfo.txt", bytes).0.unwrap();
            let os = m.os.as_ref().unwrap();
            assert_eq!(os.build, 17763, "{file}");
            assert_eq!(os.ubr, None, "{file}");
            assert_eq!(
                os.product_name.as_deref(),
                Some("Microsoft Windows Server 2019 Datacenter"),
                "{file}"
            );
            let ids: Vec<&str> = os.hotfixes.iter().map(|h| h.id.as_str()).collect();
            assert_eq!(ids, ["KB5034619", "KB5035849"], "{file}");
            assert!(m.has(Fact::Hotfixes), "{file}");
        }
    }

    #[test]
    fn skip_and_broken() {
        let mut m = HostModel::new();
        let (r, _) = run_into(
            &mut m,
            "r",
            b"ERROR: The system was unable to find the specified registry key or value.\r\n",
        );
        assert!(matches!(r, Err(ParseError::Skip { .. })));
        let (r, _) = run_into(&mut m, "r", b"");
        assert!(matches!(r, Err(ParseError::Skip { .. })));
        let (r, _) = run_into(&mut m, "winver.txt", b"\r\n\r\nhello world\r\n");
        assert!(matches!(r, Err(ParseError::Broken { line: 3, .. })));
        assert!(m.os.is_none());
    }
}
