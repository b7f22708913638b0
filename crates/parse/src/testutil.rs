//! Test harness shared by the parser modules' tests: run one [`ParseFn`] over a text or a
//! fixture file and return what it produced. Fixture bytes are decoded by the production
//! decoder (`hnsdoctor_bundle::text::decode`, via [`crate::winout::decode`]).

use crate::{Input, ParseError, ParseFn};
use hnsdoctor_model::{HostModel, InputSummary};

/// Run `f` over `text` named `source`: the model, the summary and the outcome.
pub(crate) fn run(
    f: ParseFn,
    source: &str,
    text: &str,
) -> (HostModel, InputSummary, Result<(), ParseError>) {
    let mut model = HostModel::new();
    let mut summary = InputSummary::default();
    let r = f(&Input::new(source, text), &mut model, &mut summary);
    (model, summary, r)
}

/// Decode fixture `bytes` as Windows wrote them, then run `f`: the outcome first.
pub(crate) fn run_fixture(
    f: ParseFn,
    source: &str,
    bytes: &[u8],
) -> (Result<(), ParseError>, HostModel, InputSummary) {
    let text = crate::winout::decode(bytes);
    let (m, s, r) = run(f, source, &text);
    (r, m, s)
}
