//! `sofia ingest` as an operator runs it: a summary per clinic; the second run skips
//! everything; `--tenant` picks one clinic.

use std::process::{Command, Output};

use super::KnowledgeDir;

fn ingest(dir: &KnowledgeDir, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sofia"))
        .arg("ingest")
        .args(args)
        .current_dir(&dir.root)
        .env("SOFIA_KNOWLEDGE_DIR", &dir.root)
        .env("SOFIA_VECTORS_PATH", dir.root.join("vectors"))
        .env_remove("RUST_LOG")
        .output()
        .expect("run sofia ingest")
}

fn stdout(output: &Output) -> String {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// "demo: 13 documents, 58 chunks: 58 added, 0 unchanged, 0 removed" → (13, 58, 58, 0, 0).
fn counts(out: &str, tenant: &str) -> (usize, usize, usize, usize, usize) {
    let line = out.lines().find(|l| l.starts_with(&format!("{tenant}: "))).unwrap_or_else(|| panic!("{out}"));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    (numbers[0], numbers[1], numbers[2], numbers[3], numbers[4])
}

#[test]
fn a_second_ingest_skips_every_unchanged_chunk() {
    let dir = KnowledgeDir::new();
    let first = stdout(&ingest(&dir, &[]));
    assert!(first.contains("Índice: embedded (BM25)"), "{first}");
    let (documents, chunks, added, unchanged, removed) = counts(&first, "demo");
    assert!(documents >= 13 && chunks > documents, "{first}");
    assert_eq!((added, unchanged, removed), (chunks, 0, 0), "{first}");
    assert!(first.contains("total: "), "{first}");

    let second = stdout(&ingest(&dir, &["--tenant", "demo"]));
    assert_eq!(counts(&second, "demo"), (documents, chunks, 0, chunks, 0), "{second}");
    assert!(!second.contains("outra:"), "{second}");
}

#[test]
fn an_unknown_clinic_is_named_in_the_error() {
    let dir = KnowledgeDir::new();
    let output = ingest(&dir, &["--tenant", "nenhuma"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("nenhuma"), "{stderr}");
}
