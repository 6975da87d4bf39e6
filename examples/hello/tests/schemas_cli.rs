//! `example-hello schemas …` as CI runs it: no network, no data directory, exit codes 0/1/2.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_example-hello"))
        .args(args)
        .current_dir(std::env::temp_dir())
        .env_remove("MCP_LISTEN")
        .output()
        .unwrap()
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap()
}

fn snapshot() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas.json")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("example-hello-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn export_prints_the_committed_snapshot() {
    let output = run(&["schemas", "export"]);
    assert_eq!(
        code(&output),
        0,
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let committed = std::fs::read_to_string(snapshot()).unwrap();
    assert_eq!(String::from_utf8(output.stdout).unwrap(), committed);
}

#[test]
fn check_passes_against_the_snapshot_and_fails_on_a_difference() {
    let path = snapshot();
    let ok = run(&["schemas", "check", "--snapshot", path.to_str().unwrap()]);
    assert_eq!(code(&ok), 0, "{}", String::from_utf8_lossy(&ok.stdout));

    // An older snapshot where `b` did not exist: `b` is a new required property.
    let mut old: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let input = &mut old["tools"]["add"]["inputSchema"];
    input["properties"].as_object_mut().unwrap().remove("b");
    input["required"] = serde_json::json!(["a"]);
    let older = scratch("older.json");
    std::fs::write(&older, old.to_string()).unwrap();
    let breaking = run(&["schemas", "check", "--snapshot", older.to_str().unwrap()]);
    let text = String::from_utf8(breaking.stdout.clone()).unwrap();
    assert_eq!(code(&breaking), 1, "{text}");
    assert!(text.contains("1 breaking, 0 additive"), "{text}");
    assert!(text.contains("[required-property-added]"), "{text}");
    let allowed = run(&[
        "schemas",
        "check",
        "--allow-additive",
        "--snapshot",
        older.to_str().unwrap(),
    ]);
    assert_eq!(
        code(&allowed),
        1,
        "breaking changes fail even with --allow-additive"
    );

    // A description edit is additive: allowed only with --allow-additive.
    let mut doc = old.clone();
    doc["tools"]["add"]["inputSchema"] =
        serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(&path).unwrap())
            .unwrap()["tools"]["add"]["inputSchema"]
            .clone();
    doc["tools"]["add"]["description"] = "Adds.".into();
    let edited = scratch("edited.json");
    std::fs::write(&edited, doc.to_string()).unwrap();
    let edited_arg = edited.to_str().unwrap();
    assert_eq!(
        code(&run(&["schemas", "check", "--snapshot", edited_arg])),
        1
    );
    let allowed = run(&[
        "schemas",
        "check",
        "--allow-additive",
        "--snapshot",
        edited_arg,
    ]);
    assert_eq!(
        code(&allowed),
        0,
        "{}",
        String::from_utf8_lossy(&allowed.stdout)
    );

    // --update accepts the current schemas.
    assert_eq!(
        code(&run(&[
            "schemas",
            "check",
            "--update",
            "--snapshot",
            edited_arg
        ])),
        0
    );
    assert_eq!(
        std::fs::read_to_string(&edited).unwrap(),
        std::fs::read_to_string(&path).unwrap()
    );
}

#[test]
fn usage_errors_exit_2() {
    let malformed = scratch("malformed.json");
    std::fs::write(&malformed, "{ not json").unwrap();
    assert_eq!(
        code(&run(&[
            "schemas",
            "check",
            "--snapshot",
            malformed.to_str().unwrap()
        ])),
        2
    );
    assert_eq!(code(&run(&["schemas", "frobnicate"])), 2);
    assert_eq!(code(&run(&["schemas", "lint", "--profile", "openai"])), 2);
    let missing = scratch("missing.json");
    assert_eq!(
        code(&run(&[
            "schemas",
            "check",
            "--snapshot",
            missing.to_str().unwrap()
        ])),
        1
    );
}

#[test]
fn lint_passes_in_every_profile() {
    let output = run(&["schemas", "lint"]);
    let text = String::from_utf8(output.stdout.clone()).unwrap();
    assert_eq!(code(&output), 0, "{text}");
    assert!(text.contains("0 error(s)"), "{text}");
}
