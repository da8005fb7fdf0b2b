//! Finds the clinic's services and professionals a message names, by name or by the aliases
//! in `clinic.yaml`, forgiving accents, plurals and small typos ("limpesa de pele", "botx").

mod asked;
mod fuzzy;
mod health;
mod unoffered;

use std::borrow::Cow;

pub use asked::asked_by_name;
use fuzzy::{Closeness, closeness, singular};
pub use health::health_cues;
pub use unoffered::{OtherProcedure, unoffered_procedure};

/// Whether `typed` is a small typo of the known word `known` (see [`fuzzy::closeness`]).
pub(crate) fn is_typo(typed: &str, known: &str) -> bool {
    closeness(typed, known) == Some(Closeness::Typo)
}

use super::normalize::normalize;
use crate::clinic::{Clinic, Professional};
use crate::domain::{ProfessionalId, ServiceId};

/// The service the message names most specifically, if any.
pub fn match_service(clinic: &Clinic, text: &str) -> Option<ServiceId> {
    match_services(clinic, text).into_iter().next()
}

/// Every service the message names, most specific first, each once. The longest alias wins
/// the words it covers: "consulta de avaliação" names only the Avaliação even though
/// "consulta" alone might too, and "preenchimento labial" beats "preenchimento". Between
/// equally long names, the service's own name beats an alias ("consulta de botox" is Botox),
/// an exact spelling beats a typo, and a longer word beats a shorter one.
pub fn match_services(clinic: &Clinic, text: &str) -> Vec<ServiceId> {
    let message = normalize(text);
    let words = significant_words(message.tokens());
    let mut found: Vec<Found> = Vec::new();
    for service in &clinic.services {
        let names = std::iter::once((service.name.as_str(), true))
            .chain(service.aliases.iter().map(|alias| (alias.as_str(), false)));
        for (name, is_name) in names {
            let name = normalize(name);
            let name_words = significant_words(name.tokens());
            found.extend(occurrences(&words, &name_words, is_name).map(|(start, rank)| Found {
                service: service.id,
                span: start..start + name_words.len(),
                rank,
            }));
        }
    }
    found.sort_by(|a, b| b.rank.cmp(&a.rank).then(a.span.start.cmp(&b.span.start)));
    let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
    let mut services: Vec<ServiceId> = Vec::new();
    for candidate in found {
        let overlaps = taken.iter().any(|t| t.start < candidate.span.end && candidate.span.start < t.end);
        if overlaps {
            continue;
        }
        taken.push(candidate.span);
        if !services.contains(&candidate.service) {
            services.push(candidate.service);
        }
    }
    services
}

/// The professional the message names: "dra ana", "ana paula", "dr ricardo", "com a juliana",
/// or their role ("a dermatologista"). `None` when nobody, or when two fit equally well.
pub fn match_professional(clinic: &Clinic, text: &str) -> Option<ProfessionalId> {
    let message = normalize(text);
    let words: Vec<&str> = message.tokens().collect();
    // "pode parar de me oferecer a Juliana, nada contra ela, mas quero com o Dr. Ricardo": the
    // one named after the last "mas" is the one wanted, when it names one.
    let after_but = words.iter().rposition(|word| *word == "mas").map(|at| &words[at + 1..]);
    if let Some(wanted) = after_but.and_then(|after| best_professional(clinic, after)) {
        return Some(wanted);
    }
    best_professional(clinic, &words)
}

/// The professional `words` name best, when one is named better than every other.
fn best_professional(clinic: &Clinic, words: &[&str]) -> Option<ProfessionalId> {
    let mut scored: Vec<(u32, ProfessionalId)> =
        clinic.professionals.iter().map(|p| (professional_score(p, words), p.id)).collect();
    scored.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
    match scored.as_slice() {
        [(best, id), rest @ ..] if *best > 0 && rest.first().is_none_or(|(next, _)| next < best) => Some(*id),
        _ => None,
    }
}

struct Found {
    service: ServiceId,
    span: std::ops::Range<usize>,
    rank: Rank,
}

/// How specifically a name matched; compared field by field, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    words: usize,
    is_name: bool,
    exact_words: usize,
    letters: usize,
}

/// Where `name` occurs in `words` (every word close enough, in order), and how well.
fn occurrences<'a>(
    words: &'a [Cow<'a, str>],
    name: &'a [Cow<'a, str>],
    is_name: bool,
) -> impl Iterator<Item = (usize, Rank)> + 'a {
    let windows = if name.is_empty() { 0 } else { (words.len() + 1).saturating_sub(name.len()) };
    (0..windows).filter_map(move |start| {
        let mut exact_words = 0;
        for (typed, known) in words[start..].iter().zip(name) {
            match closeness(typed, known)? {
                Closeness::Exact => exact_words += 1,
                Closeness::Typo => {}
            }
        }
        let letters = name.iter().map(|w| w.len()).sum();
        Some((start, Rank { words: name.len(), is_name, exact_words, letters }))
    })
}

/// The words that carry meaning, in singular: "limpeza da pele" and "limpezas de pele" both
/// become `["limpeza", "pele"]`.
fn significant_words<'a>(tokens: impl Iterator<Item = &'a str>) -> Vec<Cow<'a, str>> {
    const LINKING: [&str; 13] =
        ["de", "da", "do", "das", "dos", "e", "a", "o", "para", "com", "no", "na", "em"];
    tokens
        .filter(|t| !LINKING.contains(t))
        .map(|t| {
            // "ks" sounds like "x": "botoks" is "botox" as it is said.
            if t.contains("ks") {
                Cow::Owned(singular(&t.replace("ks", "x")).into_owned())
            } else {
                singular(t)
            }
        })
        .collect()
}

/// Two points for each of a professional's names in the message, one for their role.
/// Titles ("dra", "doutor") name nobody in particular.
/// Words before a role that make it a place the patient goes, not a professional asked for.
const GOING_TO: &[&str] = &["no", "ao", "pro", "num", "tenho"];

fn professional_score(professional: &Professional, words: &[&str]) -> u32 {
    const TITLES: [&str; 4] = ["dr", "dra", "doutor", "doutora"];
    let mentioned = |known: &str| words.iter().any(|typed| closeness(typed, known).is_some());
    let name = normalize(&professional.name);
    let names =
        name.tokens().filter(|w| w.len() >= 3 && !TITLES.contains(w)).filter(|w| mentioned(w)).count();
    let role = normalize(&professional.role);
    // Roles match exactly: "medico" and "medica" are one letter apart and different people. A
    // role gone to ("levo minha mãe no médico", "vou ao dermatologista") is someone else's.
    let gone_to = |at: usize| at.checked_sub(1).is_some_and(|before| GOING_TO.contains(&words[before]));
    let roles = role
        .tokens()
        .filter(|w| words.iter().enumerate().any(|(at, typed)| typed == w && !gone_to(at)))
        .count();
    u32::try_from(2 * names + roles).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests;
