//! `sofia chat` on a fresh folder: no configuration, the demo clinic, a patient books or asks.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::support::repo_path;

/// Runs `sofia chat --trace` with `args` in an empty folder, typing `input`; returns the
/// transcript, after checking the command succeeded.
fn chat(args: &[&str], input: &str) -> String {
    let dir = std::env::temp_dir().join(format!("sofia-chat-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sofia"))
        .arg("chat")
        .args(args)
        .arg("--trace")
        .current_dir(&dir)
        .env("SOFIA_KNOWLEDGE_DIR", repo_path("knowledge"))
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start sofia chat");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let transcript = String::from_utf8_lossy(&output.stdout).into_owned();
    std::fs::remove_dir_all(&dir).ok();
    assert!(output.status.success(), "{transcript}\n{}", String::from_utf8_lossy(&output.stderr));
    transcript
}

#[test]
fn a_patient_books_from_the_terminal_with_no_configuration() {
    let transcript = chat(
        &["--phone", "+5511987654321", "--name", "Maria Silva"],
        "oi, queria marcar botox na sexta de manhã\no primeiro\nsim\n",
    );
    assert!(transcript.contains("você> oi, queria marcar botox"), "{transcript}");
    assert!(transcript.contains("tool find_slots("), "{transcript}");
    assert!(transcript.contains("CRM: book_appointment"), "{transcript}");
    assert!(transcript.contains("confirmado"), "{transcript}");
}

#[test]
fn a_question_no_topic_covers_is_answered_from_the_clinic_knowledge() {
    let transcript = chat(&["--phone", "+5511987654322"], "vcs atendem convenio ou plano de saude?\n");
    assert!(transcript.contains("tool search_knowledge("), "{transcript}");
    assert!(transcript.contains("particular"), "the FAQ's answer: {transcript}");
}

#[test]
fn the_terminal_plays_the_team_through_a_whole_handoff() {
    let transcript = chat(
        &["--phone", "+5511987654323", "--name", "Maria"],
        "quero falar com uma atendente\noi?\n??\n/staff Oi Maria, aqui é a Carla!\nobrigada Carla\n/resolve\nvocês aceitam pix?\n",
    );
    let after = |marker: &str| transcript.split(marker).nth(1).unwrap_or_default().to_owned();
    assert!(transcript.contains("tool handoff_to_human("), "{transcript}");
    // One acknowledgement (its wording depends on the hour the test runs), then silence.
    let acknowledged = after("você> oi?");
    let acknowledged = acknowledged.split("você> ??").next().unwrap_or_default();
    assert!(acknowledged.contains("sofia> ") && acknowledged.contains("equipe"), "{transcript}");
    let second = after("você> ??");
    assert!(!second.split("equipe> ").next().unwrap_or_default().contains("sofia> "), "{transcript}");
    assert!(transcript.contains("equipe> Oi Maria, aqui é a Carla!"), "{transcript}");
    let while_carla = after("você> obrigada Carla");
    assert!(
        !while_carla.split("(atendimento encerrado").next().unwrap_or_default().contains("sofia> "),
        "{transcript}"
    );
    assert!(transcript.contains("(atendimento encerrado; a Sofia volta a responder)"), "{transcript}");
    assert!(after("você> vocês aceitam pix?").contains("sofia> "), "the bot answers again: {transcript}");
}
