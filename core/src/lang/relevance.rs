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

fn content_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in normalize(text).tokens() {
        let keeps = word.chars().any(char::is_alphabetic) && !FUNCTION_WORDS.contains(&word);
        if keeps && !words.iter().any(|known| known == word) {
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
    const BOTOX_PAIN: &str =
        "*Botox dói?*\nA aplicação do botox causa só um leve desconforto, com agulhas finas.";
    const HEALTH_PLANS: &str = "*Convênios*\nNão atendemos por convênio; as consultas são particulares.";

    #[test]
    fn a_passage_that_shares_the_question_s_words_answers_it() {
        for (query, passage) in [
            ("botox doi?", BOTOX_PAIN),
            ("Botox dói muito??", BOTOX_PAIN),
            ("vcs atendem convenio?", HEALTH_PLANS),
            ("aceitam convênio", HEALTH_PLANS),
            ("convenio?", HEALTH_PLANS),
            ("qual a validade do pacote?", PACKAGES),
            ("onde estaciono o carro? tem estacionamento?", LOCATION),
        ] {
            assert!(answers(query, passage), "{query:?}");
        }
    }

    #[test]
    fn one_ambiguous_word_does_not_make_an_answer() {
        for (query, passage) in [
            ("e o lance do vale presente? minha cunhada falou q tem", PACKAGES),
            ("o vale! aquele q a gente da de presente pra alguem", LOCATION),
            ("??", LOCATION),
            ("", PACKAGES),
            ("quero falar daquilo com a gente", LOCATION),
            ("e aquela parada que voces falaram?", LOCATION),
        ] {
            assert!(!answers(query, passage), "{query:?}");
        }
    }
}
