//! Secrets: which files are never copied into a bundle, and what is replaced in those that are.
//! Bundles are made to be handed to other people, so this runs at collection time on every
//! copied file; the manifest lists what was withheld or replaced, never the value.
//!
//! Used at collection time (`hnsdoctor-collect`) and by `hnsdoctor redact`: the one list of
//! patterns (kinds and examples: `docs/redaction.md`).
//!
//! * [`withhold_reason`] — the deny-list: kubeconfigs (by name, and by content: `kind: Config`
//!   with `users:`), Calico's `calico-kubeconfig`, bootstrap configs, token files, `azure.json`
//!   (service-principal secret), private keys and key stores (`*.key`, `*.pem`, `*.pfx`,
//!   `*.p12`, `id_rsa`…).
//! * [`Redactor`] — a line-by-line pass over text (bytes, so OEM/ANSI text survives untouched):
//!   values of secret keys in JSON, YAML, TOML, INI and command-line form (`password`,
//!   `…secret`, `…token`, `auth`, `identitytoken`, `…apikey`, `…accountkey`, `…accesskey`,
//!   `client-key-data`…), private-key blocks, connection-string secrets (`AccountKey=`,
//!   `SharedAccessKey=`, `Password=`, SAS `sig=`), JWTs (service-account tokens), kubeadm
//!   bootstrap tokens (`abcdef.0123456789abcdef`), `Bearer` credentials, certificate blocks
//!   (`-----BEGIN CERTIFICATE-----`) and kubeconfig certificate data
//!   (`client-certificate-data`, `certificate-authority-data`).
//!
//! [`redact_text`] for a whole text, [`Redactor`] for a stream of lines.

use regex::bytes::{Captures, Regex};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// What a secret value is replaced with.
pub const REDACTED: &str = "REDACTED-BY-HNSDOCTOR";

/// Why a file must not be copied at all, from its path and its first bytes; `None` to copy it
/// (through the [`Redactor`]).
#[must_use]
pub fn withhold_reason(path: &str, head: &[u8]) -> Option<String> {
    let name = path
        .rsplit(['\\', '/'])
        .next()
        .unwrap_or(path)
        .to_ascii_lowercase();
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    if name.contains("kubeconfig") || name.contains("kube-config") {
        return Some("kubeconfig: holds cluster credentials (token or client key)".into());
    }
    if name.starts_with("bootstrap") && name.contains("config") {
        return Some("kubelet bootstrap config: holds a bootstrap token".into());
    }
    if name.contains("token") {
        return Some("token file".into());
    }
    if name == "azure.json" || name == "azurestackcloud.json" {
        return Some("azure.json: holds the service principal's client secret".into());
    }
    if matches!(
        ext,
        "key" | "pem" | "pfx" | "p12" | "jks" | "keystore" | "ppk"
    ) || name.starts_with("id_rsa")
        || name.starts_with("id_ecdsa")
        || name.starts_with("id_ed25519")
    {
        return Some(format!("private key or key store (.{ext})"));
    }
    let text = String::from_utf8_lossy(head.get(..16 * 1024).unwrap_or(head));
    let text: String = text.chars().filter(|c| *c != '\0').collect();
    if text.contains("kind: Config") && (text.contains("users:") || text.contains("contexts:")) {
        return Some("kubeconfig (by content): holds cluster credentials".into());
    }
    if text.trim_start().starts_with("-----BEGIN") && text.contains("PRIVATE KEY-----") {
        return Some("private key (by content)".into());
    }
    None
}

struct Patterns {
    /// One cheap scan per line: only lines with a hint of a secret go through the rest.
    hint: Regex,
    key_value: Regex,
    conn: Regex,
    sas_sig: Regex,
    jwt: Regex,
    bootstrap: Regex,
    bearer: Regex,
    key_inline: Regex,
    key_begin: Regex,
    key_end: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let re = |s: &str| Regex::new(s).unwrap_or_else(|e| panic!("redaction pattern {s}: {e}"));
        Patterns {
            hint: re(
                r"(?i)passw|secret|token|api.?key|accountkey|access.?key|key.?data|certificate-data|auth|credential|bearer|sig=|pwd=|eyJ|-----BEGIN|\b[a-z0-9]{6}\.[a-z0-9]{16}\b",
            ),
            // key (optionally quoted), `:` or `=`, then a quoted or bare scalar value.
            key_value: re(
                r#"(?i)(?P<key>[a-z0-9_.-]*(?:password|passwd|secret|token|apikey|api_key|api-key|accountkey|accesskey|access_key|key-data|key_data|keydata|certificate-data|authority-data|auth|credentials?))(?P<sep>["']?\s*[:=]\s*)(?P<val>"(?:[^"\\]|\\.)*"|'[^']*'|[^\s,;"'{}\[\]]+)"#,
            ),
            conn: re(
                r"(?i)(?P<key>\b(?:AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd)=)(?P<val>[^;\x22'\s]+)",
            ),
            sas_sig: re(r"(?i)(?P<key>[?&]sig=)(?P<val>[^&\s\x22']+)"),
            jwt: re(r"eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+"),
            bootstrap: re(r"\b[a-z0-9]{6}\.[a-z0-9]{16}\b"),
            bearer: re(r"(?i)(?P<key>\bbearer\s+)(?P<val>[A-Za-z0-9._~+/=-]{8,})"),
            key_inline: re(
                r"-----BEGIN (?P<kind>[A-Z0-9 ]*(?:PRIVATE KEY|CERTIFICATE))-----.*?-----END [A-Z0-9 ]*(?:PRIVATE KEY|CERTIFICATE)-----",
            ),
            key_begin: re(r"-----BEGIN [A-Z0-9 ]*(?:PRIVATE KEY|CERTIFICATE)-----"),
            key_end: re(r"-----END [A-Z0-9 ]*(?:PRIVATE KEY|CERTIFICATE)-----"),
        }
    })
}

/// Compile the patterns now (the collector calls it before any source's clock starts).
pub fn warm_up() {
    let _ = patterns();
}

/// What a BEGIN line opens: a private key or a certificate.
fn block_kind(line: &[u8]) -> &'static str {
    if line.windows(11).any(|w| w == b"PRIVATE KEY") {
        "private key block"
    } else {
        "certificate block"
    }
}

/// Values that are not secrets even under a secret-sounding key.
fn harmless(val: &[u8]) -> bool {
    let v = val
        .strip_prefix(b"\"")
        .and_then(|v| v.strip_suffix(b"\""))
        .or_else(|| val.strip_prefix(b"'").and_then(|v| v.strip_suffix(b"'")))
        .unwrap_or(val);
    let lower = v.to_ascii_lowercase();
    v.is_empty()
        || matches!(
            lower.as_slice(),
            b"true" | b"false" | b"null" | b"none" | b"\"\""
        )
        || v.iter().all(u8::is_ascii_digit)
        || v == REDACTED.as_bytes()
}

/// A line-by-line redaction pass; it remembers being inside a multi-line private-key block.
#[derive(Debug, Default)]
pub struct Redactor {
    in_key_block: bool,
    counts: BTreeMap<String, u32>,
}

impl Redactor {
    /// A new pass.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn count(&mut self, what: String) {
        *self.counts.entry(what).or_insert(0) += 1;
    }

    /// Redact one line (with or without its line end). Lines inside a private-key or
    /// certificate block are dropped; the block keeps its BEGIN/END lines around a
    /// [`REDACTED`] marker.
    pub fn line<'a>(&mut self, line: &'a [u8]) -> Cow<'a, [u8]> {
        let p = patterns();
        if self.in_key_block {
            if p.key_end.is_match(line) {
                self.in_key_block = false;
                let mut out = REDACTED.as_bytes().to_vec();
                out.extend_from_slice(b"\n");
                out.extend_from_slice(line);
                return Cow::Owned(out);
            }
            return Cow::Owned(Vec::new());
        }
        if !p.hint.is_match(line) {
            return Cow::Borrowed(line);
        }
        let mut cur: Cow<'a, [u8]> = Cow::Borrowed(line);
        if p.key_inline.is_match(&cur) {
            let kinds: Vec<&'static str> = p
                .key_inline
                .find_iter(&cur)
                .map(|m| block_kind(m.as_bytes()))
                .collect();
            let out = p
                .key_inline
                .replace_all(&cur, |c: &Captures| {
                    let kind = String::from_utf8_lossy(&c["kind"]).into_owned();
                    format!("-----BEGIN {kind}-----{REDACTED}-----END {kind}-----").into_bytes()
                })
                .into_owned();
            for kind in kinds {
                self.count(kind.into());
            }
            cur = Cow::Owned(out);
        } else if p.key_begin.is_match(&cur) {
            self.in_key_block = true;
            self.count(block_kind(&cur).into());
            return cur;
        }
        cur = self.replace_kv(cur, &p.key_value, true);
        cur = self.replace_kv(cur, &p.conn, false);
        cur = self.replace_kv(cur, &p.sas_sig, false);
        cur = self.replace_kv(cur, &p.bearer, false);
        for (re, what) in [
            (&p.jwt, "JWT (service-account token)"),
            (&p.bootstrap, "bootstrap token"),
        ] {
            if re.is_match(&cur) {
                let n = u32::try_from(re.find_iter(&cur).count()).unwrap_or(u32::MAX);
                let out = re.replace_all(&cur, REDACTED.as_bytes()).into_owned();
                *self.counts.entry(what.to_string()).or_insert(0) += n;
                cur = Cow::Owned(out);
            }
        }
        cur
    }

    fn replace_kv<'a>(&mut self, cur: Cow<'a, [u8]>, re: &Regex, by_key: bool) -> Cow<'a, [u8]> {
        if !re.is_match(&cur) {
            return cur;
        }
        let mut hits: Vec<String> = Vec::new();
        let out = re
            .replace_all(&cur, |c: &Captures| {
                let val = &c["val"];
                let whole = c.get(0).map_or(&b""[..], |m| m.as_bytes()).to_vec();
                if harmless(val) {
                    return whole;
                }
                let key = String::from_utf8_lossy(&c["key"]).into_owned();
                hits.push(if by_key {
                    format!("value of key \"{}\"", key.trim_start_matches('-'))
                } else {
                    format!("value of \"{}\"", key.trim_matches(['?', '&', '=', ' ']))
                });
                let mut o = Vec::with_capacity(whole.len());
                o.extend_from_slice(&c["key"]);
                if let Some(sep) = c.name("sep") {
                    o.extend_from_slice(sep.as_bytes());
                }
                let q = val.first().copied().filter(|b| *b == b'"' || *b == b'\'');
                if let Some(q) = q {
                    o.push(q);
                }
                o.extend_from_slice(REDACTED.as_bytes());
                if let Some(q) = q {
                    o.push(q);
                }
                o
            })
            .into_owned();
        if hits.is_empty() {
            return cur;
        }
        for h in hits {
            self.count(h);
        }
        Cow::Owned(out)
    }

    /// What was replaced so far: (description, count), sorted.
    #[must_use]
    pub fn findings(&self) -> Vec<(String, u32)> {
        self.counts.iter().map(|(k, v)| (k.clone(), *v)).collect()
    }
}

/// Redact a whole text (line by line); returns the text and what was replaced.
#[must_use]
pub fn redact_text(text: &str) -> (String, Vec<(String, u32)>) {
    let mut r = Redactor::new();
    let mut out = Vec::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        out.extend_from_slice(&r.line(line.as_bytes()));
    }
    (String::from_utf8_lossy(&out).into_owned(), r.findings())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deny_list_by_name_and_content() {
        assert!(withhold_reason(r"C:\etc\cni\net.d\calico-kubeconfig", b"").is_some());
        assert!(withhold_reason(r"C:\k\azure.json", b"{}").is_some());
        assert!(withhold_reason(r"C:\k\certs\client.key", b"").is_some());
        assert!(withhold_reason(r"C:\k\bootstrap-config", b"").is_some());
        let kc = b"apiVersion: v1\nkind: Config\nusers:\n- name: x\n";
        assert!(withhold_reason(r"C:\etc\cni\net.d\10-x.conf", kc).is_some());
        assert!(withhold_reason(
            r"C:\etc\cni\net.d\10-calico.conflist",
            b"{\"cniVersion\":\"0.3.1\"}"
        )
        .is_none());
        assert!(withhold_reason(r"C:\k\kubelet.log", b"I1124 started").is_none());
    }

    #[test]
    fn secret_keys_in_every_syntax() {
        let text = concat!(
            "{\"aadClientSecret\": \"s3cr3t-value\", \"tenantId\": \"t\"}\n",
            "    token: eyJhbGciOiJSUzI1NiJ9x\n",
            "        password = \"hunter2\"\n",
            "        auth = \"dXNlcjpwYXNz\"\n",
            "        identitytoken = \"idtok\"\n",
            "KUBELET_ARGS=--node-ip=10.0.0.4 --token=07401b.f395accd246ae52d\n",
            "DefaultEndpointsProtocol=https;AccountName=st;AccountKey=QUJDRA==;EndpointSuffix=core\n",
            "url=https://st.blob.core.windows.net/c?sv=2020&sig=abc%3D&se=1\n",
            "Authorization: Bearer abcdefgh12345678\n",
            "\"secretEnabled\": true, \"tokenFile\": \"/var/token\"\n",
            "[plugins.\"io.containerd.grpc.v1.cri\".registry.configs.\"r\".auth]\n",
        );
        let (out, found) = redact_text(text);
        for secret in [
            "s3cr3t-value",
            "eyJhbGciOiJSUzI1NiJ9x",
            "hunter2",
            "dXNlcjpwYXNz",
            "idtok",
            "07401b.f395accd246ae52d",
            "QUJDRA==",
            "abc%3D",
            "abcdefgh12345678",
        ] {
            assert!(!out.contains(secret), "{secret} left in:\n{out}");
        }
        // Keys, harmless values and table headers stay.
        assert!(out.contains("\"tenantId\": \"t\""));
        assert!(out.contains("\"secretEnabled\": true"));
        assert!(out.contains("\"tokenFile\": \"/var/token\""));
        assert!(out.contains("registry.configs.\"r\".auth]"));
        assert!(out.contains(&format!("password = \"{REDACTED}\"")));
        assert!(out.contains("AccountName=st;"));
        let whats: Vec<&str> = found.iter().map(|(w, _)| w.as_str()).collect();
        assert!(
            whats.contains(&"value of key \"aadClientSecret\""),
            "{whats:?}"
        );
        assert!(whats.contains(&"value of key \"AccountKey\""), "{whats:?}");
        assert!(whats.contains(&"value of \"sig\""), "{whats:?}");
    }

    #[test]
    fn private_key_blocks_multi_line_and_inline() {
        let text = "a\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nQUJD\n-----END RSA PRIVATE KEY-----\nb\n\"k\": \"-----BEGIN PRIVATE KEY-----\\nMIIB\\n-----END PRIVATE KEY-----\"\n";
        let (out, found) = redact_text(text);
        assert!(
            !out.contains("MIIEpAIBAAKCAQEA") && !out.contains("QUJD") && !out.contains("MIIB")
        );
        assert!(out.starts_with("a\n-----BEGIN RSA PRIVATE KEY-----\n"));
        assert!(out.contains("-----END RSA PRIVATE KEY-----\nb\n"));
        assert_eq!(found, vec![("private key block".to_string(), 2)]);
    }

    #[test]
    fn non_utf8_lines_pass_through() {
        let mut r = Redactor::new();
        let line = b"Verbindungsspezifisches DNS-Suffix: \x84\x94\r\n";
        assert_eq!(r.line(line).as_ref(), &line[..]);
        assert!(r.findings().is_empty());
    }
}

/// One test per kind of secret: the value is gone, the key (or block frame) stays, the kind is
/// counted.
#[cfg(test)]
mod kinds {
    use super::*;

    fn check(line: &str, secret: &str, kept: &str, what: &str) {
        let (out, found) = redact_text(line);
        assert!(!out.contains(secret), "{secret} left in {out}");
        assert!(out.contains(kept), "{kept} lost: {out}");
        assert!(out.contains(REDACTED), "{out}");
        assert!(
            found.iter().any(|(w, _)| w.contains(what)),
            "{what} not in {found:?}"
        );
    }

    macro_rules! kind {
        ($name:ident, $line:expr, $secret:expr, $kept:expr, $what:expr) => {
            #[test]
            fn $name() {
                check($line, $secret, $kept, $what);
            }
        };
    }

    kind!(
        password_ini,
        "Password=Hunter2!\n",
        "Hunter2!",
        "Password=",
        "Password"
    );
    kind!(
        password_yaml,
        "  password: s3cr3t\n",
        "s3cr3t",
        "password: ",
        "password"
    );
    kind!(
        token_json,
        "{\"refreshToken\": \"rt-123456\"}\n",
        "rt-123456",
        "refreshToken",
        "refreshToken"
    );
    kind!(
        api_key,
        "X_API_KEY=abcd1234efgh\n",
        "abcd1234efgh",
        "X_API_KEY=",
        "API_KEY"
    );
    kind!(
        access_key,
        "{\"accessKey\": \"AKIA0000\"}\n",
        "AKIA0000",
        "accessKey",
        "accessKey"
    );
    kind!(
        jwt_anywhere,
        "sa: eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl\n",
        "c2lnbmF0dXJl",
        "sa: ",
        "JWT"
    );
    kind!(
        bootstrap_token,
        "join 07401b.f395accd246ae52d\n",
        "f395accd246ae52d",
        "join ",
        "bootstrap"
    );
    kind!(
        bearer,
        "Authorization: Bearer abcdefgh12345678\n",
        "abcdefgh12345678",
        "Bearer ",
        "value of"
    );
    kind!(
        kubeconfig_client_key,
        "    client-key-data: LS0tLS1CRUdJTg==\n",
        "LS0tLS1CRUdJTg==",
        "client-key-data: ",
        "client-key-data"
    );
    kind!(
        kubeconfig_client_certificate,
        "    client-certificate-data: LS0tQ0VSVA==\n",
        "LS0tQ0VSVA==",
        "client-certificate-data: ",
        "client-certificate-data"
    );
    kind!(
        kubeconfig_ca,
        "    certificate-authority-data: LS0tQ0E=\n",
        "LS0tQ0E=",
        "certificate-authority-data: ",
        "certificate-authority-data"
    );
    kind!(
        connection_string,
        "Server=db;User Id=sa;Password=C0nn;Database=x\n",
        "C0nn;",
        "Database=x",
        "Password"
    );
    kind!(
        storage_account_key,
        "AccountName=st;AccountKey=QUJDRA==;EndpointSuffix=core.windows.net\n",
        "QUJDRA==",
        "AccountName=st;",
        "AccountKey"
    );
    kind!(
        service_bus_key,
        "Endpoint=sb://x/;SharedAccessKeyName=r;SharedAccessKey=c2JrZXk=\n",
        "c2JrZXk=",
        "SharedAccessKeyName=r",
        "SharedAccessKey"
    );
    kind!(
        sas_signature,
        "https://st.blob.core.windows.net/c?sv=2022&sig=c2lnbmF0%2B&se=1\n",
        "c2lnbmF0%2B",
        "&se=1",
        "sig"
    );
    kind!(
        private_key_block,
        "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI\n-----END EC PRIVATE KEY-----\n",
        "MHcCAQEEI",
        "-----END EC PRIVATE KEY-----",
        "private key"
    );
    kind!(
        certificate_block,
        "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl\n-----END CERTIFICATE-----\n",
        "MIIDdzCCAl",
        "-----END CERTIFICATE-----",
        "certificate block"
    );
    kind!(
        inline_certificate,
        "\"ca\": \"-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\"\n",
        "MIIB",
        "\"ca\": ",
        "certificate block"
    );
}
