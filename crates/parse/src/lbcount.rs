//! Load-balancer counts sampled over time → [`HostModel::lb_count_samples`].
//!
//! Pipeline stage: **parsers**. Format id `hns-lb-count-series`.
//!
//! **What produces it.** A loop someone runs while watching a node lose its services, e.g.
//! `while ($true) { (hnsdiag list loadbalancers).Count; sleep 5 }`,
//! `(Get-HnsPolicyList).Count` every few seconds, or `… | Measure-Object` printing
//! `Count    : 577`. Shapes, one sample per line:
//! * a bare count: `577`;
//! * a time then a count: `10:41:07 577`, `2024-03-11 10:41:07  577`, `[10:41:07] LBs: 577`;
//! * `Count : 577` (Measure-Object), with or without a time before it;
//! * `11-02 07:14 - loadbalancers: 577` (a date and time, a dash and a label).
//!
//! **Partial input.** At least two samples make a series; other lines (`Average :`, `Sum :`,
//! blank lines, prompts) are counted as filtered. A lone number is not a series (`Broken`). Fact
//! `lb-count-series`.
//!
//! ```
//! use hnsdoctor_parse::{lbcount, Input, HostModel, InputSummary};
//! let mut m = HostModel::new();
//! let mut s = InputSummary::default();
//! lbcount::parse(&Input::new("paste#1", "09:00:01 812\n09:00:06 809\n09:00:11 14\n"), &mut m, &mut s).unwrap();
//! assert_eq!(m.lb_count_samples.iter().map(|c| c.count).collect::<Vec<_>>(), vec![812, 809, 14]);
//! assert_eq!(m.lb_count_samples[2].time.as_deref(), Some("09:00:11"));
//! ```

use crate::logutil::mark;
use crate::{Fact, HostModel, Input, InputSummary, ParseError};
use hnsdoctor_model::CountSample;
use regex::Regex;
use std::sync::LazyLock;

static SAMPLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\[?(?P<time>(?:\d{1,4}[-/.]\d{1,2}(?:[-/.]\d{1,4})?[ T])?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]m)?)?\]?[\s|,-]*(?:(?:count|number of lbs|lbs?|load ?balancers?|policies|policylists?)\s*[:=]?\s*)?(?P<n>\d{1,7})$",
    )
    .expect("constant regex")
});

fn sample(t: &str) -> Option<(Option<String>, u32)> {
    let c = SAMPLE.captures(t.trim())?;
    let n = c["n"].parse().ok()?;
    Some((c.name("time").map(|m| m.as_str().to_string()), n))
}

/// Parse a count series. See the module doc.
///
/// # Errors
/// `Skip` for empty input; `Broken` when fewer than two samples are found.
pub fn parse(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    if input.text.trim().is_empty() {
        return Err(ParseError::skip("empty input"));
    }
    let mut out = Vec::new();
    for (no, raw) in input.lines() {
        match sample(raw) {
            Some((time, count)) => out.push(CountSample {
                time,
                count,
                prov: input.prov(no, raw),
            }),
            None => summary.filtered_lines += 1,
        }
    }
    if out.len() < 2 {
        return Err(ParseError::broken_at_first_line(
            input,
            "two or more load-balancer count samples (one count per line)",
        ));
    }
    summary.objects += out.len();
    model.lb_count_samples.extend(out);
    mark(model, summary, Fact::LbCountSeries);
    Ok(())
}

/// Detector: most non-blank lines are samples (three or more), or a `Count :` series.
#[must_use]
pub fn detect(text: &str) -> u8 {
    let mut samples = 0usize;
    let mut others = 0usize;
    let mut keyed = 0usize;
    for l in text.lines().take(2000) {
        let t = l.trim();
        if t.is_empty() {
            continue;
        }
        match sample(t) {
            Some(_) => {
                samples += 1;
                if t.to_ascii_lowercase().contains("count") || t.contains(':') {
                    keyed += 1;
                }
            }
            None => others += 1,
        }
    }
    if samples >= 3 && samples >= others * 3 {
        if keyed >= 2 {
            70
        } else {
            55
        }
    } else if keyed >= 2 && samples >= others {
        50
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{run, run_fixture};

    #[test]
    fn timed_loop_output_utf16() {
        let (r, m, _) = run_fixture(
            parse,
            "paste#1",
            include_bytes!("../fixtures/lbcount/loop-utf16le.txt"),
        );
        r.unwrap();
        let c: Vec<u32> = m.lb_count_samples.iter().map(|s| s.count).collect();
        assert_eq!(c, vec![1204, 1204, 1198, 3, 0, 1201]);
        assert_eq!(
            m.lb_count_samples[3].time.as_deref(),
            Some("2025-02-14 16:20:15")
        );
        assert!(m.has(Fact::LbCountSeries));
    }

    #[test]
    fn measure_object_counts_and_bare_numbers() {
        let text = "Count    : 640\nAverage  :\nSum      :\n\nCount    : 638\n";
        let (m, _, r) = run(parse, "paste#2", text);
        r.unwrap();
        assert_eq!(m.lb_count_samples.len(), 2);
        assert!(detect("812\n812\n790\n3\n") >= 50);
        let (m, _, r) = run(
            parse,
            "paste#4",
            "11-02 07:14 - loadbalancers: 812\n11-02 07:15 - loadbalancers: 4\n",
        );
        r.unwrap();
        assert_eq!(m.lb_count_samples[1].count, 4);
        assert_eq!(m.lb_count_samples[1].time.as_deref(), Some("11-02 07:15"));
    }

    #[test]
    fn lone_number_or_other_text_is_not_a_series() {
        let (m, _, r) = run(parse, "paste#3", "42\n");
        assert!(matches!(r, Err(ParseError::Broken { .. })));
        assert!(m.lb_count_samples.is_empty());
        assert_eq!(detect("Name : nat\nType : NAT\n12\n"), 0);
    }
}
