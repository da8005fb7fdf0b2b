use chrono::{NaiveDate, NaiveTime};

use super::*;

fn date(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

/// Today is Monday 2026-03-02.
fn today() -> NaiveDate {
    date(2)
}

/// Tuesday 10:00, Tuesday 15:00, Wednesday 15:00, Thursday 09:30.
fn slots() -> Vec<(NaiveDate, NaiveTime)> {
    vec![(date(3), hm(10, 0)), (date(3), hm(15, 0)), (date(4), hm(15, 0)), (date(5), hm(9, 30))]
}

fn assert_slot_picks(cases: &[(&str, Choice)]) {
    for (text, expected) in cases {
        assert_eq!(&pick_slot(text, &slots(), today()), expected, "{text:?}");
    }
}

#[test]
fn a_position_picks_that_option() {
    use Choice::Picked;
    assert_slot_picks(&[
        ("1", Picked(0)),
        ("1)", Picked(0)),
        ("2️⃣", Picked(1)),
        ("o primeiro", Picked(0)),
        ("primeira", Picked(0)),
        ("o primeiro horário", Picked(0)),
        ("opção 2", Picked(1)),
        ("opcao 2", Picked(1)),
        ("a segunda", Picked(1)),
        ("o segundo", Picked(1)),
        ("quero a terceira opção", Picked(2)),
        ("a 3", Picked(2)),
        ("pode ser a 3, obrigada", Picked(2)),
        ("número 4", Picked(3)),
        ("o último", Picked(3)),
        ("a ultima", Picked(3)),
        ("o penúltimo", Picked(2)),
    ]);
}

#[test]
fn first_closing_a_clause_is_an_adverb_not_a_position() {
    use Choice::{NoMatch, Picked};
    assert_slot_picks(&[
        ("vou ver minha agenda primeiro", NoMatch),
        ("preciso falar com meu marido primeiro", NoMatch),
        ("pode ser o primeiro", Picked(0)),
        ("quero a primeira", Picked(0)),
        ("fico com o primeiro 👍", Picked(0)),
        ("primeiro", Picked(0)),
        ("la primera", Picked(0)),
        ("the first", Picked(0)),
    ]);
}

#[test]
fn a_position_past_the_end_picks_nothing() {
    assert_slot_picks(&[("opção 7", Choice::NoMatch), ("a sexta opção", Choice::NoMatch)]);
}

#[test]
fn a_time_picks_the_options_at_that_time() {
    use Choice::{Ambiguous, Picked};
    assert_slot_picks(&[
        ("a das 10h", Picked(0)),
        ("às 10", Picked(0)),
        ("10h", Picked(0)),
        ("o das 10", Picked(0)),
        ("9 e meia", Picked(3)),
        ("a das 9", Picked(3)),
        ("a das 15h", Ambiguous(vec![1, 2])),
        ("a das 3", Ambiguous(vec![1, 2])),
        ("15", Ambiguous(vec![1, 2])),
        ("de manhã", Ambiguous(vec![0, 3])),
        ("depois das 14", Ambiguous(vec![1, 2])),
        ("às 11", Choice::NoMatch),
    ]);
}

#[test]
fn a_day_picks_the_options_on_that_day() {
    use Choice::{Ambiguous, NoMatch, Picked};
    assert_slot_picks(&[
        ("pode ser o de terça", Ambiguous(vec![0, 1])),
        ("o de quarta", Picked(2)),
        ("quarta", Picked(2)),
        ("quinta-feira", Picked(3)),
        ("dia 4", Picked(2)),
        ("04/03", Picked(2)),
        ("o de amanhã de tarde", Picked(1)),
        ("terça às 15h", Picked(1)),
        ("amanhã às 10", Picked(0)),
        ("o de sexta", NoMatch),
        ("na segunda", NoMatch),
        ("segunda", NoMatch),
        ("a de segunda", NoMatch),
    ]);
}

#[test]
fn any_option_means_the_first_that_fits() {
    use Choice::{NoMatch, Picked};
    assert_slot_picks(&[
        ("qualquer um", Picked(0)),
        ("qlq um", Picked(0)),
        ("tanto faz", Picked(0)),
        ("o que tiver", Picked(0)),
        ("qualquer um de quarta", Picked(2)),
        ("qualquer um de sexta", NoMatch),
    ]);
}

#[test]
fn messages_that_pick_nothing_say_so() {
    use Choice::NoMatch;
    assert_slot_picks(&[
        ("sim", NoMatch),
        ("nenhum desses", NoMatch),
        ("é minha primeira vez", NoMatch),
        ("quanto custa?", NoMatch),
        ("", NoMatch),
    ]);
    assert_eq!(pick_slot("1", &[], today()), NoMatch);
    assert_eq!(pick_slot("qualquer um", &[], today()), NoMatch);
}

#[test]
fn numbered_options_are_picked_by_position_only() {
    use Choice::{NoMatch, Picked};
    let cases = [
        ("1", Picked(0)),
        ("3", Picked(2)),
        ("4", NoMatch),
        ("o último", Picked(2)),
        ("segunda opção", Picked(1)),
        ("a segunda", Picked(1)),
        ("segunda", NoMatch),
        ("qualquer um", Picked(0)),
        ("amanhã", NoMatch),
    ];
    for (text, expected) in cases {
        assert_eq!(pick_numbered(text, 3), expected, "{text:?}");
    }
    assert_eq!(pick_numbered("1", 0), NoMatch);
    assert_eq!(pick_numbered("tanto faz", 0), NoMatch);
}

#[test]
fn times_of_one_day_are_picked_by_time_or_position() {
    use Choice::{Ambiguous, NoMatch, Picked};
    let times = [hm(9, 0), hm(10, 30), hm(14, 0), hm(16, 0)];
    let cases = [
        ("10 e meia", Picked(1)),
        ("às 2", Picked(2)),
        ("14h", Picked(2)),
        ("a das 4", Picked(3)),
        ("o primeiro", Picked(0)),
        ("à tarde", Ambiguous(vec![2, 3])),
        ("de manhã", Ambiguous(vec![0, 1])),
        ("amanhã às 10 e meia", Picked(1)),
        ("terça", NoMatch),
    ];
    for (text, expected) in cases {
        assert_eq!(pick_time(text, &times), expected, "{text:?}");
    }
}

#[test]
fn a_number_opening_an_acceptance_is_an_hour_of_the_options_or_their_position() {
    use Choice::{Ambiguous, NoMatch, Picked};
    assert_slot_picks(&[
        ("10 serve", Picked(0)),
        ("10 tá ótimo", Picked(0)),
        ("10 ta otimo", Picked(0)),
        ("10 pode ser 👍", Picked(0)),
        ("10 então", Picked(0)),
        ("9 ta otimo", Picked(3)),
        ("15 serve", Ambiguous(vec![1, 2])),
        // No option at 14:00: the number is where the option sits in the list.
        ("2 serve", Picked(1)),
        ("1 dúvida", NoMatch),
        ("10 nao serve", NoMatch),
    ]);
}

#[test]
fn a_number_closing_a_message_after_a_weekday_is_its_hour() {
    use Choice::{NoMatch, Picked};
    assert_slot_picks(&[
        ("terça 10", Picked(0)),
        ("terça 15 então", Picked(1)),
        ("quarta feira 15", Picked(2)),
        ("quinta 9", Picked(3)),
        // No option that day at that hour, or the number is a date.
        ("quinta 11", NoMatch),
        ("terça dia 3", Choice::Ambiguous(vec![0, 1])),
    ]);
}
