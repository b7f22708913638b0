//! Provenance: where a fact was read, so a finding can quote its evidence.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a fact came from: source name, 1-based line (0 when unknown) and the quoted text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(default)]
pub struct Prov {
    /// Bundle path (`hns/endpoints.json`), legacy file name (`endpoint.txt`) or `paste#2`.
    pub source: String,
    /// 1-based line number of the first line of the fact; 0 when not known (e.g. live API).
    pub line: u32,
    /// The quoted line (trimmed, at most ~200 characters), when the parser had it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl Prov {
    /// Provenance without quoted text.
    #[must_use]
    pub fn new(source: impl Into<String>, line: u32) -> Self {
        Self {
            source: source.into(),
            line,
            text: None,
        }
    }

    /// Provenance with the quoted line (trimmed and shortened to 200 characters).
    #[must_use]
    pub fn quoted(source: impl Into<String>, line: u32, text: &str) -> Self {
        let t = text.trim();
        let t = match t.char_indices().nth(200) {
            Some((i, _)) => format!("{}…", &t[..i]),
            None => t.to_string(),
        };
        Self {
            source: source.into(),
            line,
            text: Some(t),
        }
    }
}

impl fmt::Display for Prov {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}", self.source, self.line)
        } else {
            write!(f, "{}", self.source)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_quote() {
        let p = Prov::quoted("endpoint.txt", 12, "  State : 4  ");
        assert_eq!(p.to_string(), "endpoint.txt:12");
        assert_eq!(p.text.as_deref(), Some("State : 4"));
        assert_eq!(
            Prov::new("hns/networks.json", 0).to_string(),
            "hns/networks.json"
        );
        let long = "x".repeat(300);
        let q = Prov::quoted("a", 1, &long);
        assert_eq!(q.text.unwrap().chars().count(), 201);
    }
}
