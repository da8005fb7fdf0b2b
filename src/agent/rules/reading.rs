//! What one turn says, read once with the `sofia_core::lang` readers: the dialogue modules
//! decide what to do with it.

use chrono::{NaiveDate, NaiveTime, Weekday};
use sofia_core::clinic::Clinic;
use sofia_core::conversation::{AppointmentAction, SlotId};
use sofia_core::domain::{AppointmentId, ProfessionalId, ServiceId};
use sofia_core::lang::{
    DateSpec, DateWish, Escalation, Intent, OtherProcedure, Shift, asked_by_name, asks_about_someone_else,
    asks_by_a_mark, asks_cancellation_policy, asks_for_a_deal, asks_for_more_options, asks_to_bring_someone,
    asks_to_shift, asks_what_to_bring, bare_weekday, changes_mind, corrected_when, detect_intents,
    detect_name, greets_and_asks, health_cues, is_affirmative, is_greeting, is_negative, is_praise,
    is_thanks, keeps_as_is, keeps_the_day, keeps_the_time, latest_change, lead_signals, leaves_day_open,
    leaves_for_later, match_professional, match_service, match_services, needs_a_person, normalize,
    occasion_day, only_calls_attention, parse_when, refused_change, says_misunderstood, stated_reason,
    turned_down, turned_down_period, unoffered_procedure, wants_earliest, wants_latest,
};
use sofia_core::qualification::LeadFacts;
use sofia_core::scheduling::Period;

use super::reply::ids;
use crate::agent::brain::Turn;
use crate::scheduler::payload;

/// A button or list row the patient tapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tapped {
    Yes,
    No,
    Slot(SlotId),
    /// The position (from 0) in the list of appointments shown.
    Appointment(usize),
    Service(ServiceId),
    /// A reminder's button: what to do with which appointment.
    Reminder {
        action: AppointmentAction,
        appointment: AppointmentId,
    },
}

#[derive(Debug, Clone)]
pub(super) struct Reading {
    /// Everything the patient wrote this turn, one message per line.
    pub text: String,
    pub tapped: Option<Tapped>,
    pub greeting: bool,
    /// A greeting that also asks something no greeting answers: "oi, e o esquema da indicação?".
    pub greets_and_asks: bool,
    pub thanks: bool,
    /// Praises the clinic, its team or a result: "amei, vcs são ótimas".
    pub praise: bool,
    pub yes: bool,
    pub no: bool,
    /// Topics, best first.
    pub intents: Vec<Intent>,
    /// Of cancelling and moving, the one asked for last: a burst may change its mind.
    pub change: Option<Intent>,
    /// Of cancelling and moving, the one turned down in so many words: "não cancela não".
    pub refused: Option<Intent>,
    pub service: Option<ServiceId>,
    /// The services a clause says stay as they are: "a limpeza não vou conseguir, o botox
    /// continua" keeps the Botox, so the change is the cleaning's.
    pub services_kept: Vec<ServiceId>,
    pub professional: Option<ProfessionalId>,
    pub when: DateWish,
    /// `when` names a day the patient wants instead of one she turned down ("sexta não dá,
    /// segunda tem?"): a shown slot on the day turned down is no pick.
    pub day_instead: bool,
    /// What the words after the last "para" say about when: "remarcar o de hoje para amanhã"
    /// moves to tomorrow, though the first day it names is today.
    pub target_when: DateWish,
    /// The weekday the words after that "para" name alone ("passa pra sexta"): moving an
    /// appointment, the one nearest it is meant.
    pub target_weekday: Option<Weekday>,
    /// The weekday the turn names alone ("a de sexta"): the patient's appointment on that
    /// weekday, whichever week it is in.
    pub weekday: Option<Weekday>,
    /// The day the turn says does not suit: "segunda não posso, e a terça?".
    pub refused_day: Option<DateSpec>,
    /// The part of the day the turn says does not suit: "de manhã não dá, só no fim da tarde".
    /// A shown slot in it is no pick.
    pub refused_period: Option<Period>,
    /// What each clause of the turn says about when, in order: "preciso remarcar a de quarta"
    /// then "sexta de manhã tem?" names the appointment's day first and the new day last, and
    /// so does "quero mudar o de quinta pq vou ter reunião, tem sexta à tarde?" in one message.
    pub when_by_clause: Vec<DateWish>,
    pub any_day: bool,
    /// Leaves the day itself open ("qualquer dia"), not only asks for the earliest slot ("o
    /// primeiro horário", which the day already asked for keeps).
    pub day_open: bool,
    /// Asks for the earliest free slot itself: "o primeiro horário livre".
    pub earliest: bool,
    /// The occasion the soonest slot must come before: "o quanto antes, viajo sexta".
    pub occasion: Option<NaiveDate>,
    /// Asks for the day's last free slot: "qual o último horário do dia?".
    pub latest: bool,
    /// Moving an appointment, keeps its time on the new day: "pra segunda no mesmo horário".
    pub same_time: bool,
    /// Moving an appointment, keeps its day at another time: "pro fim da tarde desse mesmo dia".
    pub same_day: bool,
    pub more_options: bool,
    /// Later or earlier than the time talked about, without naming one: "tem mais tarde?".
    pub shift: Option<Shift>,
    pub name: Option<String>,
    /// Budget, urgency, visit, source, declined.
    pub signals: LeadFacts,
    pub reason: Option<String>,
    /// Asks what cancelling late costs, rather than to cancel.
    pub cancellation_policy: bool,
    /// Asks what to bring to the visit.
    pub what_to_bring: bool,
    /// Asks whether someone may come along: "posso levar meu bebê na consulta?".
    pub companion: bool,
    /// Asks for a promotion or a discount: "tem promoção de botox?".
    pub deal: bool,
    /// Asks about another person's appointment.
    pub someone_else: bool,
    /// A complaint or a money dispute: a person must answer.
    pub escalation: Option<Escalation>,
    /// Leaves the conversation for later: "vou ver com meu marido e te aviso".
    pub for_later: bool,
    /// Says Sofia got it wrong: "não, não é isso".
    pub misunderstood: bool,
    /// Takes back what the patient said before: "na verdade…", "pensando bem…".
    pub changes_mind: bool,
    /// Only calls for attention: "alô??", "oi?", "???".
    pub calls_attention: bool,
    /// The clinic's contraindication cues the turn mentions ("amamentando").
    pub health_cues: Vec<String>,
    /// A procedure the clinic does not offer: "vocês fazem criolipólise?".
    pub unoffered: Option<OtherProcedure>,
    /// A procedure asked for by a name that neither the clinic's file nor the catalogue of
    /// other procedures knows: "vcs fazem endolaser?". Said to be unavailable only when the
    /// clinic's knowledge has nothing on it either.
    pub unknown_procedure: Option<OtherProcedure>,
    /// The same, asked in a clause of its own beside one of the clinic's services: "vcs fazem
    /// endolaser? e queria marcar uma limpeza sexta". Kept apart from `unknown_procedure`, which
    /// is the whole turn's subject.
    pub unknown_beside: Option<OtherProcedure>,
}

impl Reading {
    pub fn of(turn: &Turn, clinic: &Clinic, today: NaiveDate) -> Reading {
        let text = turn.text();
        // "o mais cedo possível, tenho festa sábado": the soonest slot before the day named,
        // not a slot on it.
        let occasion = occasion_day(&text, today);
        let (open, earliest) = (leaves_day_open(&text) || occasion.is_some(), wants_earliest(&text));
        // "terça.. não pera, terça tenho dentista. quarta à tarde": the wish corrected into.
        let mut when = corrected_when(&text, today).unwrap_or_else(|| parse_when(&text, today));
        let turned_down = turned_down(&text, today);
        if occasion.is_some() {
            when.date = None;
        }
        let tapped = turn.choice_id().and_then(tapped);
        let (kept, others): (Vec<&str>, Vec<&str>) = clauses(&text).partition(|clause| keeps_as_is(clause));
        let services_kept: Vec<ServiceId> =
            kept.iter().flat_map(|clause| match_services(clinic, clause)).collect();
        let service = match tapped {
            Some(Tapped::Service(id)) => Some(id),
            _ => match_service(clinic, &text),
        };
        // "aquela do dia 24 eu não vou poder… a limpeza eu vou normal": a service named only
        // to say it stays is not the one the turn is about.
        let service = match service {
            Some(id) if services_kept.contains(&id) && !matches!(tapped, Some(Tapped::Service(_))) => {
                match_service(clinic, &others.join(". "))
            }
            service => service,
        };
        // The words after the last "para" that name a when: "passa pra sexta às 10".
        let target = target_text(&text);
        let unoffered = unoffered_procedure(clinic, &text);
        let professional = match_professional(clinic, &text);
        let unknown_procedure = (service.is_none() && unoffered.is_none() && professional.is_none())
            .then(|| asked_by_name(clinic, &text))
            .flatten();
        let unknown_beside = (service.is_some() && unoffered.is_none())
            .then(|| {
                let apart: Vec<&str> = clauses(&text)
                    .filter(|clause| {
                        match_service(clinic, clause).is_none()
                            && match_professional(clinic, clause).is_none()
                    })
                    .collect();
                asked_by_name(clinic, &apart.join(". "))
            })
            .flatten();
        let mut reading = Reading {
            greeting: is_greeting(&text),
            greets_and_asks: greets_and_asks(&text),
            thanks: is_thanks(&text),
            praise: is_praise(&text),
            yes: tapped == Some(Tapped::Yes) || (tapped.is_none() && is_affirmative(&text)),
            no: tapped == Some(Tapped::No) || (tapped.is_none() && is_negative(&text)),
            intents: detect_intents(&text),
            change: latest_change(&text),
            refused: refused_change(&text),
            service,
            services_kept,
            professional,
            when,
            day_instead: false,
            target_when: target.as_deref().map(|target| parse_when(target, today)).unwrap_or_default(),
            target_weekday: target.as_deref().and_then(bare_weekday),
            weekday: bare_weekday(&text),
            refused_day: turned_down.map(|turned_down| turned_down.day),
            refused_period: turned_down_period(&text),
            when_by_clause: clauses(&text).map(|clause| parse_when(clause, today)).collect(),
            any_day: open || earliest,
            day_open: open,
            earliest,
            occasion,
            // "quinta no fim do dia, umas 17h30": the time named is the one asked for; the
            // words for the end of the day only say why.
            latest: wants_latest(&text) && when.time.is_none(),
            same_time: keeps_the_time(&text),
            same_day: keeps_the_day(&text),
            more_options: asks_for_more_options(&text),
            shift: asks_to_shift(&text),
            name: detect_name(&text),
            signals: lead_signals(&text),
            reason: stated_reason(&text),
            cancellation_policy: asks_cancellation_policy(&text),
            what_to_bring: asks_what_to_bring(&text),
            companion: asks_to_bring_someone(&text),
            deal: asks_for_a_deal(&text),
            someone_else: asks_about_someone_else(&text),
            escalation: needs_a_person(&text),
            for_later: leaves_for_later(&text),
            misunderstood: says_misunderstood(&text),
            changes_mind: changes_mind(&text),
            calls_attention: only_calls_attention(&text),
            health_cues: health_cues(clinic, &text).into_iter().map(str::to_owned).collect(),
            unoffered,
            unknown_procedure,
            unknown_beside,
            tapped,
            text,
        };
        // "pode parar de procurar na sexta, lembrei q não dá. segunda de manhã tem?": a new
        // booking's day turned down gives way to the one named after it. A move keeps its own
        // reading of which day is the appointment's and which the new one.
        if reading.occasion.is_none()
            && !reading.about_existing()
            && let Some(instead) = turned_down.and_then(|turned_down| turned_down.instead)
        {
            reading.when = instead;
            reading.day_instead = true;
        }
        reading
    }

    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty() && self.tapped.is_none()
    }

    pub fn intent(&self) -> Option<Intent> {
        self.intents.first().copied()
    }

    pub fn mentions(&self, intent: Intent) -> bool {
        self.intents.contains(&intent)
    }

    /// Whether the turn is about one of the patient's existing appointments rather than a
    /// new one: then "consulta" names the appointment, not the Avaliação.
    pub fn about_existing(&self) -> bool {
        matches!(self.tapped, Some(Tapped::Appointment(_)))
            || matches!(
                self.intent(),
                Some(
                    Intent::Reschedule
                        | Intent::Cancel
                        | Intent::ConfirmAttendance
                        | Intent::ListAppointments
                        | Intent::PackageBalance
                )
            )
    }

    /// Whether the turn is about days and slots or the patient's appointments: a day or a
    /// time, a booking, a change, other options. Not "se eu desmarcar tem multa?", which asks
    /// about the policy.
    pub fn books_or_changes(&self) -> bool {
        !self.when.is_empty()
            || self.any_day
            || self.more_options
            || self.shift.is_some()
            || self.mentions(Intent::Book)
            || (self.about_existing() && !self.cancellation_policy)
    }

    /// Whether the turn asks a question: a question mark that asks (not "hã?"), or a question
    /// about the clinic.
    pub fn asks_a_question(&self) -> bool {
        asks_by_a_mark(&self.text) || self.asks_about_the_clinic()
    }

    /// Asks about the clinic by its topic, with or without a question mark: "quanto custa".
    pub fn asks_about_the_clinic(&self) -> bool {
        self.intents.iter().any(|intent| intent.is_about_the_clinic())
    }

    /// A no that says nothing else ("não, outra coisa", "nada disso"): answering nothing Sofia
    /// asked, it says her last answer missed. A longer message goes on to say what the patient
    /// wants instead ("não quero marcar, quero saber se dura muito").
    pub fn only_refuses(&self) -> bool {
        const SHORT: usize = 5;
        self.no
            && normalize(&self.text).tokens().count() <= SHORT
            && self.tapped.is_none()
            && self.intents.is_empty()
            && self.service.is_none()
            && self.when.is_empty()
            && !self.thanks
            && !self.greeting
            && self.signals.declined.is_none()
    }

    /// "não vou conseguir na quinta" then "consegue sexta às 17h?": not making it on one day and
    /// asking about another is a move, not a cancellation. Never when the patient wrote
    /// "cancelar" or "desmarcar" in so many words.
    pub fn proposes_another_day(&self) -> bool {
        const CANCEL_WORDS: [&str; 5] = ["cancelar", "cancela", "cancelamento", "desmarcar", "desmarca"];
        let folded = normalize(&self.text);
        if CANCEL_WORDS.iter().any(|word| folded.contains_phrase(word)) {
            return false;
        }
        let mut days = self.when_by_clause.iter().filter_map(|when| when.date);
        let first = days.next();
        first.is_some() && days.next_back().is_some_and(|last| Some(last) != first)
    }

    /// The parts of the day the turn names of the patient's own appointments: those its clauses
    /// change or point at, then those they keep ("mudar o horário da tarde, o de manhã
    /// continua"). A part named after the last "para" is the new time, not an appointment's.
    pub fn periods_named(&self) -> PeriodsNamed {
        let mut named = PeriodsNamed::default();
        for (clause, when) in clauses(&self.text).zip(&self.when_by_clause) {
            let Some(period) = when.period else { continue };
            if keeps_as_is(clause) {
                named.kept.push(period);
            } else if self.target_when.period != Some(period) {
                named.changed.push(period);
            }
        }
        named
    }

    /// Whether the turn says anything about when: a day, a time, or any day at all.
    pub fn says_when(&self) -> bool {
        !self.when.is_empty() || self.any_day
    }
}

/// Parts of the day a turn names of the appointments it is about (`Reading::periods_named`).
#[derive(Debug, Default)]
pub(super) struct PeriodsNamed {
    pub changed: Vec<Period>,
    pub kept: Vec<Period>,
}

impl PeriodsNamed {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.kept.is_empty()
    }

    /// Whether an appointment starting at `start` may be the one meant: not in a part kept, and
    /// in a part named, when one is.
    pub fn fits(&self, start: NaiveTime) -> bool {
        let period = Period::of(start);
        !self.kept.contains(&period) && (self.changed.is_empty() || self.changed.contains(&period))
    }
}

/// The clauses of a turn: its messages, cut at punctuation, except a "." between digits
/// ("15.30"), which belongs to a time.
pub(super) fn clauses(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let digit = |at: Option<usize>| at.and_then(|i| bytes.get(i)).is_some_and(u8::is_ascii_digit);
    let mut start = 0;
    let mut cuts: Vec<&str> = Vec::new();
    for (at, c) in text.char_indices() {
        let joins_digits = c == '.' && digit(at.checked_sub(1)) && digit(Some(at + 1));
        if matches!(c, '\n' | ',' | '.' | ';' | '!' | '?') && !joins_digits {
            cuts.push(&text[start..at]);
            start = at + c.len_utf8();
        }
    }
    cuts.push(&text[start..]);
    cuts.into_iter().filter(|clause| !clause.trim().is_empty())
}

/// What the words after the last "para" of a message that names a when say about it, read to
/// the end of that message only: in "dá pra passar pra quinta de manhã?" then "surgiu um
/// compromisso na quarta à tarde", the target is Thursday morning and Wednesday is why; in "pra
/// quarta de tarde porque tenho reunião que não dá pra faltar" the last "pra" names no day, so
/// the one before it is the target. The latest message that names a target wins. A "para" is a
/// target only when the when comes first after it: "vou pra praia e só volto na segunda" names
/// a place, and Monday is when the patient is back, not where the appointment goes.
fn target_text(text: &str) -> Option<String> {
    // Any day parses the same for whether words name a when at all.
    let today = NaiveDate::default();
    let opens_with_a_when = |after: &str| {
        let words: Vec<&str> = after.split(' ').skip_while(|word| TARGET_ARTICLES.contains(word)).collect();
        let first = words
            .first()
            .is_some_and(|first| !parse_when(first, today).is_empty() || WHEN_OPENERS.contains(first));
        first && !parse_when(&words[..words.len().min(TARGET_OPENING)].join(" "), today).is_empty()
    };
    text.lines().rev().find_map(|line| {
        let padded = format!(" {}", normalize(line).as_str());
        padded
            .rmatch_indices(" para ")
            .map(|(at, marker)| padded[at + marker.len()..].to_owned())
            .find(|after| opens_with_a_when(after))
    })
}

/// Words before the when a "para" takes: "pra o dia 20", "para a semana que vem", "pra essa
/// sexta".
const TARGET_ARTICLES: &[&str] = &["a", "o", "as", "os", "essa", "esse", "esta", "este", "uma", "um"];

/// How many words after "para" (and its article) must already name the when: "quarta de
/// tarde", "o dia 20", "daqui 2 semanas", "semana que vem".
const TARGET_OPENING: usize = 3;

/// Words that open a when without naming one alone: "dia 20", "semana que vem", "daqui 2
/// semanas". Any other first word must be a when itself ("sexta", "15h", "amanhã"): "bh, volto
/// quinta" opens with a place.
const WHEN_OPENERS: &[&str] = &[
    "dia", "semana", "proxima", "proximo", "daqui", "depois", "mais", "fim", "final", "comeco", "inicio",
    "meio", "outra", "outro", "mesma", "mesmo",
];

/// "confirm:<appointment id>", as the scheduler writes a reminder's button payloads.
fn reminder_button(answer: &str) -> Option<Tapped> {
    let (action, appointment) = answer.split_once(':')?;
    let action = match action {
        payload::CONFIRM => AppointmentAction::Confirm,
        payload::RESCHEDULE => AppointmentAction::Reschedule,
        payload::CANCEL => AppointmentAction::Cancel,
        _ => return None,
    };
    Some(Tapped::Reminder { action, appointment: appointment.parse().ok()? })
}

fn tapped(id: &str) -> Option<Tapped> {
    match id {
        ids::YES => Some(Tapped::Yes),
        ids::NO => Some(Tapped::No),
        _ => {
            if let Some(slot) = id.strip_prefix(ids::SLOT) {
                SlotId::parse(slot).map(Tapped::Slot)
            } else if let Some(answer) = id.strip_prefix(payload::PREFIX) {
                reminder_button(answer)
            } else if let Some(position) = id.strip_prefix(ids::APPOINTMENT) {
                position.parse().ok().map(Tapped::Appointment)
            } else {
                id.strip_prefix(ids::SERVICE)?.parse().ok().map(Tapped::Service)
            }
        }
    }
}
