//! Folds a patient's message into one canonical spelling, so every matcher in `lang` compares
//! plain lower-case ASCII-ish words separated by single spaces.
//!
//! What folding does, in one pass over the text:
//! - lower-cases and strips accents (`"Amanhã às 15h"` → `"amanha as 15h"`), including accents
//!   sent as separate combining marks;
//! - drops invisible characters (zero-width space and joiners, soft hyphen, direction marks,
//!   byte-order mark), which would otherwise split a word: `"SA\u{200B}IR"` is `"sair"`;
//! - turns punctuation, emoji and runs of whitespace into a single space, except `:` `/` `.` `,`
//!   between two digits, so `"15:30"`, `"12/03"` and `"1.200,00"` stay one word;
//! - squeezes a letter repeated three or more times (`"siiim"` → `"sim"`, `"oiii"` → `"oi"`):
//!   Portuguese never triples a letter, patients do for emphasis; and a doubled last vowel
//!   other than "oo" (`"obrigadaa"` → `"obrigada"`), which ends no Portuguese word;
//! - expands chat slang and frequent typos word by word (`"vc"` → `"voce"`, `"hj"` → `"hoje"`,
//!   `"pra"` → `"para"`, see [`slang`]), and `"s"` → `"sim"` when it is the whole message;
//! - reads one slip of the thumb in a word the readers hinge on as the word (`"qunta"` →
//!   `"quinta"`, `"conffirmar"` → `"confirmar"`, see [`typos`]);
//! - turns the English and Spanish words tourists write into Portuguese (`"friday"` →
//!   `"sexta"`, `"tomorrow"` → `"amanha"`, see [`foreign`]), and `"no"` → `"nao"` when it is
//!   the whole message or opens an English apology ("no, sorry").

mod foreign;
mod slang;
mod typos;

use std::fmt;
use std::iter::Peekable;
use std::str::{Chars, SplitAsciiWhitespace};

/// A message after [`normalize`]: lower-case, accent-free words separated by single spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Normalized(String);

impl Normalized {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The words of the message, in order.
    pub fn tokens(&self) -> SplitAsciiWhitespace<'_> {
        self.0.split_ascii_whitespace()
    }

    /// Whether `phrase` (already normalized: `"dor no peito"`) occurs as whole words.
    pub fn contains_phrase(&self, phrase: &str) -> bool {
        self.0.match_indices(phrase).any(|(at, _)| self.is_word_span(at, at + phrase.len()))
    }

    /// Where `phrase` (already normalized) last occurs as whole words, in bytes from the start:
    /// which of two things a message says later ("cancela… pensando melhor, muda pro sábado").
    pub fn last_position_of(&self, phrase: &str) -> Option<usize> {
        self.0
            .match_indices(phrase)
            .map(|(at, _)| at)
            .filter(|&at| self.is_word_span(at, at + phrase.len()))
            .last()
    }

    /// Whether the message opens with `phrase` (already normalized) as whole words.
    pub fn starts_with_phrase(&self, phrase: &str) -> bool {
        self.0.starts_with(phrase) && self.is_word_span(0, phrase.len())
    }

    fn is_word_span(&self, start: usize, end: usize) -> bool {
        let bytes = self.0.as_bytes();
        let starts_word = start == 0 || bytes[start - 1] == b' ';
        let ends_word = end == bytes.len() || bytes.get(end) == Some(&b' ');
        !self.0[start..end].is_empty() && starts_word && ends_word
    }
}

impl fmt::Display for Normalized {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Normalized {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The raw clauses of a message: it is cut at punctuation and at each new message of a burst,
/// so that a cue in one clause is not read with a word of another. A point or a comma between
/// digits joins a number ("15.30", "R$ 1.200,00"), as in [`normalize`], and cuts nothing.
pub(crate) fn split_clauses(text: &str) -> impl Iterator<Item = &str> {
    let digit_at =
        |at: Option<usize>| at.and_then(|at| text.as_bytes().get(at)).is_some_and(u8::is_ascii_digit);
    let mut clauses = Vec::new();
    let mut start = 0;
    for (at, c) in text.char_indices() {
        let joins_a_number = matches!(c, '.' | ',') && digit_at(at.checked_sub(1)) && digit_at(Some(at + 1));
        if matches!(c, '.' | ',' | ';' | '!' | '?' | '\n') && !joins_a_number {
            clauses.push(&text[start..at]);
            start = at + c.len_utf8();
        }
    }
    clauses.push(&text[start..]);
    clauses.into_iter()
}

/// Folds `text` for matching; see the module documentation for what changes. One allocation.
pub fn normalize(text: &str) -> Normalized {
    let mut folder = Folder { out: String::with_capacity(text.len()), token_start: 0, run: Run::default() };
    let mut chars = text.chars().peekable();
    while let Some(raw) = chars.next() {
        for lower in raw.to_lowercase() {
            folder.push(lower, &mut chars);
        }
    }
    folder.end_token();
    match folder.out.as_str() {
        "s" => folder.out.replace_range(.., "sim"),
        "no" => folder.out.replace_range(.., "nao"),
        out => {
            let mut words = out.split(' ');
            if words.next() == Some("no")
                && words.next().is_some_and(|w| foreign::AFTER_AN_ENGLISH_NO.contains(&w))
            {
                folder.out.replace_range(..2, "nao");
            }
        }
    }
    Normalized(folder.out)
}

struct Folder {
    out: String,
    /// Where the word being written started in `out`; equal to `out.len()` between words.
    token_start: usize,
    run: Run,
}

/// The last letter written and how many times in a row, to squeeze emphasis.
#[derive(Default)]
struct Run {
    letter: Option<char>,
    count: u8,
}

impl Folder {
    fn push(&mut self, lower: char, rest: &mut Peekable<Chars<'_>>) {
        if is_combining_mark(lower) || is_invisible(lower) {
            return;
        }
        let folded = fold_char(lower);
        if folded.is_alphanumeric() {
            self.push_word_char(folded);
        } else if is_number_joiner(folded)
            && self.in_number()
            && rest.peek().is_some_and(char::is_ascii_digit)
        {
            self.out.push(folded);
            self.run = Run::default();
        } else {
            self.end_token();
        }
    }

    fn push_word_char(&mut self, c: char) {
        if self.token_start == self.out.len() && !self.out.is_empty() {
            self.out.push(' ');
            self.token_start = self.out.len();
        }
        if c.is_alphabetic() {
            if self.run.letter == Some(c) {
                self.run.count = self.run.count.saturating_add(1);
                // The third in a row proves emphasis: take back the second, drop the rest.
                if self.run.count == 3 {
                    self.out.pop();
                }
                if self.run.count >= 3 {
                    return;
                }
            } else {
                self.run = Run { letter: Some(c), count: 1 };
            }
        } else {
            self.run = Run::default();
        }
        self.out.push(c);
    }

    fn in_number(&self) -> bool {
        self.token_start < self.out.len() && self.out.ends_with(|c: char| c.is_ascii_digit())
    }

    fn end_token(&mut self) {
        // A doubled last vowel is emphasis too ("obrigadaa", "brigadaa"): no Portuguese word
        // ends in "aa", "ee", "ii" or "uu" ("voo" and "enjoo" end in "oo", which stays).
        let word = &self.out[self.token_start..];
        let doubled_vowel = ["aa", "ee", "ii", "uu"].iter().any(|pair| word.ends_with(pair));
        if doubled_vowel && word.len() > 2 {
            self.out.pop();
        }
        let (before, word) = self.out.split_at(self.token_start);
        let previous = before.trim_end().rsplit(' ').next().filter(|w| !w.is_empty());
        // A slip is read last, so that a known abbreviation is never taken for one; the word it
        // was a slip of may be a tourist's ("fridya" is "friday", so "sexta").
        let canonical = slang::expand(word)
            .or_else(|| slang::softened_comparative(word, previous))
            .or_else(|| foreign::expand(word, previous))
            .or_else(|| typos::correct(word).map(|meant| foreign::expand(meant, previous).unwrap_or(meant)));
        if let Some(canonical) = canonical {
            self.out.truncate(self.token_start);
            self.out.push_str(canonical);
        }
        // "el lunes no puedo", "no posso": "no" before a verb in the first person is "não".
        let verb = foreign::VERBS_AFTER_A_NO.contains(&&self.out[self.token_start..]);
        let before = self.out[..self.token_start].trim_end();
        if verb && (before == "no" || before.ends_with(" no")) {
            let at = before.len() - "no".len();
            self.out.replace_range(at..before.len(), "nao");
        }
        self.token_start = self.out.len();
        self.run = Run::default();
    }
}

/// `:` `/` `.` `,` keep times, dates and amounts in one word when written between digits.
fn is_number_joiner(c: char) -> bool {
    matches!(c, ':' | '/' | '.' | ',')
}

/// Accents typed as a separate code point after the letter (decomposed text from some phones).
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036f}')
}

/// Characters that show nothing: a word with one inside is still the word.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

/// Lower-case letter → letter without its accent. Covers Portuguese and the Latin-1 letters a
/// phone keyboard offers; anything else is returned unchanged.
fn fold_char(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'õ' | 'ö' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        'ý' | 'ÿ' => 'y',
        // Ordinal indicators ("1º", "2ª") and the degree sign separate rather than glue: "1º" → "1".
        'º' | 'ª' | '°' => ' ',
        other => other,
    }
}

#[cfg(test)]
mod tests;
