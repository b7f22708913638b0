//! Containers as the runtimes see them: HCS compute systems, containerd (k8s.io namespace),
//! docker when present.

use crate::source::{secs, Cmd, SourceDef, Via, MIB};
use hnsdoctor_bundle::artefacts;

/// Container sources.
pub const SOURCES: &[SourceDef] = &[
    SourceDef {
        id: "containers.hcsdiag",
        what: "hcsdiag list (HCS compute systems)",
        via: Via::Command(Cmd {
            program: "hcsdiag.exe",
            args: &["list"],
        }),
        timeout: secs(60),
        max_bytes: 4 * MIB,
        artefact: &artefacts::CONTAINERS_HCSDIAG,
        legacy: &["hcsdiag.txt"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "containers.ctr",
        what: "ctr -n k8s.io c ls",
        via: Via::Command(Cmd {
            program: "ctr.exe",
            args: &["-n", "k8s.io", "c", "ls"],
        }),
        timeout: secs(60),
        max_bytes: 4 * MIB,
        artefact: &artefacts::CONTAINERS_CTR,
        legacy: &["containers.txt"],
        ..SourceDef::DEFAULT
    },
    SourceDef {
        id: "containers.docker",
        what: "docker ps -a",
        via: Via::Command(Cmd {
            program: "docker.exe",
            args: &["ps", "-a"],
        }),
        timeout: secs(60),
        max_bytes: 4 * MIB,
        artefact: &artefacts::CONTAINERS_DOCKER,
        legacy: &["docker.txt"],
        ..SourceDef::DEFAULT
    },
];
