//! Commands shown in a paste (after a prompt, or on a line of their own) are evidence too: what
//! someone asked for says what the host was told.
//!
//! Pipeline stage: **parsers** (a pass of the assembler over [`hnsdoctor_bundle::Source::command`],
//! not an artefact format). Read:
//!
//! * `docker run|create … -p [ip:]host:container[/udp]` (also `--publish`, `--publish=`) →
//!   [`hnsdoctor_model::PublishedPort`] in `model.ports.published` ([`Fact::PublishedPorts`]);
//! * the node set-up scripts of the SDN / sig-windows-tools era (`start.ps1`, `start-kubelet.ps1`,
//!   `start-kubeproxy.ps1`, `install-containerd.ps1` …) with `-ManagementIP`, `-InterfaceName`,
//!   `-ClusterCIDR`, `-ServiceCIDR`, `-KubeDnsServiceIP`, `-NetworkName` → `model.k8s`
//!   ([`Fact::KubeContext`]), each value with the command's line as provenance;
//! * `kube-proxy.exe` / `kubelet.exe` command lines with `--network-name`, `--source-vip`,
//!   `--cluster-cidr`, `--enable-dsr`, `--container-runtime-endpoint` (the runtime).
//!
//! PowerShell parameters are case-insensitive and may be abbreviated by the user; only the full
//! names above are read. Values in quotes lose them. First value wins, as with the other readers
//! of the Kubernetes context.
//!
//! ```
//! use hnsdoctor_model::{Fact, HostModel};
//! use hnsdoctor_parse::command_line::read;
//! let mut m = HostModel::new();
//! assert_eq!(read(r".\start.ps1 -ManagementIP eth1 -ServiceCIDR 10.96.0.0/12", "paste#1", 3, &mut m), 2);
//! assert_eq!(m.k8s.management_ip.as_deref(), Some("eth1"));
//! assert!(m.has(Fact::KubeContext));
//! read("docker run -d -p 8080:80 nginx", "paste#2", 9, &mut m);
//! assert_eq!(m.ports.published[0].host_port, 8080);
//! ```

use hnsdoctor_model::{Fact, HostModel, Prov, PublishedPort, Transport};

/// Split a command line into words, keeping quoted strings whole (quotes removed).
fn words(cmd: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for c in cmd.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => quote = Some(c),
            (None, c) if c.is_whitespace() => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The file name of a program word, lower case, without `.exe` (`C:\k\kube-proxy.exe` →
/// `kube-proxy`).
fn program(word: &str) -> String {
    let name = word
        .rsplit(['\\', '/'])
        .next()
        .unwrap_or(word)
        .to_ascii_lowercase();
    name.strip_suffix(".exe").unwrap_or(&name).to_string()
}

/// Read what a command line says about the host. Returns how many values were taken.
pub fn read(command: &str, source: &str, line: u32, model: &mut HostModel) -> usize {
    let w = words(command);
    let prov = Prov::quoted(source, line, command);
    // `kubectl exec pod -- docker run …`, `& .\start.ps1 …`: find the program word.
    let Some(at) = w.iter().position(|x| {
        let p = program(x);
        p == "docker"
            || p == "nerdctl"
            || p.ends_with(".ps1")
            || p == "kube-proxy"
            || p == "kubelet"
    }) else {
        return 0;
    };
    let prog = program(&w[at]);
    let args = &w[at + 1..];
    match prog.as_str() {
        "docker" | "nerdctl" => read_docker(args, command, &prov, model),
        "kube-proxy" | "kubelet" => read_flags(args, &prov, model),
        _ => read_script(args, &prov, model),
    }
}

fn read_docker(args: &[String], command: &str, prov: &Prov, model: &mut HostModel) -> usize {
    if !matches!(args.first().map(String::as_str), Some("run" | "create")) {
        return 0;
    }
    let mut n = 0;
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        let spec = match a.as_str() {
            "-p" | "--publish" => it.next().map(String::as_str),
            _ => a.strip_prefix("--publish=").or_else(|| {
                a.strip_prefix("-p")
                    .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
            }),
        };
        let Some(spec) = spec else { continue };
        if let Some(p) = publish_spec(spec) {
            model.ports.published.push(PublishedPort {
                command: command.to_string(),
                prov: prov.clone(),
                ..p
            });
            n += 1;
        }
    }
    if n > 0 {
        model.mark(Fact::PublishedPorts);
    }
    n
}

/// `8080:80`, `127.0.0.1:8080:80/tcp`, `53:53/udp` → the host port; `80` alone (a random host
/// port) and ranges are not read.
fn publish_spec(spec: &str) -> Option<PublishedPort> {
    let (ports, proto) = spec.split_once('/').unwrap_or((spec, "tcp"));
    let protocol = if proto.eq_ignore_ascii_case("udp") {
        Transport::Udp
    } else {
        Transport::Tcp
    };
    let parts: Vec<&str> = ports.rsplitn(3, ':').collect();
    // rsplitn: [container, host, ip?]
    let container = parts.first()?.parse::<u16>().ok();
    let host = parts.get(1)?.parse::<u16>().ok()?;
    Some(PublishedPort {
        protocol,
        host_port: host,
        container_port: container,
        ..PublishedPort::default()
    })
}

fn set(model: &mut HostModel, key: &str, value: &str, prov: &Prov) -> bool {
    let v = value.trim();
    if v.is_empty() {
        return false;
    }
    let k = &mut model.k8s;
    let slot = match key {
        "management_ip" => &mut k.management_ip,
        "cluster_cidr" => &mut k.cluster_cidr,
        "service_cidr" => &mut k.service_cidr,
        "dns_ip" => &mut k.dns_ip,
        "network_name" => &mut k.network_name,
        "source_vip" => &mut k.source_vip,
        "runtime" => &mut k.runtime,
        "enable_dsr" => {
            let Ok(b) = v.to_ascii_lowercase().parse::<bool>() else {
                return false;
            };
            if k.enable_dsr.is_some() {
                return false;
            }
            k.enable_dsr = Some(b);
            k.prov.push((key.to_string(), prov.clone()));
            return true;
        }
        _ => return false,
    };
    if slot.is_some() {
        return false;
    }
    *slot = Some(v.to_string());
    k.prov.push((key.to_string(), prov.clone()));
    true
}

fn read_script(args: &[String], prov: &Prov, model: &mut HostModel) -> usize {
    const PARAMS: &[(&str, &str)] = &[
        ("-managementip", "management_ip"),
        ("-interfacename", "management_ip"),
        ("-clustercidr", "cluster_cidr"),
        ("-servicecidr", "service_cidr"),
        ("-kubednsserviceip", "dns_ip"),
        ("-networkname", "network_name"),
    ];
    let mut n = 0;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let (name, inline) = match a.split_once(':') {
            Some((n, v)) if n.starts_with('-') => (n.to_ascii_lowercase(), Some(v.to_string())),
            _ => (a.to_ascii_lowercase(), None),
        };
        let Some((_, key)) = PARAMS.iter().find(|(p, _)| *p == name) else {
            continue;
        };
        let value = match inline {
            Some(v) => Some(v),
            None => it.next().cloned(),
        };
        if let Some(v) = value {
            n += usize::from(set(model, key, &v, prov));
        }
    }
    if n > 0 {
        model.mark(Fact::KubeContext);
    }
    n
}

fn read_flags(args: &[String], prov: &Prov, model: &mut HostModel) -> usize {
    let mut n = 0;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let Some(flag) = a.strip_prefix("--") else {
            continue;
        };
        let (name, value) = match flag.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => (flag.to_string(), None),
        };
        let key = match name.as_str() {
            "network-name" => "network_name",
            "source-vip" => "source_vip",
            "cluster-cidr" => "cluster_cidr",
            "enable-dsr" => "enable_dsr",
            "container-runtime-endpoint" => "runtime",
            _ => continue,
        };
        let value = value.or_else(|| it.next().cloned()).unwrap_or_default();
        let value = if key == "runtime" {
            let low = value.to_ascii_lowercase();
            if low.contains("containerd") {
                "containerd".to_string()
            } else if low.contains("docker") {
                "docker".to_string()
            } else {
                continue;
            }
        } else {
            value
        };
        n += usize::from(set(model, key, &value, prov));
    }
    if n > 0 {
        model.mark(Fact::KubeContext);
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_publish_forms() {
        let mut m = HostModel::new();
        let n = read(
            "docker run --rm -d -p 8080:80 -p 127.0.0.1:9443:443 --publish=53:53/udp -p80 -p 81 web",
            "paste#2",
            7,
            &mut m,
        );
        assert_eq!(n, 3);
        let got: Vec<(Transport, u16, Option<u16>)> = m
            .ports
            .published
            .iter()
            .map(|p| (p.protocol, p.host_port, p.container_port))
            .collect();
        assert_eq!(
            got,
            [
                (Transport::Tcp, 8080, Some(80)),
                (Transport::Tcp, 9443, Some(443)),
                (Transport::Udp, 53, Some(53))
            ]
        );
        assert_eq!(m.ports.published[0].prov.line, 7);
        assert!(m.has(Fact::PublishedPorts));
        // not a run: nothing
        let mut m = HostModel::new();
        assert_eq!(read("docker ps -a", "p", 1, &mut m), 0);
        assert!(!m.has(Fact::PublishedPorts));
    }

    #[test]
    fn setup_script_parameters() {
        let mut m = HostModel::new();
        let n = read(
            r#"PS C:\k> & .\start.ps1 -managementIP "Ethernet 2" -NetworkMode overlay -ClusterCIDR 10.244.0.0/16 -ServiceCIDR:10.96.0.0/12 -KubeDnsServiceIP 10.96.0.10"#,
            "paste#1",
            1,
            &mut m,
        );
        assert_eq!(n, 4);
        assert_eq!(m.k8s.management_ip.as_deref(), Some("Ethernet 2"));
        assert_eq!(m.k8s.service_cidr.as_deref(), Some("10.96.0.0/12"));
        assert_eq!(m.k8s.dns_ip.as_deref(), Some("10.96.0.10"));
        assert!(m
            .k8s
            .prov
            .iter()
            .any(|(k, p)| k == "management_ip" && p.line == 1));
    }

    #[test]
    fn kube_proxy_flags_and_runtime() {
        let mut m = HostModel::new();
        let n = read(
            r"C:\k\kube-proxy.exe --v=4 --network-name=vxlan0 --enable-dsr=true --source-vip 10.244.1.2",
            "p",
            1,
            &mut m,
        );
        assert_eq!(n, 3);
        assert_eq!(m.k8s.network_name.as_deref(), Some("vxlan0"));
        assert_eq!(m.k8s.enable_dsr, Some(true));
        let mut m = HostModel::new();
        read(
            r"kubelet.exe --container-runtime-endpoint=npipe:////./pipe/containerd-containerd",
            "p",
            1,
            &mut m,
        );
        assert_eq!(m.k8s.runtime.as_deref(), Some("containerd"));
        // unrelated commands read nothing
        assert_eq!(read("ipconfig /all", "p", 1, &mut HostModel::new()), 0);
    }
}
