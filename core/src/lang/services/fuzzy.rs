//! Word comparison that forgives what patients type: plurals and small typos.

/// Longest word compared letter by letter; longer ones must match exactly.
const MAX_CHARS: usize = 32;

/// How close a typed word is to a known one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Closeness {
    Typo,
    Exact,
}

/// Compares a typed word with a known word. Typos are forgiven by the known word's length: one
/// edit from 5 letters ("botx" → "botox", "peling" → "peeling", "limpesa"), two from 8
/// ("microagulhamentu"); shorter words must match exactly, since "boca" is one letter from
/// "bota". Swapping a letter for one that is neither a neighbour on the keyboard nor a
/// sound-alike costs two edits, so "parada" is not a typo of "papada".
pub(super) fn closeness(typed: &str, known: &str) -> Option<Closeness> {
    if typed == known {
        return Some(Closeness::Exact);
    }
    if verb_of(typed, known) {
        return None;
    }
    if diminutive_of(typed, known) {
        return Some(Closeness::Typo);
    }
    // "ks" sounds like "x": "botoks" is "botox" as it is said.
    let sounded = typed.replace("ks", "x");
    let typed = sounded.as_str();
    let allowed = match known.chars().count() {
        0..=4 => return None,
        5..=7 => 1,
        _ => 2,
    };
    edit_distance_within(typed, known, allowed).then_some(Closeness::Typo)
}

/// Verb endings of the first conjugation, the one a noun in "-a"/"-o" makes: "consultar",
/// "consultei", "consultou", "consultando".
const VERB_ENDINGS: &[&str] = &["ar", "ei", "ou", "ando", "amos", "aram", "ava", "aria", "arei"];

/// Whether `typed` is the verb of the noun `known`, not a typo of it: "preciso consultar minha
/// agenda" names no "consulta", though one edit apart.
fn verb_of(typed: &str, known: &str) -> bool {
    let stem = known.strip_suffix(['a', 'o']).unwrap_or(known);
    typed.strip_prefix(stem).is_some_and(|ending| VERB_ENDINGS.contains(&ending))
}

/// "papadinha" of "papada", "botoxzinho" of "botox": the diminutive patients use for the thing
/// itself. Only of words of five letters or more, as a typo.
fn diminutive_of(typed: &str, known: &str) -> bool {
    const ENDINGS: [&str; 4] = ["inha", "inho", "zinha", "zinho"];
    if known.chars().count() < 5 {
        return false;
    }
    let stem = known.strip_suffix(['a', 'o']).unwrap_or(known);
    let ends = |from: &str| typed.strip_prefix(from).is_some_and(|ending| ENDINGS.contains(&ending));
    ends(stem) || ends(known)
}

/// A plural's singular, roughly: enough to compare "peelings" with "peeling" and "lábios" with
/// "lábio". Both sides of a comparison go through it, so an odd stem does no harm.
pub(super) fn singular(word: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    if word.len() <= 3 || !word.ends_with('s') || word.ends_with("ss") {
        return Cow::Borrowed(word);
    }
    for (plural, single) in [("oes", "ao"), ("aes", "ao"), ("ais", "al"), ("eis", "el"), ("ns", "m")] {
        if let Some(stem) = word.strip_suffix(plural) {
            return Cow::Owned(format!("{stem}{single}"));
        }
    }
    Cow::Borrowed(&word[..word.len() - 1])
}

/// Whether `a` becomes `b` in at most `max` insertions, deletions, substitutions or swaps of
/// neighbours (optimal string alignment distance), on the stack.
fn edit_distance_within(a: &str, b: &str, max: usize) -> bool {
    let (mut a_chars, mut b_chars) = (['\0'; MAX_CHARS], ['\0'; MAX_CHARS]);
    let (Some(n), Some(m)) = (fill(&mut a_chars, a), fill(&mut b_chars, b)) else {
        return false;
    };
    if n.abs_diff(m) > max {
        return false;
    }
    let (a, b) = (&a_chars[..n], &b_chars[..m]);
    let mut before_previous = [0usize; MAX_CHARS + 1];
    let mut previous: [usize; MAX_CHARS + 1] = std::array::from_fn(|j| j);
    let mut current = [0usize; MAX_CHARS + 1];
    for i in 1..=n {
        current[0] = i;
        for j in 1..=m {
            let cost = substitution_cost(a[i - 1], b[j - 1]);
            let mut best = (previous[j] + 1).min(current[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before_previous[j - 2] + 1);
            }
            current[j] = best;
        }
        before_previous = previous;
        previous = current;
    }
    previous[m] <= max
}

fn substitution_cost(a: char, b: char) -> usize {
    if a == b {
        0
    } else if sound_alike(a, b) || keyboard_neighbours(a, b) {
        1
    } else {
        2
    }
}

/// Letters Portuguese spelling confuses: "limpesa", "microagulhamentu", "xampu".
fn sound_alike(a: char, b: char) -> bool {
    const PAIRS: [(char, char); 9] = [
        ('s', 'z'),
        ('s', 'c'),
        ('c', 'k'),
        ('c', 'q'),
        ('o', 'u'),
        ('e', 'i'),
        ('x', 's'),
        ('g', 'j'),
        ('m', 'n'),
    ];
    PAIRS.iter().any(|&(x, y)| (a, b) == (x, y) || (a, b) == (y, x))
}

/// Keys next to each other on a QWERTY phone keyboard, rows staggered as drawn.
fn keyboard_neighbours(a: char, b: char) -> bool {
    const ROWS: [(&str, f32); 3] = [("qwertyuiop", 0.0), ("asdfghjkl", 0.25), ("zxcvbnm", 0.75)];
    let place = |c: char| {
        ROWS.iter().enumerate().find_map(|(row, (keys, offset))| {
            keys.chars().position(|k| k == c).map(|col| (row, col as f32 + offset))
        })
    };
    let (Some((row_a, x_a)), Some((row_b, x_b))) = (place(a), place(b)) else {
        return false;
    };
    match row_a.abs_diff(row_b) {
        0 => (x_a - x_b).abs() <= 1.0,
        1 => (x_a - x_b).abs() <= 0.75,
        _ => false,
    }
}

/// Copies the word's letters into `buffer`; `None` if it does not fit.
fn fill(buffer: &mut [char; MAX_CHARS], word: &str) -> Option<usize> {
    let mut len = 0;
    for c in word.chars() {
        *buffer.get_mut(len)? = c;
        len += 1;
    }
    Some(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_are_forgiven_by_the_known_words_length() {
        assert_eq!(closeness("botox", "botox"), Some(Closeness::Exact));
        assert_eq!(closeness("botx", "botox"), Some(Closeness::Typo));
        assert_eq!(closeness("peling", "peeling"), Some(Closeness::Typo));
        assert_eq!(closeness("peelign", "peeling"), Some(Closeness::Typo));
        assert_eq!(closeness("limpesa", "limpeza"), Some(Closeness::Typo));
        assert_eq!(closeness("microagulhamentu", "microagulhamento"), Some(Closeness::Typo));
        assert_eq!(closeness("mircoagulhamentu", "microagulhamento"), Some(Closeness::Typo));
        assert_eq!(closeness("limpeza", "limpeza"), Some(Closeness::Exact));
        assert_eq!(closeness("botoz", "botox"), Some(Closeness::Typo));
        assert_eq!(closeness("parada", "papada"), None);
        assert_eq!(closeness("pepino", "peeling"), None);
        assert_eq!(closeness("bota", "boca"), None);
        assert_eq!(closeness("btx", "botox"), None);
        assert_eq!(closeness("limpa", "limpeza"), None);
        assert_eq!(closeness(&"a".repeat(40), &"a".repeat(39)), None);
    }

    #[test]
    fn a_noun_s_verb_is_no_typo_of_it() {
        for verb in ["consultar", "consultei", "consultou", "consultando", "consultava"] {
            assert_eq!(closeness(verb, "consulta"), None, "{verb:?}");
        }
        assert_eq!(closeness("consultaa", "consulta"), Some(Closeness::Typo));
        assert_eq!(closeness("cosulta", "consulta"), Some(Closeness::Typo));
        assert_eq!(closeness("peelin", "peeling"), Some(Closeness::Typo));
    }

    #[test]
    fn plurals_fold_to_their_singular() {
        let cases = [
            ("peelings", "peeling"),
            ("labios", "labio"),
            ("harmonizacoes", "harmonizacao"),
            ("faciais", "facial"),
            ("botox", "botox"),
            ("pos", "pos"),
            ("stress", "stress"),
        ];
        for (plural, single) in cases {
            assert_eq!(singular(plural), single, "{plural:?}");
        }
    }
}
