//! `hnsdoctor explain <code-or-message>`: what an HCN/Win32 error code, a finding id or a pasted
//! error line means, and which findings and workarounds it points to. Glue over
//! `hnsdoctor_kb::Kb::explain`; JSON from the typed view in `cmd/views.rs` (schema
//! `schemas/explain.schema.json`, documented in docs/json.md, "kb and explain").

use crate::cli::DataFormat;
use crate::cmd::kb::{emit_view, entry_text, entry_view, paint, steps_text, BOLD, DIM};
use crate::cmd::views::{CodeFinding, CodeView, ExplainView, KnownCode, StepView, UnknownCode};
use crate::cmd::BadInput;
use crate::exit::Exit;
use hnsdoctor_kb::{Explanation, Kb};
use std::fmt::Write as _;

/// Arguments of `explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// An error code (0x803b0013, 2151350291, -2143617005, 0x57, 87), a finding id, or a whole
    /// pasted error line (quote it).
    #[arg(allow_hyphen_values = true)]
    pub input: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DataFormat::Text)]
    pub format: DataFormat,
}

/// Run `explain`.
pub fn run(args: &Args) -> anyhow::Result<Exit> {
    let kb = Kb::get();
    let ex = kb
        .explain(&args.input)
        .map_err(|e| BadInput(e.to_string()))?;
    let mut out = String::new();
    let view = view(&args.input, kb, &ex, &mut out);
    emit_view(args.format, &out, view)?;
    Ok(Exit::Ok)
}

/// The text of an explanation (appended to `out`) and its JSON view.
pub(crate) fn view(input: &str, kb: &Kb, ex: &Explanation, out: &mut String) -> ExplainView {
    match ex {
        Explanation::Entry { entry, .. } => {
            entry_text(kb, entry, out);
            ExplainView {
                input: input.to_string(),
                kind: "entry".into(),
                entry: Some(entry_view(kb, entry)),
                codes: Vec::new(),
            }
        }
        Explanation::Codes { codes } => {
            let mut cj = Vec::new();
            for (i, c) in codes.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                let Some(code) = c.code else {
                    let _ = writeln!(
                        out,
                        "{}  not in the knowledge base",
                        paint(&format!("0x{:08x}", c.value), BOLD)
                    );
                    cj.push(CodeView::Unknown(UnknownCode {
                        id: format!("0x{:08x}", c.value),
                        value: c.value,
                        signed: c.value as i32,
                        known: false,
                    }));
                    continue;
                };
                let _ = writeln!(
                    out,
                    "{}  {}",
                    paint(&code.code, BOLD),
                    paint(&code.name, BOLD)
                );
                let win32 = code
                    .win32()
                    .map(|w| format!(" = Win32 {w} (0x{w:x})"))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "  decimal:  {} (signed {}){win32}",
                    code.value,
                    code.signed()
                );
                if let Some(m) = &code.message {
                    let _ = writeln!(out, "  message:  {m}");
                }
                let _ = writeln!(
                    out,
                    "  meaning:  {}{}",
                    code.meaning,
                    if code.inferred { " (inferred)" } else { "" }
                );
                if let Some(n) = &code.note {
                    let _ = writeln!(out, "  note:     {}", paint(n, DIM));
                }
                if !code.sources.is_empty() {
                    let _ = writeln!(out, "  sources:  {}", paint(&code.sources.join(", "), DIM));
                }
                let mut fj = Vec::new();
                for e in &c.entries {
                    let _ = writeln!(out, "  -> {}  {}", paint(&e.id, BOLD), e.title);
                    steps_text(out, &e.workaround, "       ");
                    fj.push(CodeFinding {
                        id: e.id.clone(),
                        title: e.title.clone(),
                        workaround: e.workaround.iter().map(StepView::from).collect(),
                    });
                }
                cj.push(CodeView::Known(Box::new(KnownCode {
                    id: code.code.clone(),
                    value: code.value,
                    signed: code.signed(),
                    win32: code.win32(),
                    known: true,
                    name: code.name.clone(),
                    message: code.message.clone(),
                    meaning: code.meaning.clone(),
                    note: code.note.clone(),
                    sources: code.sources.clone(),
                    inferred: code.inferred,
                    findings: fj,
                })));
            }
            let _ = writeln!(out, "\nDetails: hnsdoctor kb show <id>");
            ExplainView {
                input: input.to_string(),
                kind: "codes".into(),
                entry: None,
                codes: cj,
            }
        }
    }
}
