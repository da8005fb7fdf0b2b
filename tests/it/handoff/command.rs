//! `sofia handoffs` on a fresh folder: a patient asks for a person in `sofia chat`, the operator
//! lists the handoff and resolves it; resolving it again is an error.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::support::repo_path;

fn sofia(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sofia"))
        .args(args)
        .current_dir(dir)
        .env("SOFIA_KNOWLEDGE_DIR", repo_path("knowledge"))
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start sofia");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn the_operator_lists_and_resolves_a_handoff() {
    let dir = std::env::temp_dir().join(format!("sofia-handoffs-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let chat = sofia(&dir, &["chat", "--phone", "+5511987654321"], "quero falar com uma atendente\n");
    assert!(chat.status.success(), "{}", String::from_utf8_lossy(&chat.stderr));

    let listed = sofia(&dir, &["handoffs", "--tenant", "demo", "--open"], "");
    let table = stdout(&listed);
    assert!(listed.status.success(), "{table}");
    let header = table.lines().next().unwrap_or_default();
    for column in ["ID", "CLINIC", "PHONE", "REASON", "AGE", "STATUS"] {
        assert!(header.contains(column), "{table}");
    }
    let row = table.lines().nth(1).unwrap_or_else(|| panic!("one handoff: {table}"));
    assert!(row.contains("demo") && row.contains("+5511*****4321") && row.contains("open"), "{table}");
    assert!(!table.contains("987654321"), "the phone is masked: {table}");
    let id = row.split_whitespace().next().unwrap();

    let resolved = sofia(&dir, &["handoffs", "resolve", id, "--by", "Carla"], "");
    assert!(resolved.status.success(), "{}", String::from_utf8_lossy(&resolved.stderr));
    assert!(stdout(&resolved).contains(&format!("Resolved handoff {id}")), "{}", stdout(&resolved));
    assert_eq!(stdout(&sofia(&dir, &["handoffs", "--open"], "")).trim(), "No open handoffs.");
    assert!(stdout(&sofia(&dir, &["handoffs"], "")).contains("resolved by Carla"));

    let again = sofia(&dir, &["handoffs", "resolve", id], "");
    let unknown = sofia(&dir, &["handoffs", "resolve", "0192f5a0-0000-7000-8000-000000000000"], "");
    std::fs::remove_dir_all(&dir).ok();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already resolved"), "{again:?}");
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("does not exist"), "{unknown:?}");
}
