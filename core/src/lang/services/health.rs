//! What a patient says about their health that rules a procedure out until a professional has
//! seen them: the contraindication cues each service lists in the clinic file ("amamentando",
//! "isotretinoína"), found in a message whatever its accents, case or small typos.

use super::fuzzy::closeness;
use crate::clinic::Clinic;
use crate::lang::normalize::{normalize, split_clauses};

/// Every contraindication cue of the clinic's services that `text` mentions, as the clinic
/// file writes it, each once. A cue's words must follow one another in one clause of the
/// message; a cue the patient denies ("não estou grávida") or says of somebody else ("minha
/// mãe toma marevan") does not count.
pub fn health_cues<'c>(clinic: &'c Clinic, text: &str) -> Vec<&'c str> {
    let clauses: Vec<Vec<String>> = clauses(text);
    let for_them = asks_for_them(text);
    let all_cues = || clinic.services.iter().flat_map(|service| &service.contraindications);
    // A word the clinic file spells, as a cue or in a service's names, is that word and not a
    // typo of a cue: "grávida" is not "gravidez", and "peeling químico" is not "quimio".
    let names =
        clinic.services.iter().flat_map(|service| std::iter::once(&service.name).chain(&service.aliases));
    let spelled: Vec<String> = all_cues()
        .chain(names)
        .flat_map(|words| normalize(words).tokens().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    let mut cues: Vec<&str> = Vec::new();
    for cue in all_cues() {
        if !cues.contains(&cue.as_str())
            && clauses.iter().any(|clause| mentions(clause, cue, &spelled, for_them))
        {
            cues.push(cue);
        }
    }
    if clauses.iter().any(|clause| baby_nurses(clause) || at_the_breast(clause)) || text.contains('\u{1F931}')
    {
        let breastfeeding = all_cues().find(|cue| BREASTFEEDING.contains(&normalize(cue).as_str()));
        if let Some(cue) = breastfeeding.filter(|cue| !cues.contains(&cue.as_str())) {
            cues.push(cue);
        }
    }
    if clauses.iter().any(|clause| expects_a_baby(clause, for_them) || test_came_positive(clause))
        || text.contains(['\u{1F930}', '\u{1FAC3}', '\u{1FAC4}'])
    {
        let pregnancy = all_cues().find(|cue| PREGNANCY.contains(&normalize(cue).as_str()));
        if let Some(cue) = pregnancy.filter(|cue| !cues.contains(&cue.as_str())) {
            cues.push(cue);
        }
    }
    cues
}

/// "fiz o teste de farmácia e deu positivo": a pregnancy test come positive. Not another
/// test ("o teste de covid deu positivo").
fn test_came_positive(words: &[String]) -> bool {
    const OTHER_TESTS: [&str; 4] = ["covid", "dengue", "gripe", "alergia"];
    let clause = normalize(&words.join(" "));
    (clause.contains_phrase("deu positivo") || clause.contains_phrase("positivou"))
        && (clause.contains_phrase("teste") || clause.contains_phrase("beta"))
        && !words.iter().any(|word| OTHER_TESTS.contains(&word.as_str()))
}

/// How clinic files name pregnancy among a service's contraindications.
const PREGNANCY: [&str; 4] = ["gravida", "gravidez", "gestante", "gestacao"];

/// A baby, after "esperando": "to esperando neném", "esperando um bebê".
const BABIES: &[&str] = &["bebe", "bb", "nenem", "nene", "neneca", "baby"];
/// A child expected, only with "um"/"uma": "esperando meu filho" is waiting for him at the door.
const CHILDREN: &[&str] = &["filho", "filha", "filhinho", "filhinha"];

/// Whether the clause says the patient is expecting a baby ("descobri q to esperando nenem",
/// "estou esperando um bebê"): pregnant, as much as "grávida". Not denied ("não to esperando
/// bebê"), not somebody else's ("minha irmã tá esperando bebê"), and not waiting for one's own
/// child ("to esperando meu filho sair da escola").
fn expects_a_baby(words: &[String], for_them: bool) -> bool {
    words.iter().enumerate().any(|(at, word)| {
        let rest = &words[at + 1..];
        let (article, next) = match rest {
            [first, second, ..] if first == "um" || first == "uma" => (true, second),
            [first, ..] => (false, first),
            [] => return false,
        };
        let expected = BABIES.contains(&next.as_str()) || (article && CHILDREN.contains(&next.as_str()));
        let before = &words[at.saturating_sub(NEGATION_REACH)..at];
        word == "esperando"
            && expected
            && !before.iter().any(|word| NEGATIONS.contains(&word.as_str()))
            && !not_the_one_treated(words, at, for_them)
    })
}

/// How clinic files name breastfeeding among a service's contraindications.
const BREASTFEEDING: [&str; 4] = ["amamentando", "amamentacao", "lactante", "dando de mamar"];

/// The baby's side of breastfeeding, in the present: "mama", "mamando".
const NURSES: [&str; 3] = ["mama", "mamando", "mamam"];

/// What says the nursing is at the breast, or by a baby: "mama" alone may be the breast
/// itself ("exame de mama").
const NURSING_MARKS: &[&str] =
    &["peito", "peitinho", "bebe", "bb", "nenem", "nene", "ainda", "filha", "filho"];

/// Words before "mama" that make it the breast, a noun: "minha mama", "exame de mama".
const BREAST_NOUN: [&str; 6] = ["minha", "a", "na", "da", "de", "uma"];

/// Whether the clause says the patient's baby still nurses ("minha bebê ainda mama no peito",
/// "o neném tá mamando"): the patient is breastfeeding, as much as "estou amamentando". Not
/// the past ("mamou até 1 ano") nor a stop ("já parou de mamar", "não mama mais").
fn baby_nurses(words: &[String]) -> bool {
    words.iter().enumerate().any(|(at, word)| {
        let before = &words[at.saturating_sub(NEGATION_REACH)..at];
        NURSES.contains(&word.as_str())
            && !at.checked_sub(1).is_some_and(|prev| BREAST_NOUN.contains(&words[prev].as_str()))
            && words.iter().any(|other| NURSING_MARKS.contains(&other.as_str()))
            && !before.iter().any(|word| NEGATIONS.contains(&word.as_str()) || word == "parou")
            && !words[at + 1..].iter().any(|word| word == "mais")
    })
}

/// Nursing said by where the baby feeds: "meu neném de 3 meses ainda tá só no peito", "dou
/// peito ainda". Not after a stop ("já parou de pegar o peito", "não dou mais peito").
fn at_the_breast(words: &[String]) -> bool {
    const AT_THE_BREAST: [&str; 6] = [
        "so no peito",
        "ainda no peito",
        "no peito ainda",
        "dou peito",
        "dando peito",
        "aleitamento materno",
    ];
    let clause = words.join(" ");
    let folded = normalize(&clause);
    AT_THE_BREAST.iter().any(|phrase| folded.contains_phrase(phrase))
        && !words.iter().any(|word| NEGATIONS.contains(&word.as_str()) || word == "parou" || word == "parei")
}

/// The message's clauses, as folded words: a negation or a person named in one clause says
/// nothing about a cue in another ("minha mãe toma marevan, mas eu não tomo nada").
fn clauses(text: &str) -> Vec<Vec<String>> {
    split_clauses(text)
        .flat_map(|part| {
            let folded = normalize(part);
            let words: Vec<String> = folded.tokens().map(str::to_owned).collect();
            words.split(|word| word == "mas").map(<[String]>::to_vec).collect::<Vec<_>>()
        })
        .filter(|clause| !clause.is_empty())
        .collect()
}

/// Words that deny a cue just before it: "não estou grávida", "nem amamentando".
const NEGATIONS: [&str; 4] = ["nao", "nem", "sem", "nunca"];

/// How many words before a cue a negation reaches ("não [estou] grávida").
const NEGATION_REACH: usize = 3;

/// "minha mãe", "meu marido": a cue after one of them in the clause is that person's.
const POSSESSIVES: [&str; 4] = ["minha", "meu", "minhas", "meus"];
const RELATIVES: &[&str] = &[
    "mae", "pai", "filha", "filho", "filhas", "filhos", "irma", "irmao", "marido", "esposa", "esposo",
    "namorada", "namorado", "amiga", "amigo", "avo", "tia", "tio", "prima", "primo", "sogra", "sogro",
    "cunhada", "cunhado", "vizinha", "vizinho", "colega", "chefe", "mulher", "noiva", "noivo",
];

fn mentions(words: &[String], cue: &str, spelled: &[String], for_them: bool) -> bool {
    let cue = normalize(cue);
    let cue: Vec<&str> = cue.tokens().collect();
    if cue.is_empty() || words.len() < cue.len() {
        return false;
    }
    (0..=words.len() - cue.len()).any(|at| {
        let found = words[at..].iter().zip(&cue).all(|(typed, known)| {
            let typed = without_diminutive(typed);
            typed == *known
                || is_present_of(&typed, known)
                || (!spelled.contains(&typed)
                    && (names_the_same_state(&typed, known) || is_typo_of(&typed, known)))
        });
        let before = &words[at.saturating_sub(NEGATION_REACH)..at];
        found
            && !before.iter().any(|word| NEGATIONS.contains(&word.as_str()))
            && !not_the_one_treated(words, at, for_them)
    })
}

/// Verbs of wanting said of the person just named, after her condition, with no new subject:
/// "minha esposa tá grávida e tá querendo fazer preenchimento", "minha filha toma roacutan e
/// quer fazer peeling". The patient's own wish is "quero" or comes after "eu".
const WANTS_IT: &[&str] = &["quer", "querendo", "pretende", "deseja"];
const POLITE_WISH: &[&str] = &["queria", "gostaria"];

/// Whether the message books for someone else: "queria marcar pra ela", "pra minha esposa"
/// (never "pra minha pele"), "fazer nela".
fn asks_for_them(text: &str) -> bool {
    let message = normalize(text);
    let words: Vec<&str> = message.tokens().collect();
    // "fazer o botox nela": done on her.
    if words.iter().any(|word| matches!(*word, "nela" | "nele")) {
        return true;
    }
    words.iter().enumerate().any(|(at, word)| {
        let rest = &words[at + 1..];
        let rest = rest.strip_prefix(&["a"]).or_else(|| rest.strip_prefix(&["o"])).unwrap_or(rest);
        *word == "para"
            && match rest {
                [pronoun, ..] if *pronoun == "ela" || *pronoun == "ele" => true,
                [possessive, relative, ..] => {
                    POSSESSIVES.contains(possessive) && RELATIVES.contains(relative)
                }
                _ => false,
            }
    })
}

/// A cue said of somebody else, who is not the one to be treated: "minha mãe toma marevan"
/// counts only when the message says she wants the procedure too, or books it for her.
fn not_the_one_treated(words: &[String], at: usize, for_them: bool) -> bool {
    let after = &words[at..];
    let own_subject = after.iter().position(|word| word == "eu").unwrap_or(after.len());
    // "quer saber se eu posso": she asks on the patient's behalf, and wants nothing done.
    let theirs = &after[..own_subject];
    let wants_it = theirs.iter().enumerate().any(|(i, word)| {
        // "ela queria fazer botox": the polite past is hers only with her as its subject
        // (alone it is the patient's own "queria").
        let hers = WANTS_IT.contains(&word.as_str())
            || (POLITE_WISH.contains(&word.as_str())
                && i.checked_sub(1).is_some_and(|before| matches!(theirs[before].as_str(), "ela" | "ele")));
        hers && theirs.get(i + 1).is_none_or(|next| next != "saber")
    });
    somebody_elses(&words[..at]) && !wants_it && !for_them
}

/// A small typo of the cue's word that keeps its first letter: patients slip inside a word
/// ("dando de mama", "amamentano"), rarely on its first letter, and "restante" is not
/// "gestante".
fn is_typo_of(typed: &str, known: &str) -> bool {
    typed.chars().next() == known.chars().next() && closeness(typed, known).is_some()
}

/// Present-tense endings of a verb's stem: "amamento", "amamenta", "dou" (of "dando").
/// Past ones are left out on purpose: "já amamentei" is no longer so.
const PRESENT_ENDINGS: [&str; 6] = ["o", "a", "ou", "amos", "emos", "imos"];

/// A cue the clinic file writes as a gerund ("amamentando", "dando de mamar") said in the
/// present tense instead: "amamento", "ainda dou de mamar".
fn is_present_of(typed: &str, known: &str) -> bool {
    ["ando", "endo", "indo"]
        .iter()
        .filter_map(|gerund| known.strip_suffix(gerund))
        .any(|stem| typed.strip_prefix(stem).is_some_and(|ending| PRESENT_ENDINGS.contains(&ending)))
}

/// The noun and the adjective of the same state, either of which a clinic file may list:
/// "gestação" is being "gestante", "lactação" being "lactante". Used only for a word the file
/// does not spell itself, as for typos.
const SAME_STATE: &[[&str; 2]] =
    &[["gestacao", "gestante"], ["lactacao", "lactante"], ["gravidez", "gravida"]];

fn names_the_same_state(typed: &str, known: &str) -> bool {
    SAME_STATE.iter().any(|pair| pair.contains(&typed) && pair.contains(&known) && typed != known)
}

/// "gravidinha" is "gravida": the diminutive patients use for warmth, taken off.
fn without_diminutive(word: &str) -> String {
    const MIN_STEM: usize = 4;
    for (suffix, ending) in [("inha", "a"), ("inho", "o")] {
        if let Some(stem) = word.strip_suffix(suffix).filter(|stem| stem.len() >= MIN_STEM) {
            return format!("{stem}{ending}");
        }
    }
    word.to_owned()
}

/// Whether the clause, before the cue, names another person as its subject: "minha mãe toma".
fn somebody_elses(before: &[String]) -> bool {
    before
        .windows(2)
        .any(|pair| POSSESSIVES.contains(&pair[0].as_str()) && RELATIVES.contains(&pair[1].as_str()))
}
