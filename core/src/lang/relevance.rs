//! Whether a passage of the clinic's knowledge answers what a patient asked, by the share of
//! the question's content words the passage contains. A lexical search always finds
//! *something*: "e o lance do vale presente?" finds "cada pacote vale por 180 dias" through one
//! ambiguous word. Such an answer is a miss the patient must then correct, so it is better to
//! say it was not understood.

use super::normalize::normalize;

/// Function words and chat fillers that carry no topic ("a gente" is "we").
const FUNCTION_WORDS: &[&str] = &[
    "a",
    "o",
    "as",
    "os",
    "um",
    "uma",
    "uns",
    "umas",
    "de",
    "do",
    "da",
    "dos",
    "das",
    "e",
    "em",
    "no",
    "na",
    "nos",
    "nas",
    "ao",
    "aos",
    "para",
    "por",
    "pelo",
    "pela",
    "com",
    "sem",
    "que",
    "se",
    "eu",
    "me",
    "mim",
    "meu",
    "minha",
    "meus",
    "minhas",
    "voce",
    "voces",
    "ele",
    "ela",
    "eles",
    "elas",
    "gente",
    "isso",
    "esse",
    "essa",
    "este",
    "esta",
    "aquele",
    "aquela",
    "aquilo",
    "ai",
    "la",
    "aqui",
    "ne",
    "entao",
    "mas",
    "ou",
    "como",
    "qual",
    "quais",
    "quando",
    "onde",
    "tem",
    "ter",
    "ser",
    "sao",
    "foi",
    "vai",
    "vou",
    "pode",
    "posso",
    "quero",
    "queria",
    "saber",
    "sobre",
    "oi",
    "ola",
    "bom",
    "dia",
    "tarde",
    "noite",
    "obrigado",
    "obrigada",
    "favor",
    "tudo",
    "bem",
    "mais",
    "muito",
    "so",
    "ja",
    "nao",
    "sim",
    "lance",
    "coisa",
    "negocio",
    "parada",
    "esquema",
    "alguem",
    "algum",
    "alguma",
    "falou",
    "disse",
    "daquilo",
    "disso",
    "daquele",
    "daquela",
    "kkk",
    "kkkk",
    "rs",
    // A determiner and interjections: "aquele q acumula a cada procedimento", "o cashback, pô".
    "cada",
    "po",
    "pow",
    "poxa",
    // The frame of a question, not its topic: "vocês aceitam convênio?", "quero falar daquilo".
    "aceita",
    "aceitam",
    "faz",
    "fazem",
    "atende",
    "atendem",
    "trabalha",
    "trabalham",
    "oferece",
    "oferecem",
    "existe",
    "falar",
    "falaram",
    "conversar",
    "perguntar",
    // Actions and time frames, which the dialogue reads, not the knowledge: "nao quero marcar,
    // quero saber se dura muito", "a moça que me atendeu semana passada".
    "marcar",
    "agendar",
    "atendeu",
    "atendida",
    "atendido",
    "semana",
    "passada",
    "passado",
    "nome",
    // How a thing stands, not what it is: "e então, como fica?", "como é que faz?", "e aí,
    // resolveu?", "ué, e a parada que eu falei?". Said alone, they point back at something
    // unnamed, which no passage answers.
    "fica",
    "ficar",
    "ficou",
    "fico",
    "faco",
    "fazer",
    "vem",
    "agora",
    "ue",
    "uai",
    "eai",
    "falei",
    "falamos",
    "pedi",
    "combinamos",
    "combinado",
    "conseguiu",
    "conseguiram",
    "resolveu",
    "resolveram",
    "resolvido",
    "conversou",
    "conversamos",
    // Remembering points back too: "lembra que te perguntei semana passada?".
    "lembra",
    "lembrar",
    "lembro",
    "lembrou",
    "recorda",
    // "ficou certo aquilo?", "deu certo?": whether something unnamed worked out.
    "certo",
    "certinho",
    "deu",
    // A letter's formulas: "Prezados, … Atenciosamente" names no topic.
    "prezados",
    "prezadas",
    "prezado",
    "prezada",
    "senhores",
    "atenciosamente",
    "cordialmente",
    "saudacoes",
    "cumprimentos",
    "grata",
    "grato",
    "agradeco",
    // Still or yet, a time frame: "ainda vale?", "ainda tem?" ask whether the thing named
    // holds, and the thing is the topic ("o cupom da parceria ainda vale?" is no question about
    // "as sessões que ainda restam" of a package).
    "ainda",
];

/// Letters two words must share from their start to count as the same word ("atendem",
/// "atendimento"); shorter words must be equal.
const STEM: usize = 5;

/// Whether `passage` covers the question `query`: it holds at least two of its content words,
/// or the only one it has ("convênio?"). A question of no content word ("??") is covered by
/// nothing.
pub fn answers(query: &str, passage: &str) -> bool {
    let asked = content_words(query);
    if asked.is_empty() {
        return false;
    }
    let found = content_words(passage);
    let covered = asked.iter().filter(|word| found.iter().any(|known| same_word(word, known))).count();
    covered >= 2 || covered == asked.len()
}

/// Whether `query` names anything at all: "??" and "oi, tudo bem?" do not.
pub fn has_content_words(query: &str) -> bool {
    !content_words(query).is_empty()
}

/// Words that ask how something is, not what it is: "estacionamento gratuito?", "pix hoje?".
/// After a word an answer covers, they ask about that same thing.
const QUALIFIERS: &[&str] = &[
    "gratuito", "gratuita", "gratis", "pago", "paga", "perto", "longe", "proximo", "proxima", "aberto",
    "aberta", "hoje", "amanha", "segunda", "terca", "quarta", "quinta", "sexta", "sabado", "sabados",
    "domingo", "domingos", "feriado", "certinho", "mesmo", "tambem", "ainda", "agora",
];

/// Each word of `query` that `answer` covers, with the word right after it when the answer says
/// nothing of that one: ("cartão", "fidelidade") against "Aceitamos PIX, cartão de crédito…".
/// The caller decides which pairs change the subject (a topic's own cue before a word that is
/// not the topic's: "cartão fidelidade", not "cartão parcelado"). A function word between
/// ("cartão de crédito") or a qualifier ("estacionamento gratuito?") keeps the subject.
pub fn left_out_after_covered(query: &str, answer: &str) -> Vec<(String, String)> {
    let known = content_words(answer);
    let covered = |word: &str| known.iter().any(|known| same_word(word, known));
    let folded = normalize(query);
    let words: Vec<&str> = folded.tokens().collect();
    words
        .windows(2)
        .filter(|pair| is_content(pair[0]) && covered(pair[0]))
        .filter(|pair| is_content(pair[1]) && !QUALIFIERS.contains(&pair[1]) && !covered(pair[1]))
        .map(|pair| (pair[0].to_owned(), pair[1].to_owned()))
        .collect()
}

fn is_content(word: &str) -> bool {
    word.chars().any(char::is_alphabetic) && !FUNCTION_WORDS.contains(&word)
}

fn content_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in normalize(text).tokens() {
        if is_content(word) && !words.iter().any(|known| known == word) {
            words.push(word.to_owned());
        }
    }
    words
}

fn same_word(a: &str, b: &str) -> bool {
    a == b || (a.len() >= STEM && b.len() >= STEM && a.as_bytes()[..STEM] == b.as_bytes()[..STEM])
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACKAGES: &str =
        "*Validade dos pacotes*\nCada pacote vale por 180 dias a partir da data da compra.";
    const LOCATION: &str = "*Localização e estacionamento*\nComo encontrar a Clínica Bella Forma, onde estacionar e como falar com a gente.";
    const ADDRESS: &str = "*Como chegar*\nA clínica fica na Avenida Paulista; se vier de carro, o desembarque \
        é na porta e o estacionamento fica ao lado. Como fazer: chegue 10 minutos antes.";
    const BOTOX_PAIN: &str =
        "*Botox dói?*\nA aplicação do botox causa só um leve desconforto, com agulhas finas.";
    const ARRIVAL: &str = "*Chegada com 10 minutos de antecedência*\nPedimos que você chegue 10 minutos antes do \
        horário marcado, para começar o atendimento no horário certo.";
    const PACKAGE_SESSIONS: &str = "*Validade dos pacotes*\nCada pacote vale por 180 dias a partir da data da \
        compra. A Sofia também informa quantas sessões ainda restam e até quando o seu pacote é válido.";
    const HEALTH_PLANS: &str = "*Convênios*\nNão atendemos por convênio; as consultas são particulares.";
    const COMBINING: &str = "*Combinar procedimentos*\nEm alguns casos é possível combinar procedimentos. Cada \
        procedimento tem a sua própria duração e o seu próprio horário na agenda.";

    #[test]
    fn a_passage_that_shares_the_question_s_words_answers_it() {
        for (query, passage) in [
            ("botox doi?", BOTOX_PAIN),
            ("Botox dói muito??", BOTOX_PAIN),
            ("vcs atendem convenio?", HEALTH_PLANS),
            ("aceitam convênio", HEALTH_PLANS),
            ("convenio?", HEALTH_PLANS),
            ("qual a validade do pacote?", PACKAGES),
            ("o pacote ainda vale?", PACKAGE_SESSIONS),
            ("quantas sessoes ainda restam no meu pacote?", PACKAGE_SESSIONS),
            ("onde estaciono o carro? tem estacionamento?", LOCATION),
        ] {
            assert!(answers(query, passage), "{query:?}");
        }
    }

    const PAYMENT: &str =
        "Aceitamos PIX, cartão de crédito em até 3x sem juros, cartão de débito e dinheiro.";
    const PARKING: &str =
        "Temos estacionamento conveniado ao lado, na Rua Exemplo, 50: R$ 15,00 por até 2 horas.";

    #[test]
    fn a_covered_word_followed_by_another_thing_is_told() {
        for (query, passage, covered, left_out) in [
            ("vcs tem cartão fidelidade?", PAYMENT, "cartao", "fidelidade"),
            ("Cartao fidelidade tem??", PAYMENT, "cartao", "fidelidade"),
            ("tem cartao presente? 🎁", PAYMENT, "cartao", "presente"),
            ("aceita pix parcelado?", PAYMENT, "pix", "parcelado"),
            ("estacionamento coberto?", PARKING, "estacionamento", "coberto"),
        ] {
            let expected = vec![(covered.to_owned(), left_out.to_owned())];
            assert_eq!(left_out_after_covered(query, passage), expected, "{query:?}");
        }
        for (query, passage) in [
            ("aceita cartão?", PAYMENT),
            ("aceitam cartao de credito?", PAYMENT),
            ("pix ou dinheiro?", PAYMENT),
            ("cartão de débito tb?", PAYMENT),
            ("estacionamento gratuito?", PARKING),
            ("tem estacionamento perto?", PARKING),
            ("", PAYMENT),
        ] {
            assert!(left_out_after_covered(query, passage).is_empty(), "{query:?}");
        }
    }

    #[test]
    fn a_question_names_something_or_not() {
        assert!(has_content_words("vcs tem cartão fidelidade?"));
        assert!(!has_content_words("??"));
        assert!(!has_content_words("oi, tudo bem?"));
        assert!(!has_content_words("e entao, como fica?"));
        assert!(has_content_words("como fica o rosto depois do peeling?"));
    }

    #[test]
    fn one_ambiguous_word_does_not_make_an_answer() {
        for (query, passage) in [
            ("e o lance do vale presente? minha cunhada falou q tem", PACKAGES),
            // Round 19: a determiner and an interjection shared with a passage on another thing.
            ("o cashback, po 🙄 aquele q acumula a cada procedimento q a gente faz", COMBINING),
            ("pow, e o cashback? ganho algo a cada sessao?", PACKAGES),
            ("poxa, o programa de pontos, cada compra acumula?", COMBINING),
            ("o vale! aquele q a gente da de presente pra alguem", LOCATION),
            ("??", LOCATION),
            ("", PACKAGES),
            ("quero falar daquilo com a gente", LOCATION),
            ("e aquela parada que voces falaram?", LOCATION),
            // Round 8: how it stands, about nothing named.
            ("e entao, como fica?", ADDRESS),
            ("ue, como fica a parada q eu falei?", ADDRESS),
            ("E ai?? como q faz agora", ADDRESS),
            ("e aí, resolveu aquilo que eu pedi? 🤔", ADDRESS),
            // Round 11: whether something unnamed worked out.
            ("bom dia! e ai, ficou certo aquilo?", ARRIVAL),
            ("deu certo aquilo?", ARRIVAL),
            ("e ai ja ta resolvido??", ARRIVAL),
            // A letter's formulas name no topic, though a passage may use them too.
            (
                "Prezados, agradeço a atenção. Atenciosamente, Rosa",
                "*Nossa equipe*\nAgradecemos a preferência; atenciosamente, a equipe.",
            ),
            ("ue, aquilo q a gente conversou semana passada kkk", ARRIVAL),
            // Round 18: "ainda" and one ambiguous word ("vale") name no package's validity.
            ("oi, e o cupom da parceria com a academia? ainda vale?", PACKAGE_SESSIONS),
            ("o cupom de desconto ainda vale?? 🙏", PACKAGE_SESSIONS),
            ("e o voucher q ganhei, ainda ta valendo?", PACKAGE_SESSIONS),
            ("ainda vale a promo da parceria c a academia", PACKAGE_SESSIONS),
        ] {
            assert!(!answers(query, passage), "{query:?}");
        }
    }
}
