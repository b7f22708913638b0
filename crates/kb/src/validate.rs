//! Consistency checks over the loaded data ([`Kb::validate`]): ids, ranges, KB numbers,
//! references, error-code links. Run by the crate's tests so broken data never ships.

use crate::{alias_key, EntryKind, Kb};
use regex::Regex;
use std::collections::{HashMap, HashSet};

fn is_date(s: &str) -> bool {
    let re = Regex::new(r"^\d{4}(-\d{2}(-\d{2})?)?$").expect("static regex");
    re.is_match(s)
}

/// Whether `s` is a kebab-case id.
pub(crate) fn is_kebab(s: &str) -> bool {
    let re = Regex::new(r"^[a-z0-9]+(-[a-z0-9]+)*$").expect("static regex");
    re.is_match(s)
}

/// Whether `s` looks like a URL or an `owner/repo#N` reference.
pub(crate) fn is_reference(s: &str) -> bool {
    let re =
        Regex::new(r"^(https?://[^\s/]+\.[^\s]+|[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9_.-]+#\d+)$")
            .expect("static regex");
    re.is_match(s)
}

/// Whether `s` contains at least one URL or `owner/repo#N` token (free-text source fields).
pub(crate) fn contains_reference(s: &str) -> bool {
    s.split_whitespace().any(|t| {
        is_reference(t.trim_matches(|c: char| matches!(c, '(' | ')' | ',' | ';' | '"' | '\'')))
            || is_reference(t.trim_end_matches(['.', ')', ',', ';']))
    })
}

/// Problems with a list of sources: empty, or an item neither a URL nor `owner/repo#N`.
fn check_sources(p: &mut Vec<String>, what: &str, sources: &[String]) {
    if sources.is_empty() {
        p.push(format!("{what}: no source (give a URL or owner/repo#N)"));
    }
    for s in sources {
        if !is_reference(s) {
            p.push(format!(
                "{what}: source {s:?} is neither a URL nor owner/repo#N"
            ));
        }
    }
}

pub(crate) fn validate(kb: &Kb) -> Vec<String> {
    let mut p = Vec::new();
    let builds: HashSet<u32> = kb.releases.iter().map(|r| r.build).collect();

    // Releases.
    let mut aliases: HashMap<String, u32> = HashMap::new();
    let mut last_build = 0;
    for r in &kb.releases {
        if r.build < last_build {
            p.push(format!(
                "release {} ({}) is out of build order",
                r.name, r.build
            ));
        }
        last_build = r.build;
        if r.aliases.is_empty() {
            p.push(format!("release {} has no alias", r.name));
        }
        for a in &r.aliases {
            let k = alias_key(a);
            if k.is_empty() {
                p.push(format!("release {}: empty alias {a:?}", r.name));
            }
            if let Some(b) = aliases.insert(k, r.build) {
                p.push(format!(
                    "alias {a:?} is used twice (builds {b} and {})",
                    r.build
                ));
            }
        }
        for d in [
            Some(&r.available),
            r.mainstream_end.as_ref(),
            r.support_end.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            if !is_date(d) {
                p.push(format!("release {}: bad date {d:?}", r.name));
            }
        }
        check_sources(&mut p, &format!("release {}", r.name), &r.sources);
        for e in &r.edition_support {
            if !is_date(&e.support_end) || e.edition.trim().is_empty() {
                p.push(format!(
                    "release {}: bad edition support row {:?} {:?}",
                    r.name, e.edition, e.support_end
                ));
            }
        }
        if let (Some(m), Some(s)) = (&r.mainstream_end, &r.support_end) {
            if m > s {
                p.push(format!(
                    "release {}: mainstream end after support end",
                    r.name
                ));
            }
        }
    }

    // Updates.
    let mut kbs = HashSet::new();
    let kb_re = Regex::new(r"^KB\d{6,7}$").expect("static regex");
    for u in &kb.updates {
        if !kb_re.is_match(&u.kb) {
            p.push(format!("update {:?} is not spelled KB + digits", u.kb));
        }
        if !kbs.insert(u.kb.clone()) {
            p.push(format!("update {} listed twice", u.kb));
        }
        if !builds.contains(&u.build) {
            p.push(format!(
                "update {} maps to build {} which is not in the catalog",
                u.kb, u.build
            ));
        }
        if !is_date(&u.date) {
            p.push(format!("update {}: bad date {:?}", u.kb, u.date));
        }
        check_sources(&mut p, &format!("update {}", u.kb), &u.sources);
    }

    // Entries.
    let mut ids = HashSet::new();
    for e in &kb.entries {
        if !is_kebab(&e.id) {
            p.push(format!("id {:?} is not kebab-case", e.id));
        }
        if !ids.insert(e.id.clone()) {
            p.push(format!("id {} is used twice", e.id));
        }
        for (what, v) in [
            ("title", &e.title),
            ("symptom", &e.symptom),
            ("cause", &e.cause),
        ] {
            if v.trim().is_empty() {
                p.push(format!("{}: empty {what}", e.id));
            }
        }
        if e.workaround.is_empty() {
            p.push(format!("{}: no workaround", e.id));
        }
        for s in &e.workaround {
            if s.text.trim().is_empty() || s.command.as_deref().is_some_and(|c| c.trim().is_empty())
            {
                p.push(format!("{}: empty workaround step", e.id));
            }
            p.extend(crate::action::check_actions(&e.id, s));
        }
        if e.references.is_empty() {
            p.push(format!("{}: no reference (no source)", e.id));
        }
        if e.inferred && e.notes.is_empty() && e.status_note.is_none() {
            p.push(format!(
                "{}: inferred = true needs a note saying which claim is inferred",
                e.id
            ));
        }
        for r in &e.references {
            if !is_reference(r) {
                p.push(format!(
                    "{}: reference {r:?} is neither a URL nor owner/repo#N",
                    e.id
                ));
            }
        }
        match (e.kind, e.gap_status) {
            (EntryKind::Gap, None) => p.push(format!("{}: gap without gap_status", e.id)),
            (EntryKind::Gap, _) => {}
            (_, Some(_)) => p.push(format!("{}: gap_status on a non-gap", e.id)),
            _ => {}
        }
        if e.kind != EntryKind::Issue && !e.affected.is_empty() {
            p.push(format!("{}: affected ranges need kind = \"issue\"", e.id));
        }
        for r in &e.affected {
            let at = format!("{} build {}", e.id, r.build);
            if !builds.contains(&r.build) {
                p.push(format!("{at}: build not in the catalog"));
            }
            if let Some(u) = r.until_ubr {
                if u <= r.from_ubr {
                    p.push(format!("{at}: empty range [{}, {u})", r.from_ubr));
                }
            }
            match (&r.fixed_by, r.until_ubr) {
                (Some(k), Some(u)) => match kb.update(k) {
                    Some(up) if up.build == r.build && up.ubr == u => {}
                    Some(up) => p.push(format!(
                        "{at}: fixed_by {k} is {}.{}, not {}.{u}",
                        up.build, up.ubr, r.build
                    )),
                    None => p.push(format!("{at}: fixed_by {k} is not in the update map")),
                },
                (Some(k), None) => p.push(format!("{at}: fixed_by {k} without until_ubr")),
                (None, Some(_)) if r.note.is_none() => p.push(format!(
                    "{at}: until_ubr without fixed_by needs a note saying why"
                )),
                (None, _) => {}
            }
            for k in &r.partial_fixes {
                match kb.update(k) {
                    Some(up) if up.build == r.build && r.until_ubr.is_none_or(|u| up.ubr < u) => {}
                    _ => p.push(format!(
                        "{at}: partial fix {k} unknown or not before the fix"
                    )),
                }
            }
        }
        for r in &e.affected_images {
            let at = format!("{} image build {}", e.id, r.build);
            if e.kind != EntryKind::Issue {
                p.push(format!("{at}: affected images need kind = \"issue\""));
            }
            if !builds.contains(&r.build) {
                p.push(format!("{at}: build not in the catalog"));
            }
            if r.repositories.is_empty() {
                p.push(format!("{at}: no repository"));
            }
            if r.until_rev.is_some_and(|u| u <= r.from_rev) {
                p.push(format!("{at}: empty revision range"));
            }
        }
    }

    // Features and HNS observations.
    let mut fids = HashSet::new();
    for f in &kb.features {
        if !is_kebab(&f.id) || !fids.insert(f.id.clone()) {
            p.push(format!(
                "feature id {:?} not kebab-case or not unique",
                f.id
            ));
        }
        if f.hns.is_empty() {
            p.push(format!("feature {} has no HNS interval", f.id));
        }
        check_sources(&mut p, &format!("feature {}", f.id), &f.sources);
        for i in &f.hns {
            if i.until.is_some_and(|u| u <= i.from) {
                p.push(format!("feature {}: empty interval", f.id));
            }
        }
    }
    for o in &kb.hns_versions {
        if !builds.contains(&o.build) {
            p.push(format!("HNS observation for unknown build {}", o.build));
        }
        if !contains_reference(&o.source) {
            p.push(format!(
                "HNS observation {} on {}: source {:?} names no URL or owner/repo#N",
                o.hns, o.build, o.source
            ));
        }
    }

    // Error codes.
    let mut values = HashSet::new();
    for c in &kb.codes {
        if !values.insert(c.value) {
            p.push(format!("code {} listed twice", c.code));
        }
        if c.value & 0x8000_0000 == 0 {
            p.push(format!(
                "code {} is not an HRESULT (store Win32 codes as 0x8007xxxx)",
                c.code
            ));
        }
        if c.findings.is_empty() {
            p.push(format!("code {} links to no finding", c.code));
        }
        check_sources(&mut p, &format!("code {}", c.code), &c.sources);
        for f in &c.findings {
            if kb.entry(f).is_none() {
                p.push(format!("code {} links to unknown id {f}", c.code));
            }
        }
    }
    p
}
