//! When an appointment's reminders go out: the clinic's leads (`reminders: [48h, 24h]`), moved
//! out of its quiet hours, and dropped when they would no longer help.
//!
//! Pure: the scheduler plans with [`plan`] when an appointment comes within reach, and checks
//! again with [`at_run`] when the job is due (a replica may have been down, or the clock may
//! have crossed into quiet hours since).

use std::fmt;

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// How long before the appointment a reminder goes out: "48h", "24h", "2h", "90m".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lead {
    minutes: u32,
}

impl Lead {
    /// Reads "48h" or "90m": a positive whole number of hours or minutes, at most 30 days.
    pub fn parse(text: &str) -> Option<Lead> {
        let text = text.trim();
        let (amount, per) =
            if let Some(hours) = text.strip_suffix('h') { (hours, 60) } else { (text.strip_suffix('m')?, 1) };
        let minutes = amount.trim().parse::<u32>().ok()?.checked_mul(per)?;
        (minutes > 0 && minutes <= 30 * 24 * 60).then_some(Lead { minutes })
    }

    pub fn minutes(self) -> u32 {
        self.minutes
    }

    /// The lead from a stored number of minutes.
    pub fn from_minutes(minutes: u32) -> Option<Lead> {
        (minutes > 0).then_some(Lead { minutes })
    }

    pub fn duration(self) -> Duration {
        Duration::minutes(i64::from(self.minutes))
    }
}

impl fmt::Display for Lead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.minutes.is_multiple_of(60) {
            write!(f, "{}h", self.minutes / 60)
        } else {
            write!(f, "{}m", self.minutes)
        }
    }
}

/// The part of each day, on the clinic's wall clock, when nothing proactive is sent. `start`
/// after `end` spans midnight (the default 20:00–08:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl Default for QuietHours {
    fn default() -> Self {
        QuietHours {
            start: NaiveTime::from_hms_opt(20, 0, 0).unwrap_or(NaiveTime::MIN),
            end: NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(NaiveTime::MIN),
        }
    }
}

impl QuietHours {
    pub fn contains(&self, time: NaiveTime) -> bool {
        if self.start <= self.end {
            time >= self.start && time < self.end
        } else {
            time >= self.start || time < self.end
        }
    }

    /// The first instant at or after `at` that is outside quiet hours in `zone`.
    pub fn next_open(&self, at: DateTime<Utc>, zone: Tz) -> DateTime<Utc> {
        let local = at.with_timezone(&zone);
        if !self.contains(local.time()) {
            return at;
        }
        let day = local.date_naive();
        // Late evening of a window spanning midnight: it ends tomorrow morning.
        let end_day =
            if self.start > self.end && local.time() >= self.start { day.succ_opt() } else { Some(day) };
        end_day
            .and_then(|day| zone.from_local_datetime(&day.and_time(self.end)).earliest())
            .map(|end| end.to_utc())
            // A window end that falls in a clock change's gap: an hour later is open.
            .unwrap_or(at + Duration::hours(1))
    }
}

/// A clinic's reminder settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReminderRules {
    /// Longest first; empty when the clinic sends no reminders.
    pub leads: Vec<Lead>,
    pub quiet_hours: QuietHours,
}

impl ReminderRules {
    /// How far ahead appointments must be looked at: the longest lead.
    pub fn reach(&self) -> Option<Duration> {
        self.leads.iter().max().map(|lead| lead.duration())
    }
}

/// Why a reminder is not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// The appointment was booked after the reminder would have gone out: the patient has
    /// just talked to the clinic.
    BookedInsideLead,
    /// Out of quiet hours, it would go out too close to the appointment to help.
    TooLate,
    /// A shorter lead's reminder goes out no later than this one would.
    Superseded,
}

impl Skip {
    pub fn as_str(self) -> &'static str {
        match self {
            Skip::BookedInsideLead => "booked_inside_lead",
            Skip::TooLate => "too_late",
            Skip::Superseded => "superseded",
        }
    }
}

/// What to do with one reminder of an appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    SendAt(DateTime<Utc>),
    Skip(Skip),
}

/// A reminder is worth sending while at least half its lead remains: a "24h" reminder pushed
/// by quiet hours to 14 hours before still helps, one 6 hours before is a different message.
pub fn still_useful(lead: Lead, starts_at: DateTime<Utc>, send_at: DateTime<Utc>) -> bool {
    send_at <= starts_at - lead.duration() / 2
}

/// Every lead's plan for an appointment starting at `starts_at`, booked at `booked_at`, in the
/// order of `rules.leads`.
pub fn plan(
    rules: &ReminderRules,
    zone: Tz,
    starts_at: DateTime<Utc>,
    booked_at: DateTime<Utc>,
) -> Vec<(Lead, Plan)> {
    let one = |lead: Lead| {
        let due = starts_at - lead.duration();
        if due < booked_at {
            return Plan::Skip(Skip::BookedInsideLead);
        }
        let send_at = rules.quiet_hours.next_open(due, zone);
        if still_useful(lead, starts_at, send_at) { Plan::SendAt(send_at) } else { Plan::Skip(Skip::TooLate) }
    };
    let plans: Vec<(Lead, Plan)> = rules.leads.iter().map(|lead| (*lead, one(*lead))).collect();
    plans
        .iter()
        .map(|(lead, plan)| {
            let superseded = matches!(plan, Plan::SendAt(at) if plans.iter().any(|(other, other_plan)| {
                other < lead && matches!(other_plan, Plan::SendAt(other_at) if other_at <= at)
            }));
            (*lead, if superseded { Plan::Skip(Skip::Superseded) } else { *plan })
        })
        .collect()
}

/// What a due reminder does at `now`: go out now, wait for the end of quiet hours, or be
/// dropped because it no longer helps (a replica was down, say) or a shorter lead's reminder
/// is due too (one message, the closer one).
pub fn at_run(
    rules: &ReminderRules,
    zone: Tz,
    lead: Lead,
    starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Plan {
    let send_at = rules.quiet_hours.next_open(now, zone);
    if rules.leads.iter().any(|other| *other < lead && starts_at - other.duration() <= send_at) {
        Plan::Skip(Skip::Superseded)
    } else if !still_useful(lead, starts_at, send_at) {
        Plan::Skip(Skip::TooLate)
    } else {
        Plan::SendAt(send_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SP: Tz = chrono_tz::America::Sao_Paulo;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn rules(leads: &[&str]) -> ReminderRules {
        ReminderRules { leads: leads.iter().map(|l| Lead::parse(l).unwrap()).collect(), ..Default::default() }
    }

    #[test]
    fn leads_read_hours_and_minutes() {
        assert_eq!(Lead::parse("48h").map(Lead::minutes), Some(48 * 60));
        assert_eq!(Lead::parse("90m").map(|l| l.to_string()), Some("90m".to_owned()));
        assert_eq!(Lead::parse("24h").map(|l| l.to_string()), Some("24h".to_owned()));
        for bad in ["", "0h", "h", "24", "-2h", "1d", "999h"] {
            assert_eq!(Lead::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn reminders_go_out_their_lead_before_the_appointment() {
        let plans = plan(
            &rules(&["48h", "24h"]),
            SP,
            at("2026-03-04T10:00:00-03:00"),
            at("2026-03-01T09:00:00-03:00"),
        );
        assert_eq!(
            plans.iter().map(|(_, plan)| *plan).collect::<Vec<_>>(),
            [Plan::SendAt(at("2026-03-02T10:00:00-03:00")), Plan::SendAt(at("2026-03-03T10:00:00-03:00"))]
        );
    }

    #[test]
    fn a_reminder_due_in_quiet_hours_waits_for_the_morning() {
        // 24 h before a 21:00 appointment is 21:00, inside 20:00–08:00: 08:00, 13 h before.
        let plans =
            plan(&rules(&["24h"]), SP, at("2026-03-04T21:00:00-03:00"), at("2026-03-01T09:00:00-03:00"));
        assert_eq!(plans[0].1, Plan::SendAt(at("2026-03-04T08:00:00-03:00")));
        // Just after midnight the window ends the same morning.
        let quiet = QuietHours::default();
        assert_eq!(quiet.next_open(at("2026-03-04T01:30:00-03:00"), SP), at("2026-03-04T08:00:00-03:00"));
        assert_eq!(quiet.next_open(at("2026-03-04T08:00:00-03:00"), SP), at("2026-03-04T08:00:00-03:00"));
    }

    #[test]
    fn a_reminder_pushed_past_half_its_lead_is_dropped() {
        // 2 h before 09:00 is 07:00, quiet: 08:00 leaves 1 h, exactly half: still sent.
        let plans =
            plan(&rules(&["2h"]), SP, at("2026-03-04T09:00:00-03:00"), at("2026-03-01T09:00:00-03:00"));
        assert_eq!(plans[0].1, Plan::SendAt(at("2026-03-04T08:00:00-03:00")));
        // 2 h before 08:30 is 06:30: 08:00 leaves 30 min, less than half.
        let plans =
            plan(&rules(&["2h"]), SP, at("2026-03-04T08:30:00-03:00"), at("2026-03-01T09:00:00-03:00"));
        assert_eq!(plans[0].1, Plan::Skip(Skip::TooLate));
    }

    #[test]
    fn an_appointment_booked_inside_a_lead_skips_that_reminder() {
        let plans = plan(
            &rules(&["48h", "24h"]),
            SP,
            at("2026-03-04T10:00:00-03:00"),
            at("2026-03-02T15:00:00-03:00"),
        );
        assert_eq!(plans[0].1, Plan::Skip(Skip::BookedInsideLead));
        assert_eq!(plans[1].1, Plan::SendAt(at("2026-03-03T10:00:00-03:00")));
    }

    #[test]
    fn two_reminders_pushed_to_the_same_morning_send_only_the_shorter() {
        // 10 h and 12 h before 18:00 are 08:00 and 06:00 (quiet, so 08:00): one message.
        let plans = plan(
            &rules(&["12h", "10h"]),
            SP,
            at("2026-03-04T18:00:00-03:00"),
            at("2026-03-01T09:00:00-03:00"),
        );
        assert_eq!(plans[0].1, Plan::Skip(Skip::Superseded));
        assert_eq!(plans[1].1, Plan::SendAt(at("2026-03-04T08:00:00-03:00")));
    }

    #[test]
    fn a_late_run_with_a_shorter_lead_also_due_sends_only_that_one() {
        let rules = rules(&["48h", "24h"]);
        let starts = at("2026-03-04T09:00:00-03:00");
        let now = at("2026-03-03T09:00:00-03:00");
        assert_eq!(at_run(&rules, SP, rules.leads[0], starts, now), Plan::Skip(Skip::Superseded));
        assert_eq!(at_run(&rules, SP, rules.leads[1], starts, now), Plan::SendAt(now));
    }

    #[test]
    fn a_late_run_waits_out_quiet_hours_or_gives_up() {
        let rules = rules(&["24h"]);
        let lead = rules.leads[0];
        let starts = at("2026-03-04T15:00:00-03:00");
        // Down overnight, back at 23:00: the morning is still 7 h before, under half: dropped.
        assert_eq!(
            at_run(&rules, SP, lead, starts, at("2026-03-03T23:00:00-03:00")),
            Plan::Skip(Skip::TooLate)
        );
        // A run at 21:00 for an appointment 42 h away waits for 08:00.
        let later = at("2026-03-05T15:00:00-03:00");
        assert_eq!(
            at_run(&rules, SP, lead, later, at("2026-03-03T21:00:00-03:00")),
            Plan::SendAt(at("2026-03-04T08:00:00-03:00"))
        );
    }
}
