//! Container images and container lists: what the runtime has and runs, with the image's Windows
//! revision where the text shows it — so a known issue in a container image (the 2023-09
//! `servercore:ltsc2019` image, 10.0.17763.4851) can be matched on the image, not the host.
//!
//! Two formats, one module:
//!
//! * **`container-images`** — image lists and image metadata:
//!   * `docker images` / `docker image ls` (`REPOSITORY TAG IMAGE ID CREATED SIZE`, with
//!     `--digests` a `DIGEST` column after `TAG`);
//!   * `ctr -n k8s.io images ls` (`REF TYPE DIGEST SIZE PLATFORMS LABELS`; rows whose REF is a
//!     bare `sha256:…` image id are skipped, `repo@sha256:…` refs are kept);
//!   * `crictl images` (`IMAGE TAG IMAGE ID SIZE`, with `--digests` a `DIGEST` column);
//!   * `docker image inspect` JSON (`RepoTags`, `RepoDigests`, `Id`, `OsVersion`): the one
//!     source that gives the revision of a floating tag such as `ltsc2019`.
//! * **`container-list`** — running containers and their images: `ctr -n k8s.io c ls`
//!   (`CONTAINER IMAGE RUNTIME`) and `docker ps -a` (`CONTAINER ID IMAGE COMMAND …`).
//!
//! * **Bundle paths:** `containers/images.txt`, `containers/ctr-images.txt`,
//!   `containers/crictl-images.txt`, `containers/docker-images.txt`,
//!   `containers/image-inspect.json`; container lists `containers/ctr.txt`,
//!   `containers/docker-ps.txt`. **Legacy CollectLogs:** `containers.txt` (`ctr c ls`),
//!   `docker.txt` (`docker ps -a`).
//! * **Encodings:** UTF-16LE with BOM (Windows PowerShell `>`), UTF-8 (PowerShell 7, cmd).
//! * **Shape:** Go tabwriter tables. Only the leading columns are read (repository, tag,
//!   digest, image id; container id, image), split on whitespace, so a table whose alignment was
//!   lost in a paste still reads; `<none>` tags and digests count as absent. The image's
//!   Windows build and revision come from the tag (`10.0.17763.4851`, `…-10.0.17763.4974`) or,
//!   for inspect JSON, from `OsVersion`. A KB tag (`1809-KB5030214`) is resolved later by the
//!   knowledge base's update map.
//! * **Partial input:** rows with too few columns are skipped with a reason; a header with no
//!   rows still marks the fact (an empty list). Collector errors → `Skip`; text without a known
//!   header → `Broken` at its first line.
//!
//! Fills `model.images` (each reference once per model) and, for container lists,
//! `model.containers`; marks [`Fact::ContainerImages`] / [`Fact::Containers`].
//!
//! ```
//! use hnsdoctor_parse::{images, Fact, HostModel, Input, InputSummary};
//! let text = "REPOSITORY                             TAG        IMAGE ID       CREATED        SIZE\n\
//!             mcr.microsoft.com/windows/servercore   10.0.17763.4851   3c8f1e2a9b7d   2 months ago   5.78GB\n";
//! let mut model = HostModel::new();
//! let mut summary = InputSummary::default();
//! images::parse_images(&Input::new("containers/images.txt", text), &mut model, &mut summary).unwrap();
//! assert_eq!(model.images[0].os_revision, Some(4851));
//! assert!(model.has(Fact::ContainerImages));
//! ```

use crate::winout::{check_skip, mark, skip_line};
use crate::{Fact, HostModel, Input, InputSummary, ParseError};
use hnsdoctor_model::{windows_version_in, Container, ContainerImage, Prov};
use std::collections::HashSet;

/// Which table a header line starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    /// `docker images`: REPOSITORY TAG [DIGEST] IMAGE-ID …
    DockerImages { digest: bool },
    /// `crictl images`: IMAGE TAG [DIGEST] IMAGE-ID …
    CrictlImages { digest: bool },
    /// `ctr images ls`: REF TYPE DIGEST …
    CtrImages,
    /// `ctr c ls`: CONTAINER IMAGE RUNTIME
    CtrContainers,
    /// `docker ps`: CONTAINER-ID IMAGE COMMAND …
    DockerPs,
}

impl Table {
    fn is_container_list(self) -> bool {
        matches!(self, Table::CtrContainers | Table::DockerPs)
    }
}

/// The header words of a line, with `IMAGE ID` / `CONTAINER ID` joined.
fn header_words(line: &str) -> Vec<String> {
    let up = line.trim().to_ascii_uppercase();
    let raw: Vec<&str> = up.split_whitespace().collect();
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    for w in raw {
        if w == "ID" && matches!(out.last().map(String::as_str), Some("IMAGE" | "CONTAINER")) {
            if let Some(last) = out.last_mut() {
                last.push_str(" ID");
            }
        } else {
            out.push(w.to_string());
        }
    }
    out
}

fn table_of(line: &str) -> Option<Table> {
    let w = header_words(line);
    let s: Vec<&str> = w.iter().map(String::as_str).collect();
    match s.as_slice() {
        ["REPOSITORY", "TAG", "DIGEST", "IMAGE ID", ..] => {
            Some(Table::DockerImages { digest: true })
        }
        ["REPOSITORY", "TAG", "IMAGE ID", ..] => Some(Table::DockerImages { digest: false }),
        ["IMAGE", "TAG", "DIGEST", "IMAGE ID", ..] => Some(Table::CrictlImages { digest: true }),
        ["IMAGE", "TAG", "IMAGE ID", ..] => Some(Table::CrictlImages { digest: false }),
        ["REF", "TYPE", "DIGEST", ..] => Some(Table::CtrImages),
        ["CONTAINER", "IMAGE", "RUNTIME", ..] => Some(Table::CtrContainers),
        ["CONTAINER ID", "IMAGE", ..] => Some(Table::DockerPs),
        _ => None,
    }
}

fn is_inspect_json(text: &str) -> bool {
    text.contains("\"RepoTags\"") && (text.contains("\"OsVersion\"") || text.contains("\"Os\""))
}

/// Content detector for image lists and `docker image inspect` JSON.
#[must_use]
pub fn detect_images(text: &str) -> u8 {
    if is_inspect_json(text) {
        return 85;
    }
    match text.lines().take(20).find_map(table_of) {
        Some(t) if !t.is_container_list() => 90,
        _ => 0,
    }
}

/// Content detector for container lists (`ctr c ls`, `docker ps`).
#[must_use]
pub fn detect_containers(text: &str) -> u8 {
    match text.lines().take(20).find_map(table_of) {
        Some(t) if t.is_container_list() => 80,
        _ => 0,
    }
}

fn absent(s: &str) -> bool {
    s.is_empty() || s == "<none>"
}

/// Adds images to the model, each reference once (the index is built once per parse).
struct ImageSink {
    seen: HashSet<String>,
    added: usize,
}

impl ImageSink {
    fn new(model: &HostModel) -> Self {
        Self {
            seen: model.images.iter().map(ContainerImage::reference).collect(),
            added: 0,
        }
    }

    fn add(&mut self, model: &mut HostModel, img: ContainerImage) {
        if self.seen.insert(img.reference()) {
            model.images.push(img);
            self.added += 1;
        }
    }
}

/// One image from a repository, tag and digest cell.
fn image(
    repo: &str,
    tag: Option<&str>,
    digest: Option<&str>,
    prov: Prov,
) -> Option<ContainerImage> {
    if absent(repo) {
        return None;
    }
    let mut reference = repo.to_string();
    if let Some(t) = tag.filter(|t| !absent(t)) {
        reference.push(':');
        reference.push_str(t);
    }
    let mut img = ContainerImage::from_reference(&reference, prov)?;
    if img.digest.is_none() {
        img.digest = digest.filter(|d| !absent(d)).map(str::to_string);
    }
    Some(img)
}

fn read_tables(
    input: &Input<'_>,
    want_containers: bool,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Option<usize> {
    let mut table: Option<Table> = None;
    let mut found = None;
    let mut sink = ImageSink::new(model);
    let mut containers = 0usize;
    for (no, line) in input.lines() {
        if let Some(t) = table_of(line) {
            if t.is_container_list() == want_containers {
                table = Some(t);
                found.get_or_insert(0usize);
            } else {
                table = None;
            }
            continue;
        }
        let Some(t) = table else { continue };
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.is_empty() {
            continue;
        }
        let prov = input.prov(no, line);
        let need = match t {
            Table::DockerImages { digest } | Table::CrictlImages { digest } => {
                3 + usize::from(digest)
            }
            Table::CtrImages => 3,
            Table::CtrContainers => 2,
            Table::DockerPs => 2,
        };
        if f.len() < need {
            skip_line(
                summary,
                no,
                format!("row with {} of {need} leading columns", f.len()),
            );
            continue;
        }
        let img = match t {
            Table::DockerImages { digest } | Table::CrictlImages { digest } => {
                let d = digest.then_some(f[2]);
                let id = f[2 + usize::from(digest)];
                image(f[0], Some(f[1]), d, prov.clone()).map(|mut i| {
                    i.image_id = Some(id.to_string());
                    i
                })
            }
            Table::CtrImages => {
                if f[0].starts_with("sha256:") {
                    skip_line(summary, no, "image id row (no repository)");
                    continue;
                }
                ContainerImage::from_reference(f[0], prov.clone()).map(|mut i| {
                    if i.digest.is_none() && f[2].starts_with("sha256:") {
                        i.digest = Some(f[2].to_string());
                    }
                    i
                })
            }
            Table::CtrContainers | Table::DockerPs => {
                model.containers.push(Container {
                    id: f[0].to_string(),
                    image: Some(f[1].to_string()),
                    runtime: if t == Table::CtrContainers {
                        f.get(2).map(|r| (*r).to_string())
                    } else {
                        None
                    },
                    prov: prov.clone(),
                });
                containers += 1;
                ContainerImage::from_reference(f[1], prov.clone())
            }
        };
        match img {
            Some(i) => sink.add(model, i),
            None => skip_line(summary, no, "no image reference in the row"),
        }
    }
    let n = found?;
    if want_containers {
        mark(model, summary, Fact::Containers);
        summary.objects += containers;
    } else {
        summary.objects += sink.added;
    }
    if sink.added > 0 || !want_containers {
        mark(model, summary, Fact::ContainerImages);
    }
    Some(n + sink.added)
}

/// `docker image inspect` JSON: an array (or one object) with `RepoTags`, `RepoDigests`, `Id`
/// and `OsVersion`.
fn read_inspect(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    let start = input.text.find(['[', '{']).unwrap_or(0);
    let v: serde_json::Value = serde_json::from_str(&input.text[start..]).map_err(|e| {
        let line = u32::try_from(e.line()).unwrap_or(1);
        let at = input.first_line + input.text[..start].matches('\n').count() as u32 + line - 1;
        ParseError::broken(input, at, "docker image inspect JSON", &e.to_string())
    })?;
    let items: Vec<&serde_json::Value> = match &v {
        serde_json::Value::Array(a) => a.iter().collect(),
        o @ serde_json::Value::Object(_) => vec![o],
        _ => Vec::new(),
    };
    let mut sink = ImageSink::new(model);
    let prov_line = |needle: &str| -> Prov {
        input.lines().find(|(_, l)| l.contains(needle)).map_or_else(
            || input.prov(input.first_line, ""),
            |(n, l)| input.prov(n, l.trim()),
        )
    };
    for it in items {
        let version = it
            .get("OsVersion")
            .and_then(|x| x.as_str())
            .and_then(windows_version_in);
        let id = it.get("Id").and_then(|x| x.as_str()).map(str::to_string);
        let digests: Vec<&str> = it
            .get("RepoDigests")
            .and_then(|x| x.as_array())
            .map(|a| a.iter().filter_map(|d| d.as_str()).collect())
            .unwrap_or_default();
        let tags: Vec<&str> = it
            .get("RepoTags")
            .and_then(|x| x.as_array())
            .map(|a| a.iter().filter_map(|d| d.as_str()).collect())
            .unwrap_or_default();
        for r in tags.iter().chain(&digests) {
            let Some(mut img) = ContainerImage::from_reference(r, prov_line(r)) else {
                continue;
            };
            if img.digest.is_none() {
                // The digest of the same repository, if listed.
                img.digest = digests
                    .iter()
                    .filter_map(|d| d.split_once('@'))
                    .find(|(repo, _)| *repo == img.repository)
                    .map(|(_, d)| d.to_string());
            }
            if let Some((b, rev)) = version {
                img.os_build = Some(b);
                img.os_revision = Some(rev);
            }
            img.image_id.clone_from(&id);
            sink.add(model, img);
        }
    }
    summary.objects += sink.added;
    mark(model, summary, Fact::ContainerImages);
    Ok(())
}

fn broken(input: &Input<'_>, expected: &str) -> ParseError {
    let (no, l) = input
        .lines()
        .find(|(_, l)| !l.trim().is_empty())
        .unwrap_or((input.first_line, ""));
    ParseError::broken(input, no, expected, l)
}

/// Parse an image list (`docker images`, `ctr images ls`, `crictl images`) or
/// `docker image inspect` JSON.
///
/// # Errors
/// `Skip` for empty input or collector error text; `Broken` when no known header or JSON shape
/// is found.
pub fn parse_images(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    if is_inspect_json(input.text) {
        return read_inspect(input, model, summary);
    }
    match read_tables(input, false, model, summary) {
        Some(_) => Ok(()),
        None => Err(broken(
            input,
            "an image list header (REPOSITORY TAG IMAGE ID, IMAGE TAG IMAGE ID, or REF TYPE DIGEST)",
        )),
    }
}

/// Parse a container list (`ctr c ls`, `docker ps`).
///
/// # Errors
/// `Skip` for empty input or collector error text; `Broken` when no known header is found.
pub fn parse_containers(
    input: &Input<'_>,
    model: &mut HostModel,
    summary: &mut InputSummary,
) -> Result<(), ParseError> {
    check_skip(input.text)?;
    match read_tables(input, true, model, summary) {
        Some(_) => Ok(()),
        None => Err(broken(
            input,
            "a container list header (CONTAINER IMAGE RUNTIME, or CONTAINER ID IMAGE COMMAND)",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{run, run_fixture};

    fn refs(m: &HostModel) -> Vec<String> {
        m.images.iter().map(ContainerImage::reference).collect()
    }

    #[test]
    fn docker_images_utf16_with_revision_and_floating_tags() {
        let (r, m, s) = run_fixture(
            parse_images,
            "containers/images.txt",
            include_bytes!("../fixtures/images/docker-images-utf16le.txt"),
        );
        r.unwrap();
        assert_eq!(
            refs(&m),
            [
                "mcr.microsoft.com/windows/servercore:ltsc2019",
                "mcr.microsoft.com/windows/servercore:10.0.17763.4851",
                "mcr.microsoft.com/windows/nanoserver:1809-KB5031361",
                "contoso.azurecr.io/shop/web:1.4.2",
            ]
        );
        assert_eq!(m.images[0].os_revision, None);
        assert_eq!(
            (m.images[1].os_build, m.images[1].os_revision),
            (Some(17763), Some(4851))
        );
        assert_eq!(m.images[1].image_id.as_deref(), Some("3c8f1e2a9b7d"));
        assert_eq!(m.images[1].prov.line, 3);
        // `<none>:<none>` dangling image and a cut row are skipped with reasons.
        assert_eq!(s.skipped_count, 2, "{:?}", s.skipped);
        assert_eq!(s.objects, 4);
        assert!(m.has(Fact::ContainerImages));
    }

    #[test]
    fn ctr_images_ls_keeps_refs_and_digests() {
        let (r, m, s) = run_fixture(
            parse_images,
            "containers/ctr-images.txt",
            include_bytes!("../fixtures/images/ctr-images-ls.txt"),
        );
        r.unwrap();
        assert_eq!(
            refs(&m),
            [
                "mcr.microsoft.com/oss/kubernetes/pause:3.9@sha256:6210c0bf05396716df932f0729df69de0533933e5ad9871fd07b61811c4c28df",
                "mcr.microsoft.com/windows/servercore:ltsc2019@sha256:6a151b3e6826e9b42721542c8d71aa68e960cdda269ced54396c951bfb79ac70",
                "mcr.microsoft.com/windows/servercore@sha256:6a151b3e6826e9b42721542c8d71aa68e960cdda269ced54396c951bfb79ac70",
            ]
        );
        assert_eq!(s.skipped_count, 1, "the sha256: id row");
    }

    #[test]
    fn crictl_images_with_digests() {
        let (r, m, _) = run_fixture(
            parse_images,
            "containers/crictl-images.txt",
            include_bytes!("../fixtures/images/crictl-images-digests.txt"),
        );
        r.unwrap();
        let i = &m.images[1];
        assert_eq!(i.repository, "mcr.microsoft.com/windows/nanoserver");
        assert_eq!(i.tag.as_deref(), Some("ltsc2019-amd64-10.0.17763.4974"));
        assert_eq!(i.os_revision, Some(4974));
        // crictl prints the digest cut to 13 hex digits, without the algorithm.
        assert_eq!(i.digest.as_deref(), Some("2d4f6a8c0e1b3"));
    }

    #[test]
    fn inspect_json_gives_the_revision_of_a_floating_tag() {
        let (r, m, s) = run_fixture(
            parse_images,
            "containers/image-inspect.json",
            include_bytes!("../fixtures/images/docker-image-inspect.json"),
        );
        r.unwrap();
        let i = &m.images[0];
        assert_eq!(
            i.reference().split('@').next(),
            Some("mcr.microsoft.com/windows/servercore:ltsc2019")
        );
        assert_eq!((i.os_build, i.os_revision), (Some(17763), Some(4851)));
        assert!(i.prov.line > 1);
        assert_eq!(s.objects, 2, "the tag and the digest reference");
    }

    #[test]
    fn container_lists() {
        let (r, m, s) = run_fixture(
            parse_containers,
            "containers.txt",
            include_bytes!("../fixtures/images/ctr-c-ls-utf16le.txt"),
        );
        r.unwrap();
        assert_eq!(m.containers.len(), 3);
        assert_eq!(
            m.containers[2].runtime.as_deref(),
            Some("io.containerd.runhcs.v1")
        );
        // Two distinct images among three containers.
        assert_eq!(m.images.len(), 2);
        assert!(m.has(Fact::Containers) && m.has(Fact::ContainerImages));
        assert_eq!(s.objects, 3);
        let (m, _, r) = run(
            parse_containers,
            "docker.txt",
            "CONTAINER ID   IMAGE                                                   COMMAND                  CREATED       STATUS       PORTS     NAMES\n\
             4f1a2b3c4d5e   mcr.microsoft.com/windows/servercore:10.0.17763.4851   \"cmd /S /C 'ping -t …\"   2 hours ago   Up 2 hours             web\n",
        );
        r.unwrap();
        assert_eq!(m.images[0].os_revision, Some(4851));
        assert_eq!(m.containers[0].id, "4f1a2b3c4d5e");
    }

    #[test]
    fn skip_broken_and_detect() {
        let (_, _, r) = run(parse_images, "images.txt", "ctr: Access is denied.\n");
        assert!(matches!(r, Err(ParseError::Skip { .. })));
        let (_, _, r) = run(parse_images, "images.txt", "\nhello world\n");
        assert!(
            matches!(r, Err(ParseError::Broken { line: 2, ref expected, .. }) if expected.contains("REPOSITORY"))
        );
        let (_, _, r) = run(
            parse_images,
            "image-inspect.json",
            "[{\"RepoTags\": [\"a:b\"], \"OsVersion\": ",
        );
        assert!(matches!(r, Err(ParseError::Broken { .. })));
        assert_eq!(
            detect_images("REPOSITORY   TAG   IMAGE ID   CREATED   SIZE\n"),
            90
        );
        assert_eq!(detect_images("CONTAINER   IMAGE   RUNTIME\n"), 0);
        assert_eq!(detect_containers("CONTAINER   IMAGE   RUNTIME\n"), 80);
        assert_eq!(detect_images("Name  Status\n"), 0);
    }

    #[test]
    fn the_same_reference_is_kept_once() {
        let text =
            "REPOSITORY   TAG   IMAGE ID   CREATED   SIZE\nrepo/a   1.0   abc   1 day ago   1GB\n";
        let mut m = HostModel::new();
        let mut s = InputSummary::default();
        parse_images(&Input::new("a", text), &mut m, &mut s).unwrap();
        parse_images(&Input::new("b", text), &mut m, &mut s).unwrap();
        assert_eq!(m.images.len(), 1);
    }
}
