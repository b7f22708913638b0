//! `kubectl hnsdoctor` (the krew plugin) = `hnsdoctor kubectl`: collect a bundle on every
//! Windows node of a cluster (or the chosen ones), fetch the bundles, summarise with `fleet`.
//!
//! The binary recognises its krew name: run as `kubectl-hnsdoctor` (the name krew links it
//! under, and the name `kubectl` looks for on PATH), its arguments are those of this command
//! ([`plugin_args`]). It drives the `kubectl` of the admin's machine, so it works wherever
//! `kubectl` works (Windows laptops included) and needs no credentials of its own:
//!
//! 1. the nodes: `--node` names, else `kubectl get nodes -l kubernetes.io/os=windows -o name`;
//! 2. one Job per node from `deploy/job.yaml` (built into the binary): named
//!    `hnsdoctor-<run id>-<n>`, labelled `app.kubernetes.io/instance=<run id>`, pinned with
//!    `nodeName`, its command replaced by a PowerShell line that runs `hnsdoctor.exe collect`
//!    into `C:\ProgramData\hnsdoctor\<job name>`, prints [`READY`] and then waits (so that the
//!    pod is still running when the bundle is copied); created with `kubectl create -f -`;
//! 3. every `--poll`: one `kubectl get pods -l app.kubernetes.io/instance=<run id>` for all
//!    nodes; a running pod's log is read until it says [`READY`], then its bundle is copied
//!    with `kubectl cp` into `<bundles>/<node>`; a failed pod is reported with its last log
//!    line; nodes not ready after `--timeout` are reported as timed out;
//! 4. every Job is deleted (`--keep-jobs` keeps them);
//! 5. `fleet` over the fetched bundles, with the nodes that failed listed as unreadable.
//!
//! A node that fails (Job not created, pod failed, copy failed, timeout) is reported and the
//! others still count. Exit codes: those of `fleet`, at least 1 when a node failed; 5 when
//! `kubectl` is missing or no bundle at all could be fetched.

use crate::cmd::fleet::{self, FleetFormat, NodeSummary};
use crate::cmd::{analyze, PathContext};
use crate::exit::Exit;
use anyhow::Context as _;
use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// The Job manifest the plugin starts from.
pub const JOB_YAML: &str = include_str!("../../../../deploy/job.yaml");

/// The line the Job prints once its bundle is complete.
pub const READY: &str = "hnsdoctor-bundle-ready";

/// Where the Job writes its bundle on the node.
pub const NODE_DIR: &str = r"C:\ProgramData\hnsdoctor";

/// Arguments of `kubectl` (`kubectl hnsdoctor`).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Collect on these nodes only (repeat or comma-separate); default: every node labelled
    /// `kubernetes.io/os=windows`.
    #[arg(long, short = 'N', value_delimiter = ',', value_name = "NODE")]
    pub node: Vec<String>,
    /// Namespace of the Jobs (where `kubectl apply -k deploy/` put the ServiceAccount).
    #[arg(long, short = 'n', default_value = "hnsdoctor")]
    pub namespace: String,
    /// The kubeconfig context to use (passed to every `kubectl` call).
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,
    /// The `kubectl` to run.
    #[arg(long, value_name = "PATH", env = "KUBECTL", default_value = "kubectl")]
    pub kubectl: PathBuf,
    /// Image of the Jobs, instead of the one in deploy/job.yaml.
    #[arg(long, value_name = "IMAGE")]
    pub image: Option<String>,
    /// Folder for the fetched bundles (one sub-folder per node). Default:
    /// `hnsdoctor-fleet-<run id>` in the current folder.
    #[arg(long, value_name = "DIR")]
    pub bundles: Option<PathBuf>,
    /// How long to wait for the bundles: `90s`, `15m`.
    #[arg(long, value_name = "DURATION", default_value = "15m",
          value_parser = crate::cmd::watch::parse_duration)]
    pub timeout: Duration,
    /// Time between two looks at the pods.
    #[arg(long, value_name = "DURATION", default_value = "5s",
          value_parser = crate::cmd::watch::parse_duration)]
    pub poll: Duration,
    /// Name of this run (Job names `hnsdoctor-<run id>-<n>`): lowercase letters and digits,
    /// at most 20. Default: random.
    #[arg(long, value_name = "ID", value_parser = parse_run_id)]
    pub run_id: Option<String>,
    /// Leave the Jobs in the cluster (they end by themselves after their deadline).
    #[arg(long)]
    pub keep_jobs: bool,
    /// Format of the fleet summary.
    #[arg(long, value_enum, default_value_t = FleetFormat::Text)]
    pub format: FleetFormat,
    /// Write the fleet summary to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
}

fn parse_run_id(s: &str) -> Result<String, String> {
    if !s.is_empty()
        && s.len() <= 20
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        Ok(s.to_string())
    } else {
        Err(format!(
            "a run id is 1 to 20 lowercase letters and digits: {s:?}"
        ))
    }
}

fn random_id() -> String {
    let n = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
        ^ u128::from(std::process::id()) << 64;
    let mut x = (n as u64) ^ ((n >> 64) as u64);
    let mut s = String::new();
    for _ in 0..6 {
        let d = (x % 36) as u8;
        s.push(char::from(if d < 10 { b'0' + d } else { b'a' + d - 10 }));
        x /= 36;
    }
    s
}

/// The arguments to parse when the binary runs as `kubectl-hnsdoctor` (its krew name, with or
/// without `.exe`): `hnsdoctor kubectl <the rest>`; `None` under any other name.
pub fn plugin_args(args: &[std::ffi::OsString]) -> Option<Vec<std::ffi::OsString>> {
    let first = Path::new(args.first()?);
    let stem = first.file_stem()?.to_string_lossy();
    if !stem.eq_ignore_ascii_case("kubectl-hnsdoctor") {
        return None;
    }
    let mut out = vec!["hnsdoctor".into(), "kubectl".into()];
    out.extend(args.iter().skip(1).cloned());
    Some(out)
}

/// `kubectl` could not be started.
#[derive(Debug)]
pub struct KubectlMissing(pub PathBuf, pub std::io::Error);

impl std::fmt::Display for KubectlMissing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cannot run kubectl ({}): {}; install kubectl and put it on PATH, or pass --kubectl PATH",
            self.0.display(),
            self.1
        )
    }
}

impl std::error::Error for KubectlMissing {}

/// The `kubectl` of the admin's machine.
struct Kubectl<'a> {
    exe: &'a Path,
    context: Option<&'a str>,
    cwd: &'a Path,
}

impl Kubectl<'_> {
    /// Run `kubectl ARGS` (with `--context` first when given), `stdin` fed in; stdout, or an
    /// error quoting kubectl's stderr.
    fn run(&self, args: &[&str], stdin: Option<&str>) -> anyhow::Result<String> {
        let mut cmd = std::process::Command::new(self.exe);
        if let Some(c) = self.context {
            cmd.args(["--context", c]);
        }
        cmd.args(args)
            .current_dir(self.cwd)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd
            .spawn()
            .map_err(|e| KubectlMissing(self.exe.to_path_buf(), e))?;
        if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
            pipe.write_all(text.as_bytes())?;
        }
        let out = child.wait_with_output()?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            let err = String::from_utf8_lossy(&out.stderr);
            let err = err.trim();
            anyhow::bail!(
                "`kubectl {}` failed ({}){}",
                args.join(" "),
                out.status,
                if err.is_empty() {
                    String::new()
                } else {
                    format!(": {err}")
                }
            )
        }
    }
}

/// The Job that collects on `node`: `deploy/job.yaml` with its name, run label, node and
/// command set.
///
/// # Errors
/// When the built-in manifest does not have the expected shape (a bug).
pub fn job_manifest(
    run_id: &str,
    name: &str,
    node: &str,
    namespace: &str,
    image: Option<&str>,
    hold: Duration,
) -> anyhow::Result<serde_json::Value> {
    let mut v: serde_json::Value =
        serde_yaml_ng::from_str(JOB_YAML).context("deploy/job.yaml (built in)")?;
    let instance = "app.kubernetes.io/instance";
    v["metadata"]["name"] = name.into();
    v["metadata"]["namespace"] = namespace.into();
    v["metadata"]["labels"][instance] = run_id.into();
    v["spec"]["template"]["metadata"]["labels"][instance] = run_id.into();
    // the pod waits `hold` after collecting; the deadline ends it even if nobody fetches
    let hold_s = hold.as_secs().max(1);
    v["spec"]["activeDeadlineSeconds"] = (2 * hold_s + 600).into();
    let pod = &mut v["spec"]["template"]["spec"];
    pod["nodeName"] = node.into();
    let c = pod["containers"]
        .get_mut(0)
        .and_then(serde_json::Value::as_object_mut)
        .context("deploy/job.yaml (built in) has no container")?;
    let script = format!(
        "$ErrorActionPreference = 'Stop'; \
         & (Join-Path $env:CONTAINER_SANDBOX_MOUNT_POINT 'hnsdoctor.exe') collect --no-zip --out '{NODE_DIR}\\{name}'; \
         if ($LASTEXITCODE -ne 0) {{ exit $LASTEXITCODE }}; \
         Write-Output '{READY} {name}'; Start-Sleep -Seconds {hold_s}"
    );
    c.insert(
        "command".into(),
        serde_json::json!([
            "powershell.exe",
            "-NoProfile",
            "-NonInteractive",
            "-Command",
            script
        ]),
    );
    c.remove("args");
    if let Some(img) = image {
        c.insert("image".into(), img.into());
    }
    Ok(v)
}

/// How one node's collection ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Still waiting.
    Waiting,
    /// Bundle copied to this folder.
    Fetched(PathBuf),
    /// Failed, with why.
    Failed(String),
}

/// Each node with how its collection ended.
pub type NodeOutcomes = Vec<(String, Outcome)>;

struct NodeRun {
    node: String,
    job: String,
    created: bool,
    outcome: Outcome,
    last_phase: Option<String>,
}

fn last_line(text: &str) -> &str {
    text.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("(no output)")
        .trim()
}

/// Run the plugin; returns the fleet summary text, its exit code and the per-node outcomes.
///
/// # Errors
/// [`KubectlMissing`]; the node list cannot be read; no node selected; no bundle fetched.
pub fn collect_fleet(args: &Args) -> anyhow::Result<(String, Exit, NodeOutcomes)> {
    let run_id = args.run_id.clone().unwrap_or_else(random_id);
    let bundles = args
        .bundles
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("hnsdoctor-fleet-{run_id}")));
    std::fs::create_dir_all(&bundles).with_context(|| PathContext(bundles.clone(), "creating"))?;
    let k = Kubectl {
        exe: &args.kubectl,
        context: args.context.as_deref(),
        cwd: &bundles,
    };
    let ns = args.namespace.as_str();
    let nodes: Vec<String> = if args.node.is_empty() {
        let out = k
            .run(
                &[
                    "get",
                    "nodes",
                    "-l",
                    "kubernetes.io/os=windows",
                    "-o",
                    "name",
                ],
                None,
            )
            .context("listing the Windows nodes")?;
        out.lines()
            .filter_map(|l| l.trim().strip_prefix("node/"))
            .map(str::to_string)
            .collect()
    } else {
        args.node.clone()
    };
    if nodes.is_empty() {
        anyhow::bail!("no Windows node found (no node labelled kubernetes.io/os=windows); name them with --node");
    }
    eprintln!(
        "kubectl hnsdoctor: run {run_id}: collecting on {} node(s), bundles into {}",
        nodes.len(),
        bundles.display()
    );
    let mut runs: Vec<NodeRun> = Vec::with_capacity(nodes.len());
    for (i, node) in nodes.iter().enumerate() {
        let job = format!("hnsdoctor-{run_id}-{}", i + 1);
        let manifest = job_manifest(&run_id, &job, node, ns, args.image.as_deref(), args.timeout)?;
        let created = k.run(
            &["create", "-f", "-", "-o", "name"],
            Some(&manifest.to_string()),
        );
        let (created, outcome) = match created {
            Ok(_) => (true, Outcome::Waiting),
            Err(e) if e.downcast_ref::<KubectlMissing>().is_some() => return Err(e),
            Err(e) => (
                false,
                Outcome::Failed(format!("the Job was not created: {e:#}")),
            ),
        };
        runs.push(NodeRun {
            node: node.clone(),
            job,
            created,
            outcome,
            last_phase: None,
        });
    }
    let deadline = Instant::now() + args.timeout;
    let selector = format!("app.kubernetes.io/instance={run_id}");
    let jsonpath = r#"jsonpath={range .items[*]}{.metadata.labels.job-name}{" "}{.metadata.name}{" "}{.status.phase}{"\n"}{end}"#;
    loop {
        if runs.iter().all(|r| r.outcome != Outcome::Waiting) {
            break;
        }
        let pods = k.run(
            &["get", "pods", "-n", ns, "-l", &selector, "-o", jsonpath],
            None,
        );
        let pods = match pods {
            Ok(p) => p,
            Err(e) if e.downcast_ref::<KubectlMissing>().is_some() => return Err(e),
            Err(e) => {
                eprintln!("kubectl hnsdoctor: {e:#} (retrying)");
                String::new()
            }
        };
        // job name → (pod, phase); index once
        let by_job: HashMap<&str, (&str, &str)> = pods
            .lines()
            .filter_map(|l| {
                let mut it = l.split_whitespace();
                Some((it.next()?, (it.next()?, it.next().unwrap_or("Unknown"))))
            })
            .collect();
        for r in runs.iter_mut().filter(|r| r.outcome == Outcome::Waiting) {
            let Some(&(pod, phase)) = by_job.get(r.job.as_str()) else {
                continue;
            };
            r.last_phase = Some(phase.to_string());
            match phase {
                "Running" => {
                    let logs = match k.run(&["logs", "-n", ns, pod, "--tail=20"], None) {
                        Ok(l) => l,
                        Err(_) => continue, // the container may not have started logging
                    };
                    if !logs
                        .lines()
                        .any(|l| l.trim() == format!("{READY} {}", r.job))
                    {
                        continue;
                    }
                    let src = format!("{ns}/{pod}:{NODE_DIR}\\{}", r.job);
                    r.outcome = match k.run(&["cp", &src, &r.node], None) {
                        Ok(_) if bundles.join(&r.node).join("manifest.json").is_file() => {
                            Outcome::Fetched(bundles.join(&r.node))
                        }
                        Ok(_) => Outcome::Failed(format!(
                            "kubectl cp brought no bundle (no manifest.json in {})",
                            bundles.join(&r.node).display()
                        )),
                        Err(e) => Outcome::Failed(format!("{e:#}")),
                    };
                }
                "Failed" | "Succeeded" => {
                    let why = k
                        .run(&["logs", "-n", ns, pod, "--tail=20"], None)
                        .map_or_else(|e| format!("no log: {e:#}"), |l| last_line(&l).to_string());
                    r.outcome = Outcome::Failed(format!(
                        "the collect Job ended ({phase}) without a bundle: {why}"
                    ));
                }
                _ => {} // Pending, Unknown: wait
            }
            match &r.outcome {
                Outcome::Fetched(p) => {
                    eprintln!(
                        "kubectl hnsdoctor: {}: bundle fetched into {}",
                        r.node,
                        p.display()
                    );
                }
                Outcome::Failed(e) => eprintln!("kubectl hnsdoctor: {}: {e}", r.node),
                Outcome::Waiting => {}
            }
        }
        if runs.iter().all(|r| r.outcome != Outcome::Waiting) {
            break;
        }
        if Instant::now() >= deadline {
            for r in runs.iter_mut().filter(|r| r.outcome == Outcome::Waiting) {
                let msg = format!(
                    "timed out after {:?} waiting for the bundle (pod {})",
                    args.timeout,
                    r.last_phase.as_deref().unwrap_or("not created yet")
                );
                eprintln!("kubectl hnsdoctor: {}: {msg}", r.node);
                r.outcome = Outcome::Failed(msg);
            }
            break;
        }
        std::thread::sleep(
            args.poll
                .min(deadline.saturating_duration_since(Instant::now())),
        );
    }
    if !args.keep_jobs {
        for r in runs.iter().filter(|r| r.created) {
            if let Err(e) = k.run(
                &[
                    "delete",
                    "job",
                    "-n",
                    ns,
                    &r.job,
                    "--wait=false",
                    "--ignore-not-found",
                ],
                None,
            ) {
                eprintln!("kubectl hnsdoctor: could not delete Job {}: {e:#}", r.job);
            }
        }
    }
    let fetched: Vec<PathBuf> = runs
        .iter()
        .filter_map(|r| match &r.outcome {
            Outcome::Fetched(p) => Some(p.clone()),
            _ => None,
        })
        .collect();
    let outcomes: NodeOutcomes = runs
        .iter()
        .map(|r| (r.node.clone(), r.outcome.clone()))
        .collect();
    if fetched.is_empty() {
        let why: Vec<String> = outcomes
            .iter()
            .map(|(n, o)| match o {
                Outcome::Failed(e) => format!("{n}: {e}"),
                _ => n.clone(),
            })
            .collect();
        anyhow::bail!("no bundle could be fetched: {}", why.join("; "));
    }
    let failed: Vec<NodeSummary> = outcomes
        .iter()
        .filter_map(|(n, o)| match o {
            Outcome::Failed(e) => Some(NodeSummary::failed_with(
                &format!("kubectl hnsdoctor ({n})"),
                n,
                e.clone(),
            )),
            _ => None,
        })
        .collect();
    let fleet_args = fleet::Args {
        inputs: fetched,
        format: args.format,
        out: None,
        jobs: None,
        min_severity: analyze::MinSeverity::Warning,
        deviation: 50,
    };
    let any_failed = !failed.is_empty();
    let (text, code) = fleet::fleet_with(&fleet_args, failed)?;
    Ok((
        text,
        if any_failed {
            code.max(Exit::Warnings)
        } else {
            code
        },
        outcomes,
    ))
}

/// Run `kubectl hnsdoctor`.
pub fn run(args: &Args) -> anyhow::Result<Exit> {
    let (text, code, _) = collect_fleet(args)?;
    match &args.out {
        Some(p) => std::fs::write(p, text).with_context(|| PathContext(p.clone(), "writing"))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_krew_name_means_the_kubectl_command() {
        let a =
            |v: &[&str]| plugin_args(&v.iter().map(std::ffi::OsString::from).collect::<Vec<_>>());
        assert_eq!(
            a(&["/home/me/.krew/bin/kubectl-hnsdoctor", "--node", "w1"]),
            Some(vec![
                "hnsdoctor".into(),
                "kubectl".into(),
                "--node".into(),
                "w1".into()
            ])
        );
        assert!(
            a(&["/krew/bin/KUBECTL-HNSDOCTOR.EXE"]).is_some(),
            "Windows: kubectl-hnsdoctor.exe"
        );
        assert_eq!(a(&["/usr/bin/hnsdoctor", "analyze"]), None);
    }

    #[test]
    fn the_job_is_deploy_job_yaml_pinned_to_the_node() {
        let v = job_manifest(
            "r1",
            "hnsdoctor-r1-2",
            "win-b",
            "ops",
            Some("reg/hnsdoctor:1"),
            Duration::from_secs(60),
        )
        .unwrap();
        assert_eq!(v["kind"], "Job");
        assert_eq!(v["metadata"]["name"], "hnsdoctor-r1-2");
        assert_eq!(v["metadata"]["namespace"], "ops");
        assert_eq!(
            v["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/instance"],
            "r1"
        );
        let pod = &v["spec"]["template"]["spec"];
        assert_eq!(pod["nodeName"], "win-b");
        assert_eq!(
            pod["securityContext"]["windowsOptions"]["hostProcess"], true,
            "kept from job.yaml"
        );
        let c = &pod["containers"][0];
        assert_eq!(c["image"], "reg/hnsdoctor:1");
        assert!(c.get("args").is_none());
        let script = c["command"][4].as_str().unwrap();
        assert!(
            script.contains(r"collect --no-zip --out 'C:\ProgramData\hnsdoctor\hnsdoctor-r1-2'"),
            "{script}"
        );
        assert!(
            script.contains(
                "Write-Output 'hnsdoctor-bundle-ready hnsdoctor-r1-2'; Start-Sleep -Seconds 60"
            ),
            "{script}"
        );
        assert_eq!(v["spec"]["activeDeadlineSeconds"], 720);
    }

    #[test]
    fn run_ids() {
        assert!(parse_run_id("abc123").is_ok());
        assert!(parse_run_id("ABC").is_err());
        assert!(parse_run_id("a-b").is_err());
        assert!(parse_run_id("").is_err());
        let r = random_id();
        assert!(parse_run_id(&r).is_ok(), "{r}");
    }
}
