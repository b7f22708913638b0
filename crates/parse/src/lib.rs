//! # hnsdoctor-parse — one parser per artefact, and the assembler
//!
//! Pipeline stage: **parsers** (sources → bundle → *parsers* → model → rules → findings → reports).
//!
//! Each artefact format (HNS JSON, `ipconfig /all`, `netsh … excludedportrange`, klog lines …) has
//! one module here with a `//!` doc naming the command that produces it, the bundle path and
//! legacy CollectLogs file name, the encodings and locales seen, and how partial input is handled;
//! its fixtures sit in `fixtures/<module>/`.
//!
//! Every parser has the same signature, [`ParseFn`]: it reads one decoded text ([`Input`]) and adds
//! what it understood to a [`HostModel`], recording counts, skipped lines and warnings in the
//! [`InputSummary`] and marking the [`Fact`]s it provided. Three outcomes, as in insights-core:
//! * `Ok(())` — parsed (possibly partially: see `summary.warnings` / `summary.skipped`);
//! * `Err(ParseError::Skip)` — not applicable or the collector's own error text ("is not
//!   recognized as a cmdlet", "Access is denied", "requires elevation"): the evidence is
//!   *missing*, never "healthy";
//! * `Err(ParseError::Broken)` — data was there but not understood, with the line.
//!
//! All formats are listed in one table, [`formats::FORMATS`]: id, how to recognise the text
//! (by bundle path / legacy file name, and by content for pastes), and the parse function.
//! The assembler (`assemble`) walks an opened input and dispatches through that table.
#![forbid(unsafe_code)]

pub mod arp;
pub mod assemble;
pub mod cni_config;
pub mod codes;
pub mod command_line;
pub mod containerd_config;
pub mod docker;
pub mod error_lines;
pub mod eventlog;
pub mod eventtable;
pub mod formats;
pub mod hcn_inline;
pub mod hns_json;
pub mod hns_list;
pub mod hns_process;
pub mod hnsdiag;
pub mod hotfix;
pub mod images;
pub mod ipconfig;
pub mod klog;
pub mod kube_crash;
pub mod kube_events;
pub mod kube_pods;
pub mod lbcount;
pub mod listeners;
mod logutil;
pub mod mtu;
pub mod nameres;
pub mod nat;
pub mod netsh_ports;
pub mod osversion;
pub mod pktmon;
pub mod pserror;
pub mod psformat;
pub mod registry;
pub mod reservedports;
pub mod routes;
pub mod services;
mod skip;
#[cfg(test)]
mod testutil;
pub mod vfpctrl;
mod winout;

pub use hnsdoctor_model::{Fact, HostModel, InputSummary, Prov, SkippedLine};

/// One decoded text to parse: a whole file, or one section of a paste.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// Source name used in provenance: bundle path, legacy file name, or `paste#N`.
    pub source: &'a str,
    /// The text, already decoded to UTF-8, line ends normalised to `\n`.
    pub text: &'a str,
    /// Line number (1-based) in the original file of the first line of `text` (paste sections
    /// start mid-file); provenance lines are `first_line + index`.
    pub first_line: u32,
}

impl<'a> Input<'a> {
    /// A whole file.
    #[must_use]
    pub fn new(source: &'a str, text: &'a str) -> Self {
        Self {
            source,
            text,
            first_line: 1,
        }
    }

    /// Lines with their original 1-based line numbers.
    pub fn lines(&self) -> impl Iterator<Item = (u32, &'a str)> + 'a {
        let first = self.first_line;
        self.text.lines().enumerate().map(move |(i, l)| {
            (
                first.saturating_add(u32::try_from(i).unwrap_or(u32::MAX)),
                l,
            )
        })
    }

    /// Provenance for a line, quoting it.
    #[must_use]
    pub fn prov(&self, line: u32, text: &str) -> Prov {
        Prov::quoted(self.source, line, text)
    }
}

/// Why a parser produced nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Not applicable, empty, or the collector's own error output: evidence missing.
    #[error("skipped: {reason}")]
    Skip {
        /// Why.
        reason: String,
    },
    /// Data present but not understood.
    #[error("{path}:{line}: expected {expected}, found {found:?}")]
    Broken {
        /// Source name.
        path: String,
        /// 1-based line.
        line: u32,
        /// What the parser expected.
        expected: String,
        /// What it found (shortened).
        found: String,
    },
}

impl ParseError {
    /// A skip with a reason.
    #[must_use]
    pub fn skip(reason: impl Into<String>) -> Self {
        Self::Skip {
            reason: reason.into(),
        }
    }

    /// A broken-input error at a line of `input`.
    #[must_use]
    pub fn broken(input: &Input<'_>, line: u32, expected: impl Into<String>, found: &str) -> Self {
        Self::Broken {
            path: input.source.to_string(),
            line,
            expected: expected.into(),
            found: found.chars().take(120).collect(),
        }
    }

    /// A broken-input error at the first non-blank line of `input` (the usual answer of a
    /// parser that recognised nothing in a text it was given).
    #[must_use]
    pub fn broken_at_first_line(input: &Input<'_>, expected: impl Into<String>) -> Self {
        let (no, l) = input
            .lines()
            .find(|(_, l)| !l.trim().is_empty())
            .unwrap_or((input.first_line, ""));
        Self::broken(input, no, expected, l)
    }
}

/// The signature every parser has.
pub type ParseFn = fn(&Input<'_>, &mut HostModel, &mut InputSummary) -> Result<(), ParseError>;
