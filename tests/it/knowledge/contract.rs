//! What every `KnowledgeIndex` adapter must do, run against each of them.

use std::sync::Arc;

use sofia::knowledge::{KnowledgeBase, KnowledgeIndex, Quiet};

use super::{KnowledgeDir, tenant};

fn sources(passages: &[sofia::knowledge::Passage]) -> Vec<&str> {
    passages.iter().map(|p| p.source.as_str()).collect()
}

/// Ingest, search, re-ingest unchanged, add, change and delete a document, keep clinics apart.
pub async fn run(index: Arc<dyn KnowledgeIndex>) {
    let dir = KnowledgeDir::new();
    let knowledge = KnowledgeBase::over(index, &Default::default(), reqwest::Client::new()).await.unwrap();
    let demo = dir.clinic("demo");

    // First ingest: every chunk is new.
    let first = knowledge.ingest(&demo.clinic, demo.dir(), &Quiet).await.unwrap();
    assert!(first.documents >= 13, "7 markdown files and 6 clinic.yaml documents: {first:?}");
    assert_eq!((first.added, first.unchanged, first.removed), (first.chunks, 0, 0), "{first:?}");

    // Patients' spelling still finds the clinic's words.
    let found = knowledge.search(&tenant("demo"), "vcs tem estacionamento? quanto custa?", 3).await.unwrap();
    assert!(
        sources(&found)
            .iter()
            .any(|s| *s == "localizacao-e-estacionamento.md" || *s == "clinic.yaml#politicas"),
        "{:?}",
        sources(&found)
    );
    assert!(found.iter().any(|p| p.text.contains("R$ 15,00")), "{found:?}");
    assert!(found.windows(2).all(|pair| pair[0].score >= pair[1].score), "best first");

    // A question the clinic's knowledge says nothing about finds nothing.
    let unrelated = knowledge.search(&tenant("demo"), "qual a capital da França?", 3).await.unwrap();
    assert!(unrelated.is_empty(), "{unrelated:?}");

    // Unchanged files change nothing.
    let again = knowledge.ingest(&demo.clinic, demo.dir(), &Quiet).await.unwrap();
    assert_eq!((again.added, again.unchanged, again.removed), (0, first.chunks, 0), "{again:?}");

    // A new section is one new chunk, searchable at once.
    std::fs::write(
        dir.file("demo", "wifi.md"),
        "# Wi-Fi\n\n## Senha do wi-fi\n\nA rede é BellaForma e a senha é pele-bonita-2026.\n",
    )
    .unwrap();
    let added = knowledge.ingest(&demo.clinic, demo.dir(), &Quiet).await.unwrap();
    assert_eq!((added.added, added.removed), (1, 0), "{added:?}");
    let wifi = knowledge.search(&tenant("demo"), "qual a senha do wifi?", 3).await.unwrap();
    assert_eq!(sources(&wifi).first(), Some(&"wifi.md"), "{wifi:?}");

    // Changing it replaces the old chunk; deleting the file removes it.
    std::fs::write(
        dir.file("demo", "wifi.md"),
        "# Wi-Fi\n\n## Senha do wi-fi\n\nA senha do wi-fi mudou: peca na recepcao.\n",
    )
    .unwrap();
    let changed = knowledge.ingest(&demo.clinic, demo.dir(), &Quiet).await.unwrap();
    assert_eq!((changed.added, changed.removed), (1, 1), "{changed:?}");
    let wifi = knowledge.search(&tenant("demo"), "senha do wifi", 3).await.unwrap();
    assert!(wifi.iter().all(|p| !p.text.contains("pele-bonita-2026")), "the old text is gone: {wifi:?}");
    std::fs::remove_file(dir.file("demo", "wifi.md")).unwrap();
    let removed = knowledge.ingest(&demo.clinic, demo.dir(), &Quiet).await.unwrap();
    assert_eq!((removed.added, removed.removed), (0, 1), "{removed:?}");
    let wifi = knowledge.search(&tenant("demo"), "senha do wifi", 3).await.unwrap();
    assert!(!sources(&wifi).contains(&"wifi.md"), "{wifi:?}");

    // Another clinic's knowledge never shows, and ingesting it leaves this one alone.
    let outra = dir.clinic("outra");
    knowledge.ingest(&outra.clinic, outra.dir(), &Quiet).await.unwrap();
    let sauna_here = knowledge.search(&tenant("demo"), "tem sauna ou hidromassagem?", 5).await.unwrap();
    assert!(!sources(&sauna_here).contains(&"lazer.md"), "{sauna_here:?}");
    let sauna_there = knowledge.search(&tenant("outra"), "tem sauna ou hidromassagem?", 5).await.unwrap();
    assert_eq!(sources(&sauna_there).first(), Some(&"lazer.md"), "{sauna_there:?}");
    let demo_again = knowledge.ingest(&demo.clinic, demo.dir(), &Quiet).await.unwrap();
    assert_eq!((demo_again.added, demo_again.removed), (0, 0), "{demo_again:?}");

    knowledge.check().await.unwrap();
}
