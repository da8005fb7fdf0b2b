use super::*;

fn time_of(text: &str) -> Option<NaiveTime> {
    parse_when(text, monday()).time
}

#[test]
fn clock_times_in_every_usual_spelling() {
    let cases = [
        ("15h", hm(15, 0)),
        ("15:30", hm(15, 30)),
        ("15h30", hm(15, 30)),
        ("às 10", hm(10, 0)),
        ("as 10h", hm(10, 0)),
        ("às 14hs", hm(14, 0)),
        ("15 horas", hm(15, 0)),
        ("às 10:30", hm(10, 30)),
        ("às 15.30", hm(15, 30)),
        ("por volta das 16h", hm(16, 0)),
        ("lá pelas 11", hm(11, 0)),
        ("o das 10", hm(10, 0)),
        ("meio-dia", hm(12, 0)),
        ("meio dia", hm(12, 0)),
        ("meio dia e meia", hm(12, 30)),
        ("só consigo na hora do almoço", hm(12, 0)),
        ("no horário de almoço", hm(12, 0)),
        ("9 e meia", hm(9, 30)),
        ("10 e 15", hm(10, 15)),
        ("às 9 e meia", hm(9, 30)),
        // Round 6: a unit after a written clock, and afternoon hours in words.
        ("10:30hs", hm(10, 30)),
        ("10:30h", hm(10, 30)),
        ("às 14:00hrs", hm(14, 0)),
        ("quinze horas", hm(15, 0)),
        ("QUINZE HORAS 🙏", hm(15, 0)),
        ("dezesseis hrs", hm(16, 0)),
        ("às dezessete", hm(17, 0)),
        ("as quatorze h", hm(14, 0)),
        ("dez e meia", hm(10, 30)),
    ];
    for (text, expected) in cases {
        assert_eq!(time_of(text), Some(expected), "{text:?}");
    }
}

#[test]
fn a_written_period_decides_morning_or_afternoon() {
    let cases = [
        ("3 da tarde", hm(15, 0)),
        ("10 da manhã", hm(10, 0)),
        ("10 da manha", hm(10, 0)),
        ("às 2 da tarde", hm(14, 0)),
        ("as duas da tarde", hm(14, 0)),
        ("8 da noite", hm(20, 0)),
        ("às 7 da manhã", hm(7, 0)),
        ("de manhã às 7", hm(7, 0)),
        ("à noite, umas 7", hm(19, 0)),
        ("uma da tarde", hm(13, 0)),
    ];
    for (text, expected) in cases {
        assert_eq!(time_of(text), Some(expected), "{text:?}");
    }
}

#[test]
fn an_hour_from_one_to_seven_alone_means_the_afternoon() {
    let cases = [
        ("às 3", hm(15, 0)),
        ("as 1", hm(13, 0)),
        ("às duas", hm(14, 0)),
        ("às 7", hm(19, 0)),
        ("às 4 e meia", hm(16, 30)),
        ("às 8", hm(8, 0)),
        ("às 12", hm(12, 0)),
    ];
    for (text, expected) in cases {
        assert_eq!(time_of(text), Some(expected), "{text:?}");
    }
}

#[test]
fn bounds_say_after_or_before() {
    let cases = [
        ("depois das 15h", Some(hm(15, 0)), None),
        ("a partir das 15", Some(hm(15, 0)), None),
        ("a partir das 3", Some(hm(15, 0)), None),
        ("após as 14", Some(hm(14, 0)), None),
        ("depois do almoço", Some(hm(13, 0)), None),
        ("antes das 11", None, Some(hm(11, 0))),
        ("até as 10", None, Some(hm(10, 0))),
        ("antes do almoço", None, Some(hm(12, 0))),
        ("entre 14 e 16h", Some(hm(14, 0)), Some(hm(16, 0))),
        ("entre as 2 e as 4 da tarde", Some(hm(14, 0)), Some(hm(16, 0))),
        ("entre 9 e 11", Some(hm(9, 0)), Some(hm(11, 0))),
        ("das 14 às 16", Some(hm(14, 0)), Some(hm(16, 0))),
        ("das 9h até as 11h", Some(hm(9, 0)), Some(hm(11, 0))),
    ];
    for (text, after, before) in cases {
        let wish = parse_when(text, monday());
        assert_eq!((wish.after, wish.before, wish.time), (after, before, None), "{text:?}");
    }
}

#[test]
fn periods_of_the_day_in_every_usual_spelling() {
    let cases = [
        ("de manhã", Period::Manha),
        ("pela manhã", Period::Manha),
        ("manhã", Period::Manha),
        ("de manha cedo", Period::Manha),
        ("à tarde", Period::Tarde),
        ("a tarde", Period::Tarde),
        ("de tarde", Period::Tarde),
        ("no período da tarde", Period::Tarde),
        ("à noite", Period::Noite),
        ("noite", Period::Noite),
    ];
    for (text, expected) in cases {
        assert_eq!(parse_when(text, monday()).period, Some(expected), "{text:?}");
    }
}

#[test]
fn greetings_and_comparatives_are_not_periods() {
    for text in ["boa tarde", "boa noite", "bom dia", "mais tarde", "mais cedo"] {
        assert_eq!(parse_when(text, monday()).period, None, "{text:?}");
    }
}

#[test]
fn tarde_meaning_late_is_not_the_afternoon() {
    for text in ["saio tarde do escritorio", "chego tarde em casa 😩", "trabalho ATÉ TARDE", "acordo tarde"]
    {
        assert_eq!(parse_when(text, monday()).period, None, "{text:?}");
    }
    let wish = parse_when("tem limpeza sexta as 19h30? saio tarde do escritorio", monday());
    assert_eq!((wish.period, wish.time), (None, NaiveTime::from_hms_opt(19, 30, 0)));
    // Still the afternoon where a period is asked for.
    for text in ["sexta a tarde", "chego a tarde", "amanhã tarde", "pode ser de tarde"] {
        assert_eq!(parse_when(text, monday()).period, Some(Period::Tarde), "{text:?}");
    }
}

#[test]
fn numbers_that_are_counts_or_amounts_are_not_times() {
    for text in
        ["até 3 dias", "às 2 opções", "15", "custa 1.200", "pode ser 3?", "até amanhã", "25h", "às 10:75"]
            .into_iter()
            // A number in words that is a day or a count, not an hour.
            .chain(["quinze dias", "dia quinze", "tenho dezessete anos", "vinte reais", "quinze"])
    {
        assert_eq!(time_of(text), None, "{text:?}");
        assert_eq!(parse_when(text, monday()).before, None, "{text:?}");
    }
}

#[test]
fn tourists_times_and_days_in_english_and_spanish() {
    let friday = NaiveDate::from_ymd_opt(2026, 3, 6).unwrap();
    let tuesday = NaiveDate::from_ymd_opt(2026, 3, 3).unwrap();
    let cases = [
        ("Friday afternoon?", Some(DateSpec::Day(friday)), None, Some(Period::Tarde)),
        ("tomorrow at 3pm", Some(DateSpec::Day(tuesday)), Some(hm(15, 0)), None),
        ("tomorrow 10am", Some(DateSpec::Day(tuesday)), Some(hm(10, 0)), None),
        ("at 4:30 pm", None, Some(hm(16, 30)), None),
        ("mañana a las 11", Some(DateSpec::Day(tuesday)), Some(hm(11, 0)), None),
        ("el viernes por la tarde", Some(DateSpec::Day(friday)), None, Some(Period::Tarde)),
        ("viernes a las 3", Some(DateSpec::Day(friday)), Some(hm(15, 0)), None),
        // Round 8: the hour as a word.
        ("a las once mejor", None, Some(hm(11, 0)), None),
        ("viernes a las diez y media", Some(DateSpec::Day(friday)), Some(hm(10, 30)), None),
        ("at eleven", None, Some(hm(11, 0)), None),
        ("at noon", None, Some(hm(12, 0)), None),
        ("a las doce", None, Some(hm(12, 0)), None),
        ("tomorrow at ten am", Some(DateSpec::Day(tuesday)), Some(hm(10, 0)), None),
        // The half or quarter hour before its hour.
        ("friday at half past two?", Some(DateSpec::Day(friday)), Some(hm(14, 30)), None),
        ("Half past 10 tomorrow", Some(DateSpec::Day(tuesday)), Some(hm(10, 30)), None),
        ("quarter past eleven am", None, Some(hm(11, 15)), None),
        ("at half past 4 pm", None, Some(hm(16, 30)), None),
    ];
    for (text, date, time, period) in cases {
        let wish = parse_when(text, monday());
        assert_eq!((wish.date, wish.time, wish.period), (date, time, period), "{text:?}");
    }
}

#[test]
fn tourists_bounds_on_the_time_in_english_and_spanish() {
    let tuesday = NaiveDate::from_ymd_opt(2026, 3, 3).unwrap();
    let cases = [
        // Round 18: "after 5pm", and other ways of saying a bound.
        ("Do you have botox on Tuesday after 5pm?", Some(hm(17, 0)), None),
        ("tuesday after 5 pm", Some(hm(17, 0)), None),
        ("anything after 5:30pm?? 🙏", Some(hm(17, 30)), None),
        ("AFTER 4PM", Some(hm(16, 0)), None),
        ("before 11am", None, Some(hm(11, 0))),
        ("before noon please", None, Some(hm(12, 0))),
        ("after 2 and before 4pm", Some(hm(14, 0)), Some(hm(16, 0))),
        ("el martes después de las 5", Some(hm(17, 0)), None),
        ("despues de las cinco de la tarde", Some(hm(17, 0)), None),
        ("antes de las 11", None, Some(hm(11, 0))),
    ];
    for (text, after, before) in cases {
        let wish = parse_when(text, monday());
        assert_eq!((wish.after, wish.before, wish.time), (after, before, None), "{text:?}");
    }
    assert_eq!(parse_when("Tuesday after 5pm", monday()).date, Some(DateSpec::Day(tuesday)));
}

#[test]
fn a_part_of_the_day_turned_down_is_no_wish_and_the_other_one_named_is() {
    let turned_down = [
        ("de manhã não dá não", Period::Manha),
        ("ih de manha nao da, so no fim da tarde", Period::Manha),
        ("manhã não rola, só depois das 16h", Period::Manha),
        ("de manha eu nao posso, so a tarde", Period::Manha),
        ("à tarde pra mim fica dificil 😕", Period::Tarde),
        ("nao consigo ir de manha", Period::Manha),
        ("DE TARDE NÃO CONSIGO", Period::Tarde),
        ("a noite nao vai dar", Period::Noite),
    ];
    for (text, period) in turned_down {
        assert_eq!(turned_down_period(text), Some(period), "{text:?}");
        assert_ne!(parse_when(text, monday()).period, Some(period), "{text:?}");
    }
    assert_eq!(parse_when("de manha eu nao posso, so a tarde", monday()).period, Some(Period::Tarde));
    assert_eq!(parse_when("manhã não rola, só depois das 16h", monday()).after, Some(hm(16, 0)));
    // Asked for, asked about, or a greeting: nothing turned down.
    for text in [
        "de manhã dá?",
        "não dá de manhã?",
        "boa tarde não consigo abrir o link",
        "de manhã tá ótimo",
        "no fim da tarde não dá",
        "de manhã já dá pra mim",
    ] {
        assert_eq!(turned_down_period(text), None, "{text:?}");
    }
    assert_eq!(parse_when("de manhã dá?", monday()).period, Some(Period::Manha));
}

#[test]
fn a_time_turned_down_gives_way_to_the_one_named_after_it() {
    let cases = [
        ("9h é muito cedo pra mim, pode ser às 11h?", hm(11, 0)),
        ("as 10 n da, tem as 15?", hm(15, 0)),
        ("13h é cedo demais, prefiro as 17h", hm(17, 0)),
        ("18h fica tarde pra mim, consigo 14h30?", hm(14, 30)),
        ("14h nao consigo, 16h da?", hm(16, 0)),
        ("AS 9 É CEDINHO, 10H30 PODE?", hm(10, 30)),
    ];
    for (text, wanted) in cases {
        assert_eq!(time_of(text), Some(wanted), "{text:?}");
    }
    // Alone, a time turned down is no wish; praised or asked about, it is one.
    assert_eq!(time_of("sexta 10h não dá"), None);
    assert_eq!(time_of("sexta 10h tá ótimo"), Some(hm(10, 0)));
    assert_eq!(time_of("dá às 10h?"), Some(hm(10, 0)));
}

#[test]
fn when_the_patient_s_own_day_frees_her_is_the_earliest_start_when_another_time_is_asked_for() {
    let cases = [
        ("só chego do trabalho 16h, tem 16h30?", hm(16, 0), hm(16, 30)),
        ("minha aula acaba 10h, dá pra 11h?", hm(10, 0), hm(11, 0)),
        ("saio do servico la pelas 17h, pode ser 18h?", hm(17, 0), hm(18, 0)),
        ("fico livre as 15h, umas 15h30 dá?", hm(15, 0), hm(15, 30)),
    ];
    for (text, after, wanted) in cases {
        let wish = parse_when(text, monday());
        assert_eq!((wish.after, wish.time), (Some(after), Some(wanted)), "{text:?}");
    }
    // With no other time, the one said is the wish.
    assert_eq!(time_of("no final do dia pq saio do trampo, tipo 5 e meia"), Some(hm(17, 30)));
    assert_eq!(time_of("saio do serviço 17h"), Some(hm(17, 0)));
}
