//! "o mais cedo possível, tenho festa sábado": the soonest slots are wanted before the
//! patient's occasion, so the search is bounded to the days before it.

use chrono::NaiveDate;
use sofia_core::conversation::SlotRequest;

/// The request bounded to the days from `today` to the eve of its occasion, and that occasion;
/// `None` without an occasion, or when the patient asked for a day of their own. An occasion
/// today leaves only today, the one day whose slots can still come before it.
pub(super) fn before(request: &SlotRequest, today: NaiveDate) -> Option<(SlotRequest, NaiveDate)> {
    let occasion = request.occasion.filter(|_| request.from.is_none())?;
    let eve = occasion.pred_opt().filter(|eve| *eve >= today).unwrap_or(today);
    Some((SlotRequest { from: Some(today), to: Some(eve), ..request.clone() }, occasion))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn bounds(request: &SlotRequest, today: NaiveDate) -> Option<(Option<NaiveDate>, Option<NaiveDate>)> {
        before(request, today).map(|(bounded, _)| (bounded.from, bounded.to))
    }

    #[test]
    fn the_days_before_the_occasion_are_searched_from_today() {
        let request = SlotRequest { any_day: true, occasion: Some(day(7)), ..Default::default() };
        assert_eq!(bounds(&request, day(2)), Some((Some(day(2)), Some(day(6)))));
    }

    #[test]
    fn an_occasion_today_leaves_today() {
        let request = SlotRequest { any_day: true, occasion: Some(day(2)), ..Default::default() };
        assert_eq!(bounds(&request, day(2)), Some((Some(day(2)), Some(day(2)))));
    }

    #[test]
    fn a_day_asked_for_or_no_occasion_is_searched_as_asked() {
        assert_eq!(bounds(&SlotRequest { any_day: true, ..Default::default() }, day(2)), None);
        let asked = SlotRequest {
            from: Some(day(4)),
            to: Some(day(4)),
            occasion: Some(day(7)),
            ..Default::default()
        };
        assert_eq!(bounds(&asked, day(2)), None);
    }
}
