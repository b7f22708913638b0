//! # hnsdoctor-host — the only platform seam
//!
//! Everything that touches Windows (HCN/HNS DLLs, registry, processes, services, event logs)
//! sits behind the `Host` trait; a scripted fake host replays latency, hangs and failures.
