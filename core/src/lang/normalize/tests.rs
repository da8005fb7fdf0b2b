use super::*;

fn folded(text: &str) -> String {
    normalize(text).as_str().to_owned()
}

#[test]
fn folding_lower_cases_and_strips_portuguese_accents() {
    let cases = [
        ("Amanhã", "amanha"),
        ("AVALIAÇÃO", "avaliacao"),
        ("Harmonização Facial", "harmonizacao facial"),
        ("Você está aí?", "voce esta ai"),
        ("pé, avó, têm, pôr, útil, à, às", "pe avo tem por util a as"),
        ("Ñandu über", "nandu uber"),
    ];
    for (input, expected) in cases {
        assert_eq!(folded(input), expected, "{input:?}");
    }
}

#[test]
fn accents_sent_as_separate_combining_marks_are_stripped_too() {
    assert_eq!(folded("amanha\u{0303}"), "amanha");
    assert_eq!(folded("Sa\u{0301}bado"), "sabado");
}

#[test]
fn punctuation_emoji_and_whitespace_collapse_to_single_spaces() {
    let cases = [
        ("  oi!!!   tudo   bem??  ", "oi tudo bem"),
        ("sim 👍", "sim"),
        ("terça-feira", "terca feira"),
        ("a)\tprimeira\nopção", "a primeira opcao"),
        ("...", ""),
        ("", ""),
    ];
    for (input, expected) in cases {
        assert_eq!(folded(input), expected, "{input:?}");
    }
}

#[test]
fn times_dates_and_amounts_stay_one_word() {
    let cases = [
        ("às 15:30!", "as 15:30"),
        ("dia 12/03/2026.", "dia 12/03/2026"),
        ("R$ 1.200,00", "r 1.200,00"),
        ("15h30", "15h30"),
        ("1) 2) 3.", "1 2 3"),
        ("o 1º e a 2ª", "o 1 e a 2"),
    ];
    for (input, expected) in cases {
        assert_eq!(folded(input), expected, "{input:?}");
    }
}

#[test]
fn letters_repeated_for_emphasis_are_squeezed_but_real_doubles_stay() {
    let cases = [
        ("Siiiim", "sim"),
        ("oiiii", "oi"),
        ("obrigadaaaa", "obrigada"),
        ("carro passa", "carro passa"),
        ("1000", "1000"),
        ("brigadaa era isso", "obrigada era isso"),
        ("valeuu, simm", "valeu sim"),
        ("meu voo é sexta, com enjoo", "meu voo e sexta com enjoo"),
        ("aa", "aa"),
    ];
    for (input, expected) in cases {
        assert_eq!(folded(input), expected, "{input:?}");
    }
}

#[test]
fn chat_slang_and_common_typos_expand_to_canonical_words() {
    let cases = [
        ("vc tem horario hj?", "voce tem horario hoje"),
        ("vcs abrem sab?", "voces abrem sab"),
        ("q horas", "que horas"),
        ("pra amanhã", "para amanha"),
        ("pro dia 12", "para dia 12"),
        ("eu tb quero, tbm", "eu tambem quero tambem"),
        ("obg", "obrigado"),
        ("Obgd!!", "obrigado"),
        ("blz", "beleza"),
        ("td bem", "tudo bem"),
        ("a gnt se fala", "a gente se fala"),
        ("recebi a msg", "recebi a mensagem"),
        ("qdo vcs abrem", "quando voces abrem"),
        ("qnd", "quando"),
        ("n quero", "nao quero"),
        ("ñ", "nao"),
        ("naum", "nao"),
        ("qto custa", "quanto custa"),
        ("qnt é a limpeza", "quanto e a limpeza"),
        ("oq é isso", "o que e isso"),
        ("tô com alergia", "estou com alergia"),
        ("tá bom", "esta bom"),
        ("orario", "horario"),
        ("amnh", "amanha"),
        ("no fds", "no fim de semana"),
        ("vlw", "valeu"),
    ];
    for (input, expected) in cases {
        assert_eq!(folded(input), expected, "{input:?}");
    }
}

#[test]
fn a_lone_s_means_yes_only_as_the_whole_message() {
    assert_eq!(folded("S"), "sim");
    assert_eq!(folded(" s. "), "sim");
    assert_eq!(folded("s ou n"), "s ou nao");
}

#[test]
fn tokens_are_the_words_in_order() {
    let n = normalize("Oi, vc tem horário às 15h?");
    assert_eq!(n.tokens().collect::<Vec<_>>(), ["oi", "voce", "tem", "horario", "as", "15h"]);
    assert_eq!(normalize("!!").tokens().count(), 0);
}

#[test]
fn phrases_match_whole_words_only() {
    let n = normalize("Estou com dor no peito, socorro");
    assert!(n.contains_phrase("dor no peito"));
    assert!(n.contains_phrase("socorro"));
    assert!(!n.contains_phrase("dor no pe"));
    assert!(!n.contains_phrase("or no peito"));
    assert!(!n.contains_phrase(""));
    assert!(n.starts_with_phrase("estou com"));
    assert!(!n.starts_with_phrase("esto"));
    assert!(normalize("remarcar").contains_phrase("remarcar"));
    assert!(!normalize("remarcar").contains_phrase("marcar"));
}

#[test]
fn tourists_english_and_spanish_words_become_portuguese() {
    assert_eq!(folded("Friday afternoon?"), "sexta tarde");
    assert_eq!(folded("tomorrow at 3pm"), "amanha as 3pm");
    assert_eq!(folded("mañana a las 10"), "amanha a as 10");
    assert_eq!(folded("quiero una limpieza"), "quero una limpeza");
    assert_eq!(folded("Yes!"), "sim");
    assert_eq!(folded("sí, gracias"), "sim obrigado");
    assert_eq!(folded("viernes por la noche"), "sexta por la noite");
    assert_eq!(folded("el jueves por la mañana"), "el quinta por la manha");
    assert_eq!(folded("the first one please"), "the primeiro one por favor");
    assert_eq!(folded("a skin cleaning"), "a skin limpeza");
    assert_eq!(folded("lip filler"), "lip preenchimento");
    assert_eq!(folded("relleno de labios"), "preenchimento de labios");
    assert_eq!(folded("what time do you close?"), "que horas do you fecham");
    assert_eq!(folded("a que hora cierran el sábado?"), "a que hora fecham el sabado");
    assert_eq!(folded("late afternoon tomorrow"), "fim da tarde amanha");
    assert_eq!(folded("are you open on sunday?"), "are you abre no domingo");
    assert_eq!(folded("is the first visit free?"), "is the primeiro consulta e gratuita");
    assert_eq!(folded("any free slot friday?"), "any fre slot sexta");
    assert_eq!(folded("how much does it cost?"), "how much does it custa");
    assert_eq!(folded("early morning friday"), "comeco da manha sexta");
}

/// Spanish "turno" is an appointment; Portuguese "turno" is a work shift.
#[test]
fn a_spanish_turno_is_an_appointment_and_a_portuguese_one_a_shift() {
    assert_eq!(folded("hay turno para botox?"), "tem horario para botox");
    assert_eq!(folded("Buenas! tienen turno el miércoles?"), "buenas tem horario el quarta");
    assert_eq!(folded("quiero un turno"), "quero un horario");
    assert_eq!(folded("preciso trocar meu turno com uma colega"), "preciso trocar meu turno com uma colega");
    assert_eq!(folded("trabalho no turno da noite"), "trabalho no turno da noite");
}

#[test]
fn tourists_hours_in_words_become_portuguese_numbers() {
    assert_eq!(folded("a las once mejor"), "a as onze melhor");
    assert_eq!(folded("A LAS DOS Y MEDIA"), "a as duas e meia");
    assert_eq!(folded("a la una"), "a la uma");
    assert_eq!(folded("at eleven is better"), "as onze is melhor");
    assert_eq!(folded("at one"), "as uma");
    assert_eq!(folded("eleven?"), "onze");
    // Portuguese words that are also Spanish numbers stay what they are elsewhere.
    assert_eq!(folded("dos dias"), "dos dias");
    assert_eq!(folded("um doce"), "um doce");
    assert_eq!(folded("the first one"), "the primeiro one");
}

#[test]
fn a_lone_no_means_no_only_as_the_whole_message() {
    assert_eq!(folded("No"), "nao");
    assert_eq!(folded("no!"), "nao");
    assert_eq!(folded("no dia 12"), "no dia 12");
    assert_eq!(folded("no, sorry, wrong day"), "nao sorry wrong day");
    assert_eq!(folded("No thanks"), "nao obrigado");
    assert_eq!(folded("no sabado"), "no sabado");
}

#[test]
fn no_before_a_verb_in_the_first_person_is_nao() {
    // Round 21: Spanish "no puedo", and "não" typed without its tilde.
    assert_eq!(folded("uff el lunes no puedo. y el martes?"), "uff el segunda nao posso e el terca");
    assert_eq!(folded("NO PUEDO el lunes"), "nao posso el segunda");
    assert_eq!(folded("no quiero botox"), "nao quero botox");
    assert_eq!(folded("segunda no consigo 😕"), "segunda nao consigo");
    assert_eq!(folded("no posso"), "nao posso");
    // Portuguese "no" before a noun stays.
    assert_eq!(folded("no horario das 10"), "no horario das 10");
    assert_eq!(folded("tem vaga no sabado?"), "tem vaga no sabado");
}

#[test]
fn invisible_characters_do_not_split_a_word() {
    assert_eq!(folded("SA\u{200B}IR"), "sair");
    assert_eq!(folded("\u{FEFF}quero\u{00AD}marcar"), "queromarcar");
    assert_eq!(folded("ca\u{200D}ncelar amanh\u{2060}ã"), "cancelar amanha");
    assert!(crate::lang::is_opt_out("SA\u{200B}IR"));
}

#[test]
fn tourists_bounds_and_a_word_of_taking_an_offer_become_portuguese() {
    assert_eq!(folded("Tuesday after 5pm?"), "terca apos 5pm");
    assert_eq!(folded("before noon"), "antes meio dia");
    assert_eq!(folded("until 6"), "ate 6");
    assert_eq!(folded("después de las 5"), "depois de as 5");
    assert_eq!(folded("6pm is perfect"), "6pm is perfeito");
    assert_eq!(folded("perfecto!"), "perfeito");
}

#[test]
fn clauses_end_at_punctuation_and_new_messages_but_not_inside_a_number() {
    let clauses = |text| split_clauses(text).map(str::trim).collect::<Vec<_>>();
    assert_eq!(clauses("sexta não dá, sábado 15.30?"), ["sexta não dá", "sábado 15.30", ""]);
    assert_eq!(clauses("paguei R$ 1.200,00! absurdo"), ["paguei R$ 1.200,00", "absurdo"]);
    assert_eq!(clauses("às 15h. depois vejo\nok"), ["às 15h", "depois vejo", "ok"]);
    assert_eq!(clauses("dia 12.Sexta tb"), ["dia 12", "Sexta tb"]);
    assert_eq!(clauses("2,3 ou 4"), ["2,3 ou 4"]);
    assert_eq!(clauses("opção 2, 3 ou 4"), ["opção 2", "3 ou 4"]);
    assert_eq!(clauses("ação… ok"), ["ação… ok"]);
}
