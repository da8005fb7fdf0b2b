//! `sofia eval --perturb`: the same suites with the patient's words written otherwise, so an
//! operator sees how much of a brain's pass rate rests on the suites' exact spelling.
//!
//! Only what the patient says changes (texts and voice-note transcripts); every expectation
//! stays as written. Each rewrite is deterministic: a typo's place comes from the case id and
//! the message's position, so two runs of the same suites perturb them alike and can be compared
//! with `--baseline`.

use clap::ValueEnum;

use super::suite::{Said, Step, Suite};

/// How the patient's words are rewritten.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Perturbation {
    /// One slip in a word of six letters or more per message: a letter dropped, doubled, or
    /// swapped with its neighbour ("limpeza" → "limeza").
    Typos,
    /// Chat abbreviations: "você" → "vc", "que" → "q", "também" → "tbm", "hoje" → "hj", …
    Abbreviations,
    /// Lower case, no accents, no punctuation but what numbers need ("Sábado, às 10h?" →
    /// "sabado as 10h").
    Unpunctuated,
    /// Every letter in capitals.
    Shouting,
}

impl Perturbation {
    pub fn as_str(self) -> &'static str {
        match self {
            Perturbation::Typos => "typos",
            Perturbation::Abbreviations => "abbreviations",
            Perturbation::Unpunctuated => "unpunctuated",
            Perturbation::Shouting => "shouting",
        }
    }
}

/// Rewrites every patient message of every case of `suite`.
pub fn apply(perturbation: Perturbation, suite: &mut Suite) {
    for case in &mut suite.cases {
        let mut position = 0u64;
        for turn in &mut case.turns {
            let Step::Patient(burst) = &mut turn.step else { continue };
            for said in burst.messages_mut() {
                position += 1;
                let seed = seed(&case.id, position);
                match said {
                    Said::Text(text) | Said::VoiceNote { transcript: text } => {
                        *text = rewrite(perturbation, text, seed);
                    }
                    Said::Photo { .. } => {}
                }
            }
        }
    }
}

/// `text` as the perturbation writes it; never empty when `text` was not.
fn rewrite(perturbation: Perturbation, text: &str, seed: u64) -> String {
    let rewritten = match perturbation {
        Perturbation::Typos => with_a_slip(text, seed),
        Perturbation::Abbreviations => abbreviated(text),
        Perturbation::Unpunctuated => unpunctuated(text),
        Perturbation::Shouting => text.to_uppercase(),
    };
    if rewritten.trim().is_empty() { text.to_owned() } else { rewritten }
}

/// FNV-1a over the case id and the message's position in the case.
fn seed(case: &str, position: u64) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in case.bytes().chain(position.to_le_bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The shortest word a slip is made in: shorter ones are too often read right by chance or
/// changed into another word.
const SLIP_IN_WORDS_OF: usize = 6;

fn with_a_slip(text: &str, seed: u64) -> String {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut words: Vec<String> = text.split(' ').map(str::to_owned).collect();
    let long: Vec<usize> = (0..words.len())
        .filter(|&at| {
            let word = &words[at];
            word.chars().count() >= SLIP_IN_WORDS_OF && word.chars().all(char::is_alphabetic)
        })
        .collect();
    let Some(&at) = (!long.is_empty()).then(|| &long[rng.usize(..long.len())]) else {
        return text.to_owned();
    };
    let mut letters: Vec<char> = words[at].chars().collect();
    // Never the first or the last letter: a slip is made inside the word.
    let inner = 1 + rng.usize(..letters.len() - 2);
    match rng.u8(..3) {
        0 => letters.swap(inner, inner + 1),
        1 => {
            letters.remove(inner);
        }
        _ => letters.insert(inner, letters[inner]),
    }
    words[at] = letters.into_iter().collect();
    words.join(" ")
}

/// Whole words and phrases → how a chat abbreviates them.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("vocês", "vcs"),
    ("voces", "vcs"),
    ("você", "vc"),
    ("voce", "vc"),
    ("por que", "pq"),
    ("porque", "pq"),
    ("que", "q"),
    ("também", "tbm"),
    ("hoje", "hj"),
    ("beleza", "blz"),
    ("obrigado", "obg"),
    ("obrigada", "obg"),
    ("por favor", "pfv"),
    ("mensagens", "msgs"),
    ("mensagem", "msg"),
    ("quando", "qdo"),
    ("quanto", "qnto"),
    ("não", "n"),
    ("está", "ta"),
    ("estou", "to"),
    ("para", "pra"),
    ("tudo", "td"),
    ("muito", "mto"),
    ("comigo", "cmg"),
    ("depois", "dps"),
    ("fim de semana", "fds"),
];

fn abbreviated(text: &str) -> String {
    let mut words: Vec<String> = text.split(' ').map(str::to_owned).collect();
    let mut at = 0;
    while at < words.len() {
        let replaced = ABBREVIATIONS.iter().find_map(|(long, short)| {
            let phrase: Vec<&str> = long.split(' ').collect();
            let window = words.get(at..at + phrase.len())?;
            let (last, before) = window.split_last()?;
            // Punctuation after the last word stays: "você?" → "vc?".
            let bare = last.trim_end_matches(|c: char| !c.is_alphanumeric());
            let matches = before.iter().zip(&phrase).all(|(word, part)| word.to_lowercase() == *part)
                && bare.to_lowercase() == phrase[phrase.len() - 1];
            matches.then(|| (phrase.len(), format!("{short}{}", &last[bare.len()..])))
        });
        if let Some((len, short)) = replaced {
            words.splice(at..at + len, [short]);
        }
        at += 1;
    }
    words.join(" ")
}

fn unpunctuated(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let digit = |at: Option<usize>| at.and_then(|at| chars.get(at)).is_some_and(char::is_ascii_digit);
    let mut out = String::with_capacity(text.len());
    for (at, c) in chars.iter().enumerate() {
        let in_a_number =
            matches!(c, '.' | ',' | ':' | '/') && digit(at.checked_sub(1)) && digit(Some(at + 1));
        if c.is_alphanumeric() || c.is_whitespace() || in_a_number || !c.is_ascii_punctuation() && *c != '…'
        {
            out.extend(c.to_lowercase().map(unaccented));
        } else {
            out.push(' ');
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn unaccented(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ã' | 'ä' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'õ' | 'ö' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ç' => 'c',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_is_one_slip_inside_one_long_word() {
        let text = "queria marcar limpeza amanhã";
        let slipped = rewrite(Perturbation::Typos, text, seed("case", 1));
        assert_ne!(slipped, text);
        let changed: Vec<(&str, &str)> =
            text.split(' ').zip(slipped.split(' ')).filter(|(before, after)| before != after).collect();
        assert_eq!(changed.len(), 1, "{slipped:?}");
        let (before, after) = changed[0];
        assert!(before.chars().count() >= SLIP_IN_WORDS_OF);
        assert_eq!(before.chars().next(), after.chars().next());
        assert_eq!(before.chars().last(), after.chars().last());
        assert!(before.chars().count().abs_diff(after.chars().count()) <= 1);
        // The same case and position slip the same way.
        assert_eq!(slipped, rewrite(Perturbation::Typos, text, seed("case", 1)));
        // Nothing long enough: unchanged.
        assert_eq!(rewrite(Perturbation::Typos, "oi, sim", 7), "oi, sim");
    }

    #[test]
    fn abbreviations_keep_the_punctuation_after_a_word() {
        assert_eq!(
            rewrite(Perturbation::Abbreviations, "Você tem horário hoje? Por favor, não esquece", 0),
            "vc tem horário hj? pfv, n esquece"
        );
        assert_eq!(
            rewrite(Perturbation::Abbreviations, "quero que seja para sábado", 0),
            "quero q seja pra sábado"
        );
    }

    #[test]
    fn unpunctuated_keeps_times_dates_and_amounts_whole() {
        assert_eq!(
            rewrite(Perturbation::Unpunctuated, "Sábado, às 10:30? Dia 12/03. R$ 1.200,00!", 0),
            "sabado as 10:30 dia 12/03 r 1.200,00"
        );
        assert_eq!(rewrite(Perturbation::Unpunctuated, "?", 0), "?");
        assert_eq!(rewrite(Perturbation::Unpunctuated, "oi 😊", 0), "oi 😊");
    }

    #[test]
    fn shouting_is_every_letter_in_capitals() {
        assert_eq!(rewrite(Perturbation::Shouting, "quero marcar às 15h", 0), "QUERO MARCAR ÀS 15H");
    }
}
