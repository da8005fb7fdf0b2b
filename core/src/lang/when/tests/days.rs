use super::*;

#[test]
fn relative_days_count_from_today() {
    assert_dates(
        monday(),
        &[
            ("hoje", day(2026, 3, 2)),
            ("hj", day(2026, 3, 2)),
            ("HOJE?", day(2026, 3, 2)),
            ("amanhã", day(2026, 3, 3)),
            ("amanha", day(2026, 3, 3)),
            ("amnh", day(2026, 3, 3)),
            ("pode ser pra amanhã?", day(2026, 3, 3)),
            ("depois de amanhã", day(2026, 3, 4)),
            ("dps de amanha", day(2026, 3, 4)),
            ("daqui a 3 dias", day(2026, 3, 5)),
            ("daqui uma semana", day(2026, 3, 9)),
            ("até amanhã!", day(2026, 3, 3)),
        ],
    );
}

#[test]
fn a_bare_weekday_is_its_next_occurrence_after_today() {
    assert_dates(
        monday(),
        &[
            ("segunda", day(2026, 3, 9)),
            ("terça-feira", day(2026, 3, 3)),
            ("terca", day(2026, 3, 3)),
            ("na ter", day(2026, 3, 3)),
            ("qua", day(2026, 3, 4)),
            ("quarta feira", day(2026, 3, 4)),
            ("qui", day(2026, 3, 5)),
            ("sexta", day(2026, 3, 6)),
            ("na sexta", day(2026, 3, 6)),
            ("próxima sexta", day(2026, 3, 6)),
            ("sexta que vem", day(2026, 3, 6)),
            ("sábado", day(2026, 3, 7)),
            ("no sabado", day(2026, 3, 7)),
            ("sab", day(2026, 3, 7)),
            ("domingo", day(2026, 3, 8)),
            ("segunda que vem", day(2026, 3, 9)),
            ("2ª feira", day(2026, 3, 9)),
            ("6a feira", day(2026, 3, 6)),
        ],
    );
    assert_dates(
        friday(),
        &[
            ("sexta", day(2026, 3, 13)),
            ("na sexta", day(2026, 3, 13)),
            ("próxima sexta-feira", day(2026, 3, 13)),
            ("segunda", day(2026, 3, 9)),
            ("sábado", day(2026, 3, 7)),
            ("quinta", day(2026, 3, 12)),
        ],
    );
}

#[test]
fn this_weekday_may_be_today() {
    assert_dates(monday(), &[("essa segunda", day(2026, 3, 2)), ("essa sexta", day(2026, 3, 6))]);
    assert_dates(friday(), &[("essa sexta", day(2026, 3, 6)), ("nesta sexta", day(2026, 3, 6))]);
}

#[test]
fn ter_is_a_weekday_only_when_marked_as_one() {
    assert_dates(monday(), &[("vou ter que ver", None), ("pode ser ter feira", day(2026, 3, 3))]);
    // Round 21: "de ter" is the verb after a preposition, and the weekday named besides wins.
    assert_dates(
        monday(),
        &[
            (
                "minha pele nao para de ter cravo 😫 queria marcar uma limpeza quinta de manha",
                day(2026, 3, 5),
            ),
            ("minha pele não para de ter espinha, limpeza na quinta?", day(2026, 3, 5)),
            ("acabei de ter bebe, quero avaliacao sexta", day(2026, 3, 6)),
            ("antes de ter a festa quero fazer botox", None),
            ("pode ser proxima ter?", day(2026, 3, 3)),
            ("de ter feira tem?", day(2026, 3, 3)),
        ],
    );
}

#[test]
fn a_day_refused_gives_way_to_another_named() {
    // Round 21: the day that does not suit, when another is named, is not the one wanted.
    assert_dates(
        monday(),
        &[
            ("uff segunda nao posso. e a terça?", day(2026, 3, 3)),
            ("uff el lunes no puedo. y el martes?", day(2026, 3, 3)),
            ("sexta eu não consigo, pode ser sábado?", day(2026, 3, 7)),
            ("nao posso na quarta, tem quinta?", day(2026, 3, 5)),
            ("não consigo ir amanhã, tem quinta de manhã?", day(2026, 3, 5)),
            ("SEXTA NAO VOU PODER... sabado tem? 🙏", day(2026, 3, 7)),
            // Alone, the day refused is still the day talked about (which appointment).
            ("nao posso dia 12, tenho medico", day(2026, 3, 12)),
            ("segunda não posso", day(2026, 3, 9)),
            // Asking whether a day is possible refuses nothing.
            ("não dá sexta?", day(2026, 3, 6)),
        ],
    );
    // The time said of the day refused goes with it; alone, it stays the time talked about.
    let wish = parse_when("nao vou conseguir na quinta de manha, consegue sexta as 17h?", monday());
    assert_eq!(
        (wish.date, wish.time, wish.period),
        (day(2026, 3, 6), NaiveTime::from_hms_opt(17, 0, 0), None)
    );
    let wish = parse_when("quinta de manha nao posso", monday());
    assert_eq!((wish.date, wish.period), (day(2026, 3, 5), Some(Period::Manha)));
    let refused = |text: &str| turned_down(text, monday()).map(|turned_down| turned_down.day);
    assert_eq!(refused("uff segunda nao posso. e a terça?"), day(2026, 3, 9));
    assert_eq!(refused("el lunes no puedo"), day(2026, 3, 9));
    assert_eq!(refused("pode ser segunda?"), None);
    // Other words turn a day down only when another day follows.
    assert_eq!(refused("sexta nao da, sabado?"), day(2026, 3, 6));
    assert_eq!(refused("não dá sexta?"), None);
    assert_eq!(refused("sexta nao da de manha, so a tarde"), None);
}

#[test]
fn a_day_of_the_month_is_this_month_unless_it_has_passed() {
    assert_dates(
        monday(),
        &[
            ("dia 12", day(2026, 3, 12)),
            ("no dia 2", day(2026, 3, 2)),
            ("dia 1", day(2026, 4, 1)),
            ("dia primeiro", day(2026, 4, 1)),
            ("dia 31", day(2026, 3, 31)),
            ("dia 32", None),
        ],
    );
    // April has no 31st: the next month that has one.
    assert_dates(date(2026, 4, 5), &[("dia 31", day(2026, 5, 31)), ("dia 4", day(2026, 5, 4))]);
    assert_dates(date(2026, 12, 15), &[("dia 10", day(2027, 1, 10))]);
}

#[test]
fn written_dates_are_day_first_and_this_year_unless_passed() {
    assert_dates(
        monday(),
        &[
            ("12/03", day(2026, 3, 12)),
            ("12/3", day(2026, 3, 12)),
            ("dia 12/03", day(2026, 3, 12)),
            ("12/03/2026", day(2026, 3, 12)),
            ("12/03/26", day(2026, 3, 12)),
            ("1/3", day(2027, 3, 1)),
            ("02/03", day(2026, 3, 2)),
            ("31/02", None),
            ("12/13", None),
            ("12 de março", day(2026, 3, 12)),
            ("dia 5 de abril", day(2026, 4, 5)),
            ("5 de janeiro", day(2027, 1, 5)),
            ("5 de janeiro de 2026", day(2026, 1, 5)),
        ],
    );
}

#[test]
fn weeks_months_and_weekends_are_ranges() {
    let next_week = range(date(2026, 3, 9), date(2026, 3, 14));
    assert_dates(
        monday(),
        &[
            ("semana que vem", next_week),
            ("próxima semana", next_week),
            ("na semana próxima", next_week),
            ("pode ser na outra semana?", next_week),
            ("essa semana", range(date(2026, 3, 2), date(2026, 3, 7))),
            ("esta semana", range(date(2026, 3, 2), date(2026, 3, 7))),
            ("fim de semana", range(date(2026, 3, 7), date(2026, 3, 8))),
            ("no fds", range(date(2026, 3, 7), date(2026, 3, 8))),
            ("mês que vem", range(date(2026, 4, 1), date(2026, 4, 30))),
            ("próximo mês", range(date(2026, 4, 1), date(2026, 4, 30))),
            ("ainda esse mês", range(date(2026, 3, 2), date(2026, 3, 31))),
        ],
    );
    assert_dates(
        friday(),
        &[
            ("essa semana", range(date(2026, 3, 6), date(2026, 3, 7))),
            ("semana que vem", next_week),
            ("fim de semana", range(date(2026, 3, 7), date(2026, 3, 8))),
        ],
    );
    let sunday = date(2026, 3, 8);
    assert_dates(
        sunday,
        &[
            ("fim de semana", range(date(2026, 3, 14), date(2026, 3, 15))),
            ("essa semana", range(date(2026, 3, 8), date(2026, 3, 14))),
            ("semana que vem", next_week),
        ],
    );
    assert_dates(date(2026, 12, 15), &[("mês que vem", range(date(2027, 1, 1), date(2027, 1, 31)))]);
}

#[test]
fn a_weekday_inside_a_named_week_is_that_weeks_day() {
    assert_dates(
        monday(),
        &[
            ("quarta da semana que vem", day(2026, 3, 11)),
            ("na sexta da próxima semana", day(2026, 3, 13)),
            ("quinta dessa semana", day(2026, 3, 5)),
            ("semana que vem, segunda", day(2026, 3, 9)),
        ],
    );
}

#[test]
fn a_specific_day_wins_over_a_weekday_and_the_first_mention_wins() {
    assert_dates(
        monday(),
        &[
            ("amanhã, terça", day(2026, 3, 3)),
            ("hoje segunda", day(2026, 3, 2)),
            ("sexta ou sábado", day(2026, 3, 6)),
            ("dia 12 ou dia 13", day(2026, 3, 12)),
        ],
    );
}

#[test]
fn this_evening_is_today_and_a_day_after_ate_is_a_deadline() {
    assert_dates(
        monday(),
        &[
            ("Hi! Any chance of a botox this evening? I'm only in São Paulo until tomorrow", day(2026, 3, 2)),
            ("this afternoon please", day(2026, 3, 2)),
            ("tem horario essa noite?", day(2026, 3, 2)),
            ("nesta tarde vcs tem vaga", day(2026, 3, 2)),
            ("so fico em sp ate amanha, tem botox hj a noite?", day(2026, 3, 2)),
            ("estou na cidade até sexta, pode ser quarta?", day(2026, 3, 4)),
            ("fico ate o dia 12 por aqui, amanha tem?", day(2026, 3, 3)),
            // Alone, the day after "até" is still the one to look at.
            ("consegue até sexta?", day(2026, 3, 6)),
            ("ate amanha dá?", day(2026, 3, 3)),
        ],
    );
}
