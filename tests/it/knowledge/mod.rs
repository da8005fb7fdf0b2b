//! The knowledge base end to end: ingest, search, update, delete and tenant isolation on the
//! embedded engine (and on a Qdrant server when `SOFIA_TEST_QDRANT_URL` is set), hybrid
//! search against a faked embeddings endpoint, the `search_knowledge` tool, `sofia ingest`.

mod contract;
mod embedded;
mod embeddings;
mod ingest_command;
mod reload;
mod server;
mod tool;

use std::path::{Path, PathBuf};

use sofia::clinics::{self, LoadedClinic};
use sofia_core::domain::TenantId;

use crate::support::repo_path;

/// A knowledge folder of its own, with the demo clinic (`demo`) and a copy of it under
/// another tenant (`outra`) whose only markdown is about a sauna; removed when dropped.
pub struct KnowledgeDir {
    pub root: PathBuf,
}

impl KnowledgeDir {
    pub fn new() -> KnowledgeDir {
        let root = std::env::temp_dir().join(format!("sofia-kb-{}", uuid::Uuid::new_v4().simple()));
        let demo = repo_path("knowledge/demo");
        for tenant in ["demo", "outra"] {
            std::fs::create_dir_all(root.join(tenant)).unwrap();
            std::fs::copy(demo.join("clinic.yaml"), root.join(tenant).join("clinic.yaml")).unwrap();
        }
        for entry in std::fs::read_dir(&demo).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|ext| ext == "md") {
                std::fs::copy(&path, root.join("demo").join(path.file_name().unwrap())).unwrap();
            }
        }
        std::fs::write(
            root.join("outra/lazer.md"),
            "# Lazer\n\n## Sauna\n\nTemos sauna e hidromassagem para os clientes depois dos procedimentos.\n",
        )
        .unwrap();
        KnowledgeDir { root }
    }

    pub fn clinic(&self, tenant: &str) -> LoadedClinic {
        clinics::load_clinic(&self.root, &TenantId::parse(tenant).unwrap()).unwrap()
    }

    pub fn file(&self, tenant: &str, name: &str) -> PathBuf {
        self.root.join(tenant).join(name)
    }
}

impl Drop for KnowledgeDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

pub fn tenant(name: &str) -> TenantId {
    TenantId::parse(name).unwrap()
}

pub fn exists(path: &Path) -> bool {
    path.exists()
}
