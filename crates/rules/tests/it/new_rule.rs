//! `tools/new-rule` run into a temporary copy of the files it edits (the area's `mod.rs`,
//! `registry.rs`): it writes the rule file from the template (which the rules crate compiles and
//! tests itself, `rules::new_rule_template`), registers it, and leaves fixture placeholders that
//! the fixture table test rejects. Cheap on purpose: no second build of the crate.

use crate::fixtures::{check_case, PLACEHOLDER_MARKER};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A scratch checkout holding only what the scaffolder reads and edits.
fn scratch(name: &str) -> PathBuf {
    let root =
        std::env::temp_dir().join(format!("hnsdoctor-new-rule-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let rules = repo().join("crates/rules/src/rules");
    for area in std::fs::read_dir(&rules).unwrap().flatten() {
        if area.path().is_dir() {
            let to = root.join("crates/rules/src/rules").join(area.file_name());
            std::fs::create_dir_all(&to).unwrap();
            std::fs::copy(area.path().join("mod.rs"), to.join("mod.rs")).unwrap();
        }
    }
    std::fs::copy(
        repo().join("crates/rules/src/registry.rs"),
        root.join("crates/rules/src/registry.rs"),
    )
    .unwrap();
    std::fs::create_dir_all(root.join("crates/rules/fixtures")).unwrap();
    root
}

fn new_rule(root: &Path, args: &[&str]) -> std::process::Output {
    Command::new("python3")
        .arg(repo().join("tools/new-rule"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("python3 runs tools/new-rule")
}

#[test]
fn scaffolds_rule_registration_and_failing_fixtures() {
    let root = scratch("ok");
    let out = new_rule(&root, &["vfp-widget-stuck", "vfp"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let rule = std::fs::read_to_string(root.join("crates/rules/src/rules/vfp/vfp_widget_stuck.rs"))
        .expect("rule file written");
    let template = std::fs::read_to_string(repo().join("tools/new-rule.d/template.rs")).unwrap();
    let expected = template
        .replace("new-rule-template", "vfp-widget-stuck")
        .replace("NewRuleTemplate", "VfpWidgetStuck");
    assert_eq!(rule, expected, "the rule file is the template, renamed");
    // what registry::tests::rule_files_have_doc_headings_and_are_registered asks of a rule file
    assert!(rule.starts_with("//! `vfp-widget-stuck`"));
    for h in [
        "What it finds",
        "Why it matters",
        "Evidence used",
        "Fix",
        "Applies to",
        "References",
    ] {
        assert!(rule.contains(&format!("//! # {h}")), "heading {h}");
    }
    assert!(rule.contains("#[cfg(test)]") && rule.contains("\"vfp-widget-stuck\""));

    let mods = std::fs::read_to_string(root.join("crates/rules/src/rules/vfp/mod.rs")).unwrap();
    let lines: Vec<&str> = mods.lines().filter(|l| l.starts_with("pub mod ")).collect();
    assert!(lines.contains(&"pub mod vfp_widget_stuck;"), "{mods}");
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    assert_eq!(lines, sorted, "mod lines stay sorted");

    let reg = std::fs::read_to_string(root.join("crates/rules/src/registry.rs")).unwrap();
    let file_rules = &reg[reg.find("pub static FILE_RULES").unwrap()..];
    let file_rules = &file_rules[..file_rules.find("\n];").unwrap()];
    assert!(
        file_rules.ends_with("&vfp::vfp_widget_stuck::VfpWidgetStuck,"),
        "registered last in FILE_RULES: {}",
        &file_rules[file_rules.len().saturating_sub(120)..]
    );

    for kind in ["fires", "quiet"] {
        let p = root
            .join("crates/rules/fixtures/vfp-widget-stuck")
            .join(kind)
            .join("placeholder.txt");
        let text = std::fs::read_to_string(&p).expect("placeholder written");
        assert!(text.contains(PLACEHOLDER_MARKER));
        // the fixture table test rejects it (checked against a registered id: the rule is not
        // registered in this build)
        let err = check_case("hns-crash", kind, &p).expect_err("a placeholder must fail");
        assert!(err.contains("placeholder"), "{err}");
    }

    // a second run refuses to overwrite; bad ids and categories are refused with a message
    let again = new_rule(&root, &["vfp-widget-stuck", "vfp"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
    for (args, says) in [
        (["Bad_Id", "vfp"], "kebab-case"),
        (["fine-id", "nosuch"], "unknown category"),
    ] {
        let o = new_rule(&root, &args);
        assert!(!o.status.success());
        assert!(
            String::from_utf8_lossy(&o.stderr).contains(says),
            "{args:?}"
        );
    }
    let _ = std::fs::remove_dir_all(&root);
}
