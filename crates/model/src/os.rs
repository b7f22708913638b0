//! Operating system facts: build, update revision, edition, hotfixes.

use crate::Prov;
use serde::{Deserialize, Serialize};

/// The host's Windows version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OsInfo {
    /// Build number, e.g. 17763.
    pub build: u32,
    /// Update build revision (the 4th field of `ver`, registry `UBR`); `None` when unknown —
    /// `[Environment]::OSVersion` always shows `.0`, which is *not* a UBR.
    pub ubr: Option<u32>,
    /// Product name / edition, e.g. "Windows Server 2019 Datacenter".
    pub product_name: Option<String>,
    /// `DisplayVersion` / `ReleaseId`, e.g. "21H2", "1809".
    pub display_version: Option<String>,
    /// Installed updates as listed (Get-HotFix lists usually only the latest LCU).
    pub hotfixes: Vec<Hotfix>,
    /// Where the build was read.
    pub prov: Prov,
}

/// One installed update.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Hotfix {
    /// `KB` followed by digits, upper case.
    pub id: String,
    /// Description column ("Update", "Security Update", …).
    pub description: Option<String>,
    /// InstalledOn as printed (culture-specific, possibly truncated).
    pub installed_on: Option<String>,
    /// Where it was read.
    pub prov: Prov,
}
