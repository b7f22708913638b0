//! collectlogs `reservedports.txt`: the result of its port-reservation probe.
//!
//! * **Producer:** collectlogs.ps1 emulates HNS by reserving ranges of 64 contiguous TCP ports
//!   and writes what happened; hnsdoctor reads three line shapes and nothing else (the detector
//!   is strict because the file is free text):
//!   * `ERROR: Running out of ephemeral ports…` → `exhausted = true`;
//!   * `… Rough estimation … up to N allocations of 64 contiguous TCP ports` → `succeeded = N`
//!     (how many 64-port blocks the probe could still get) when no success count was printed;
//!   * a success count `N of M` / `N/M` on a line mentioning a reservation or success →
//!     `succeeded = N`, `attempted = M`.
//! * **Bundle path:** `ports/reservedports.txt`. **Legacy CollectLogs:** `reservedports.txt`.
//! * **Encodings:** UTF-16LE with BOM and CRLF (PowerShell 5.1 `>`). The probe's messages are
//!   the script's own English text, not localized.
//! * **Partial input:** empty / collector errors → `Skip`; a text with none of the shapes above →
//!   `Broken` at its first line (no fact: "probe ran fine" must not be guessed).
//!
//! Fact: [`Fact::PortReservationProbe`].
//!
//! ```
//! use hnsdoctor_parse::{reservedports, HostModel, Input, InputSummary, Fact};
//! let text = "Rough estimation: up to 212 allocations of 64 contiguous TCP ports are possible.\n";
//! let mut model = HostModel::new();
//! let mut summary = InputSummary::default();
//! reservedports::parse(&Input::new("reservedports.txt", text), &mut model, &mut summary).unwrap();
//! let probe = model.ports.reservation_probe.as_ref().unwrap();
//! assert_eq!(probe.succeeded, Some(212));
//! assert!(!probe.exhausted && model.has(Fact::PortReservationProbe));
//! ```

use crate::winout::{check_skip, mark};
use crate::{Fact, HostModel, Input, InputSummary, ParseError};
use hnsdoctor_model::ReservationProbe;
use regex::Regex;
use std::sync::LazyLock;

#[allow(clippy::unwrap_used)]
static ESTIMATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)rough estimation.*?up to\s+(\d+)\s+allocations? of\s+64\s+contiguous").unwrap()
});
#[allow(clippy::unwrap_used)]
static COUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(\d+)\s*(?:of|/)\s*(\d+)\b").unwrap());

/// Content detector (strict).
#[must_use]
pub fn detect(text: &str) -> u8 {
    if text.contains("Running out of ephemeral ports") || ESTIMATE.is_match(text) {
        90
    } else {
        0
    }
}

/// Parse the probe output.
///
/// # Errors
/// `Skip` for empty input or collector error text; `Broken` when no known line is found.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    let mut probe = ReservationProbe::default();
    let mut first: Option<(u32, &str)> = None;
    let mut estimate: Option<u32> = None;
    for (no, raw) in input.lines() {
        let low = raw.to_lowercase();
        let mut hit = false;
        if low.contains("running out of ephemeral ports") {
            probe.exhausted = true;
            hit = true;
        }
        if let Some(n) = ESTIMATE
            .captures(raw)
            .and_then(|c| c.get(1))
            .and_then(|m| m.as_str().parse().ok())
        {
            estimate = Some(n);
            hit = true;
        } else if low.contains("reserv") || low.contains("succe") {
            if let Some(c) = COUNT.captures(raw) {
                probe.succeeded = c.get(1).and_then(|m| m.as_str().parse().ok());
                probe.attempted = c.get(2).and_then(|m| m.as_str().parse().ok());
                hit = true;
            }
        }
        if hit && first.is_none() {
            first = Some((no, raw));
        }
    }
    let Some((no, raw)) = first else {
        return Err(ParseError::broken_at_first_line(input, "port reservation probe output (Running out of ephemeral ports / Rough estimation / N of M)"));
    };
    if probe.succeeded.is_none() {
        probe.succeeded = estimate;
    }
    probe.prov = input.prov(no, raw);
    model.ports.reservation_probe = Some(probe);
    summary.objects += 1;
    mark(model, summary, Fact::PortReservationProbe);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(bytes: &[u8]) -> (Result<(), ParseError>, HostModel) {
        let (r, m, _) = crate::testutil::run_fixture(parse, "reservedports.txt", bytes);
        (r, m)
    }

    #[test]
    fn exhausted_utf16() {
        let (r, m) = run(include_bytes!(
            "../fixtures/reservedports/exhausted-utf16le.txt"
        ));
        r.unwrap();
        let p = m.ports.reservation_probe.unwrap();
        assert!(p.exhausted);
        assert_eq!((p.succeeded, p.attempted), (Some(3), Some(10)));
        assert_eq!(p.prov.line, 2);
    }

    #[test]
    fn estimation() {
        let (r, m) = run(include_bytes!("../fixtures/reservedports/estimation.txt"));
        r.unwrap();
        let p = m.ports.reservation_probe.unwrap();
        assert!(!p.exhausted);
        // the success count wins over the estimate
        assert_eq!((p.succeeded, p.attempted), (Some(10), Some(10)));
        assert_eq!(p.prov.line, 1);
        assert!(m.facts.contains(&Fact::PortReservationProbe));
    }

    #[test]
    fn strict() {
        let (r, m) = run(b"\r\nsome unrelated 3 of 4 text\r\n");
        assert!(matches!(r, Err(ParseError::Broken { line: 2, .. })));
        assert!(m.ports.reservation_probe.is_none());
        assert!(matches!(run(b"").0, Err(ParseError::Skip { .. })));
        assert_eq!(detect("Protocol tcp Port Exclusion Ranges"), 0);
    }
}
