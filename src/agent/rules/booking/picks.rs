//! The slots on show: a pick among them ("o primeiro", "a das 15h", a tapped row), a time
//! named instead that must be looked up, or a yes that fits several, asked about once.

use chrono::{NaiveDate, NaiveTime, TimeDelta};
use sofia_core::conversation::{Awaiting, OfferedSlot, SlotId};
use sofia_core::lang::{Choice, Shift, after_a_correction, format_slot_compact, pick_slot};
use sofia_core::scheduling::Period;

use super::{Wanted, advance, merge, plan, proceed, with_at};
use crate::agent::rules::reading::{Reading, Tapped};
use crate::agent::rules::reply::{Choices, Reply, row, slot_choice};
use crate::agent::rules::session::Session;
use crate::channels::limits;

/// The answer to the slots on show: another search, a pick, a no, or a time that must be
/// looked up. Returns whether the turn was one.
pub(in crate::agent::rules) async fn answer_offer(
    s: &mut Session<'_, '_>,
    reading: &Reading,
    reply: &mut Reply,
) -> bool {
    let other_service = reading.service.is_some_and(|service| {
        s.state().dialogue.request.as_ref().and_then(|request| request.service) != Some(service)
    });
    // "segunda não posso, e a terça?" with Monday's slots on show refuses their day, not an
    // appointment's, unless it says to cancel or move in so many words.
    let shown_day_refused = reading.change.is_none()
        && reading
            .refused_day
            .is_some_and(|refused| s.shown_slots().iter().all(|slot| refused.contains(s.local(slot).0)));
    // A precise time named while slots are on show is about them, whatever else the words lean
    // to ("tem meio dia? é meu horário de almoço").
    let about_existing = reading.about_existing() && reading.when.time.is_none() && !shown_day_refused;
    if s.shown_slots().is_empty() || about_existing || other_service {
        return false;
    }
    if reading.more_options {
        advance(s, reading, reply).await;
    } else if reading.latest {
        // "qual o último horário do dia?": the day's last free slot, not the last one shown.
        look_up_on_the_shown_day(s, reading, Wanted::Latest, reply).await;
    } else if let Some(bound) = relative_to_shown(s, reading) {
        // "tem algum mais tarde?": the slots after the last one shown (or before the first).
        let mut request = s.state().dialogue.request.clone().unwrap_or_default();
        request.time = None;
        request.period = None;
        match bound {
            Relative::Later(after) => (request.after, request.before) = (Some(after), None),
            Relative::Earlier(before) => (request.after, request.before) = (None, Some(before)),
        }
        proceed(s, request, Wanted::Few, reply).await;
    } else if reading.earliest && reading.day_open {
        // "me vê o primeiro horário livre, qualquer dia serve": the earliest free slot of any
        // day, not the first one shown (nor "qualquer" taking whichever is shown).
        advance(s, reading, reply).await;
    } else if keeps_the_time_asked(s, reading) {
        // "ah então quarta no mesmo horário" after her day off: the time asked for before, on
        // the day named now, not a pick among the slots shown at other times.
        advance(s, reading, reply).await;
    } else if let Some(pick) = picked(s, reading) {
        take(s, pick, reply).await;
    } else if ((reading.no || reading.refused_period.is_some()) && reading.when.is_empty())
        || (shown_day_refused && reading.when.date == reading.refused_day)
    {
        // "el lunes no puedo" alone refuses the day shown as a no does, and so does "de manhã
        // não dá" the morning slots shown; a no that names another day or part of it ("sexta
        // não dá, segunda tem?", "de manhã não dá, só no fim da tarde") is answered below with
        // it.
        s.state_mut().dialogue.shown.clear();
        s.state_mut().dialogue.awaiting = Some(Awaiting::When);
        reply.ask_text("Sem problemas! Prefere outro dia ou outro período?");
    } else if reading.when.time.is_some() && reading.when.date.is_none() {
        look_up_on_the_shown_day(s, reading, Wanted::Few, reply).await;
    } else if reading.says_when() || reading.professional.is_some() {
        advance(s, reading, reply).await;
    } else {
        return false;
    }
    true
}

/// "no mesmo horário" with a time asked for before that none of the slots shown has.
fn keeps_the_time_asked(s: &Session<'_, '_>, reading: &Reading) -> bool {
    let asked = s.state().dialogue.request.as_ref().and_then(|request| request.time);
    reading.same_time
        && reading.when.time.is_none()
        && asked.is_some_and(|time| !s.shown_slots().iter().any(|slot| s.local(slot).1 == time))
}

/// A time relative to the slots shown.
enum Relative {
    /// After the last slot shown: "tem algum mais tarde?".
    Later(NaiveTime),
    /// Before the first: "tem mais cedo?".
    Earlier(NaiveTime),
}

/// "tem algum mais tarde?", "mais pro fim do dia", "tem mais cedo?", said of the slots on show.
fn relative_to_shown(s: &Session<'_, '_>, reading: &Reading) -> Option<Relative> {
    if reading.when.time.is_some() || reading.when.date.is_some() {
        return None;
    }
    let times: Vec<NaiveTime> = s.shown_slots().iter().map(|slot| s.local(slot).1).collect();
    match reading.shift? {
        Shift::Later => times.iter().max().map(|last| Relative::Later(*last + TimeDelta::minutes(1))),
        Shift::Earlier => times.iter().min().map(|first| Relative::Earlier(*first)),
    }
}

/// "dá pra ser às 16h30?" when 15:00, 15:30 and 16:00 were offered: that time is looked up on
/// the day shown and checked, never snapped to the nearest offer. So is "qual o último
/// horário do dia?": the day shown, searched to its end.
async fn look_up_on_the_shown_day(
    s: &mut Session<'_, '_>,
    reading: &Reading,
    wanted: Wanted,
    reply: &mut Reply,
) {
    let mut request = s.state().dialogue.request.clone().unwrap_or_default();
    let shown_days: Vec<NaiveDate> = s.shown_slots().iter().map(|slot| s.local(slot).0).collect();
    if let [first, rest @ ..] = shown_days.as_slice()
        && rest.iter().all(|day| day == first)
    {
        request.from = Some(*first);
        request.to = Some(*first);
        request.any_day = false;
    }
    merge(&mut request, reading);
    proceed(s, request, wanted, reply).await;
}

/// Reads which shown slot the patient picked: a tapped button or row, "o primeiro", "2",
/// "a das 15h", "o de terça". `None` when the turn picks none.
pub(in crate::agent::rules) fn picked(s: &Session<'_, '_>, reading: &Reading) -> Option<Pick> {
    let shown = s.shown_slots();
    if shown.is_empty() {
        return None;
    }
    if let Some(Tapped::Slot(id)) = reading.tapped {
        return shown.iter().any(|slot| slot.id == id).then_some(Pick::One(id));
    }
    let options: Vec<_> = shown.iter().map(|slot| s.local(slot)).collect();
    // A time the patient names is that time: a slot at another time of the same hour is not it.
    // A professional the patient names ("9h com a Juliana") is theirs. A part of the day or a
    // bound is theirs too: "o primeiro horário da tarde" among morning slots is none of them.
    let when = &reading.when;
    let at_named_time = |index: &usize| {
        let time = options[*index].1;
        when.time.is_none_or(|named| time == named)
            && when.period.is_none_or(|period| Period::of(time) == period)
            && when.after.is_none_or(|after| time >= after)
            && when.before.is_none_or(|before| time < before)
            && reading.refused_period.is_none_or(|refused| Period::of(time) != refused)
            && reading.professional.is_none_or(|professional| shown[*index].slot.professional == professional)
            && (!reading.day_instead || when.date.is_none_or(|date| date.contains(options[*index].0)))
    };
    // "domingo não abre, né? então segunda 9": the pick is in the words corrected into.
    let text = after_a_correction(&reading.text, s.today()).unwrap_or_else(|| reading.text.clone());
    // "ah ok, então terça às 14h" with Tuesday's mornings shown: a yes that names a when no slot
    // shown fits asks for that when; only a bare yes takes what is shown.
    let bare_yes = reading.yes && reading.when.is_empty();
    match pick_slot(&text, &options, s.today()) {
        Choice::Picked(index) => at_named_time(&index).then(|| Pick::One(shown[index].id)),
        Choice::Ambiguous(indices) => {
            let fitting: Vec<OfferedSlot> =
                indices.into_iter().filter(at_named_time).map(|i| shown[i].clone()).collect();
            match fitting.as_slice() {
                [] => None,
                [only] => Some(Pick::One(only.id)),
                _ => Some(Pick::Several(fitting)),
            }
        }
        Choice::NoMatch if bare_yes && shown.len() == 1 => Some(Pick::One(shown[0].id)),
        Choice::NoMatch if bare_yes => Some(Pick::Several(shown)),
        Choice::NoMatch => None,
    }
}

pub(in crate::agent::rules) enum Pick {
    One(SlotId),
    /// The turn fits several of the shown slots.
    Several(Vec<OfferedSlot>),
}

pub(in crate::agent::rules) async fn take(s: &mut Session<'_, '_>, pick: Pick, reply: &mut Reply) {
    match pick {
        Pick::One(id) => plan(s, id, reply).await,
        Pick::Several(slots) => {
            let ids: Vec<SlotId> = slots.iter().map(|slot| slot.id).collect();
            let times: Vec<String> = slots
                .iter()
                .map(|slot| {
                    let (date, time) = s.local(slot);
                    format_slot_compact(date, time)
                })
                .collect();
            s.state_mut().dialogue.shown = ids.clone();
            // Two slots at the same time differ by who sees the patient: the row says so.
            let rows = slots
                .iter()
                .zip(&times)
                .map(|(slot, time)| {
                    let professional =
                        s.clinic().professional(slot.slot.professional).map(|p| format!("com {}", p.name));
                    row(slot_choice(slot.id), with_at(time), professional)
                })
                .take(limits::LIST_ROWS)
                .collect();
            // The rows are the options: on a channel without lists they become the numbered
            // lines, so the body does not list them again.
            reply.ask(
                "Qual destes horários você prefere?",
                Choices::List { label: "Ver horários".to_owned(), rows },
            );
        }
    }
}
