//! The rules, one file per rule, grouped by area:
//!
//! * [`hns`] — HNS object state (endpoints, load balancers, networks, the HNS process);
//! * [`vfp`] — VFP switch ports and rules;
//! * [`ports`] — dynamic port ranges, exclusions, listeners;
//! * [`logs`] — error signatures in logs and pasted errors;
//! * [`config`] — configuration, services, NAT, CNI;
//! * [`known`] — known issues and regressions keyed by build / UBR / hotfix (knowledge base);
//! * [`gaps`] — platform gaps of the host's build (knowledge base);
//! * [`drops`] — packet drops from Packet Monitor, joined to endpoints and pods;
//! * [`input`] — what the input itself allows (nothing recognised).

pub mod config;
pub mod drops;
pub mod gaps;
pub mod hns;
pub mod input;
pub mod known;
pub mod logs;
pub mod ports;
pub mod vfp;

/// What every rule file imports.
#[allow(unused_imports)]
pub(crate) mod prelude {
    pub(crate) use crate::engine::{Ctx, Options, Rule};
    pub(crate) use crate::finding::{Confidence, Finding, FixStep, Severity};
    pub(crate) use crate::util::*;
    pub(crate) use hnsdoctor_model::*;
}
