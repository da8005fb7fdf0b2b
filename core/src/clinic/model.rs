//! A clinic as Sofia reasons about it: validated, with ids, times in the clinic's zone.

use chrono::{DateTime, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use serde::Serialize;

use crate::domain::{
    ChannelId, ChatwootAccountId, ChatwootInboxId, ChatwootTeamId, ClinicId, CrmEvent, Money, PackageId,
    Phone, ProfessionalId, ProviderKind, ServiceId, TenantId,
};
use crate::reminders::ReminderRules;

#[derive(Debug, Clone, PartialEq)]
pub struct Clinic {
    pub tenant: TenantId,
    pub id: ClinicId,
    pub name: String,
    pub assistant_name: String,
    pub timezone: Tz,
    pub phone: Phone,
    pub address: String,
    pub opening_hours: WeeklyHours,
    pub booking: BookingRules,
    /// In the clinic's order of preference: when two slots start together, the earlier
    /// professional in this list is offered first.
    pub professionals: Vec<Professional>,
    pub services: Vec<Service>,
    pub packages: Vec<PackageOffer>,
    pub policies: Policies,
    /// The clinic's WhatsApp channels in priority order.
    pub channels: Vec<ChannelSpec>,
    /// Where the clinic's human agents see every conversation (none: no Chatwoot).
    pub chatwoot: Option<ChatwootSpec>,
    /// Where the clinic's CRM receives events, in file order (none: no CRM pushes).
    pub crm_webhooks: Vec<CrmWebhookSpec>,
    /// When appointment reminders go out (none: the clinic sends none).
    pub reminders: ReminderRules,
    /// How a freed slot is offered to the patients waiting for one.
    pub waitlist: WaitlistRules,
    /// Appointments nobody marked: none, or `no_show` this long after their end.
    pub no_show: NoShowRules,
    /// How many days before a package with sessions left expires the patient is told; none:
    /// never.
    pub package_expiry_alert_days: Option<u32>,
    pub templates: Templates,
}

/// `waitlist:` in the clinic file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitlistRules {
    /// How long a freed slot is kept for the patient it was offered to before the next in line
    /// is offered it.
    pub hold_minutes: u32,
}

impl Default for WaitlistRules {
    fn default() -> Self {
        WaitlistRules { hold_minutes: 30 }
    }
}

/// `noshow:` in the clinic file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoShowRules {
    /// Hours after its end at which a still-booked appointment is marked `no_show` by itself
    /// (none: only the team marks one).
    pub auto_mark_after_h: Option<u32>,
}

/// The clinic's approved Meta templates, by what they are for. Only Meta needs them: it
/// refuses anything else outside the 24-hour window after the patient's last message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Templates {
    /// The appointment reminder, with quick-reply buttons Confirmar / Remarcar / Cancelar.
    pub reminder: Option<String>,
    /// The follow-up of a missed appointment, offering to book again; without it a clinic on
    /// Meta sends none.
    pub no_show: Option<String>,
    /// A freed slot offered to the next patient on the waitlist; without it a clinic on Meta
    /// offers none.
    pub waitlist_offer: Option<String>,
    /// A package with sessions left about to expire; without it a clinic on Meta sends none.
    pub package_expiry: Option<String>,
}

impl Clinic {
    pub fn service(&self, id: ServiceId) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    pub fn professional(&self, id: ProfessionalId) -> Option<&Professional> {
        self.professionals.iter().find(|p| p.id == id)
    }

    pub fn package(&self, id: PackageId) -> Option<&PackageOffer> {
        self.packages.iter().find(|p| p.id == id)
    }

    pub fn service_named(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name.eq_ignore_ascii_case(name))
    }

    pub fn professional_named(&self, name: &str) -> Option<&Professional> {
        self.professionals.iter().find(|p| p.name.eq_ignore_ascii_case(name))
    }

    pub fn package_named(&self, name: &str) -> Option<&PackageOffer> {
        self.packages.iter().find(|p| p.name.eq_ignore_ascii_case(name))
    }

    /// The professionals who perform a service, in the clinic's order.
    pub fn professionals_for(&self, service: ServiceId) -> impl Iterator<Item = &Professional> {
        self.professionals.iter().filter(move |p| p.service_ids.contains(&service))
    }
}

/// The days of the week, Monday first (the order [`WeeklyHours`] stores them in).
pub const WEEK: [Weekday; 7] =
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];

/// Opening intervals per weekday, Monday first. Intervals are sorted and do not overlap.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WeeklyHours {
    days: [Vec<TimeRange>; 7],
}

impl WeeklyHours {
    pub fn new(days: [Vec<TimeRange>; 7]) -> Self {
        let mut days = days;
        for day in &mut days {
            day.sort_by_key(|r| r.start);
        }
        WeeklyHours { days }
    }

    pub fn on(&self, weekday: Weekday) -> &[TimeRange] {
        &self.days[weekday.num_days_from_monday() as usize]
    }

    /// The hours open in both `self` and `other` (a professional's week inside the clinic's).
    pub fn intersect(&self, other: &WeeklyHours) -> WeeklyHours {
        let mut days: [Vec<TimeRange>; 7] = Default::default();
        for (i, day) in days.iter_mut().enumerate() {
            for a in &self.days[i] {
                for b in &other.days[i] {
                    let start = a.start.max(b.start);
                    let end = a.end.min(b.end);
                    if start < end {
                        day.push(TimeRange { start, end });
                    }
                }
            }
        }
        WeeklyHours::new(days)
    }
}

/// A half-open interval of wall-clock time within one day: `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TimeRange {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookingRules {
    /// Appointments start on this grid, counted from midnight (30 → 09:00, 09:30, …).
    pub grid_minutes: u32,
    /// Earliest bookable start, counted from now.
    pub min_notice_minutes: u32,
    /// Latest bookable start, counted in days from now.
    pub horizon_days: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Professional {
    pub id: ProfessionalId,
    pub name: String,
    pub role: String,
    pub service_ids: Vec<ServiceId>,
    /// When they work, already intersected with the clinic's opening hours.
    pub hours: WeeklyHours,
    pub time_off: Vec<TimeOff>,
}

/// A period a professional is away, as instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeOff {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub id: ServiceId,
    pub name: String,
    /// Other ways patients name it ("toxina botulínica", "boca"), lower-case.
    pub aliases: Vec<String>,
    pub price: Money,
    pub duration_minutes: u32,
    pub description: String,
    pub aftercare: Option<String>,
    /// Whether someone under the clinic's minimum age may book it (with a guardian).
    pub minors_allowed: bool,
    /// What a patient may say that rules the procedure out until a professional has seen them
    /// ("amamentando", "isotretinoína"), lower-case as written in the clinic file.
    pub contraindications: Vec<String>,
}

impl Service {
    /// The first of this service's contraindications among `cues` (what the patient said about
    /// their health, as [`crate::lang::health_cues`] reads it).
    pub fn ruled_out_by<'a>(&self, cues: &'a [String]) -> Option<&'a str> {
        cues.iter().find(|cue| self.contraindications.contains(cue)).map(String::as_str)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PackageOffer {
    pub id: PackageId,
    pub name: String,
    pub service_id: ServiceId,
    pub sessions: u32,
    pub price: Money,
    pub regular_price: Option<Money>,
    pub valid_days: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Policies {
    /// Cancelling or rescheduling at least this many hours before is free.
    pub free_cancellation_hours: u32,
    /// Charged for a single procedure cancelled or moved later than that.
    pub late_cancellation_fee: Money,
    pub minimum_age: u8,
    pub payment_methods: Vec<String>,
    /// Patient-facing sentences (pt-BR) the assistant may quote.
    pub arrival: String,
    pub parking: String,
    pub minors: String,
    /// A document the patient sends (a referral, an exam, a receipt) is handed to the team
    /// (handoff "documento enviado") instead of only acknowledged.
    pub documents_to_team: bool,
    /// What a patient who calls the clinic's WhatsApp number is told (pt-BR); Sofia's own
    /// sentence, with the clinic's phone, when the clinic sets none.
    pub calls: Option<String>,
}

/// One WhatsApp channel of a clinic. Secrets are named by environment variable, never written here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChannelSpec {
    /// Replies are stored and printed: the offline default.
    Console,
    Meta {
        phone_number_id: String,
        access_token_env: String,
        api_version: String,
        base_url: String,
    },
    Evolution {
        base_url: String,
        instance: String,
        api_key_env: String,
        webhook_key_env: String,
    },
    Zapi {
        base_url: String,
        instance_id: String,
        token_env: String,
        client_token_env: String,
        webhook_key_env: String,
    },
}

impl ChannelSpec {
    pub fn provider(&self) -> ProviderKind {
        match self {
            ChannelSpec::Console => ProviderKind::Console,
            ChannelSpec::Meta { .. } => ProviderKind::Meta,
            ChannelSpec::Evolution { .. } => ProviderKind::Evolution,
            ChannelSpec::Zapi { .. } => ProviderKind::Zapi,
        }
    }

    /// The provider's name for the business line: Meta's phone_number_id, the Evolution
    /// instance or the Z-API instance id.
    pub fn external_id(&self) -> &str {
        match self {
            ChannelSpec::Console => "console",
            ChannelSpec::Meta { phone_number_id, .. } => phone_number_id,
            ChannelSpec::Evolution { instance, .. } => instance,
            ChannelSpec::Zapi { instance_id, .. } => instance_id,
        }
    }

    /// The channel's stable id, the same in every database.
    pub fn id(&self, tenant: &TenantId) -> ChannelId {
        ChannelId::derived(tenant, &format!("{}/{}", self.provider(), self.external_id()))
    }
}

/// A CRM endpoint Sofia posts events to, signed as Standard Webhooks says. The secret is named
/// by environment variable, never written here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrmWebhookSpec {
    /// `https://crm.clinica.com.br/hooks/sofia`, unique within the clinic.
    pub url: String,
    /// Holds the endpoint's `whsec_…` secret (base64 after the prefix).
    pub secret_env: String,
    /// What the endpoint subscribes to, each once.
    pub events: Vec<CrmEvent>,
}

/// A clinic's Chatwoot account, where every conversation is mirrored for its human agents.
/// Secrets are named by environment variable, never written here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatwootSpec {
    /// `https://chatwoot.clinica.com.br`: http(s), without `/api/v1`.
    pub base_url: String,
    pub account_id: ChatwootAccountId,
    /// The API-channel inbox the conversations live in.
    pub inbox_id: ChatwootInboxId,
    /// Holds the access token (a user's or an agent bot's) sent as `api_access_token`.
    pub api_access_token_env: String,
    /// Holds the key in the URL Chatwoot posts its webhooks to.
    pub webhook_key_env: String,
    /// Holds the secret newer Chatwoot versions sign webhooks with.
    pub hmac_secret_env: Option<String>,
    /// The team handed-off conversations are assigned to.
    pub team_id: Option<ChatwootTeamId>,
}
