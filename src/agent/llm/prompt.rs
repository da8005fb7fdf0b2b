//! The prompt templates (`prompts/*.j2`, minijinja, pt-BR): embedded in the binary so a fresh
//! clone runs, each replaceable by a file of the same name in `llm.prompts_dir`.
//!
//! [`Prompts::hash`] names the exact templates in use; eval reports record it, so a change of
//! wording shows up next to the change in results.

use std::path::{Path, PathBuf};

use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::view::PromptView;

/// Every template, by file name, as shipped.
const EMBEDDED: [(&str, &str); 8] = [
    ("system.j2", include_str!("../../../prompts/system.j2")),
    ("persona.j2", include_str!("../../../prompts/persona.j2")),
    ("rules.j2", include_str!("../../../prompts/rules.j2")),
    ("clinic.j2", include_str!("../../../prompts/clinic.j2")),
    ("policies.j2", include_str!("../../../prompts/policies.j2")),
    ("context.j2", include_str!("../../../prompts/context.j2")),
    ("photos.j2", include_str!("../../../prompts/photos.j2")),
    ("correction.j2", include_str!("../../../prompts/correction.j2")),
];

#[derive(Debug, thiserror::Error)]
pub enum PromptError {
    #[error("{path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("prompt template {name}: {source}")]
    Template {
        name: &'static str,
        #[source]
        source: minijinja::Error,
    },
}

pub struct Prompts {
    env: Environment<'static>,
    hash: String,
}

impl Prompts {
    /// The embedded templates, with those in `dir` (when given) replacing their namesakes.
    /// Syntax errors are reported here, at start, not in a patient's turn.
    pub fn load(dir: Option<&Path>) -> Result<Prompts, PromptError> {
        let sources = sources(dir)?;
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::None);
        // A misspelt variable in an override fails loudly instead of rendering as nothing.
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        let syntax = SyntaxConfig::builder()
            .trim_blocks(true)
            .build()
            .map_err(|source| PromptError::Template { name: "syntax", source })?;
        env.set_syntax(syntax);
        let mut hasher = Sha256::new();
        for (name, text) in sources {
            hasher.update(name.as_bytes());
            hasher.update([0]);
            hasher.update(text.as_bytes());
            hasher.update([0]);
            env.add_template_owned(name, text).map_err(|source| PromptError::Template { name, source })?;
        }
        Ok(Prompts { env, hash: hex::encode(&hasher.finalize()[..8]) })
    }

    /// A short hash of the templates in use.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The system message of a turn.
    pub fn system(&self, view: &PromptView) -> Result<String, PromptError> {
        self.render("system.j2", view)
    }

    /// What the model is told when its reply names a date or time no tool returned.
    pub fn correction(&self, moments: &[String]) -> Result<String, PromptError> {
        #[derive(Serialize)]
        struct Correction {
            moments: String,
        }
        self.render("correction.j2", &Correction { moments: moments.join(", ") })
    }

    /// One template on its own (the naive baseline reuses the persona and the rules).
    pub(super) fn render(&self, name: &'static str, context: &impl Serialize) -> Result<String, PromptError> {
        let template =
            self.env.get_template(name).map_err(|source| PromptError::Template { name, source })?;
        let text =
            template.render(Serde(context)).map_err(|source| PromptError::Template { name, source })?;
        Ok(tidy(&text))
    }
}

/// The hash of the prompt templates `llm.prompts_dir` would give, for eval reports.
pub fn prompt_hash(dir: Option<&Path>) -> Result<String, PromptError> {
    Ok(Prompts::load(dir)?.hash)
}

fn sources(dir: Option<&Path>) -> Result<Vec<(&'static str, String)>, PromptError> {
    EMBEDDED
        .iter()
        .map(|(name, embedded)| {
            let Some(path) = dir.map(|dir| dir.join(name)).filter(|path| path.is_file()) else {
                return Ok((*name, (*embedded).to_owned()));
            };
            std::fs::read_to_string(&path)
                .map(|text| (*name, text))
                .map_err(|source| PromptError::Read { path, source })
        })
        .collect()
}

/// Trailing spaces and runs of blank lines are tokens the model reads for nothing.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for line in text.lines().map(str::trim_end) {
        if line.is_empty() {
            if !blank && !out.is_empty() {
                out.push('\n');
            }
            blank = true;
            continue;
        }
        blank = false;
        out.push_str(line);
        out.push('\n');
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_override_changes_the_hash_and_a_broken_one_is_named_at_load() {
        let embedded = Prompts::load(None).unwrap();
        assert_eq!(embedded.hash().len(), 16);
        assert_eq!(prompt_hash(None).unwrap(), embedded.hash(), "the hash is stable");

        let dir = std::env::temp_dir().join(format!("sofia-prompts-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("persona.j2"), "Você é {{ assistant }}.").unwrap();
        assert_ne!(prompt_hash(Some(&dir)).unwrap(), embedded.hash());

        std::fs::write(dir.join("rules.j2"), "{% if %}").unwrap();
        let error = Prompts::load(Some(&dir)).err().unwrap();
        assert!(error.to_string().starts_with("prompt template rules.j2"), "{error}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn the_correction_names_the_invented_moments() {
        let text = Prompts::load(None).unwrap().correction(&["15:00".into(), "04/03".into()]).unwrap();
        assert!(text.contains("15:00, 04/03") && text.contains("find_slots"), "{text}");
    }

    #[test]
    fn blank_runs_and_trailing_spaces_are_dropped() {
        assert_eq!(tidy("a  \n\n\n b\n\n"), "a\n\n b");
    }
}
