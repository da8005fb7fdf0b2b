//! Heading-aware chunking: a document is cut at its headings, so each chunk is about one
//! topic and carries its heading path ("Políticas › Cancelamento") for BM25 and for the
//! snippet's title. A section longer than [`MAX_TOKENS`] is cut into windows that overlap by
//! [`OVERLAP_TOKENS`], at word boundaries so no character is split.

use sofia_core::domain::TenantId;
use uuid::Uuid;

use super::documents::Document;
use crate::tokens;

/// About the size the issue and most RAG guides settle on: enough context for an answer,
/// small enough that a snippet stays on one topic.
pub const MAX_TOKENS: usize = 512;
pub const OVERLAP_TOKENS: usize = 50;

/// Chunk ids are UUIDv5 under this namespace, of the tenant, source and text: re-ingesting
/// unchanged text gives the same ids, so it is skipped.
const CHUNK_NAMESPACE: Uuid = Uuid::from_u128(0x5f1a_c0de_6b0a_4d5e_9c1e_7a11_c4a5_0001);

/// One retrievable piece of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub id: Uuid,
    pub source: String,
    /// The document title and the headings above this piece, joined by " › ".
    pub title: String,
    /// What is indexed and shown: the section's own text, without the heading lines.
    pub text: String,
}

impl Chunk {
    /// What BM25 and embeddings see: the title, then the text, so a heading's words count.
    pub fn indexed_text(&self) -> String {
        format!("{}\n\n{}", self.title, self.text)
    }
}

/// Cuts `document` into chunks for `tenant`.
pub fn chunk(tenant: &TenantId, document: &Document) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    for section in sections(document) {
        for text in windows(&section.body) {
            let id = Uuid::new_v5(
                &CHUNK_NAMESPACE,
                format!("{tenant}\n{}\n{}\n{text}", document.source, section.title).as_bytes(),
            );
            chunks.push(Chunk { id, source: document.source.clone(), title: section.title.clone(), text });
        }
    }
    chunks
}

struct Section {
    title: String,
    body: String,
}

/// The document split at every markdown heading; text before the first heading belongs to the
/// document title. Sections with no text (a heading followed directly by a subheading) vanish.
fn sections(document: &Document) -> Vec<Section> {
    let mut sections = Vec::new();
    // Heading path by level: `# A` then `## B` gives [A, B].
    let mut path: Vec<(usize, String)> = Vec::new();
    let mut body = String::new();
    let title_of = |path: &[(usize, String)]| {
        let mut parts = vec![document.title.clone()];
        parts.extend(path.iter().map(|(_, heading)| heading.clone()).filter(|h| *h != document.title));
        parts.join(" › ")
    };
    let mut in_fence = false;
    for line in document.text.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        let heading = (!in_fence).then(|| heading(line)).flatten();
        match heading {
            Some((level, text)) => {
                if !body.trim().is_empty() {
                    sections.push(Section { title: title_of(&path), body: body.trim().to_owned() });
                }
                body.clear();
                path.retain(|(l, _)| *l < level);
                path.push((level, text.to_owned()));
            }
            None => {
                body.push_str(line);
                body.push('\n');
            }
        }
    }
    if !body.trim().is_empty() {
        sections.push(Section { title: title_of(&path), body: body.trim().to_owned() });
    }
    sections
}

/// `## Estacionamento` → (2, "Estacionamento").
fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.bytes().take_while(|b| *b == b'#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let text = line[level..].strip_prefix(' ')?.trim().trim_end_matches('#').trim();
    (!text.is_empty()).then_some((level, text))
}

/// `body` as one piece when it fits, else windows of at most [`MAX_TOKENS`] tokens that start
/// [`OVERLAP_TOKENS`] before the previous one ended.
fn windows(body: &str) -> Vec<String> {
    if tokens::count(body) <= MAX_TOKENS {
        return vec![body.to_owned()];
    }
    // Token counts per word (with its leading space, as the BPE sees it).
    let words: Vec<&str> = body.split_inclusive(char::is_whitespace).collect();
    let costs: Vec<usize> = words.iter().map(|word| tokens::count(word).max(1)).collect();
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < words.len() {
        let mut end = start;
        let mut used = 0;
        while end < words.len() && (used + costs[end] <= MAX_TOKENS || end == start) {
            used += costs[end];
            end += 1;
        }
        pieces.push(words[start..end].concat().trim().to_owned());
        if end == words.len() {
            break;
        }
        // Step back over about OVERLAP_TOKENS worth of words, always moving forward.
        let mut back = end;
        let mut overlap = 0;
        while back > start + 1 && overlap + costs[back - 1] <= OVERLAP_TOKENS {
            back -= 1;
            overlap += costs[back];
        }
        start = back;
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant() -> TenantId {
        TenantId::parse("demo").unwrap()
    }

    fn doc(text: &str) -> Document {
        Document { source: "politicas.md".into(), title: "Políticas".into(), text: text.into() }
    }

    #[test]
    fn each_heading_starts_a_chunk_titled_by_its_heading_path() {
        let chunks = chunk(
            &tenant(),
            &doc(
                "# Políticas\n\nIntro.\n\n## Cancelamento\n\nAté 24 horas.\n\n### Atrasos\n\nTaxa.\n\n## Chegada\n\nDez minutos.",
            ),
        );
        let titles: Vec<(&str, &str)> = chunks.iter().map(|c| (c.title.as_str(), c.text.as_str())).collect();
        assert_eq!(
            titles,
            [
                ("Políticas", "Intro."),
                ("Políticas › Cancelamento", "Até 24 horas."),
                ("Políticas › Cancelamento › Atrasos", "Taxa."),
                ("Políticas › Chegada", "Dez minutos."),
            ]
        );
    }

    #[test]
    fn ids_are_stable_and_change_with_the_text_or_the_tenant() {
        let first = chunk(&tenant(), &doc("## A\n\ntexto"));
        assert_eq!(first, chunk(&tenant(), &doc("## A\n\ntexto")));
        assert_ne!(first[0].id, chunk(&tenant(), &doc("## A\n\ntexto novo"))[0].id);
        assert_ne!(first[0].id, chunk(&TenantId::parse("outra").unwrap(), &doc("## A\n\ntexto"))[0].id);
    }

    #[test]
    fn a_long_section_is_cut_into_overlapping_windows_within_the_token_limit() {
        let sentence = "A limpeza de pele remove impurezas e deixa a pele mais uniforme. ";
        let chunks = chunk(&tenant(), &doc(&format!("## Longo\n\n{}", sentence.repeat(120))));
        assert!(chunks.len() >= 3, "{} chunks", chunks.len());
        for piece in &chunks {
            assert!(tokens::count(&piece.text) <= MAX_TOKENS + 2, "{}", tokens::count(&piece.text));
        }
        // The start of each window repeats the end of the one before.
        let tail: String = chunks[0].text.split_whitespace().rev().take(5).collect::<Vec<_>>().join(" ");
        let head: String = chunks[1].text.split_whitespace().take(200).collect::<Vec<_>>().join(" ");
        let tail_words: Vec<&str> = tail.split(' ').rev().collect();
        assert!(head.contains(&tail_words.join(" ")), "no overlap between windows");
    }

    #[test]
    fn headings_inside_code_fences_are_text() {
        let chunks = chunk(&tenant(), &doc("## A\n\n```\n# não é título\n```\n"));
        assert_eq!(chunks.len(), 1);
        assert!(chunks[0].text.contains("# não é título"));
    }
}
