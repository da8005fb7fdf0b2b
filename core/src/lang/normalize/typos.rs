//! One slip of the thumb in a word the readers hinge on: "qunta", "sabdo", "conffirmar",
//! "limeza", "fridya". Each is read as the word meant, so a patient who mistypes the day or the
//! verb is understood as one who does not.
//!
//! A slip is one letter dropped (words of six letters or more), one letter doubled, or two
//! neighbours swapped, of one of the [`ANCHORS`]. A word is never corrected when it is an
//! anchor itself, a word of its own ([`WORDS_OF_THEIR_OWN`]: "marca", "troca", "manha"), or one
//! slip away from two anchors ("primeir"). Chat slang and foreign words are read before this, so
//! a known abbreviation is never taken for a slip.

use std::collections::HashMap;
use std::sync::LazyLock;

/// The words whose slips are read: days, times and parts of the day, the verbs of booking and
/// changing, prices and payments, the clinic's services, what is sent and what goes wrong, and
/// the tourists' weekdays. Folded (lower-case, no accents).
const ANCHORS: &[&str] = &[
    // Days and times.
    "segunda",
    "terca",
    "quarta",
    "quinta",
    "sexta",
    "sabado",
    "domingo",
    "amanha",
    "semana",
    "tarde",
    "noite",
    "horario",
    "horarios",
    "primeiro",
    "primeira",
    "proxima",
    "proximo",
    "depois",
    "almoco",
    "disponivel",
    "vagas",
    // Booking and changing.
    "marcar",
    "agendar",
    "desmarcar",
    "remarcar",
    "cancelar",
    "confirmar",
    "confirmo",
    "confirmado",
    "trocar",
    "consulta",
    "avaliacao",
    "preciso",
    "queria",
    "gostaria",
    "perfeito",
    "certeza",
    "obrigada",
    "obrigado",
    // Prices and payments.
    "quanto",
    "quantas",
    "quantos",
    "desconto",
    "promocao",
    "pacote",
    "sessoes",
    "sessao",
    "estacionamento",
    "endereco",
    "pagamento",
    "parcelar",
    "parcela",
    "cartao",
    "dinheiro",
    // Services.
    "limpeza",
    "peeling",
    "microagulhamento",
    "skinbooster",
    "harmonizacao",
    "preenchimento",
    // What is sent, and what goes wrong.
    "mensagens",
    "mensagem",
    "propaganda",
    "propagandas",
    "reclamacao",
    "absurdo",
    "reembolso",
    "estorno",
    "cobraram",
    "cobranca",
    "atendimento",
    "gerente",
    "atendente",
    "humano",
    // Tourists.
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "tomorrow",
    "morning",
    "afternoon",
    "evening",
    "appointment",
    "cleaning",
    "manana",
    "limpieza",
    "viernes",
    "martes",
    "miercoles",
    "jueves",
];

/// Words one slip away from an anchor that are words of their own, as Debian's `wbrazilian`
/// list has them ("marca" of "me marca", "troca", "manha" of "manhã", "queira"), and two foreign
/// words the tourist tables read ("precio", "confirm"). Rare words that a clinic's patient
/// writes only as a slip ("demarcar", "gostara") are not here.
const WORDS_OF_THEIR_OWN: &[&str] = &[
    "agenda", "arcar", "artes", "cancela", "carta", "cobrara", "confirm", "confirma", "confiro", "coraram",
    "desmarca", "manha", "marca", "mares", "mates", "precio", "prefeito", "quanta", "queira", "quina",
    "quita", "remarca", "tocar", "troca", "vieres",
];

/// Shortest word read as a slip: a four-letter word is too often a word of its own.
const SHORTEST: usize = 5;

/// Each slip → the anchor it is a slip of; `None` when it is a slip of two.
static SLIPS: LazyLock<HashMap<String, Option<&'static str>>> = LazyLock::new(|| {
    let mut slips: HashMap<String, Option<&'static str>> = HashMap::new();
    for &anchor in ANCHORS {
        for slip in slips_of(anchor) {
            slips
                .entry(slip)
                .and_modify(|meant| {
                    if *meant != Some(anchor) {
                        *meant = None;
                    }
                })
                .or_insert(Some(anchor));
        }
    }
    slips.retain(|slip, _| {
        slip.len() >= SHORTEST
            && !ANCHORS.contains(&slip.as_str())
            && !WORDS_OF_THEIR_OWN.contains(&slip.as_str())
    });
    slips
});

/// The anchor `word` (already folded) is one slip of, if any.
pub(super) fn correct(word: &str) -> Option<&'static str> {
    if word.len() < SHORTEST || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    SLIPS.get(word).copied().flatten()
}

/// Every word one slip away from `anchor`: a letter doubled, two neighbours swapped, and, in
/// words of six letters or more, a letter dropped.
fn slips_of(anchor: &str) -> Vec<String> {
    let letters: Vec<char> = anchor.chars().collect();
    let mut slips = Vec::new();
    for at in 0..letters.len() {
        let mut doubled = letters.clone();
        doubled.insert(at, letters[at]);
        slips.push(doubled.iter().collect());
        if letters.len() >= 6 {
            let mut dropped = letters.clone();
            dropped.remove(at);
            slips.push(dropped.iter().collect());
        }
        if at + 1 < letters.len() && letters[at] != letters[at + 1] {
            let mut swapped = letters.clone();
            swapped.swap(at, at + 1);
            slips.push(swapped.iter().collect());
        }
    }
    slips.retain(|slip: &String| slip != anchor);
    slips
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slip_in_a_word_the_readers_hinge_on_is_read_as_the_word() {
        for (slip, meant) in [
            ("qunta", "quinta"),
            ("sabdo", "sabado"),
            ("sbado", "sabado"),
            ("conffirmar", "confirmar"),
            ("limeza", "limpeza"),
            ("horairo", "horario"),
            ("priemiro", "primeiro"),
            ("desmarcr", "desmarcar"),
            ("demarcar", "desmarcar"),
            ("sexat", "sexta"),
            ("fridya", "friday"),
            ("propagnda", "propaganda"),
            ("qaunto", "quanto"),
        ] {
            assert_eq!(correct(slip), Some(meant), "{slip:?}");
        }
    }

    #[test]
    fn words_of_their_own_anchors_and_double_slips_stay() {
        for word in [
            "marca", "troca", "manha", "queira", "agenda", "cancela", "confirma", "quinta", "sabado",
            "horarios", "primeir", "vaga", "sext", "oi", "botox", "15h", "martes",
        ] {
            assert_eq!(correct(word), None, "{word:?}");
        }
    }

    #[test]
    fn no_slip_is_an_anchor_or_a_word_of_its_own() {
        for (slip, _) in SLIPS.iter() {
            assert!(!ANCHORS.contains(&slip.as_str()), "{slip:?}");
            assert!(!WORDS_OF_THEIR_OWN.contains(&slip.as_str()), "{slip:?}");
        }
    }
}
