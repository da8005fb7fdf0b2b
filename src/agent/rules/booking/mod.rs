//! Booking, and finding the new time of a rescheduling: gathers service, professional, day,
//! period and time from one or several messages, asks for what is missing one thing at a time,
//! searches with `find_slots`, offers the slots and plans the write the patient picks.
//!
//! It owns the answers to its own questions (which service, which day, whether to book) and
//! to the slots it showed ([`answer_offer`]).

mod days;
mod occasion;
mod picks;

use chrono::{Days, NaiveDate, TimeDelta};
use serde_json::{Map, Value, json};
use sofia_core::clinic::Clinic;
use sofia_core::conversation::{Awaiting, SlotId, SlotRequest};
use sofia_core::domain::ServiceId;
use sofia_core::lang::{DateWish, Intent, asks_without_a_mark, format_date, format_slot_compact};
use sofia_core::scheduling::Period;

use self::days::{DayOff, day_off};
pub(super) use self::picks::{answer_offer, picked, take};
use super::reading::Reading;
use super::reply::{Choices, Reply, button, ids, row, slot_choice};
use super::session::{Session, SlotView, SlotsFound, WriteOutcome, read, tool};
use super::{health, topics};
use crate::channels::limits;

/// How many slots the patient wants to see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Wanted {
    /// A few to choose from (reply buttons).
    Few,
    /// "tem outros horários?": a list.
    More,
    /// "o primeiro horário livre": the earliest one alone, for a yes.
    Earliest,
    /// "qual o último horário do dia?": the day's last free slot alone, for a yes.
    Latest,
}

impl Wanted {
    pub fn of(reading: &Reading) -> Wanted {
        if reading.more_options {
            Wanted::More
        } else if reading.latest {
            Wanted::Latest
        } else if reading.earliest {
            Wanted::Earliest
        } else {
            Wanted::Few
        }
    }
}

/// Continues the booking (or the rescheduling search) with what this turn says.
pub(super) async fn advance(s: &mut Session<'_, '_>, reading: &Reading, reply: &mut Reply) {
    let mut request = s.state().dialogue.request.clone().unwrap_or_default();
    merge(&mut request, reading);
    proceed(s, request, Wanted::of(reading), reply).await;
}

/// Starts a new booking from this turn, forgetting any earlier request.
pub(super) async fn start(s: &mut Session<'_, '_>, reading: &Reading, reply: &mut Reply) {
    let mut request = SlotRequest::default();
    merge(&mut request, reading);
    proceed(s, request, Wanted::of(reading), reply).await;
}

/// The answer to a question the booking asked: which service, which day, or whether to book.
/// Returns whether the turn was one.
pub(super) async fn answer_question(
    s: &mut Session<'_, '_>,
    question: Awaiting,
    reading: &Reading,
    reply: &mut Reply,
) -> bool {
    // "e o preenchimento, quanto custa?" or "botox ou preenchimento, qual dura mais?" while the
    // day for Botox is awaited: a question about the clinic or its services, which its topic or
    // its knowledge answers; the service it names is not the one to book.
    let asks_instead = reading.asks_about_the_clinic()
        || (asks_without_a_mark(&reading.text) && topics::asks_about_service(s.clinic(), reading));
    if matches!(question, Awaiting::Service | Awaiting::When)
        && asks_instead
        && !reading.books_or_changes()
        && reading.professional.is_none()
    {
        return false;
    }
    match question {
        Awaiting::Service if reading.service.is_some() => advance(s, reading, reply).await,
        Awaiting::When
            if reading.says_when() || reading.service.is_some() || reading.professional.is_some() =>
        {
            // "vcs abrem sábado?" answering which day: the clinic's hours, then that day's slots.
            if reading.mentions(Intent::OpeningHours) {
                topics::answer(s, reading, reply);
            }
            advance(s, reading, reply).await;
        }
        Awaiting::BookingOffer { service, professional }
            if reading.yes || reading.no || books_the_offer(reading, service) =>
        {
            s.state_mut().dialogue.awaiting = None;
            if reading.no {
                reply.say("Tudo bem! Se precisar de algo, é só me chamar. 😊");
            } else {
                let mut request = SlotRequest { service, professional, ..Default::default() };
                merge_when(&mut request, &reading.when, reading.any_day, reading.occasion);
                proceed(s, request, Wanted::of(reading), reply).await;
            }
        }
        _ => return false,
    }
    true
}

/// "quero marcar na terça de manhã então" or "pode ser a avaliação, quarta de manhã" after
/// "Quer que eu veja um horário para X?": a yes, with a day, for the service offered.
fn books_the_offer(reading: &Reading, service: Option<ServiceId>) -> bool {
    service.is_some()
        && (reading.service.is_none() || reading.service == service)
        && (reading.mentions(Intent::Book) || reading.says_when())
        && !reading.about_existing()
}

/// What the turn adds to the request. A new day replaces the old one; a new time of day
/// replaces every earlier time wish.
pub(super) fn merge(request: &mut SlotRequest, reading: &Reading) {
    if let Some(service) = reading.service {
        if request.service != Some(service) && request.moving.is_none() {
            request.professional = None;
        }
        if request.moving.is_none() {
            request.service = Some(service);
        }
    }
    if reading.professional.is_some() {
        request.professional = reading.professional;
    }
    // "o primeiro horário da tarde" on the day already asked for is the earliest that day; only
    // "qualquer dia" (or no day yet) opens the day.
    let any_day = reading.day_open || (reading.any_day && request.from.is_none());
    // "me vê o primeiro horário livre, qualquer dia serve": the earliest slot of all, so the
    // part of the day wished before goes with the day, unless this turn names one again.
    if reading.earliest && reading.day_open && reading.when.is_empty() {
        (request.time, request.period, request.after, request.before) = (None, None, None, None);
    }
    merge_when(request, &reading.when, any_day, reading.occasion);
    keep_the_time(request, reading);
}

/// "pra segunda no mesmo horário", or "sexta no mesmo horario" answering which day: the moved
/// appointment's own time, looked up on the new day.
pub(super) fn keep_the_time(request: &mut SlotRequest, reading: &Reading) {
    if reading.same_time && request.time.is_none() && request.moving_time.is_some() {
        request.time = request.moving_time;
    }
}

/// The day and time wishes of a turn; `any_day` when it leaves the day open, before the
/// patient's `occasion` if they named one.
pub(super) fn merge_when(
    request: &mut SlotRequest,
    when: &DateWish,
    any_day: bool,
    occasion: Option<NaiveDate>,
) {
    if let Some(date) = when.date {
        request.from = Some(date.first());
        request.to = Some(date.last());
        request.any_day = false;
        request.occasion = None;
    } else if any_day {
        request.any_day = true;
        request.from = None;
        request.to = None;
        request.occasion = occasion.or(request.occasion);
    }
    if when.time.is_some() || when.period.is_some() || when.after.is_some() || when.before.is_some() {
        request.time = when.time;
        request.period = when.period;
        request.after = when.after;
        request.before = when.before;
    }
}

pub(super) async fn proceed(
    s: &mut Session<'_, '_>,
    mut request: SlotRequest,
    wanted: Wanted,
    reply: &mut Reply,
) {
    s.state_mut().dialogue.awaiting = None;
    let Some(service) = request.service.and_then(|id| s.clinic().service(id)).cloned() else {
        // "a juliana atende sábado à tarde?": the clinic closed, or her day off, is the answer
        // the patient asked for, before which service.
        if let Some(DayOff::Closed(why) | DayOff::ShortDay(why) | DayOff::AfterClosing(why)) =
            day_off(s, &request)
        {
            reply.say(why);
        }
        s.state_mut().dialogue.request = Some(request);
        ask_service(s, reply);
        return;
    };
    if s.state().dialogue.minor && !service.minors_allowed {
        refuse_for_minor(s, reply);
        return;
    }
    if request.moving.is_none()
        && let Some(cue) = service.ruled_out_by(&s.state().dialogue.health_cues).map(str::to_owned)
    {
        health::refuse(s, &service, &cue, reply);
        return;
    }
    if let Some(professional) = request.professional.and_then(|id| s.clinic().professional(id))
        && !professional.service_ids.contains(&service.id)
    {
        let performers: Vec<&str> =
            s.clinic().professionals_for(service.id).map(|p| p.name.as_str()).collect();
        reply.say(format!(
            "{} não realiza {}; quem realiza é {}.",
            professional.name,
            service.name,
            join_names(&performers)
        ));
        request.professional = None;
    }
    s.state_mut().dialogue.request = Some(request.clone());
    if !request.has_when() {
        let verb = if request.moving.is_some() { "remarcar" } else { "agendar" };
        reply.ask_text(format!(
            "Para qual dia você gostaria de {verb} {}? Se preferir, me diga também o período (manhã, tarde ou noite).",
            service.name
        ));
        s.state_mut().dialogue.awaiting = Some(Awaiting::When);
        return;
    }
    match day_off(s, &request) {
        // "com a Dra. Ana Paula na terça à tarde": the part of the day asked for still holds on
        // the days she works; with none free in it, the next free slots of any part.
        Some(DayOff::Closed(why)) if request.period.is_some() => {
            reply.say(why);
            let horizon = s.today() + Days::new(u64::from(s.clinic().booking.horizon_days));
            let in_period = SlotRequest { to: Some(horizon), ..request };
            search(s, &in_period, wanted, NextIntro::Instead, reply).await;
            return;
        }
        Some(DayOff::Closed(why)) => {
            reply.say(why);
            offer_next_available(s, &request, &service.name, NextIntro::Instead, reply).await;
            return;
        }
        Some(DayOff::AfterClosing(note)) => {
            reply.say(note);
            let last = SlotRequest { time: None, after: None, period: None, ..request };
            search(s, &last, Wanted::Latest, NextIntro::Instead, reply).await;
            return;
        }
        Some(DayOff::ShortDay(note)) => {
            // The patient was told why: if nothing fits, the next slots come instead.
            reply.say(note);
            search(s, &request, wanted, NextIntro::Instead, reply).await;
            return;
        }
        None => {}
    }
    search(s, &request, wanted, NextIntro::NothingFits, reply).await;
}

fn join_names(names: &[&str]) -> String {
    match names {
        [] => "nossa equipe".to_owned(),
        [only] => (*only).to_owned(),
        [init @ .., last] => format!("{} e {last}", init.join(", ")),
    }
}

pub(super) fn ask_service(s: &mut Session<'_, '_>, reply: &mut Reply) {
    let rows = s
        .clinic()
        .services
        .iter()
        .take(limits::LIST_ROWS)
        .map(|service| {
            let price =
                if service.price.is_free() { "gratuita".to_owned() } else { service.price.to_string() };
            row(
                format!("{}{}", ids::SERVICE, service.id),
                service.name.clone(),
                Some(format!("{price} · {} min", service.duration_minutes)),
            )
        })
        .collect();
    reply.ask(
        "Qual procedimento você gostaria de agendar?",
        Choices::List { label: "Ver procedimentos".to_owned(), rows },
    );
    s.state_mut().dialogue.awaiting = Some(Awaiting::Service);
}

/// Someone under age asked for a procedure: only the Avaliação, with a guardian.
pub(super) fn refuse_for_minor(s: &mut Session<'_, '_>, reply: &mut Reply) {
    reply.say(s.clinic().policies.minors.clone());
    let evaluation =
        s.clinic().services.iter().find(|service| service.minors_allowed).map(|service| service.id);
    s.state_mut().dialogue.request = None;
    if let Some(evaluation) = evaluation {
        reply.ask("Quer que eu veja um horário para a Avaliação?", Choices::yes_no());
        s.state_mut().dialogue.awaiting =
            Some(Awaiting::BookingOffer { service: Some(evaluation), professional: None });
    }
}

/// `find_slots` as the request asks; for a precise or bounded time, enough slots to choose the
/// nearest from; for the earliest slot, that one alone.
async fn search(
    s: &mut Session<'_, '_>,
    request: &SlotRequest,
    wanted: Wanted,
    if_none: NextIntro,
    reply: &mut Reply,
) {
    // "o quanto antes, viajo sexta": only the days before the occasion; when none is free, the
    // patient is told so before the nearest slots.
    let (bounded, if_none) = match occasion::before(request, s.today()) {
        Some((bounded, occasion)) => (bounded, NextIntro::NoneBefore(occasion)),
        None => (request.clone(), if_none),
    };
    let request = &bounded;
    // "hj ainda?" late in the day: nothing left today is said in those words, without "what you
    // asked" and the waitlist for it, as the whole day was asked for.
    let whole_day_today = request.from == Some(s.today())
        && request.to == Some(s.today())
        && request.time.is_none()
        && request.period.is_none()
        && request.after.is_none()
        && request.before.is_none();
    let if_none =
        if whole_day_today && if_none == NextIntro::NothingFits { NextIntro::NoneLeftToday } else { if_none };
    if wanted == Wanted::Latest {
        offer_latest(s, request, if_none, reply).await;
        return;
    }
    let looking_around = request.time.is_some() || request.after.is_some() || request.before.is_some();
    let more = wanted == Wanted::More;
    let limit = match wanted {
        Wanted::More => limits::LIST_ROWS,
        _ if looking_around => limits::LIST_ROWS,
        Wanted::Earliest | Wanted::Latest => 1,
        Wanted::Few => limits::BUTTONS,
    };
    let found = match find(s, request, limit, true).await {
        Ok(found) => found,
        Err(message) => {
            reply.say(message);
            return;
        }
    };
    if found.slots.is_empty() {
        offer_next_available(s, request, &found.service, if_none, reply).await;
        return;
    }
    if let Some(time) = request.time
        && let Some(exact) = found.slots.iter().find(|slot| slot.start_time() == Some(time))
    {
        plan(s, exact.id, reply).await;
        return;
    }
    if wanted == Wanted::Earliest && !looking_around {
        let intro = format!("O primeiro horário livre para {} ({}) é este:", found.service, found.price);
        offer(s, intro, &found.slots, reply);
        return;
    }
    let (shown, fits) = choose(found.slots, request, more);
    let intro = if fits {
        format!("Tenho estes horários para {} ({}):", found.service, found.price)
    } else {
        format!("Nesse horário não tenho vaga para {}, mas tenho estes ({}):", found.service, found.price)
    };
    offer(s, intro, &shown, reply);
}

/// The day's last free slot alone: the first day the request allows that has one, searched
/// page by page from its morning (`find_slots` lists the earliest first), within the part of
/// the day and the bounds the patient gave. Each page is a new offer, and the last page holds
/// the slot shown.
async fn offer_latest(s: &mut Session<'_, '_>, request: &SlotRequest, if_none: NextIntro, reply: &mut Reply) {
    /// Enough pages for a day of 30-minute slots with every professional free.
    const PAGES: usize = 8;
    let mut request = SlotRequest { time: None, ..request.clone() };
    let first = match find(s, &request, 1, true).await {
        Ok(found) => found,
        Err(message) => {
            reply.say(message);
            return;
        }
    };
    let Some(day) = first.slots.first().map(|slot| slot.date) else {
        offer_next_available(s, &request, &first.service, if_none, reply).await;
        return;
    };
    (request.from, request.to) = (Some(day), Some(day));
    let fits_before = |slot: &SlotView| {
        slot.date == day
            && slot.start_time().is_some_and(|time| request.before.is_none_or(|before| time < before))
    };
    let mut latest: Option<SlotView> = None;
    let mut not_before = request.after;
    for _ in 0..PAGES {
        let page = SlotRequest { after: not_before, ..request.clone() };
        let found = match find_on_day(s, &page).await {
            Ok(found) => found,
            Err(message) => {
                reply.say(message);
                return;
            }
        };
        latest = found.slots.iter().rev().find(|slot| fits_before(slot)).cloned().or(latest);
        let last = found.slots.last().and_then(SlotView::start_time);
        let full = found.slots.len() == limits::LIST_ROWS && found.slots.iter().all(fits_before);
        if !full || last.is_none() || last == not_before {
            break;
        }
        not_before = last;
    }
    match latest {
        Some(slot) => {
            let intro =
                format!("O último horário livre desse dia para {} ({}) é este:", first.service, first.price);
            offer(s, intro, &[slot], reply);
        }
        None => offer_next_available(s, &request, &first.service, if_none, reply).await,
    }
}

/// `find_slots` on the request's one day, in its part of the day (never one guessed from a
/// time, as [`find`] does for "às 14h"), from its lower bound on.
async fn find_on_day(s: &mut Session<'_, '_>, request: &SlotRequest) -> Result<SlotsFound, String> {
    let clinic = s.clinic();
    let mut args = service_and_professional(clinic, request);
    if let Some(day) = request.from {
        args.insert("date".into(), json!(day.to_string()));
    }
    if let Some(period) = request.period {
        args.insert("period".into(), json!(period));
    }
    if let Some(start) = request.after {
        args.insert("not_before".into(), json!(start.format("%H:%M").to_string()));
    }
    args.insert("limit".into(), json!(limits::LIST_ROWS));
    match s.call(tool::FIND_SLOTS, Value::Object(args)).await {
        Ok(found) => read::<SlotsFound>(&found).ok_or_else(confused),
        Err(error) => Err(error.patient_message()),
    }
}

/// The `find_slots` arguments every search of `request` starts from: its service, and its
/// professional when the patient named one.
fn service_and_professional(clinic: &Clinic, request: &SlotRequest) -> Map<String, Value> {
    let service = request.service.and_then(|id| clinic.service(id)).map(|service| service.name.clone());
    let mut args = Map::new();
    args.insert("service".into(), json!(service));
    if let Some(professional) = request.professional.and_then(|id| clinic.professional(id)) {
        args.insert("professional".into(), json!(professional.name));
    }
    args
}

/// Calls `find_slots`; `Err` is what to tell the patient.
async fn find(
    s: &mut Session<'_, '_>,
    request: &SlotRequest,
    limit: usize,
    with_day: bool,
) -> Result<SlotsFound, String> {
    let clinic = s.clinic();
    let mut args = service_and_professional(clinic, request);
    let today = s.today();
    let from = request.from.map(|from| from.max(today));
    if with_day {
        if let Some(from) = from {
            args.insert("date".into(), json!(from.to_string()));
            if let Some(to) = request.to.filter(|to| *to > from) {
                args.insert("date_to".into(), json!(to.to_string()));
            }
        }
        // The part of the day of a precise time; a lower bound ("depois das 17h", "after 5pm")
        // keeps every later part of the day, so 18:00 is after 17:00 too.
        if let Some(period) = request.period.or(request.time.map(Period::of)) {
            args.insert("period".into(), json!(period));
        }
        // Around a precise time, an hour before it too: the nearest free slots may be earlier.
        let not_before = request.after.or(request.time.map(|time| time - TimeDelta::hours(1)));
        if let Some(start) = not_before {
            args.insert("not_before".into(), json!(start.format("%H:%M").to_string()));
        }
    } else if let Some(from) = from {
        // From the day asked for onwards, as far as the clinic books.
        let horizon = today + Days::new(u64::from(clinic.booking.horizon_days));
        args.insert("date".into(), json!(from.to_string()));
        args.insert("date_to".into(), json!(horizon.max(from).to_string()));
    }
    args.insert("limit".into(), json!(limit));
    match s.call(tool::FIND_SLOTS, Value::Object(args)).await {
        Ok(found) => read::<SlotsFound>(&found).ok_or_else(confused),
        Err(error) => Err(error.patient_message()),
    }
}

fn confused() -> String {
    "Desculpe, me confundi aqui. Pode repetir, por favor?".to_owned()
}

/// How the next free slots are introduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NextIntro {
    /// The search found nothing that fits.
    NothingFits,
    /// The day was ruled out before searching, and the patient was told why.
    Instead,
    /// Nothing is free before the patient's occasion on this day.
    NoneBefore(NaiveDate),
    /// Today was asked for, all of it, and nothing is left.
    NoneLeftToday,
}

/// Nothing fits the day or time asked for: the next free slots from that day on.
async fn offer_next_available(
    s: &mut Session<'_, '_>,
    request: &SlotRequest,
    service: &str,
    intro: NextIntro,
    reply: &mut Reply,
) {
    let found = match find(s, request, limits::BUTTONS, false).await {
        Ok(found) if !found.slots.is_empty() => found,
        Ok(_) => {
            reply.say(format!(
                "Não encontrei horários livres para {service} nos próximos dias. {}",
                super::waitlist::OFFER
            ));
            reply.ask_text("Quer que eu procure com outro profissional ou em outra data?");
            s.state_mut().dialogue.awaiting = Some(Awaiting::When);
            return;
        }
        Err(message) => {
            reply.say(message);
            return;
        }
    };
    // An occasion today leaves nothing before it but today's own slots, none of them free.
    let intro = match intro {
        NextIntro::NoneBefore(occasion) if occasion <= s.today() => NextIntro::NoneLeftToday,
        other => other,
    };
    let intro = match intro {
        // The day or time asked for may still free up: the waitlist is offered beside the next slots.
        NextIntro::NothingFits => format!(
            "Não encontrei vaga para {service} no que você pediu. {} Os próximos horários livres são ({}):",
            super::waitlist::OFFER,
            found.price
        ),
        NextIntro::Instead => format!("Os próximos horários livres para {service} são ({}):", found.price),
        NextIntro::NoneLeftToday => format!(
            "Para hoje não tenho mais vaga para {service}, infelizmente. Os horários livres mais próximos são ({}):",
            found.price
        ),
        NextIntro::NoneBefore(occasion) => format!(
            "Antes de {}, não tenho vaga para {service}, infelizmente. Os horários livres mais próximos são ({}):",
            format_date(occasion),
            found.price
        ),
    };
    offer(s, intro, &found.slots, reply);
}

/// The slots to show: those that fit the time wishes (the nearest to a precise time), or the
/// earliest when none does; and whether they fit.
fn choose(slots: Vec<SlotView>, request: &SlotRequest, more: bool) -> (Vec<SlotView>, bool) {
    let count = if more { limits::LIST_ROWS } else { limits::BUTTONS };
    let fitting: Vec<SlotView> = slots
        .iter()
        .filter(|slot| slot.start_time().is_some_and(|time| request.fits_time(time)))
        .cloned()
        .collect();
    let fits = !fitting.is_empty();
    let mut chosen = if fits { fitting } else { slots };
    if let Some(wanted) = request.time {
        let distance =
            |slot: &SlotView| slot.start_time().map_or(i64::MAX, |t| (t - wanted).num_minutes().abs());
        chosen.sort_by_key(|slot| (slot.date, distance(slot)));
        chosen.truncate(count);
        chosen.sort_by_key(|slot| (slot.date, slot.start_time()));
    } else {
        chosen.truncate(count);
    }
    // Near a precise time is not at it: the exact slot was looked for before choosing.
    (chosen, fits && request.time.is_none())
}

/// Shows `slots`: up to three of one professional as buttons, otherwise a list whose rows
/// name the professional. The body says which service and price, so it reads well when the
/// channel turns the choices into numbered text.
fn offer(s: &mut Session<'_, '_>, intro: String, slots: &[SlotView], reply: &mut Reply) {
    // The tools write every time as HH:MM; a slot whose time cannot be read is not offered.
    let slots: Vec<(&SlotView, String)> = slots
        .iter()
        .filter_map(|slot| slot.start_time().map(|time| (slot, format_slot_compact(slot.date, time))))
        .take(limits::LIST_ROWS)
        .collect();
    s.state_mut().dialogue.shown = slots.iter().map(|(slot, _)| slot.id).collect();
    s.state_mut().dialogue.awaiting = None;
    let Some((first, _)) = slots.first() else {
        reply.say(confused());
        return;
    };
    let one_professional = slots.iter().all(|(slot, _)| slot.professional == first.professional);
    if slots.len() <= limits::BUTTONS && one_professional {
        let buttons = slots.iter().map(|(slot, title)| button(slot_choice(slot.id), title.clone())).collect();
        let question = if slots.len() == 1 { "Pode ser?" } else { "Qual fica melhor para você?" };
        let body = format!("{intro}\nCom {}. {question}", first.professional);
        reply.ask(body, Choices::Buttons(buttons));
    } else {
        let rows = slots
            .iter()
            .map(|(slot, title)| {
                row(slot_choice(slot.id), with_at(title), Some(format!("com {}", slot.professional)))
            })
            .collect();
        let body = format!("{intro}\nQual fica melhor para você?");
        reply.ask(body, Choices::List { label: "Ver horários".to_owned(), rows });
    }
}

/// "terça, 03/03 às 14:00": a list row has room for the "às".
fn with_at(compact: &str) -> String {
    match compact.rsplit_once(' ') {
        Some((day, time)) => format!("{day} às {time}"),
        None => compact.to_owned(),
    }
}

/// Plans booking (or moving the appointment to) the offered slot `id`, and asks the patient
/// to confirm the summary the tool wrote.
pub(super) async fn plan(s: &mut Session<'_, '_>, id: SlotId, reply: &mut Reply) {
    let moving = s.state().dialogue.request.as_ref().and_then(|request| request.moving);
    let result = match moving {
        Some(appointment) => {
            s.call(
                tool::RESCHEDULE,
                json!({ "appointment_id": appointment.to_string(), "slot": id.to_string() }),
            )
            .await
        }
        None => s.call(tool::BOOK, json!({ "slot": id.to_string() })).await,
    };
    match result {
        Ok(planned) => match read::<WriteOutcome>(&planned) {
            Some(WriteOutcome::NeedsConfirmation { summary }) => {
                let guardian = if s.state().dialogue.minor && moving.is_none() {
                    "\nLembre que menores de idade precisam vir acompanhados de um responsável."
                } else {
                    ""
                };
                reply.ask(format!("{summary}{guardian}\nPosso confirmar?"), Choices::yes_no());
            }
            _ => reply.say(confused()),
        },
        Err(error) => reply.say(error.patient_message()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, NaiveTime};

    fn slot(id: u8, h: u32, m: u32) -> SlotView {
        SlotView {
            id: SlotId::parse(&id.to_string()).unwrap(),
            professional: "Dr. Ricardo Lima".into(),
            date: NaiveDate::from_ymd_opt(2026, 3, 3).unwrap(),
            time: format!("{h:02}:{m:02}"),
        }
    }

    fn at(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn times(slots: &[SlotView]) -> Vec<&str> {
        slots.iter().map(|slot| slot.time.as_str()).collect()
    }

    #[test]
    fn the_nearest_slots_to_a_wanted_time_are_shown_in_order() {
        let slots = vec![slot(1, 13, 0), slot(2, 14, 0), slot(3, 14, 30), slot(4, 16, 0), slot(5, 16, 30)];
        let request = SlotRequest { time: Some(at(15, 0)), ..Default::default() };
        let (shown, fits) = choose(slots, &request, false);
        assert_eq!(times(&shown), ["14:00", "14:30", "16:00"]);
        assert!(!fits, "15:00 itself was not free");
    }

    #[test]
    fn bounds_keep_only_the_slots_within_them_or_say_none_fit() {
        let slots = vec![slot(1, 13, 0), slot(2, 15, 0), slot(3, 15, 30), slot(4, 16, 0), slot(5, 17, 0)];
        let request = SlotRequest { after: Some(at(15, 0)), before: Some(at(17, 0)), ..Default::default() };
        let (shown, fits) = choose(slots.clone(), &request, false);
        assert_eq!((times(&shown), fits), (vec!["15:00", "15:30", "16:00"], true));

        let late = SlotRequest { after: Some(at(18, 0)), ..Default::default() };
        let (shown, fits) = choose(slots, &late, false);
        assert_eq!((times(&shown), fits), (vec!["13:00", "15:00", "15:30"], false));
    }

    #[test]
    fn list_rows_have_room_for_the_at() {
        assert_eq!(with_at("terça, 03/03 14:00"), "terça, 03/03 às 14:00");
        assert!(with_at("segunda, 09/03 14:00").chars().count() <= limits::ROW_TITLE);
    }
}
