use chrono::{NaiveDate, NaiveTime};

use super::*;

mod days;
mod times;

/// Monday.
fn monday() -> NaiveDate {
    date(2026, 3, 2)
}

/// Friday.
fn friday() -> NaiveDate {
    date(2026, 3, 6)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> Option<DateSpec> {
    Some(DateSpec::Day(date(y, m, d)))
}

fn range(first: NaiveDate, last: NaiveDate) -> Option<DateSpec> {
    Some(DateSpec::Range { first, last })
}

fn assert_dates(today: NaiveDate, cases: &[(&str, Option<DateSpec>)]) {
    for (text, expected) in cases {
        assert_eq!(parse_when(text, today).date, *expected, "{text:?} on {today}");
    }
}

#[test]
fn a_period_is_labelled_as_patients_write_it() {
    assert_eq!(Period::Manha.label(), "manhã");
    assert_eq!(Period::Tarde.label(), "tarde");
    assert_eq!(Period::Noite.label(), "noite");
}

#[test]
fn a_date_spec_knows_its_bounds() {
    let week = DateSpec::Range { first: date(2026, 3, 9), last: date(2026, 3, 14) };
    assert!(week.contains(date(2026, 3, 9)) && week.contains(date(2026, 3, 14)));
    assert!(!week.contains(date(2026, 3, 15)));
    assert_eq!(DateSpec::Day(monday()).first(), DateSpec::Day(monday()).last());
}

#[test]
fn day_and_time_combine_in_one_message() {
    let cases = [
        (
            "amanhã à tarde",
            DateWish { date: day(2026, 3, 3), period: Some(Period::Tarde), ..Default::default() },
        ),
        ("sexta às 15h", DateWish { date: day(2026, 3, 6), time: Some(hm(15, 0)), ..Default::default() }),
        ("hj a noite", DateWish { date: day(2026, 3, 2), period: Some(Period::Noite), ..Default::default() }),
        ("amanhã às 3", DateWish { date: day(2026, 3, 3), time: Some(hm(15, 0)), ..Default::default() }),
        (
            "Amanhã de manhã, 9 e meia",
            DateWish {
                date: day(2026, 3, 3),
                time: Some(hm(9, 30)),
                period: Some(Period::Manha),
                ..Default::default()
            },
        ),
        (
            "semana que vem de manhã depois das 10",
            DateWish {
                date: range(date(2026, 3, 9), date(2026, 3, 14)),
                period: Some(Period::Manha),
                after: Some(hm(10, 0)),
                ..Default::default()
            },
        ),
        (
            "Oi, boa tarde! Tem horário pra quinta-feira que vem no fim da tarde?",
            DateWish {
                date: day(2026, 3, 5),
                period: Some(Period::Tarde),
                after: Some(hm(16, 0)),
                ..Default::default()
            },
        ),
        (
            "sabado eu so consigo no finalzinho da manha",
            DateWish {
                date: day(2026, 3, 7),
                period: Some(Period::Manha),
                after: Some(hm(10, 0)),
                ..Default::default()
            },
        ),
        (
            "sexta, comecinho da tarde 🙏",
            DateWish {
                date: day(2026, 3, 6),
                period: Some(Period::Tarde),
                before: Some(hm(15, 0)),
                ..Default::default()
            },
        ),
        (
            "Início da manhã na quarta",
            DateWish {
                date: day(2026, 3, 4),
                period: Some(Period::Manha),
                before: Some(hm(10, 0)),
                ..Default::default()
            },
        ),
        (
            "amanhã cedo",
            DateWish { date: day(2026, 3, 3), period: Some(Period::Manha), ..Default::default() },
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(parse_when(text, monday()), expected, "{text:?}");
    }
}

#[test]
fn a_day_gone_by_leaves_the_day_wanted_to_the_rest() {
    assert_eq!(parse_when("liguei ontem, tem vaga hoje a tarde?", monday()).date, day(2026, 3, 2));
    assert_eq!(parse_when("fiz semana passada, quero outra sexta", monday()).date, day(2026, 3, 6));
    let wish = parse_when("mandei ontem a noite, tem amanha de manha?", monday());
    assert_eq!((wish.date, wish.period), (day(2026, 3, 3), Some(Period::Manha)));
}

#[test]
fn messages_without_dates_or_times_give_an_empty_wish() {
    let cases = [
        "boa tarde",
        "Boa noite, tudo bem?",
        "bom dia!",
        "quero 15 sessões",
        "quanto custa? R$ 1.200,00?",
        "tenho 16 anos",
        "às vezes fico com a pele vermelha",
        "tenho 2 filhos",
        "mais tarde eu vejo",
        "vou ter que ver",
        "é minha segunda vez aí",
        "quero a quinta sessão do pacote",
        "",
        "👍",
        // Round 14: a day gone by, and the time said of it, is what happened.
        "aquilo q eu te mandei ontem a noite, lembra??",
        "aquilo que te mandei ontem à noite",
        "mandei msg anteontem de manha",
        "fiz o peeling semana passada",
        "fiz botox sexta passada as 10h",
        "fiz botox na sexta-feira passada",
        "liguei ontem, às 15h, ninguém atendeu",
        "fui ai no sabado passado 😕",
    ];
    for text in cases {
        let wish = parse_when(text, monday());
        assert!(wish.is_empty(), "{text:?} gave {wish:?}");
    }
}

#[test]
fn a_weekday_named_alone_is_told_from_one_whose_week_is_fixed() {
    use chrono::Weekday::{Fri, Tue};
    for (text, expected) in [
        ("passa pra sexta de manha?", Some(Fri)),
        ("aquela de sexta cancela pra mim pf", Some(Fri)),
        ("na proxima terça", Some(Tue)),
        ("TERCA q vem", Some(Tue)),
        ("sexta dia 20", None),
        ("essa sexta", None),
        ("sexta da semana que vem", None),
        ("amanhã", None),
        ("quero botox", None),
    ] {
        assert_eq!(bare_weekday(text), expected, "{text:?}");
    }
}

#[test]
fn a_day_turned_down_gives_way_to_the_one_named_after_it() {
    use crate::scheduling::Period;
    // Monday 2 March 2026: Friday is the 6th, Saturday the 7th, the next Monday the 9th.
    for (text, date, period) in [
        (
            "pode parar de procurar na sexta, lembrei q nao da. segunda de manha tem?",
            date(2026, 3, 9),
            Some(Period::Manha),
        ),
        ("sexta nao da, sabado?", date(2026, 3, 7), None),
        ("Sexta não dá!! sábado de manhã tem? 🙏", date(2026, 3, 7), Some(Period::Manha)),
        ("na sexta nao vou conseguir. pode ser segunda a tarde?", date(2026, 3, 9), Some(Period::Tarde)),
        ("esquece sexta, tem sabado?", date(2026, 3, 7), None),
        ("sexta eu trabalho o dia todo. sabado de manha?", date(2026, 3, 7), Some(Period::Manha)),
        ("sexta não, sábado! sexta eu levo minha mãe no médico", date(2026, 3, 7), None),
        ("esqueci que sexta cedo tenho prova. sabado de manha tem?", date(2026, 3, 7), Some(Period::Manha)),
        ("pare de me mandar opções de sexta, sexta eu trabalho. sabado pode ser", date(2026, 3, 7), None),
        ("ah nao, sexta tenho que levar minha mae no medico. sabado as 10?", date(2026, 3, 7), None),
        ("sexta tenho um compromisso. segunda a tarde pode?", date(2026, 3, 9), Some(Period::Tarde)),
        // Taken back in the burst's next message, for an engagement of the patient's own.
        (
            "quero marcar limpeza sexta a tarde\nah sexta eu tenho reuniao, segunda de manha?",
            date(2026, 3, 9),
            Some(Period::Manha),
        ),
        ("sexta a tarde pode ser\nnossa sexta vou ter prova. sabado?", date(2026, 3, 7), None),
        ("sexta tenho q trabalhar, sabado de manha tem?", date(2026, 3, 7), Some(Period::Manha)),
    ] {
        let wish = turned_down(text, monday()).and_then(|turned_down| turned_down.instead);
        assert_eq!(wish.and_then(|wish| wish.date), Some(DateSpec::Day(date)), "{text:?}");
        assert_eq!(wish.and_then(|wish| wish.period), period, "{text:?}");
    }
    for text in [
        "sexta ou sabado?",
        "sexta nao da de manha, so a tarde",
        "sexta de manha, pode ser? se nao der, sabado",
        "tem sexta? sabado nao da",
        "quero sexta",
        // Free time, or nothing on: the day stays, beside another one.
        "sexta eu tenho a tarde livre, ou sabado",
        "sexta nao tenho nada, sabado tambem pode",
        "sexta tenho tempo, sabado tambem",
        "",
    ] {
        assert_eq!(turned_down(text, monday()).and_then(|turned_down| turned_down.instead), None, "{text:?}");
    }
}

/// A slot shown for a yes is what the patient asked for only if it fits every part of what
/// the message says about when: "pode marcar pra sexta?" does not admit Wednesday's slot.
#[test]
fn a_wish_admits_only_slots_that_fit_all_it_says() {
    let today = monday();
    let wednesday_4pm = date(2026, 3, 4).and_time(hm(16, 0));
    for text in
        ["pode marcar pra quarta", "isso, quarta as 16h", "quarta a tarde", "depois das 15", "4 da tarde"]
    {
        assert!(parse_when(text, today).admits(wednesday_4pm), "{text:?} admits Wednesday at 16:00");
    }
    for text in ["pode marcar pra sexta?", "quarta as 15h", "quarta de manha", "antes das 11", "dia 5"] {
        assert!(!parse_when(text, today).admits(wednesday_4pm), "{text:?} does not admit Wednesday at 16:00");
    }
    assert!(parse_when("sim", today).admits(wednesday_4pm), "saying nothing about when admits any slot");
}

#[test]
fn a_when_corrected_mid_message_is_the_one_after_the_correction() {
    // Monday 2026-03-02: Tuesday is the 3rd, Wednesday the 4th, Friday the 6th.
    let quarta_tarde = DateWish { date: day(2026, 3, 4), period: Some(Period::Tarde), ..DateWish::default() };
    assert_eq!(
        corrected_when(
            "queria limpeza de pele na terça.. não pera, terça tenho dentista. quarta à tarde",
            monday()
        ),
        Some(quarta_tarde)
    );
    let sexta_15h = DateWish { date: day(2026, 3, 6), time: Some(hm(15, 0)), ..DateWish::default() };
    assert_eq!(
        corrected_when(
            "tem botox sexta de manhã? ah não pera, de manhã tenho reunião.. sexta 15h então?",
            monday()
        ),
        Some(sexta_15h)
    );
    // The day from before the correction is kept when the new wish names none.
    assert_eq!(corrected_when("sexta de manhã. pera, quer dizer às 15h", monday()), Some(sexta_15h));
    assert_eq!(
        corrected_when("amanhã, aliás quarta à tarde", monday()),
        Some(quarta_tarde),
        "aliás takes back tomorrow"
    );
}

#[test]
fn nothing_corrected_leaves_the_message_to_be_read_whole() {
    for text in [
        "quarta à tarde",
        "pera ai que vou ver minha agenda",
        "na verdade queria sexta às 15h",
        "sexta às 10h. pera, deixa eu ver com meu marido",
        "opa, tudo bem? tem horário sexta?",
    ] {
        assert_eq!(corrected_when(text, monday()), None, "{text:?}");
    }
}

/// A part of the day that the times said cannot fall in was turned down: the times are the wish.
#[test]
fn a_part_of_the_day_the_times_contradict_gives_way_to_them() {
    use crate::scheduling::Period;
    let wish = parse_when("de manha nao da, so no fim da tarde", monday());
    assert_eq!((wish.period, wish.after), (Some(Period::Tarde), Some(hm(16, 0))));
    let wish = parse_when("de manha nao posso, pode ser as 4 da tarde?", monday());
    assert_eq!((wish.period, wish.time), (None, Some(hm(16, 0))));
    // A part of the day the times fit stays.
    assert_eq!(parse_when("de manha depois das 10", monday()).period, Some(Period::Manha));
    assert_eq!(parse_when("a tarde antes das 15h", monday()).period, Some(Period::Tarde));
}

/// "então" after a day draws the conclusion: the day after it is the wish.
#[test]
fn a_day_after_then_is_the_wish() {
    let wish = corrected_when("ah domingo não abre né? então segunda 9", monday());
    assert_eq!(wish.and_then(|wish| wish.date), Some(DateSpec::Day(date(2026, 3, 9))));
    assert_eq!(
        after_a_correction("ah domingo não abre né? então segunda 9", monday()).as_deref(),
        Some("segunda 9")
    );
    // The day is before "então": the whole message is the pick.
    assert_eq!(after_a_correction("quinta entao, umas 10h", monday()), None);
    assert_eq!(
        corrected_when("sabado eu trabalho de manha, entao quinta depois das 15h", monday())
            .and_then(|wish| wish.after),
        Some(hm(15, 0))
    );
    // Nothing after it, or no day before it: read as usual.
    for text in ["sexta de manhã então", "então tá, sexta às 10", "quinta às 15h? então tá"] {
        assert_eq!(corrected_when(text, monday()), None, "{text:?}");
    }
}

#[test]
fn today_said_of_a_mood_is_no_day_wished() {
    // Monday 2 March 2026: Tuesday is the 3rd, Friday the 6th.
    for (text, wanted) in [
        ("estou cansada hoje, mas queria agendar limpeza terça de manhã", day(2026, 3, 3)),
        ("acordei péssima hoje. queria marcar botox sexta", day(2026, 3, 6)),
        ("hj to mt estressada kkk, tem limpeza terça?", day(2026, 3, 3)),
        ("hoje eu estou muito cansada", None),
        ("hoje acordei mal, sexta tem horário?", day(2026, 3, 6)),
    ] {
        assert_eq!(parse_when(text, monday()).date, wanted, "{text:?}");
    }
    // Free today, or today asked for beside a mood: today stays.
    for text in
        ["estou livre hoje a tarde", "hoje à tarde tem?", "to querendo marcar hoje", "cansada, mas hoje dá?"]
    {
        assert_eq!(parse_when(text, monday()).date, Some(DateSpec::Day(monday())), "{text:?}");
    }
}
