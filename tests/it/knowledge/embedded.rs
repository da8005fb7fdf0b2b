//! The embedded engine (qdrant-edge): the adapter contract, persistence across restarts, and
//! one process per folder.

use std::sync::Arc;

use sofia::knowledge::index::EmbeddedIndex;
use sofia::knowledge::{KnowledgeBase, KnowledgeError, Quiet};

use super::{KnowledgeDir, contract, exists, tenant};

#[tokio::test]
async fn the_embedded_index_keeps_the_adapter_contract() {
    contract::run(Arc::new(EmbeddedIndex::temporary().unwrap())).await;
}

#[tokio::test]
async fn what_was_ingested_is_still_there_after_a_restart() {
    let dir = KnowledgeDir::new();
    let path = dir.root.join("vectors");
    let demo = dir.clinic("demo");
    let first = {
        let knowledge = KnowledgeBase::over(
            Arc::new(EmbeddedIndex::open(&path).unwrap()),
            &Default::default(),
            reqwest::Client::new(),
        )
        .await
        .unwrap();
        knowledge.ingest(&demo.clinic, demo.dir(), &Quiet).await.unwrap()
    };
    let reopened = KnowledgeBase::over(
        Arc::new(EmbeddedIndex::open(&path).unwrap()),
        &Default::default(),
        reqwest::Client::new(),
    )
    .await
    .unwrap();
    let found = reopened.search(&tenant("demo"), "formas de pagamento, parcela no cartão?", 3).await.unwrap();
    assert!(!found.is_empty());
    let again = reopened.ingest(&demo.clinic, demo.dir(), &Quiet).await.unwrap();
    assert_eq!((again.added, again.unchanged), (0, first.chunks), "nothing re-indexed: {again:?}");
}

#[tokio::test]
async fn a_second_process_cannot_open_the_same_folder() {
    let dir = KnowledgeDir::new();
    let path = dir.root.join("vectors");
    let _held = EmbeddedIndex::open(&path).unwrap();
    match EmbeddedIndex::open(&path) {
        Err(KnowledgeError::Locked { path: locked }) => assert_eq!(locked, path),
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("opened twice"),
    }
}

#[tokio::test]
async fn a_temporary_index_leaves_nothing_behind() {
    let index = EmbeddedIndex::temporary().unwrap();
    let path = index.path().to_owned();
    let knowledge =
        KnowledgeBase::over(Arc::new(index), &Default::default(), reqwest::Client::new()).await.unwrap();
    assert!(exists(&path));
    drop(knowledge);
    assert!(!exists(&path), "{} was left behind", path.display());
}
