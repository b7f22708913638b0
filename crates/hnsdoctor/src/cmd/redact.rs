//! `hnsdoctor redact <bundle|folder|zip|file> --out <path>`: make a copy fit for sharing.
//! Secrets are always removed (the collector's own engine, `hnsdoctor_redact::secrets`);
//! `--obfuscate` also replaces addresses, MACs, host and domain names and `--keyword` words by
//! consistent stand-ins, with the mapping written only to a private local file (default
//! `<out>.mapping.json`, never inside the output). Glue only: `hnsdoctor_redact::redact_path`.

use crate::cmd::{BadInputAt, PathContext};
use crate::exit::Exit;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `redact`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The input: an hnsdoctor bundle folder or zip, a CollectLogs folder or zip, or one file.
    pub input: PathBuf,
    /// Where the redacted copy goes (same kind as the input: folder, zip or file); must not
    /// exist.
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Also replace IPv4/IPv6 addresses, MACs, host and domain names by consistent stand-ins.
    #[arg(long)]
    pub obfuscate: bool,
    /// A word to replace as well (any case; repeat for several). Implies `--obfuscate`.
    #[arg(long, value_name = "WORD")]
    pub keyword: Vec<String>,
    /// The private mapping file (default `<out>.mapping.json`); an existing one's key is reused
    /// so the same names get the same stand-ins.
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
}

/// The library options of these arguments.
pub fn options(
    obfuscate: bool,
    keyword: &[String],
    mapping: Option<PathBuf>,
) -> hnsdoctor_redact::Options {
    hnsdoctor_redact::Options {
        obfuscate: obfuscate || !keyword.is_empty(),
        keywords: keyword.to_vec(),
        mapping,
    }
}

/// Redact `input` into `out` and print a summary on stdout.
///
/// # Errors
/// Bad input (exit 3) naming the input; output errors naming the output.
pub fn redact_to(
    input: &std::path::Path,
    out: &std::path::Path,
    opts: &hnsdoctor_redact::Options,
) -> anyhow::Result<hnsdoctor_redact::Summary> {
    hnsdoctor_redact::redact_path(input, out, opts).map_err(|e| {
        if e.is_bad_input() {
            anyhow::Error::new(BadInputAt {
                path: input.display().to_string(),
                message: e.to_string(),
            })
        } else {
            anyhow::Error::new(e).context(PathContext(out.to_path_buf(), "writing"))
        }
    })
}

/// Print what a run did.
///
/// # Errors
/// Write errors on stdout.
pub fn print_summary(
    out: &std::path::Path,
    s: &hnsdoctor_redact::Summary,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    let secrets: u32 = s.secrets.iter().map(|x| x.2).sum();
    writeln!(w, "redacted: {}", out.display())?;
    writeln!(
        w,
        "{} files written, {} withheld, {secrets} secret values replaced",
        s.files,
        s.withheld.len()
    )?;
    for (path, why) in &s.withheld {
        writeln!(w, "  withheld {path}: {why}")?;
    }
    for (path, what, n) in &s.secrets {
        writeln!(w, "  {path}: {what} ×{n}")?;
    }
    for n in &s.notes {
        writeln!(w, "  note: {n}")?;
    }
    if let Some(m) = &s.mapping {
        writeln!(
            w,
            "obfuscated: {} stand-ins; the mapping is in {} — keep it private, do not share it",
            s.replaced,
            m.display()
        )?;
    }
    Ok(())
}

/// Run `redact`.
///
/// # Errors
/// See [`redact_to`].
pub fn run(args: &Args) -> anyhow::Result<Exit> {
    let opts = options(args.obfuscate, &args.keyword, args.mapping.clone());
    let s = redact_to(&args.input, &args.out, &opts)?;
    print_summary(&args.out, &s, &mut std::io::stdout().lock())?;
    Ok(Exit::Ok)
}
