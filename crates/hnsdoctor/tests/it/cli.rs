//! End-to-end tests of the `hnsdoctor` binary (assert_cmd). Helpers live in `util`.

use crate::util::hnsdoctor;

#[test]
fn help_lists_commands_and_exits_zero() {
    let out = hnsdoctor().arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("completions"), "{text}");
}

#[test]
fn unknown_flag_is_a_usage_error_with_code_4() {
    let out = hnsdoctor().arg("--no-such-flag").output().unwrap();
    assert_eq!(out.status.code(), Some(4));
}

#[test]
fn completions_for_powershell_and_bash() {
    for (shell, marker) in [
        ("powershell", "Register-ArgumentCompleter"),
        ("bash", "_hnsdoctor"),
    ] {
        let out = hnsdoctor().args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stdout).contains(marker),
            "{shell}"
        );
    }
}
