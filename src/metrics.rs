//! Prometheus metrics for `GET /metrics`: a handful of counter families kept in atomics, plus
//! gauges read at scrape time, written in the text exposition format by hand (a registry crate
//! would cost more compile time than these few lines).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};
use sofia_core::domain::ProviderKind;

use crate::channels::BreakerState;
use crate::store::{CrmStats, JobStats};

/// Every counter Sofia exports.
pub struct Metrics {
    /// Webhook requests by provider and how they were answered.
    pub webhooks: CounterFamily,
    /// Inbound messages by provider and whether they were new or a repeated delivery.
    pub inbound_messages: CounterFamily,
    /// Events recognised and deliberately not acted on, by reason.
    pub ignored_events: CounterFamily,
    /// Delivery statuses by provider, status and whether they matched a message we sent.
    pub delivery_statuses: CounterFamily,
    /// Outbox rows by clinic, channel and outcome.
    pub sends: CounterFamily,
    /// What the Chatwoot bridge did: messages mirrored, webhook events applied, handoffs told.
    pub chatwoot: CounterFamily,
    /// Patients' files fetched from the providers, by kind and outcome.
    pub media: CounterFamily,
    /// Voice notes transcribed or not, by outcome (`ok`, `not_configured`, `no_audio`, or why
    /// the server failed).
    pub transcriptions: CounterFamily,
    /// Scheduler jobs settled, by clinic, kind and outcome (`sent`, `failed`, or why skipped).
    pub jobs: CounterFamily,
    /// CRM webhook attempts, by clinic, event and outcome.
    pub crm: CounterFamily,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            webhooks: CounterFamily::new(
                "sofia_webhooks_total",
                "Webhook requests received, by provider and outcome.",
                &["provider", "outcome"],
            ),
            inbound_messages: CounterFamily::new(
                "sofia_inbound_messages_total",
                "Inbound WhatsApp messages, by provider and result (stored or duplicate).",
                &["provider", "result"],
            ),
            ignored_events: CounterFamily::new(
                "sofia_webhook_events_ignored_total",
                "Webhook events recognised and not acted on, by provider and reason.",
                &["provider", "reason"],
            ),
            delivery_statuses: CounterFamily::new(
                "sofia_delivery_statuses_total",
                "Delivery statuses received, by provider, status and whether a sent message matched.",
                &["provider", "status", "matched"],
            ),
            sends: CounterFamily::new(
                "sofia_outbound_sends_total",
                "Outbox rows handled by the dispatcher, by clinic, channel and outcome.",
                &["clinic", "channel", "provider", "outcome"],
            ),
            chatwoot: CounterFamily::new(
                "sofia_chatwoot_total",
                "The Chatwoot bridge: mirror (mirrored, retrying, parked), relay (applied, ignored, not_applied, \
                 retrying, given_up) and handover (opened, closed).",
                &["part", "outcome"],
            ),
            media: CounterFamily::new(
                "sofia_media_fetches_total",
                "Patients' files (audio, image, document) fetched from the providers, by kind and outcome.",
                &["kind", "outcome"],
            ),
            transcriptions: CounterFamily::new(
                "sofia_transcriptions_total",
                "Voice notes transcribed, by outcome: ok, not_configured, no_audio (the file could not be \
                 fetched), or why the transcription server failed.",
                &["outcome"],
            ),
            jobs: CounterFamily::new(
                "sofia_jobs_total",
                "Scheduler jobs settled, by clinic, kind and outcome: sent, failed, or why it was skipped \
                 (opted_out, already_confirmed, cancelled, too_late, …).",
                &["clinic", "kind", "outcome"],
            ),
            crm: CounterFamily::new(
                "sofia_crm_deliveries_total",
                "CRM webhook attempts, by clinic, event and outcome: delivered, retrying, failed (retries \
                 spent), disabled (the endpoint answered 410).",
                &["clinic", "event", "outcome"],
            ),
        }
    }
}

/// How a webhook request was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookOutcome {
    Accepted,
    /// Meta: missing or wrong signature.
    Unauthorized,
    /// An unknown channel key.
    NotFound,
    BadRequest,
    TooLarge,
    /// Authenticated but unreadable: kept as a dead letter.
    DeadLettered,
    /// The store could not take it; the provider retries.
    Unavailable,
}

impl WebhookOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookOutcome::Accepted => "accepted",
            WebhookOutcome::Unauthorized => "unauthorized",
            WebhookOutcome::NotFound => "not_found",
            WebhookOutcome::BadRequest => "bad_request",
            WebhookOutcome::TooLarge => "too_large",
            WebhookOutcome::DeadLettered => "dead_lettered",
            WebhookOutcome::Unavailable => "unavailable",
        }
    }
}

/// One channel's circuit breaker, as the `sofia_channel_breaker_state` gauge shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreakerSample {
    pub clinic: String,
    pub channel: usize,
    pub provider: ProviderKind,
    pub state: BreakerState,
}

impl Metrics {
    pub fn webhook(&self, provider: ProviderKind, outcome: WebhookOutcome) {
        self.webhooks.inc(&[provider.as_str(), outcome.as_str()]);
    }

    /// The text exposition: every counter, then the breaker gauge.
    pub fn render(&self, breakers: &[BreakerSample]) -> String {
        let mut out = String::new();
        for family in [
            &self.webhooks,
            &self.inbound_messages,
            &self.ignored_events,
            &self.delivery_statuses,
            &self.sends,
            &self.chatwoot,
            &self.media,
            &self.transcriptions,
            &self.jobs,
            &self.crm,
        ] {
            family.render(&mut out);
        }
        out.push_str(
            "# HELP sofia_channel_breaker_state Circuit breaker per channel: 0 closed, 1 half-open, 2 open.\n\
             # TYPE sofia_channel_breaker_state gauge\n",
        );
        for sample in breakers {
            let value = match sample.state {
                BreakerState::Closed => 0,
                BreakerState::HalfOpen => 1,
                BreakerState::Open { .. } => 2,
            };
            let _ = writeln!(
                out,
                "sofia_channel_breaker_state{{clinic=\"{}\",channel=\"{}\",provider=\"{}\"}} {value}",
                escape(&sample.clinic),
                sample.channel,
                sample.provider
            );
        }
        out
    }
}

/// The scheduler's jobs at scrape time: how many wait past their time (`due`), wait for a later
/// time (`scheduled`), are being run, or failed for good, and how late the oldest due one is.
pub fn render_jobs(stats: &JobStats, now: DateTime<Utc>) -> String {
    let mut out = String::from(
        "# HELP sofia_jobs Scheduler jobs by state: due (owed now), scheduled (later), running, failed.\n\
         # TYPE sofia_jobs gauge\n",
    );
    for (state, count) in [
        ("due", stats.due),
        ("scheduled", stats.scheduled),
        ("running", stats.running),
        ("failed", stats.failed),
    ] {
        let _ = writeln!(out, "sofia_jobs{{state=\"{state}\"}} {count}");
    }
    out.push_str(
        "# HELP sofia_jobs_lag_seconds How long the oldest due job has waited past its time (0: none).\n\
         # TYPE sofia_jobs_lag_seconds gauge\n",
    );
    let _ = writeln!(out, "sofia_jobs_lag_seconds {}", job_lag_seconds(stats, now));
    let attendance = &stats.attendance;
    out.push_str(
        "# HELP sofia_confirmation_rate Share of the appointments reminded in the last 30 days that are confirmed or were attended.\n\
         # TYPE sofia_confirmation_rate gauge\n",
    );
    let _ = writeln!(out, "sofia_confirmation_rate {}", attendance.confirmation_rate());
    out.push_str(
        "# HELP sofia_no_show_rate Share of the appointments that started in the last 30 days (not cancelled) marked no_show.\n\
         # TYPE sofia_no_show_rate gauge\n",
    );
    let _ = writeln!(out, "sofia_no_show_rate {}", attendance.no_show_rate());
    out.push_str(
        "# HELP sofia_appointments_window Appointments behind the rates: reminded, confirmed, started, no_show.\n\
         # TYPE sofia_appointments_window gauge\n",
    );
    for (what, count) in [
        ("reminded", attendance.reminded),
        ("confirmed", attendance.confirmed),
        ("started", attendance.started),
        ("no_show", attendance.no_shows),
    ] {
        let _ = writeln!(out, "sofia_appointments_window{{count=\"{what}\"}} {count}");
    }
    out
}

/// The CRM deliveries at scrape time: pending (or being sent) and failed, and the age of the
/// oldest pending one.
pub fn render_crm(stats: &CrmStats, now: DateTime<Utc>) -> String {
    let mut out = String::from(
        "# HELP sofia_crm_deliveries CRM webhook deliveries by state: pending (or being sent), failed.\n\
         # TYPE sofia_crm_deliveries gauge\n",
    );
    let _ = writeln!(out, "sofia_crm_deliveries{{state=\"pending\"}} {}", stats.pending);
    let _ = writeln!(out, "sofia_crm_deliveries{{state=\"failed\"}} {}", stats.failed);
    out.push_str(
        "# HELP sofia_crm_oldest_pending_seconds Age of the oldest pending CRM delivery (0: none).\n\
         # TYPE sofia_crm_oldest_pending_seconds gauge\n",
    );
    let age = stats.oldest_pending.map_or(0, |oldest| (now - oldest).num_seconds().max(0));
    let _ = writeln!(out, "sofia_crm_oldest_pending_seconds {age}");
    out
}

/// Seconds the oldest due job has waited past its time; 0 when none waits.
pub fn job_lag_seconds(stats: &JobStats, now: DateTime<Utc>) -> i64 {
    stats.oldest_due.map_or(0, |oldest| (now - oldest).num_seconds().max(0))
}

/// A counter with labels; each combination of label values is its own series.
pub struct CounterFamily {
    name: &'static str,
    help: &'static str,
    labels: &'static [&'static str],
    /// Label values joined by [`SEPARATOR`] → count.
    series: RwLock<BTreeMap<String, Arc<AtomicU64>>>,
}

/// Cannot appear in a label value we produce (they are enum names, ids and tenant ids).
const SEPARATOR: char = '\u{1f}';

impl CounterFamily {
    fn new(name: &'static str, help: &'static str, labels: &'static [&'static str]) -> Self {
        CounterFamily { name, help, labels, series: RwLock::new(BTreeMap::new()) }
    }

    /// Adds one to the series with these label values (in the family's label order).
    pub fn inc(&self, values: &[&str]) {
        self.add(values, 1);
    }

    pub fn add(&self, values: &[&str], amount: u64) {
        debug_assert_eq!(values.len(), self.labels.len(), "{}: wrong number of labels", self.name);
        let key = values.join(&SEPARATOR.to_string());
        let existing = self.series.read().unwrap_or_else(|p| p.into_inner()).get(&key).cloned();
        let counter = match existing {
            Some(counter) => counter,
            None => {
                Arc::clone(self.series.write().unwrap_or_else(|p| p.into_inner()).entry(key).or_default())
            }
        };
        counter.fetch_add(amount, Ordering::Relaxed);
    }

    /// The current value of one series (0 if it never counted).
    pub fn get(&self, values: &[&str]) -> u64 {
        let key = values.join(&SEPARATOR.to_string());
        self.series
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
            .map_or(0, |counter| counter.load(Ordering::Relaxed))
    }

    fn render(&self, out: &mut String) {
        let _ = writeln!(out, "# HELP {} {}", self.name, self.help);
        let _ = writeln!(out, "# TYPE {} counter", self.name);
        for (key, counter) in self.series.read().unwrap_or_else(|p| p.into_inner()).iter() {
            let labels: Vec<String> = self
                .labels
                .iter()
                .zip(key.split(SEPARATOR))
                .map(|(label, value)| format!("{label}=\"{}\"", escape(value)))
                .collect();
            let _ =
                writeln!(out, "{}{{{}}} {}", self.name, labels.join(","), counter.load(Ordering::Relaxed));
        }
    }
}

/// Label values escape backslash, double quote and line feed.
fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Attendance;

    #[test]
    fn counters_render_in_the_prometheus_text_format() {
        let metrics = Metrics::default();
        metrics.webhook(ProviderKind::Evolution, WebhookOutcome::Accepted);
        metrics.webhook(ProviderKind::Evolution, WebhookOutcome::Accepted);
        metrics.webhook(ProviderKind::Meta, WebhookOutcome::Unauthorized);
        metrics.sends.inc(&["demo \"x\"", "0", "console", "sent"]);
        let text = metrics.render(&[BreakerSample {
            clinic: "demo".into(),
            channel: 1,
            provider: ProviderKind::Zapi,
            state: BreakerState::HalfOpen,
        }]);
        assert!(text.contains("# TYPE sofia_webhooks_total counter\n"), "{text}");
        assert!(
            text.contains("sofia_webhooks_total{provider=\"evolution\",outcome=\"accepted\"} 2\n"),
            "{text}"
        );
        assert!(
            text.contains("sofia_webhooks_total{provider=\"meta\",outcome=\"unauthorized\"} 1\n"),
            "{text}"
        );
        assert!(
            text.contains(
                "sofia_outbound_sends_total{clinic=\"demo \\\"x\\\"\",channel=\"0\",provider=\"console\",outcome=\"sent\"} 1\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("sofia_channel_breaker_state{clinic=\"demo\",channel=\"1\",provider=\"zapi\"} 1\n"),
            "{text}"
        );
        assert_eq!(metrics.webhooks.get(&["evolution", "accepted"]), 2);
        let now = DateTime::parse_from_rfc3339("2026-03-03T09:00:00-03:00").unwrap().to_utc();
        let stats = JobStats {
            due: 2,
            scheduled: 7,
            running: 1,
            failed: 0,
            oldest_due: Some(now - chrono::Duration::seconds(90)),
            attendance: Attendance { reminded: 4, confirmed: 3, started: 5, no_shows: 1 },
        };
        let jobs = render_jobs(&stats, now);
        assert!(jobs.contains("sofia_jobs{state=\"due\"} 2\n"), "{jobs}");
        assert!(jobs.contains("sofia_jobs{state=\"scheduled\"} 7\n"), "{jobs}");
        assert!(jobs.contains("sofia_jobs_lag_seconds 90\n"), "{jobs}");
        assert!(jobs.contains("sofia_confirmation_rate 0.75\n"), "{jobs}");
        assert!(jobs.contains("sofia_no_show_rate 0.2\n"), "{jobs}");
        assert_eq!(metrics.webhooks.get(&["zapi", "accepted"]), 0);
    }
}
