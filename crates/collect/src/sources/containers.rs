//! Containers as the runtimes see them: HCS compute systems, containerd (k8s.io namespace),
//! docker when present.

use crate::source::{secs, Cmd, Parser, Source, Via, MIB};

/// Container sources.
pub const SOURCES: &[Source] = &[
    Source {
        id: "containers.hcsdiag",
        what: "hcsdiag list (HCS compute systems)",
        via: Via::Command(Cmd {
            program: "hcsdiag.exe",
            args: &["list"],
        }),
        timeout: secs(60),
        max_bytes: 4 * MIB,
        path: "containers/hcsdiag.txt",
        parser: Parser::RawOnly("compute-system list for people; no parser yet"),
        legacy: &["hcsdiag.txt"],
        ..Source::DEFAULT
    },
    Source {
        id: "containers.ctr",
        what: "ctr -n k8s.io c ls",
        via: Via::Command(Cmd {
            program: "ctr.exe",
            args: &["-n", "k8s.io", "c", "ls"],
        }),
        timeout: secs(60),
        max_bytes: 4 * MIB,
        path: "containers/ctr.txt",
        parser: Parser::RawOnly("container list for people; no parser yet"),
        legacy: &["containers.txt"],
        ..Source::DEFAULT
    },
    Source {
        id: "containers.docker",
        what: "docker ps -a",
        via: Via::Command(Cmd {
            program: "docker.exe",
            args: &["ps", "-a"],
        }),
        timeout: secs(60),
        max_bytes: 4 * MIB,
        path: "containers/docker-ps.txt",
        parser: Parser::RawOnly("docker is rare on Kubernetes nodes; kept for people"),
        legacy: &["docker.txt"],
        ..Source::DEFAULT
    },
];
