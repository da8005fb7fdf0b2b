//! What a run depended on, recorded in every report so two runs can be compared honestly:
//! the brain and model, the prompt files and the clinic data, each by content hash.

use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::suite::Suite;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    pub sofia_version: String,
    /// `rules` or `llm`.
    pub brain: String,
    /// The model asked, for the LLM brain.
    pub model: Option<String>,
    /// SHA-256 over every file under `prompts/` (path and content); `None` when there is none.
    pub prompts_hash: Option<String>,
    pub prompt_files: u32,
    /// Each clinic the suites ran against, with the hash of its `clinic.yaml`.
    pub clinics: Vec<ClinicHash>,
    /// How the patient's words were rewritten (`--perturb`); `None` as the suites wrote them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub perturbation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinicHash {
    pub tenant: String,
    pub hash: String,
}

impl Provenance {
    pub fn new(
        brain: &str,
        model: Option<String>,
        prompts_dir: &Path,
        suites: &[Suite],
    ) -> std::io::Result<Provenance> {
        let (prompts_hash, prompt_files) = match hash_tree(prompts_dir)? {
            Some((hash, files)) => (Some(hash), files),
            None => (None, 0),
        };
        let mut clinics: Vec<ClinicHash> = suites
            .iter()
            .map(|s| ClinicHash { tenant: s.tenant.to_string(), hash: s.clinic.content_hash.clone() })
            .collect();
        clinics.sort_by(|a, b| a.tenant.cmp(&b.tenant));
        clinics.dedup();
        Ok(Provenance {
            sofia_version: env!("CARGO_PKG_VERSION").to_owned(),
            brain: brain.to_owned(),
            model,
            prompts_hash,
            prompt_files,
            clinics,
            perturbation: None,
        })
    }
}

/// One hash over every file under `dir` (relative path and content, in path order), and the
/// number of files; `None` when the folder does not exist.
pub fn hash_tree(dir: &Path) -> std::io::Result<Option<(String, u32)>> {
    if !dir.is_dir() {
        return Ok(None);
    }
    let mut files = Vec::new();
    collect(dir, &mut files)?;
    files.sort();
    let mut hasher = Sha256::new();
    for file in &files {
        let relative = file.strip_prefix(dir).unwrap_or(file);
        hasher.update(relative.to_string_lossy().as_bytes());
        hasher.update([0]);
        hasher.update(std::fs::read(file)?);
        hasher.update([0]);
    }
    Ok(Some((hex::encode(hasher.finalize()), u32::try_from(files.len()).unwrap_or(u32::MAX))))
}

fn collect(dir: &Path, files: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prompts_hash_changes_with_any_file_and_only_then() {
        let dir = std::env::temp_dir().join(format!("sofia-prompts-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(dir.join("llm")).unwrap();
        std::fs::write(dir.join("system.md"), "Você é a Sofia.").unwrap();
        std::fs::write(dir.join("llm/tools.md"), "Use as ferramentas.").unwrap();
        let (first, files) = hash_tree(&dir).unwrap().unwrap();
        assert_eq!(files, 2);
        assert_eq!(hash_tree(&dir).unwrap().unwrap().0, first, "the same files give the same hash");
        std::fs::write(dir.join("llm/tools.md"), "Use as ferramentas!").unwrap();
        assert_ne!(hash_tree(&dir).unwrap().unwrap().0, first);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(hash_tree(&dir).unwrap(), None);
    }
}
