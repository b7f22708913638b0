//! Kubernetes node components: kubelet, kube-proxy, containerd and CNI logs and configuration in
//! their usual places (`C:\k`, `C:\var\log`, `C:\etc\cni\net.d`, `C:\ProgramData\containerd`).
//! AKS places included: `C:\k\azurecni\netconf` (CNI config), `C:\k\azure-vnet*.json` (CNI
//! state), `C:\k\azurecns` (CNS logs) and `C:\Windows\System32\azure-vnet*.log` (where the
//! azure-vnet plugin logs when containerd starts it).
//!
//! Credentials are never copied: from CNI folders only `*.conf`/`*.conflist`/`*.json` are
//! copied (the rest is listed as withheld), every copied file passes the deny-list ([`crate::redact::withhold_reason`]: Calico's
//! `calico-kubeconfig`, kubeconfigs, `azure.json`, keys) and the redaction pass (containerd
//! registry `password`/`auth`/`identitytoken`, tokens in kubelet arguments…); the manifest
//! lists what was withheld or replaced.

use crate::source::{secs, SourceDef, Via, MIB};
use hnsdoctor_bundle::artefacts;

/// Kubernetes sources.
pub const SOURCES: &[SourceDef] = &[
    SourceDef {
        id: "k8s.kubelet_logs",
        what: "kubelet logs",
        via: Via::Files {
            globs: &[
                r"C:\k\kubelet*.log",
                r"C:\var\log\kubelet\*.log",
                r"C:\k\logs\kubelet*.log",
            ],
            max_files: 20,
        },
        timeout: secs(120),
        max_bytes: 32 * MIB,
        artefact: &artefacts::K8S_KUBELET_LOGS,
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "k8s.kube_proxy_logs",
        what: "kube-proxy logs",
        via: Via::Files {
            globs: &[
                r"C:\k\kube-proxy*.log",
                r"C:\k\kubeproxy*.log",
                r"C:\var\log\kube-proxy\*.log",
                r"C:\k\logs\kube-proxy*.log",
            ],
            max_files: 20,
        },
        timeout: secs(120),
        max_bytes: 32 * MIB,
        artefact: &artefacts::K8S_KUBE_PROXY_LOGS,
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "k8s.containerd_logs",
        what: "containerd logs",
        via: Via::Files {
            globs: &[
                r"C:\k\containerd*.log",
                r"C:\var\log\containerd\*.log",
                r"C:\ProgramData\containerd\*.log",
            ],
            max_files: 20,
        },
        timeout: secs(120),
        max_bytes: 32 * MIB,
        artefact: &artefacts::K8S_CONTAINERD_LOGS,
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "k8s.cni_logs",
        what: "CNI plugin logs (azure-vnet, flannel, calico, win-bridge/overlay)",
        via: Via::Files {
            globs: &[
                r"C:\k\azure-vnet*.log",
                r"C:\Windows\System32\azure-vnet*.log",
                r"C:\k\azurecns\**",
                r"C:\k\flannel*.log",
                r"C:\var\log\calico\**",
                r"C:\CalicoWindows\logs\**",
                r"C:\var\log\cni\*.log",
            ],
            max_files: 60,
        },
        timeout: secs(120),
        max_bytes: 32 * MIB,
        artefact: &artefacts::K8S_CNI_LOGS,
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "k8s.cni_config",
        what: "CNI configuration files",
        via: Via::Files {
            globs: &[
                r"C:\etc\cni\net.d\*",
                r"C:\k\cni\config\*",
                r"C:\k\azurecni\netconf\*",
                r"C:\ProgramData\containerd\cni\conf\*",
            ],
            max_files: 20,
        },
        timeout: secs(30),
        max_bytes: 4 * MIB,
        artefact: &artefacts::K8S_CNI_CONFIG,
        only_ext: &["conf", "conflist", "json"],
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "k8s.cni_state",
        what: "azure-vnet CNI state (C:\\k\\azure-vnet.json, azure-vnet-ipam.json)",
        via: Via::Files {
            globs: &[r"C:\k\azure-vnet*.json"],
            max_files: 4,
        },
        timeout: secs(30),
        max_bytes: 16 * MIB,
        artefact: &artefacts::K8S_CNI_STATE,
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "k8s.cluster_config",
        what: "C:\\k\\kubeclusterconfig.json (service CIDR, DNS IP, network name)",
        via: Via::Files {
            globs: &[r"C:\k\kubeclusterconfig.json"],
            max_files: 1,
        },
        timeout: secs(30),
        max_bytes: 4 * MIB,
        artefact: &artefacts::K8S_CLUSTER_CONFIG,
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "k8s.containerd_config",
        what: "containerd config.toml",
        via: Via::Files {
            globs: &[
                r"C:\ProgramData\containerd\config.toml",
                r"C:\Program Files\containerd\config.toml",
            ],
            max_files: 2,
        },
        timeout: secs(30),
        max_bytes: 4 * MIB,
        artefact: &artefacts::K8S_CONTAINERD_CONFIG,
        admin_required: false,
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "k8s.kubelet_config",
        what: "kubelet config.yaml and kubeadm-flags.env (no kubeconfig)",
        via: Via::Files {
            globs: &[
                r"C:\var\lib\kubelet\config.yaml",
                r"C:\var\lib\kubelet\kubeadm-flags.env",
            ],
            max_files: 2,
        },
        timeout: secs(30),
        max_bytes: 4 * MIB,
        artefact: &artefacts::K8S_KUBELET_CONFIG,
        admin_required: false,
        ..SourceDef::DEFAULT
    },
];
