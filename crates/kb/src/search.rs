//! Free-text search over entries, for a symptom in the user's words ("dns fails after node
//! restart", "port already exists").
//!
//! Scoring: the query and every entry field are tokenised (lower case, split on anything that is
//! not a letter or digit, stop words dropped), stemmed with a few suffix rules and mapped through a
//! small synonym table (reboot → restart, lookup → dns …). Each distinct query term scores the
//! weight of the best field it occurs in (id 4, title 3, symptom 2, evidence 2, cause 1) times its
//! rarity across entries (inverse document frequency), so "dns" counts for more than "fail". A
//! query appearing as a whole phrase in a title, symptom or evidence string adds a bonus, and so
//! does matching every query term.

use crate::{Entry, Kb, QueryError};
use serde::Serialize;
use std::collections::HashSet;

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit<'a> {
    /// The entry.
    pub entry: &'a Entry,
    /// Relevance (higher is better; only comparable within one query).
    pub score: f64,
    /// Query terms (normalised) that matched.
    pub matched: Vec<String>,
}

const STOP: &[&str] = &[
    "a", "an", "the", "and", "or", "of", "on", "in", "to", "is", "are", "was", "be", "it", "my",
    "for", "with", "at", "by", "from", "after", "when", "this", "that", "not", "no", "i", "we",
    "our", "can", "cannot", "does", "do", "has", "have", "its", "into", "than", "then", "there",
    "but", "get", "got", "all", "any", "some", "while", "still",
];

const SYNONYMS: &[(&str, &str)] = &[
    ("reboot", "restart"),
    ("reboote", "restart"),
    ("restarte", "restart"),
    ("rebooted", "restart"),
    ("bounce", "restart"),
    ("resolv", "dns"),
    ("resolve", "dns"),
    ("resolution", "dns"),
    ("lookup", "dns"),
    ("nslookup", "dns"),
    ("nxdomain", "dns"),
    ("fail", "fail"),
    ("failure", "fail"),
    ("broken", "fail"),
    ("break", "fail"),
    ("broke", "fail"),
    ("error", "fail"),
    ("lose", "lost"),
    ("loss", "lost"),
    ("drop", "lost"),
    ("dropp", "lost"),
    ("crash", "crash"),
    ("terminat", "crash"),
    ("egress", "outbound"),
    ("internet", "outbound"),
    ("hang", "hang"),
    ("deadlock", "hang"),
    ("stuck", "hang"),
    ("slowly", "slow"),
    ("clusterip", "vip"),
    ("exist", "exist"),
    ("exists", "exist"),
    ("node", "node"),
    ("host", "node"),
    ("pods", "pod"),
    ("containers", "container"),
    ("unreachable", "unreachable"),
    ("reach", "unreachable"),
    ("timeout", "timeout"),
    ("time", "timeout"),
];

fn stem(w: &str) -> String {
    let mut s = w.to_string();
    for suf in ["ing", "ed", "es", "s"] {
        if s.len() > suf.len() + 3 && s.ends_with(suf) {
            s.truncate(s.len() - suf.len());
            break;
        }
    }
    s
}

/// Tokens of `text`, normalised (stop words dropped, stemmed, synonyms applied).
pub(crate) fn terms(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !STOP.contains(w))
        .map(|w| {
            let st = stem(w);
            SYNONYMS
                .iter()
                .find(|(from, _)| *from == w || *from == st)
                .map(|(_, to)| (*to).to_string())
                .unwrap_or(st)
        })
        .collect()
}

struct Doc<'a> {
    entry: &'a Entry,
    fields: [(f64, Vec<String>); 5],
    phrases: Vec<Vec<String>>,
}

fn doc(entry: &Entry) -> Doc<'_> {
    let evidence = entry.evidence.join(" \n ");
    let mut phrases = vec![terms(&entry.title), terms(&entry.symptom)];
    phrases.extend(entry.evidence.iter().map(|e| terms(e)));
    Doc {
        entry,
        fields: [
            (4.0, terms(&entry.id)),
            (3.0, terms(&entry.title)),
            (2.0, terms(&entry.symptom)),
            (2.0, terms(&evidence)),
            (1.0, terms(&entry.cause)),
        ],
        phrases,
    }
}

fn contains_seq(hay: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

impl Kb {
    /// Entries ranked by relevance to a free-text symptom, best first; entries that match no
    /// query term are left out. An empty (or all stop-word) query is an error.
    pub fn search(&self, query: &str) -> Result<Vec<SearchHit<'_>>, QueryError> {
        let q = terms(query);
        let mut uniq: Vec<String> = Vec::new();
        for t in &q {
            if !uniq.contains(t) {
                uniq.push(t.clone());
            }
        }
        if uniq.is_empty() {
            return Err(QueryError::EmptySearch);
        }
        let docs: Vec<Doc> = self.entries.iter().map(doc).collect();
        let n = docs.len() as f64;
        let sets: Vec<HashSet<&String>> = docs
            .iter()
            .map(|d| d.fields.iter().flat_map(|(_, t)| t.iter()).collect())
            .collect();
        let idf: Vec<f64> = uniq
            .iter()
            .map(|t| {
                let df = sets.iter().filter(|s| s.contains(t)).count() as f64;
                (1.0 + n / (1.0 + df)).ln()
            })
            .collect();
        let mut hits = Vec::new();
        for d in &docs {
            let mut score = 0.0;
            let mut matched = Vec::new();
            for (t, w) in uniq.iter().zip(&idf) {
                let best = d
                    .fields
                    .iter()
                    .filter(|(_, toks)| toks.contains(t))
                    .map(|(fw, _)| *fw)
                    .fold(0.0, f64::max);
                if best > 0.0 {
                    score += best * w;
                    matched.push(t.clone());
                }
            }
            if matched.is_empty() {
                continue;
            }
            if uniq.len() > 1 && matched.len() == uniq.len() {
                score *= 1.5;
            }
            if q.len() > 1 && d.phrases.iter().any(|p| contains_seq(p, &q)) {
                score += 10.0;
            }
            hits.push(SearchHit {
                entry: d.entry,
                score: (score * 100.0).round() / 100.0,
                matched,
            });
        }
        hits.sort_by(|a, b| {
            b.score
                .partial_cmp(&a.score)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| a.entry.id.cmp(&b.entry.id))
        });
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn top(q: &str, n: usize) -> Vec<String> {
        Kb::get()
            .search(q)
            .unwrap()
            .into_iter()
            .take(n)
            .map(|h| h.entry.id.clone())
            .collect()
    }

    #[test]
    fn normalisation() {
        assert_eq!(terms("Rebooted nodes"), vec!["restart", "node"]);
        assert_eq!(terms("the DNS lookups failing"), vec!["dns", "dns", "fail"]);
    }

    #[test]
    fn port_already_exists_ranks_its_finding_first() {
        let t = top("port already exists", 3);
        assert_eq!(t[0], "port-already-exists", "{t:?}");
        assert!(t.contains(&"port-pool-exhaustion".to_string()), "{t:?}");
    }

    #[test]
    fn dns_after_restart() {
        let t = top("dns fails after node restart", 3);
        assert!(t.iter().all(|id| id.contains("dns")), "{t:?}");
        assert_eq!(t[0], "dns-lb-missing", "{t:?}");
        // Synonyms: reboot means restart.
        let t = top("dns broken after reboot", 2);
        assert!(t.contains(&"dns-lb-missing".to_string()), "{t:?}");
    }

    #[test]
    fn other_symptoms() {
        assert_eq!(
            top("wrong diskette", 1),
            vec!["hns-data-incompatible".to_string()]
        );
        assert_eq!(
            top("docker slow to start", 1),
            vec!["docker-slow-start-hnsdata".to_string()]
        );
        assert_eq!(top("HNS hangs", 1), vec!["hns-deadlock".to_string()]);
        assert!(top("outbound lost after reboot", 2)
            .contains(&"outbound-lost-after-restart".to_string()));
    }

    #[test]
    fn empty_query_is_an_error() {
        assert_eq!(Kb::get().search("  the of "), Err(QueryError::EmptySearch));
        assert!(Kb::get().search("zzzqqq").unwrap().is_empty());
    }
}
