//! Generic readers for PowerShell formatter output: **Format-List** and **Format-Table** text, plus
//! the `{a, b, c...}` collection and `@{Key=Value; Key2=}` nested-object renderings found inside
//! their cells.
//!
//! Not a format of its own (nothing is registered in [`crate::formats::FORMATS`]): the HNS
//! `Get-Hns*` list parser, the hotfix/service/route table parsers and others build on it.
//!
//! * **Produced by**: any cmdlet whose output goes through `Out-Default` / `Out-File` (`>` in
//!   Windows PowerShell 5.1 — UTF-16LE with BOM and CRLF; the bundle layer decodes it before the
//!   parsers see it, so these readers only see `&str` lines).
//! * **Format-List** ([`parse_list`]): records separated by blank lines; each property line is
//!   `Name<pad> : value`, names padded to the longest name of the record; an empty value prints as
//!   `Name :` (the trailing space may be gone); long values wrap onto continuation lines indented to
//!   the value column. Wrapping breaks at a space when it can (the space is lost), otherwise
//!   mid-token: continuation parts are joined with a space, except when the previous physical line
//!   reaches the detected output width (seen on at least two lines), which marks a mid-token split.
//! * **Format-Table** ([`parse_tables`]): header line, a line of dash runs (one run per column,
//!   separated by spaces) that defines the column boundaries, rows, ended by a blank line. Cells
//!   that overflowed are cut and end in `...` (5.1) or `…` (PowerShell 7): [`Cell::truncated`].
//!   Column boundaries are character positions, so East-Asian double-width text may misalign.
//! * **Partial input**: lines that fit neither shape are returned in [`ListDoc::stray`] with their
//!   line numbers rather than dropped silently; a table cut before its end simply has fewer rows.
//!
//! ```
//! use hnsdoctor_parse::psformat::{parse_list, parse_collection};
//! let text = "\nID       : 3f6a2b1c\nName     : cbr0\nPolicies : {@{Type=ROUTE}, @{Type=ELB},\n           @{Type=ACL}...}\n";
//! let doc = parse_list(text.lines().zip(1u32..).map(|(l, n)| (n, l)));
//! let rec = &doc.records[0];
//! assert_eq!(rec.get("name"), Some("cbr0"));
//! let pol = parse_collection(rec.get("Policies").unwrap()).unwrap();
//! assert_eq!(pol.items.len(), 3);
//! assert!(pol.truncated);
//! ```

/// One property of a Format-List record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListField {
    /// Property name as printed.
    pub name: String,
    /// Value with continuation lines joined; empty for `Name :`.
    pub value: String,
    /// Line of the `Name : …` line.
    pub line: u32,
    /// Number of continuation lines that were joined.
    pub continuation_lines: u32,
}

/// One Format-List record (one object).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListRecord {
    /// Line of the first property.
    pub line: u32,
    /// Properties in printed order.
    pub fields: Vec<ListField>,
}

impl ListRecord {
    /// The field named `name` (ASCII case-insensitive).
    #[must_use]
    pub fn field(&self, name: &str) -> Option<&ListField> {
        self.fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }

    /// The value of `name`, trimmed; `None` when the property is absent (an empty value is `Some("")`).
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.field(name).map(|f| f.value.trim())
    }

    /// The value of `name` when present and non-empty.
    #[must_use]
    pub fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }
}

/// The result of reading Format-List text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListDoc {
    /// Records in order.
    pub records: Vec<ListRecord>,
    /// Non-blank lines that were neither a property nor a continuation (line, text).
    pub stray: Vec<(u32, String)>,
}

/// Split a Format-List property line `Name<pad> : value` into name and value.
///
/// The line must start at column 0 with a non-space character; the separator is the first ` :`
/// followed by a space or the end of the line. Returns `None` for anything else.
#[must_use]
pub fn split_list_line(line: &str) -> Option<(&str, &str)> {
    let line = line.trim_end_matches(['\r', '\n']);
    if line.starts_with(char::is_whitespace) || line.is_empty() {
        return None;
    }
    let mut search = 0usize;
    while let Some(pos) = line.get(search..).and_then(|s| s.find(" :")) {
        let at = search + pos;
        let after = line.get(at + 2..).unwrap_or("");
        if after.is_empty() || after.starts_with(' ') {
            let name = line.get(..at).unwrap_or("").trim_end();
            if name.is_empty() {
                return None;
            }
            return Some((name, after.strip_prefix(' ').unwrap_or(after)));
        }
        search = at + 2;
    }
    None
}

/// Read Format-List text given as `(line number, line)` pairs (e.g. [`crate::Input::lines`]).
pub fn parse_list<'a, I>(lines: I) -> ListDoc
where
    I: IntoIterator<Item = (u32, &'a str)>,
{
    // Physical lines are kept (as indices into `phys`) so the mid-token heuristic can look at
    // the length of the previous physical line once the output width is known.
    struct Part {
        len: usize,
        text: String,
    }
    struct Pending {
        name: String,
        line: u32,
        parts: Vec<Part>,
    }
    let mut doc = ListDoc::default();
    let mut width_counts: std::collections::BTreeMap<usize, usize> = Default::default();
    // Records with fields still as parts; joined at the end.
    let mut raw: Vec<(u32, Vec<Pending>)> = Vec::new();
    let mut cur: Option<(u32, Vec<Pending>)> = None;

    for (n, line) in lines {
        let line = line.trim_end_matches(['\r', '\n']);
        let len = line.trim_end().chars().count();
        if line.trim().is_empty() {
            if let Some(rec) = cur.take() {
                raw.push(rec);
            }
            continue;
        }
        *width_counts.entry(len).or_default() += 1;
        if line.starts_with(char::is_whitespace) {
            if let Some(last) = cur.as_mut().and_then(|(_, f)| f.last_mut()) {
                last.parts.push(Part {
                    len,
                    text: line.trim().to_string(),
                });
                continue;
            }
            doc.stray.push((n, line.to_string()));
            continue;
        }
        if let Some((name, value)) = split_list_line(line) {
            let rec = cur.get_or_insert_with(|| (n, Vec::new()));
            rec.1.push(Pending {
                name: name.to_string(),
                line: n,
                parts: vec![Part {
                    len,
                    text: value.trim_end().to_string(),
                }],
            });
        } else {
            doc.stray.push((n, line.to_string()));
        }
    }
    if let Some(rec) = cur.take() {
        raw.push(rec);
    }

    // Output width: the longest line, if at least two lines reach it.
    let width = width_counts
        .iter()
        .next_back()
        .filter(|(_, c)| **c >= 2)
        .map(|(w, _)| *w);

    for (line, pend) in raw {
        let fields = pend
            .into_iter()
            .map(|p| {
                let mut value = String::new();
                let mut prev_len = 0usize;
                let count = p.parts.len();
                for (i, part) in p.parts.into_iter().enumerate() {
                    if i > 0 && !value.is_empty() {
                        let mid_token = width.is_some_and(|w| prev_len >= w);
                        if !mid_token {
                            value.push(' ');
                        }
                    }
                    value.push_str(&part.text);
                    prev_len = part.len;
                }
                ListField {
                    name: p.name,
                    value,
                    line: p.line,
                    continuation_lines: u32::try_from(count.saturating_sub(1)).unwrap_or(u32::MAX),
                }
            })
            .collect();
        doc.records.push(ListRecord { line, fields });
    }
    doc
}

/// A Format-Table column: its header and character span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Header text.
    pub name: String,
    /// First character position (0-based).
    pub start: usize,
    /// One past the last character of the dash run.
    pub end: usize,
}

/// One table cell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    /// Text, trimmed, without the truncation marker.
    pub text: String,
    /// The formatter cut the value (it ended in `...` or `…`).
    pub truncated: bool,
}

/// One table row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    /// Line number.
    pub line: u32,
    /// The raw line.
    pub raw: String,
    /// Cells, one per column.
    pub cells: Vec<Cell>,
}

/// A Format-Table block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Line of the header.
    pub header_line: u32,
    /// Columns, left to right.
    pub columns: Vec<Column>,
    /// Rows.
    pub rows: Vec<TableRow>,
}

impl Table {
    /// Index of the column named `name` (ASCII case-insensitive).
    #[must_use]
    pub fn col(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// The cell of `row` under column `name`.
    #[must_use]
    pub fn cell<'t>(&self, row: &'t TableRow, name: &str) -> Option<&'t Cell> {
        self.col(name).and_then(|i| row.cells.get(i))
    }
}

/// Whether `line` is a Format-Table dashes line: only `-` and spaces, at least one run of `-`.
#[must_use]
pub fn is_dash_line(line: &str) -> bool {
    let t = line.trim_end();
    t.contains('-') && t.chars().all(|c| c == '-' || c == ' ')
}

fn dash_runs(line: &str) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start: Option<usize> = None;
    let mut i = 0usize;
    for c in line.chars() {
        match (c == '-', start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push((s, i));
                start = None;
            }
            _ => {}
        }
        i += 1;
    }
    if let Some(s) = start {
        runs.push((s, i));
    }
    runs
}

fn slice_chars(chars: &[char], from: usize, to: Option<usize>) -> String {
    let to = to.unwrap_or(chars.len()).min(chars.len());
    chars
        .get(from.min(to)..to)
        .map(|s| s.iter().collect())
        .unwrap_or_default()
}

/// Make a cell from raw text: trim, strip and flag a trailing `...` / `…`.
#[must_use]
pub fn cell_from(raw: &str) -> Cell {
    let t = raw.trim();
    if let Some(s) = t.strip_suffix("...").or_else(|| t.strip_suffix('…')) {
        Cell {
            text: s.trim_end().to_string(),
            truncated: true,
        }
    } else {
        Cell {
            text: t.to_string(),
            truncated: false,
        }
    }
}

/// Cut a line into cells along `columns`: column *i* spans from its start to the next column's
/// start, the last one to the end of the line.
#[must_use]
pub fn split_row(line: &str, columns: &[Column]) -> Vec<Cell> {
    let chars: Vec<char> = line.trim_end().chars().collect();
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let next = columns.get(i + 1).map(|n| n.start);
            cell_from(&slice_chars(&chars, c.start, next))
        })
        .collect()
}

/// Read every Format-Table block in `(line number, line)` pairs. A block is a non-blank header
/// line directly followed by a dashes line; its rows run to the next blank line.
pub fn parse_tables<'a, I>(lines: I) -> Vec<Table>
where
    I: IntoIterator<Item = (u32, &'a str)>,
{
    let mut tables = Vec::new();
    let mut prev: Option<(u32, &'a str)> = None;
    let mut cur: Option<Table> = None;
    for (n, line) in lines {
        let line = line.trim_end_matches(['\r', '\n']);
        if let Some(t) = cur.as_mut() {
            if line.trim().is_empty() {
                tables.extend(cur.take());
            } else {
                let cells = split_row(line, &t.columns);
                t.rows.push(TableRow {
                    line: n,
                    raw: line.to_string(),
                    cells,
                });
                prev = Some((n, line));
                continue;
            }
        }
        if is_dash_line(line) {
            if let Some((hn, header)) =
                prev.filter(|(_, h)| !h.trim().is_empty() && !is_dash_line(h))
            {
                let runs = dash_runs(line);
                let hchars: Vec<char> = header.trim_end().chars().collect();
                let columns = runs
                    .iter()
                    .enumerate()
                    .map(|(i, (s, e))| {
                        let next = runs.get(i + 1).map(|r| r.0);
                        Column {
                            name: slice_chars(&hchars, *s, next).trim().to_string(),
                            start: *s,
                            end: *e,
                        }
                    })
                    .collect();
                cur = Some(Table {
                    header_line: hn,
                    columns,
                    rows: Vec::new(),
                });
                prev = None;
                continue;
            }
        }
        prev = Some((n, line));
    }
    tables.extend(cur);
    tables
}

/// A rendered collection `{a, b, c...}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Collection {
    /// Items, trimmed (nested `@{…}` items kept whole).
    pub items: Vec<String>,
    /// The formatter cut the list (`...` / `…` before the closing brace, `$FormatEnumerationLimit`).
    pub truncated: bool,
}

/// Split `s` at top-level occurrences of `sep`, tracking `{}` nesting.
fn split_top(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            c if c == sep && depth <= 0 => {
                out.push(s.get(start..i).unwrap_or(""));
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(s.get(start..).unwrap_or(""));
    out
}

/// Parse a rendered collection `{a, b, c...}`; `{}` is an empty collection. Returns `None` when
/// `s` is not wrapped in braces (or is a nested object `@{…}`).
#[must_use]
pub fn parse_collection(s: &str) -> Option<Collection> {
    let t = s.trim();
    if t.starts_with("@{") {
        return None;
    }
    let inner = t.strip_prefix('{')?.strip_suffix('}')?;
    let (inner, truncated) = match inner
        .trim_end()
        .strip_suffix("...")
        .or_else(|| inner.trim_end().strip_suffix('…'))
    {
        Some(rest) => (rest, true),
        None => (inner, false),
    };
    if inner.trim().is_empty() {
        return Some(Collection {
            items: Vec::new(),
            truncated,
        });
    }
    let items = split_top(inner, ',')
        .into_iter()
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
        .collect();
    Some(Collection { items, truncated })
}

/// Parse a nested object rendering `@{Key=Value; Key2=}` into `(key, value)` pairs (values
/// trimmed, possibly empty). Returns `None` when `s` is not of that shape.
#[must_use]
pub fn parse_nested(s: &str) -> Option<Vec<(String, String)>> {
    let inner = s.trim().strip_prefix("@{")?.strip_suffix('}')?;
    let mut out = Vec::new();
    for part in split_top(inner, ';') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        out.push((k.trim().to_string(), v.trim().to_string()));
    }
    Some(out)
}

/// A value as a list: a `{…}` collection's items, or the single value itself; empty for `""`.
#[must_use]
pub fn values(s: &str) -> Collection {
    let t = s.trim();
    if let Some(c) = parse_collection(t) {
        return c;
    }
    if t.is_empty() {
        return Collection::default();
    }
    Collection {
        items: vec![t.to_string()],
        truncated: false,
    }
}

/// PowerShell boolean rendering (`True` / `False`, case-insensitive).
#[must_use]
pub fn ps_bool(s: &str) -> Option<bool> {
    match s.trim() {
        t if t.eq_ignore_ascii_case("true") => Some(true),
        t if t.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// Decode a fixture written by Windows PowerShell 5.1 `>` (UTF-16LE with BOM, CRLF) or UTF-8,
/// with line ends normalised to `\n` — the production decoder via [`crate::winout`]. Test helper.
#[cfg(test)]
pub(crate) fn decode_fixture(bytes: &[u8]) -> String {
    crate::winout::decode(bytes)
}

/// `(line number, line)` pairs of a whole text, numbered from 1. Test helper.
#[cfg(test)]
pub(crate) fn numbered(text: &str) -> impl Iterator<Item = (u32, &str)> {
    text.lines().zip(1u32..).map(|(l, n)| (n, l))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &[u8] = include_bytes!("../fixtures/psformat/get-hnsnetwork-list.txt");
    const TABLE: &[u8] = include_bytes!("../fixtures/psformat/hotfix-table.txt");

    #[test]
    fn fixtures_are_utf16le_bom_crlf() {
        for f in [LIST, TABLE] {
            assert_eq!(f.get(..2), Some(&[0xFF, 0xFE][..]));
            assert!(decode_fixture(f).lines().count() > 5);
            assert!(f.windows(4).any(|w| w == [b'\r', 0, b'\n', 0]));
        }
    }

    #[test]
    fn list_records_wrapping_and_empty_values() {
        let text = decode_fixture(LIST);
        let doc = parse_list(numbered(&text));
        assert_eq!(doc.records.len(), 2, "{doc:#?}");
        assert!(doc.stray.is_empty(), "{:?}", doc.stray);
        let r = &doc.records[0];
        assert_eq!(r.line, 3);
        assert_eq!(r.get("ID"), Some("3F6A2B1C-8D4E-4F5A-9B6C-7D8E9F0A1B2C"));
        assert_eq!(r.get("type"), Some("L2Bridge"));
        // empty value `Name :` with and without trailing space
        assert_eq!(r.get("DNSServerCompartment"), Some(""));
        assert_eq!(r.get("LayeredOn"), Some(""));
        assert_eq!(r.non_empty("LayeredOn"), None);
        // wrapped at a space: the space comes back
        let ext = r.field("Extensions").unwrap();
        assert_eq!(ext.continuation_lines, 3);
        assert!(
            ext.value
                .contains("Name=Microsoft Azure VFP Switch Extension}"),
            "{}",
            ext.value
        );
        let coll = parse_collection(&ext.value).unwrap();
        assert_eq!(coll.items.len(), 3);
        let vfp = parse_nested(&coll.items[1]).unwrap();
        assert!(vfp.contains(&("Name".into(), "Microsoft Azure VFP Switch Extension".into())));
        // second record, line numbers
        let r2 = &doc.records[1];
        assert_eq!(r2.get("Name"), Some("nat"));
        assert_eq!(r2.field("Name").unwrap().line, r2.line + 9);
    }

    #[test]
    fn list_mid_token_split_joined_without_space() {
        // width 40 seen on two lines: the GUID split at the width is rejoined without a space
        let text = "Name       : a\nReferences : {/endpoints/0b4c9e52-6f1d-4\n             a8e-93c2-5d7e8f9a0b1c}\nNote       : ccccccccccccccccccccccccccc\n";
        let doc = parse_list(numbered(text));
        assert_eq!(
            doc.records[0].get("References"),
            Some("{/endpoints/0b4c9e52-6f1d-4a8e-93c2-5d7e8f9a0b1c}")
        );
    }

    #[test]
    fn list_stray_lines_reported() {
        let text = "   orphan continuation\nID : 1\nnot a property line\n";
        let doc = parse_list(numbered(text));
        assert_eq!(doc.records.len(), 1);
        assert_eq!(
            doc.stray,
            vec![
                (1, "   orphan continuation".to_string()),
                (3, "not a property line".to_string())
            ]
        );
    }

    #[test]
    fn split_line_variants() {
        assert_eq!(split_list_line("Name  : cbr0"), Some(("Name", "cbr0")));
        assert_eq!(split_list_line("Name :"), Some(("Name", "")));
        assert_eq!(
            split_list_line("Url  : http://x:80 : y"),
            Some(("Url", "http://x:80 : y"))
        );
        assert_eq!(split_list_line("  Name : x"), None);
        assert_eq!(split_list_line("C:\\path"), None);
    }

    #[test]
    fn table_columns_and_truncation() {
        let text = decode_fixture(TABLE);
        let tables = parse_tables(numbered(&text));
        assert_eq!(tables.len(), 1);
        let t = &tables[0];
        assert_eq!(t.header_line, 2);
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Source",
                "Description",
                "HotFixID",
                "InstalledBy",
                "InstalledOn"
            ]
        );
        assert_eq!(t.rows.len(), 4);
        let r0 = &t.rows[0];
        assert_eq!(r0.line, 4);
        assert_eq!(t.cell(r0, "hotfixid").unwrap().text, "KB5032007");
        assert_eq!(t.cell(r0, "Source").unwrap().text, "AKSWIN0000");
        assert!(t.cell(r0, "Source").unwrap().truncated);
        assert_eq!(
            t.cell(r0, "InstalledBy").unwrap().text,
            "NT AUTHORITY\\SYSTEM"
        );
        // blank cell in the middle, truncated last cell with the PS 7 ellipsis
        let r3 = &t.rows[3];
        assert_eq!(t.cell(r3, "InstalledBy").unwrap().text, "");
        assert_eq!(t.cell(r3, "InstalledOn").unwrap().text, "4/5/2025 1");
        assert!(t.cell(r3, "InstalledOn").unwrap().truncated);
    }

    #[test]
    fn several_tables_and_cut_table() {
        let text = "A  B\n-  -\n1  2\n\nstuff\nX   Y\n--- ---\nabc def\nxyz";
        let ts = parse_tables(numbered(text));
        assert_eq!(ts.len(), 2);
        assert_eq!(ts[1].header_line, 6);
        assert_eq!(ts[1].rows.len(), 2);
        assert_eq!(ts[1].rows[1].cells[0].text, "xyz");
        assert_eq!(ts[1].rows[1].cells[1].text, "");
        // a dashes line with nothing above is not a table
        assert!(parse_tables(numbered("----\nx")).is_empty());
    }

    #[test]
    fn collections_and_nested() {
        assert_eq!(parse_collection("{}").unwrap().items.len(), 0);
        let c = parse_collection("{10.0.0.1, 10.0.0.2}").unwrap();
        assert_eq!(c.items, ["10.0.0.1", "10.0.0.2"]);
        assert!(!c.truncated);
        let c = parse_collection("{@{A=1; B={x, y}}, @{A=2}…}").unwrap();
        assert_eq!(c.items.len(), 2);
        assert!(c.truncated);
        assert_eq!(
            parse_nested(&c.items[0]).unwrap(),
            vec![("A".into(), "1".into()), ("B".into(), "{x, y}".into())]
        );
        assert_eq!(
            parse_nested("@{Key=Value; Key2=}").unwrap(),
            vec![
                ("Key".into(), "Value".into()),
                ("Key2".into(), String::new())
            ]
        );
        assert!(parse_nested("plain").is_none());
        assert!(parse_collection("@{A=1}").is_none());
        assert_eq!(values("x").items, ["x"]);
        assert!(values("").items.is_empty());
        assert_eq!(ps_bool("True"), Some(true));
        assert_eq!(ps_bool(" false "), Some(false));
        assert_eq!(ps_bool("1"), None);
    }
}
