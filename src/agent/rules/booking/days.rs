//! What the day asked for means before any search: the clinic closed, the professional's day
//! off, or a day that ends before the part of the day asked for.

use chrono::{Datelike, Weekday};
use sofia_core::clinic::WEEK;
use sofia_core::conversation::SlotRequest;
use sofia_core::lang::{format_time_short, on_weekdays, weekdays_plural};
use sofia_core::scheduling::Period;

use crate::agent::rules::session::Session;

/// What the day asked for means for the booking before any search.
pub(super) enum DayOff {
    /// The clinic is closed that day, or the professional asked for does not work then: why,
    /// before the next free slots are offered instead.
    Closed(String),
    /// The clinic closes before (or opens after) the part of the day asked for: said, and the
    /// day searched as it is.
    ShortDay(String),
    /// The time asked for is at or after closing: said, and the day's last free slot offered,
    /// the nearest one to that time.
    AfterClosing(String),
}

/// The one day asked for, when the clinic is closed then, the professional asked for does not
/// work that weekday, or the clinic is not open in the part of the day asked for.
pub(super) fn day_off(s: &Session<'_, '_>, request: &SlotRequest) -> Option<DayOff> {
    let day = request.from.filter(|from| request.to.is_none_or(|to| to == *from))?;
    let weekday = day.weekday();
    let clinic = s.clinic();
    let hours = clinic.opening_hours.on(weekday);
    let (Some(opens), Some(closes)) = (hours.first().map(|r| r.start), hours.last().map(|r| r.end)) else {
        return Some(DayOff::Closed(format!("A clínica não abre {}.", on_weekdays(weekday))));
    };
    if let Some(professional) = request.professional.and_then(|id| clinic.professional(id))
        && professional.hours.on(weekday).is_empty()
    {
        let works: Vec<Weekday> =
            WEEK.into_iter().filter(|day| !professional.hours.on(*day).is_empty()).collect();
        return Some(DayOff::Closed(format!(
            "{} não atende {}: atende {}.",
            professional.name,
            on_weekdays(weekday),
            weekdays_plural(&works)
        )));
    }
    // Closing before the part of the day ends (or opening after it starts) is worth saying:
    // "sábado à tarde" at a clinic that closes at 13:00 on Saturdays.
    let every = capitalised(&on_weekdays(weekday));
    let period = request.period.or(request.time.or(request.after).map(Period::of));
    let closes_early = match period {
        Some(Period::Tarde) => Period::of(closes) != Period::Noite,
        Some(Period::Noite) => true,
        _ => false,
    };
    let closing = format!("{every} a clínica atende só até as {}.", format_time_short(closes));
    // A time asked for at or after closing ("sexta às 19h30"), whatever part of the day the
    // patient's other words suggest.
    if request.time.or(request.after).is_some_and(|time| time >= closes) {
        Some(DayOff::AfterClosing(closing))
    } else if closes_early {
        Some(DayOff::ShortDay(closing))
    } else if period == Some(Period::Manha) && Period::of(opens) != Period::Manha {
        Some(DayOff::ShortDay(format!(
            "{every} a clínica só abre a partir das {}.",
            format_time_short(opens)
        )))
    } else {
        None
    }
}

/// "Aos sábados" at the start of a sentence.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
