//! Whatever a patient sends, no reader panics and every answer stays within its bounds.

use chrono::{NaiveDate, NaiveTime};
use proptest::prelude::*;

use super::*;
use crate::clinic::Clinic;
use crate::domain::TenantId;

const DEMO: &str = include_str!("../../../knowledge/demo/clinic.yaml");

/// Words the parsers react to, so generated messages reach past the first check.
const VOCABULARY: &[&str] = &[
    "amanhã",
    "hoje",
    "depois",
    "de",
    "da",
    "das",
    "às",
    "as",
    "a",
    "o",
    "e",
    "meia",
    "meio",
    "dia",
    "15h",
    "15:30",
    "12/03",
    "31/02/2026",
    "3",
    "12",
    "99",
    "sexta",
    "segunda",
    "essa",
    "próxima",
    "semana",
    "que",
    "vem",
    "mês",
    "fim",
    "tarde",
    "manhã",
    "noite",
    "entre",
    "até",
    "antes",
    "partir",
    "daqui",
    "opção",
    "primeiro",
    "último",
    "qualquer",
    "não",
    "sim",
    "cancelar",
    "mensagens",
    "botox",
    "limpesa",
    "pele",
    "dra",
    "ana",
    "tenho",
    "anos",
    "filha",
    "no",
    "sorry",
    "friday",
    "3pm",
    "mañana",
    "la",
    "porque",
    "\n",
    "amamentando",
    "criolipólise",
    "bichequitomia",
    "mama",
    "peito",
    "absurdo",
    "cobrança",
    "vou",
    "pensar",
    "muito",
    "PÉSSIMO",
    "atendimento",
    "ninguém",
    "me",
    "esperando",
    "horas",
    "cobraram",
    "reais",
    "200",
    "a mais",
    "alô",
    "cartão",
    "fidelidade",
    "👍",
    "!",
    ",",
    "?",
    "ç",
    "\u{0301}",
];

fn any_text() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..200).prop_map(String::from_iter)
}

fn wordy_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(VOCABULARY), 0..30).prop_map(|words| words.join(" "))
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![any_text(), wordy_text()]
}

fn any_day() -> impl Strategy<Value = NaiveDate> {
    (1990i32..2100, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

fn slots() -> impl Strategy<Value = Vec<(NaiveDate, NaiveTime)>> {
    let time = (0u32..24, 0u32..60).prop_map(|(h, m)| NaiveTime::from_hms_opt(h, m, 0).unwrap());
    prop::collection::vec((any_day(), time), 0..8)
}

fn assert_choice_in_bounds(choice: &Choice, len: usize) {
    match choice {
        Choice::Picked(i) => assert!(*i < len),
        Choice::Ambiguous(all) => assert!(all.len() >= 2 && all.iter().all(|i| *i < len)),
        Choice::NoMatch => {}
    }
}

proptest! {
    #[test]
    fn folding_is_idempotent_and_tidy(input in text()) {
        let once = normalize(&input);
        let twice = normalize(once.as_str());
        prop_assert_eq!(twice.as_str(), once.as_str());
        prop_assert!(!once.as_str().starts_with(' ') && !once.as_str().ends_with(' '));
        prop_assert!(!once.as_str().contains("  "));
        prop_assert!(once.tokens().all(|t| !t.is_empty()));
    }

    #[test]
    fn date_wishes_are_well_formed(input in text(), today in any_day()) {
        let wish = parse_when(&input, today);
        if let Some(date) = wish.date {
            prop_assert!(date.first() <= date.last());
        }
    }

    #[test]
    fn picks_are_within_the_options(input in text(), options in slots(), today in any_day()) {
        assert_choice_in_bounds(&pick_slot(&input, &options, today), options.len());
        let times: Vec<NaiveTime> = options.iter().map(|(_, t)| *t).collect();
        assert_choice_in_bounds(&pick_time(&input, &times), times.len());
        assert_choice_in_bounds(&pick_numbered(&input, options.len()), options.len());
    }

    #[test]
    fn classifiers_answer_anything(input in text()) {
        let _ = (is_affirmative(&input), is_negative(&input), is_greeting(&input), is_thanks(&input));
        let _ = (wants_human(&input), is_opt_out(&input), is_emergency(&input));
        let _ = (needs_a_person(&input), leaves_for_later(&input), wants_earliest(&input), is_praise(&input));
        let _ = wants_latest(&input);
        let _ = (says_misunderstood(&input), only_calls_attention(&input), has_content_words(&input));
        let ranked = detect_intents(&input);
        prop_assert_eq!(detect_intent(&input), ranked.first().copied());
        prop_assert!(detect_age(&input).is_none_or(|age| (1..=120).contains(&age)));
    }

    #[test]
    fn a_reason_is_made_of_the_patients_own_words(input in text()) {
        if let Some(reason) = stated_reason(&input) {
            for word in reason.split(|c: char| c.is_whitespace() || c == ',') {
                prop_assert!(input.contains(word), "{:?} is not in {:?}", word, input);
            }
        }
    }

    #[test]
    fn what_a_goodbye_asks_besides_is_the_patients_own_words(input in text()) {
        let _ = puts_off(&input);
        if let Some(asked) = asked_beside_goodbye(&input) {
            for clause in asked.split(", ") {
                prop_assert!(input.contains(clause), "{:?} is not in {:?}", clause, input);
            }
        }
    }

    #[test]
    fn a_day_turned_down_is_well_formed(input in text(), today in any_day()) {
        if let Some(turned_down) = turned_down(&input, today) {
            prop_assert!(turned_down.day.first() <= turned_down.day.last());
        }
    }

    #[test]
    fn a_corrected_wish_is_well_formed(input in text(), today in any_day()) {
        if let Some(wish) = corrected_when(&input, today) {
            prop_assert!(!wish.is_empty());
            prop_assert!(wish.date.is_none_or(|date| date.first() <= date.last()));
        }
    }

    #[test]
    fn what_an_answer_leaves_out_is_the_patients_own_words(input in text(), answer in text()) {
        let folded = normalize(&input);
        for (covered, word) in left_out_after_covered(&input, &answer) {
            prop_assert!(folded.tokens().any(|token| token == covered), "{:?} is not in {:?}", covered, input);
            prop_assert!(folded.tokens().any(|token| token == word), "{:?} is not in {:?}", word, input);
        }
    }

    #[test]
    fn health_cues_are_the_clinics_own(input in text()) {
        let clinic = Clinic::from_yaml(TenantId::parse("demo").unwrap(), DEMO).unwrap();
        for cue in health_cues(&clinic, &input) {
            prop_assert!(clinic.services.iter().any(|s| s.contraindications.iter().any(|c| c == cue)));
        }
        let _ = unoffered_procedure(&clinic, &input);
    }

    #[test]
    fn services_and_professionals_are_the_clinics_own(input in text()) {
        let clinic = Clinic::from_yaml(TenantId::parse("demo").unwrap(), DEMO).unwrap();
        let all = match_services(&clinic, &input);
        prop_assert!(all.iter().all(|id| clinic.service(*id).is_some()));
        prop_assert_eq!(match_service(&clinic, &input), all.first().copied());
        if let Some(id) = match_professional(&clinic, &input) {
            prop_assert!(clinic.professional(id).is_some());
        }
    }
}
