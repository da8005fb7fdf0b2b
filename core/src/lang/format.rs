//! Dates and times written the way a Brazilian receptionist writes them in a reply.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike, Weekday};

/// "segunda-feira" … "domingo".
pub fn weekday_name(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "segunda-feira",
        Weekday::Tue => "terça-feira",
        Weekday::Wed => "quarta-feira",
        Weekday::Thu => "quinta-feira",
        Weekday::Fri => "sexta-feira",
        Weekday::Sat => "sábado",
        Weekday::Sun => "domingo",
    }
}

/// The weekday as said in a hurry: "segunda" … "sábado", "domingo".
pub fn weekday_short(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "segunda",
        Weekday::Tue => "terça",
        Weekday::Wed => "quarta",
        Weekday::Thu => "quinta",
        Weekday::Fri => "sexta",
        Weekday::Sat => "sábado",
        Weekday::Sun => "domingo",
    }
}

/// "segundas" … "sábados", "domingos": a weekday every week.
pub fn weekday_plural(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "segundas",
        Weekday::Tue => "terças",
        Weekday::Wed => "quartas",
        Weekday::Thu => "quintas",
        Weekday::Fri => "sextas",
        Weekday::Sat => "sábados",
        Weekday::Sun => "domingos",
    }
}

/// "aos domingos", "às segundas": the weekday every week, with its contracted article.
pub fn on_weekdays(weekday: Weekday) -> String {
    let article = if matches!(weekday, Weekday::Sat | Weekday::Sun) { "aos" } else { "às" };
    format!("{article} {}", weekday_plural(weekday))
}

/// "segundas, quartas, sextas e sábados", in the order given.
pub fn weekdays_plural(weekdays: &[Weekday]) -> String {
    let names: Vec<&str> = weekdays.iter().map(|weekday| weekday_plural(*weekday)).collect();
    match names.as_slice() {
        [] => String::new(),
        [only] => (*only).to_owned(),
        [init @ .., last] => format!("{} e {last}", init.join(", ")),
    }
}

/// "terça, 03/03 14:00": a slot in at most 20 characters, as a WhatsApp reply button holds.
pub fn format_slot_compact(date: NaiveDate, time: NaiveTime) -> String {
    format!("{}, {:02}/{:02} {}", weekday_short(date.weekday()), date.day(), date.month(), format_time(time))
}

/// "terça-feira, 03/03".
pub fn format_date(date: NaiveDate) -> String {
    format!("{}, {:02}/{:02}", weekday_name(date.weekday()), date.day(), date.month())
}

/// "14:00", "09:30".
pub fn format_time(time: NaiveTime) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// The short spoken form: "14h", "9h30".
pub fn format_time_short(time: NaiveTime) -> String {
    match time.minute() {
        0 => format!("{}h", time.hour()),
        minute => format!("{}h{minute:02}", time.hour()),
    }
}

/// "terça-feira, 03/03 às 14:00".
pub fn format_slot(date: NaiveDate, time: NaiveTime) -> String {
    format!("{} às {}", format_date(date), format_time(time))
}

/// "hoje", "amanhã", the weekday within the coming week ("sexta-feira"), and the full date
/// otherwise, where a weekday alone would be ambiguous ("segunda-feira, 09/03").
pub fn relative_day(today: NaiveDate, date: NaiveDate) -> Cow<'static, str> {
    match (date - today).num_days() {
        0 => Cow::Borrowed("hoje"),
        1 => Cow::Borrowed("amanhã"),
        2..=6 => Cow::Borrowed(weekday_name(date.weekday())),
        _ => Cow::Owned(format_date(date)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn weekdays_have_their_portuguese_names() {
        let names: Vec<_> = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ]
        .into_iter()
        .map(weekday_name)
        .collect();
        assert_eq!(
            names,
            [
                "segunda-feira",
                "terça-feira",
                "quarta-feira",
                "quinta-feira",
                "sexta-feira",
                "sábado",
                "domingo"
            ]
        );
    }

    #[test]
    fn weekdays_every_week_take_their_article_and_join_with_e() {
        assert_eq!(on_weekdays(Weekday::Sun), "aos domingos");
        assert_eq!(on_weekdays(Weekday::Tue), "às terças");
        let ana = [Weekday::Mon, Weekday::Wed, Weekday::Fri, Weekday::Sat];
        assert_eq!(weekdays_plural(&ana), "segundas, quartas, sextas e sábados");
        assert_eq!(weekdays_plural(&[Weekday::Thu]), "quintas");
        assert_eq!(weekdays_plural(&[]), "");
    }

    #[test]
    fn dates_times_and_slots_are_zero_padded_day_first() {
        assert_eq!(format_date(date(3, 3)), "terça-feira, 03/03");
        assert_eq!(format_date(date(12, 25)), "sexta-feira, 25/12");
        assert_eq!(format_time(hm(14, 0)), "14:00");
        assert_eq!(format_time(hm(9, 30)), "09:30");
        assert_eq!(format_slot(date(3, 3), hm(14, 0)), "terça-feira, 03/03 às 14:00");
    }

    #[test]
    fn compact_slots_fit_a_reply_button_on_every_weekday() {
        let cases = [
            (date(3, 2), hm(9, 0), "segunda, 02/03 09:00"),
            (date(3, 3), hm(14, 0), "terça, 03/03 14:00"),
            (date(3, 7), hm(12, 30), "sábado, 07/03 12:30"),
            (date(12, 27), hm(18, 30), "domingo, 27/12 18:30"),
        ];
        for (day, time, expected) in cases {
            let compact = format_slot_compact(day, time);
            assert_eq!(compact, expected);
            assert!(compact.chars().count() <= 20, "{compact}");
        }
    }

    #[test]
    fn short_times_are_spoken_hours() {
        assert_eq!(format_time_short(hm(14, 0)), "14h");
        assert_eq!(format_time_short(hm(9, 30)), "9h30");
        assert_eq!(format_time_short(hm(9, 5)), "9h05");
    }

    #[test]
    fn days_are_named_relative_to_today_while_unambiguous() {
        let monday = date(3, 2);
        let cases = [
            (date(3, 2), "hoje"),
            (date(3, 3), "amanhã"),
            (date(3, 4), "quarta-feira"),
            (date(3, 6), "sexta-feira"),
            (date(3, 8), "domingo"),
            (date(3, 9), "segunda-feira, 09/03"),
            (date(3, 1), "domingo, 01/03"),
        ];
        for (day, expected) in cases {
            assert_eq!(relative_day(monday, day), expected, "{day}");
        }
    }
}
