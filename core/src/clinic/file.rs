//! The `clinic.yaml` format and its validation into a [`Clinic`].
//!
//! The file is written by people, so every problem is reported with the field it is in
//! (`professionals[1].services[2]`) and what is wrong, in a sentence an operator can act on.

use std::collections::{BTreeMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Weekday};
use chrono_tz::Tz;
use serde::Deserialize;

use super::model::{
    BookingRules, ChannelSpec, ChatwootSpec, Clinic, CrmWebhookSpec, NoShowRules, PackageOffer, Policies,
    Professional, Service, Templates, TimeOff, TimeRange, WaitlistRules, WeeklyHours,
};
use crate::domain::{
    ChatwootAccountId, ChatwootInboxId, ChatwootTeamId, ClinicId, CrmEvent, Money, PackageId, Phone,
    ProfessionalId, ServiceId, TenantId,
};
use crate::reminders::{Lead, QuietHours, ReminderRules};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClinicFileError {
    #[error("not a valid clinic file: {0}")]
    Syntax(String),
    #[error("{field}: {problem}")]
    Invalid { field: String, problem: String },
}

fn invalid(field: impl Into<String>, problem: impl Into<String>) -> ClinicFileError {
    ClinicFileError::Invalid { field: field.into(), problem: problem.into() }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClinicFile {
    name: String,
    #[serde(default = "default_assistant")]
    assistant_name: String,
    timezone: String,
    phone: String,
    address: String,
    opening_hours: HoursFile,
    booking: BookingFile,
    professionals: Vec<ProfessionalFile>,
    services: Vec<ServiceFile>,
    #[serde(default)]
    packages: Vec<PackageFile>,
    policies: PoliciesFile,
    #[serde(default = "default_channels")]
    channels: Vec<ChannelFile>,
    #[serde(default)]
    chatwoot: Option<ChatwootFile>,
    /// Where the clinic's CRM receives Sofia's events (Standard Webhooks); none when left out.
    #[serde(default)]
    crm_webhooks: Vec<CrmWebhookFile>,
    /// How long before an appointment reminders go out: `[48h, 24h]`; none when left out.
    #[serde(default)]
    reminders: Vec<String>,
    /// `"20:00-08:00"` (the default): nothing proactive goes out then.
    #[serde(default)]
    quiet_hours: Option<String>,
    #[serde(default)]
    waitlist: WaitlistFile,
    #[serde(default)]
    noshow: NoShowFile,
    #[serde(default)]
    package_expiry: PackageExpiryFile,
    #[serde(default)]
    templates: TemplatesFile,
}

/// `waitlist: { hold_minutes: 30 }`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct WaitlistFile {
    #[serde(default)]
    hold_minutes: Option<u32>,
}

/// `noshow: { auto_mark_after_h: 2 }`; off when left out.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct NoShowFile {
    #[serde(default)]
    auto_mark_after_h: Option<u32>,
}

/// `package_expiry: { alert_days: 7 }`; off when left out.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PackageExpiryFile {
    #[serde(default)]
    alert_days: Option<u32>,
}

/// The clinic's Meta templates, by what they are for.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplatesFile {
    #[serde(default)]
    reminder: Option<String>,
    #[serde(default)]
    no_show: Option<String>,
    #[serde(default)]
    waitlist_offer: Option<String>,
    #[serde(default)]
    package_expiry: Option<String>,
}

fn default_assistant() -> String {
    "Sofia".to_owned()
}

fn default_channels() -> Vec<ChannelFile> {
    vec![ChannelFile::Console]
}

type HoursFile = BTreeMap<String, Vec<String>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BookingFile {
    grid_minutes: u32,
    min_notice_minutes: u32,
    horizon_days: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfessionalFile {
    name: String,
    role: String,
    services: Vec<String>,
    hours: HoursFile,
    #[serde(default)]
    time_off: Vec<TimeOffFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TimeOffFile {
    from: String,
    to: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceFile {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    price: String,
    duration_minutes: u32,
    description: String,
    #[serde(default)]
    aftercare: Option<String>,
    #[serde(default)]
    minors_allowed: bool,
    #[serde(default)]
    contraindications: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PackageFile {
    name: String,
    service: String,
    sessions: u32,
    price: String,
    #[serde(default)]
    regular_price: Option<String>,
    valid_days: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PoliciesFile {
    free_cancellation_hours: u32,
    late_cancellation_fee: String,
    minimum_age: u8,
    payment_methods: Vec<String>,
    arrival: String,
    parking: String,
    minors: String,
    #[serde(default)]
    documents_to_team: bool,
    #[serde(default)]
    calls: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "provider", rename_all = "lowercase", deny_unknown_fields)]
enum ChannelFile {
    Console,
    Meta {
        phone_number_id: String,
        access_token_env: String,
        #[serde(default = "default_meta_version")]
        api_version: String,
        #[serde(default = "default_meta_base")]
        base_url: String,
    },
    Evolution {
        base_url: String,
        instance: String,
        api_key_env: String,
        webhook_key_env: String,
    },
    Zapi {
        #[serde(default = "default_zapi_base")]
        base_url: String,
        instance_id: String,
        token_env: String,
        client_token_env: String,
        webhook_key_env: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChatwootFile {
    base_url: String,
    account_id: u64,
    inbox_id: u64,
    api_access_token_env: String,
    webhook_key_env: String,
    #[serde(default)]
    hmac_secret_env: Option<String>,
    #[serde(default)]
    team_id: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CrmWebhookFile {
    url: String,
    secret_env: String,
    events: Vec<String>,
}

fn default_meta_version() -> String {
    "v21.0".to_owned()
}

fn default_meta_base() -> String {
    "https://graph.facebook.com".to_owned()
}

fn default_zapi_base() -> String {
    "https://api.z-api.io".to_owned()
}

impl Clinic {
    /// Parses and validates a clinic file's text. `tenant` is the folder it came from.
    pub fn from_yaml(tenant: TenantId, text: &str) -> Result<Clinic, ClinicFileError> {
        let file: ClinicFile =
            serde_saphyr::from_str(text).map_err(|e| ClinicFileError::Syntax(e.to_string()))?;
        file.into_clinic(tenant)
    }
}

impl ClinicFile {
    fn into_clinic(self, tenant: TenantId) -> Result<Clinic, ClinicFileError> {
        let timezone: Tz = self.timezone.parse().map_err(|_| {
            invalid(
                "timezone",
                format!("'{}' is not an IANA time zone such as America/Sao_Paulo", self.timezone),
            )
        })?;
        let phone = Phone::parse(&self.phone).map_err(|e| invalid("phone", e.to_string()))?;
        non_empty("name", &self.name)?;
        non_empty("address", &self.address)?;
        let opening_hours = weekly_hours("opening_hours", &self.opening_hours)?;
        let booking = booking_rules(&self.booking)?;

        let services = self
            .services
            .iter()
            .enumerate()
            .map(|(i, s)| service(&tenant, &format!("services[{i}]"), s))
            .collect::<Result<Vec<_>, _>>()?;
        unique("services", services.iter().map(|s| s.name.as_str()))?;
        if services.is_empty() {
            return Err(invalid("services", "a clinic needs at least one service"));
        }

        let professionals = self
            .professionals
            .iter()
            .enumerate()
            .map(|(i, p)| {
                professional(&tenant, &format!("professionals[{i}]"), p, &services, &opening_hours, timezone)
            })
            .collect::<Result<Vec<_>, _>>()?;
        unique("professionals", professionals.iter().map(|p| p.name.as_str()))?;
        if professionals.is_empty() {
            return Err(invalid("professionals", "a clinic needs at least one professional"));
        }
        for (i, s) in services.iter().enumerate() {
            if !professionals.iter().any(|p| p.service_ids.contains(&s.id)) {
                return Err(invalid(
                    format!("services[{i}]"),
                    format!("no professional performs '{}'", s.name),
                ));
            }
        }

        let packages = self
            .packages
            .iter()
            .enumerate()
            .map(|(i, p)| package(&tenant, &format!("packages[{i}]"), p, &services))
            .collect::<Result<Vec<_>, _>>()?;
        unique("packages", packages.iter().map(|p| p.name.as_str()))?;

        let policies = Policies {
            free_cancellation_hours: self.policies.free_cancellation_hours,
            late_cancellation_fee: money(
                "policies.late_cancellation_fee",
                &self.policies.late_cancellation_fee,
            )?,
            minimum_age: self.policies.minimum_age,
            payment_methods: self.policies.payment_methods,
            arrival: self.policies.arrival,
            parking: self.policies.parking,
            minors: self.policies.minors,
            documents_to_team: self.policies.documents_to_team,
            calls: self.policies.calls.map(|text| text.trim().to_owned()).filter(|text| !text.is_empty()),
        };

        let channels = self
            .channels
            .into_iter()
            .enumerate()
            .map(|(i, c)| channel(&format!("channels[{i}]"), c))
            .collect::<Result<Vec<_>, _>>()?;
        let chatwoot = self.chatwoot.map(chatwoot).transpose()?;
        let crm_webhooks = self
            .crm_webhooks
            .into_iter()
            .enumerate()
            .map(|(i, hook)| crm_webhook(&format!("crm_webhooks[{i}]"), hook))
            .collect::<Result<Vec<_>, _>>()?;
        unique("crm_webhooks", crm_webhooks.iter().map(|hook| hook.url.as_str()))?;
        let reminders = reminder_rules(&self.reminders, self.quiet_hours.as_deref())?;
        let templates = templates(self.templates, &reminders, &channels)?;
        let waitlist = waitlist_rules(&self.waitlist)?;
        let no_show = NoShowRules {
            auto_mark_after_h: positive("noshow.auto_mark_after_h", self.noshow.auto_mark_after_h)?,
        };
        let package_expiry_alert_days =
            positive("package_expiry.alert_days", self.package_expiry.alert_days)?;

        Ok(Clinic {
            id: ClinicId::for_tenant(&tenant),
            tenant,
            name: self.name,
            assistant_name: self.assistant_name,
            timezone,
            phone,
            address: self.address,
            opening_hours,
            booking,
            professionals,
            services,
            packages,
            policies,
            channels,
            chatwoot,
            crm_webhooks,
            reminders,
            waitlist,
            no_show,
            package_expiry_alert_days,
            templates,
        })
    }
}

fn non_empty(field: &str, value: &str) -> Result<(), ClinicFileError> {
    if value.trim().is_empty() { Err(invalid(field, "must not be empty")) } else { Ok(()) }
}

fn unique<'a>(field: &str, names: impl Iterator<Item = &'a str>) -> Result<(), ClinicFileError> {
    let mut seen = HashSet::new();
    for name in names {
        if !seen.insert(name.to_lowercase()) {
            return Err(invalid(field, format!("'{name}' appears twice")));
        }
    }
    Ok(())
}

fn money(field: &str, text: &str) -> Result<Money, ClinicFileError> {
    Money::parse_brl(text).map_err(|e| invalid(field, e.to_string()))
}

fn booking_rules(file: &BookingFile) -> Result<BookingRules, ClinicFileError> {
    if file.grid_minutes == 0 || 1440 % file.grid_minutes != 0 {
        return Err(invalid("booking.grid_minutes", "must divide a day evenly (15, 30, 60…)"));
    }
    if file.horizon_days == 0 || file.horizon_days > 366 {
        return Err(invalid("booking.horizon_days", "must be between 1 and 366"));
    }
    Ok(BookingRules {
        grid_minutes: file.grid_minutes,
        min_notice_minutes: file.min_notice_minutes,
        horizon_days: file.horizon_days,
    })
}

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

fn weekly_hours(field: &str, file: &HoursFile) -> Result<WeeklyHours, ClinicFileError> {
    let mut days: [Vec<TimeRange>; 7] = Default::default();
    for (key, ranges) in file {
        let Some((_, weekday)) = WEEKDAYS.iter().find(|(name, _)| name == key) else {
            return Err(invalid(format!("{field}.{key}"), "not a weekday (monday … sunday)"));
        };
        let day = &mut days[weekday.num_days_from_monday() as usize];
        for (i, text) in ranges.iter().enumerate() {
            let range = time_range(text).ok_or_else(|| {
                invalid(
                    format!("{field}.{key}[{i}]"),
                    format!("'{text}' is not a range like \"09:00-12:00\""),
                )
            })?;
            day.push(range);
        }
        day.sort_by_key(|r| r.start);
        if day.windows(2).any(|w| w[0].end > w[1].start) {
            return Err(invalid(format!("{field}.{key}"), "ranges overlap"));
        }
    }
    Ok(WeeklyHours::new(days))
}

fn time_range(text: &str) -> Option<TimeRange> {
    let (start, end) = text.split_once('-')?;
    let start = NaiveTime::parse_from_str(start.trim(), "%H:%M").ok()?;
    let end = match end.trim() {
        "24:00" => NaiveTime::from_hms_opt(23, 59, 59)?,
        end => NaiveTime::parse_from_str(end, "%H:%M").ok()?,
    };
    (start < end).then_some(TimeRange { start, end })
}

fn service(tenant: &TenantId, field: &str, file: &ServiceFile) -> Result<Service, ClinicFileError> {
    non_empty(&format!("{field}.name"), &file.name)?;
    if file.duration_minutes == 0 || file.duration_minutes > 12 * 60 {
        return Err(invalid(format!("{field}.duration_minutes"), "must be between 1 and 720"));
    }
    Ok(Service {
        id: ServiceId::derived(tenant, &file.name),
        name: file.name.clone(),
        aliases: file.aliases.iter().map(|a| a.to_lowercase()).collect(),
        price: money(&format!("{field}.price"), &file.price)?,
        duration_minutes: file.duration_minutes,
        description: file.description.clone(),
        aftercare: file.aftercare.clone(),
        minors_allowed: file.minors_allowed,
        contraindications: contraindications(field, &file.contraindications)?,
    })
}

/// Cues are compared with what patients write, so an empty one would match everything.
fn contraindications(field: &str, cues: &[String]) -> Result<Vec<String>, ClinicFileError> {
    cues.iter()
        .enumerate()
        .map(|(i, cue)| {
            let cue = cue.trim().to_lowercase();
            if cue.chars().filter(|c| c.is_alphanumeric()).count() < 3 {
                Err(invalid(format!("{field}.contraindications[{i}]"), "a cue needs at least 3 letters"))
            } else {
                Ok(cue)
            }
        })
        .collect()
}

fn professional(
    tenant: &TenantId,
    field: &str,
    file: &ProfessionalFile,
    services: &[Service],
    opening_hours: &WeeklyHours,
    timezone: Tz,
) -> Result<Professional, ClinicFileError> {
    non_empty(&format!("{field}.name"), &file.name)?;
    let service_ids =
        file.services
            .iter()
            .enumerate()
            .map(|(i, name)| {
                services.iter().find(|s| s.name.eq_ignore_ascii_case(name)).map(|s| s.id).ok_or_else(|| {
                    invalid(format!("{field}.services[{i}]"), format!("unknown service '{name}'"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
    let hours = weekly_hours(&format!("{field}.hours"), &file.hours)?;
    let time_off = file
        .time_off
        .iter()
        .enumerate()
        .map(|(i, t)| time_off(&format!("{field}.time_off[{i}]"), t, timezone))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Professional {
        id: ProfessionalId::derived(tenant, &file.name),
        name: file.name.clone(),
        role: file.role.clone(),
        service_ids,
        hours: hours.intersect(opening_hours),
        time_off,
    })
}

/// `from`/`to` are local: `2026-03-10` (whole day) or `2026-03-10 14:00`.
fn time_off(field: &str, file: &TimeOffFile, timezone: Tz) -> Result<TimeOff, ClinicFileError> {
    let start = local_instant(&file.from, false, timezone).ok_or_else(|| {
        invalid(
            format!("{field}.from"),
            format!("'{}' is not a date like 2026-03-10 or 2026-03-10 14:00", file.from),
        )
    })?;
    let end = local_instant(&file.to, true, timezone).ok_or_else(|| {
        invalid(
            format!("{field}.to"),
            format!("'{}' is not a date like 2026-03-10 or 2026-03-10 18:00", file.to),
        )
    })?;
    if start >= end {
        return Err(invalid(field, "'to' must come after 'from'"));
    }
    Ok(TimeOff { start, end })
}

fn local_instant(text: &str, end_of_day: bool, timezone: Tz) -> Option<chrono::DateTime<chrono::Utc>> {
    let text = text.trim();
    let naive = match NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M") {
        Ok(naive) => naive,
        Err(_) => {
            let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
            if end_of_day { date.succ_opt()?.and_hms_opt(0, 0, 0)? } else { date.and_hms_opt(0, 0, 0)? }
        }
    };
    // `earliest` resolves the hour that repeats when clocks go back; a time inside a gap
    // (clocks going forward) is invalid and refused.
    timezone.from_local_datetime(&naive).earliest().map(|t| t.to_utc())
}

fn package(
    tenant: &TenantId,
    field: &str,
    file: &PackageFile,
    services: &[Service],
) -> Result<PackageOffer, ClinicFileError> {
    let service = services
        .iter()
        .find(|s| s.name.eq_ignore_ascii_case(&file.service))
        .ok_or_else(|| invalid(format!("{field}.service"), format!("unknown service '{}'", file.service)))?;
    if file.sessions == 0 {
        return Err(invalid(format!("{field}.sessions"), "a package has at least one session"));
    }
    if file.valid_days == 0 {
        return Err(invalid(format!("{field}.valid_days"), "must be at least 1"));
    }
    Ok(PackageOffer {
        id: PackageId::derived(tenant, &file.name),
        name: file.name.clone(),
        service_id: service.id,
        sessions: file.sessions,
        price: money(&format!("{field}.price"), &file.price)?,
        regular_price: file
            .regular_price
            .as_deref()
            .map(|p| money(&format!("{field}.regular_price"), p))
            .transpose()?,
        valid_days: file.valid_days,
    })
}

/// A secret is named by the environment variable holding it: a value that is not such a name
/// is most likely the secret itself, pasted where it would end up in version control.
fn env_var_name(field: &str, key: &str, value: &str) -> Result<(), ClinicFileError> {
    let ok =
        !value.is_empty() && value.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(invalid(
            format!("{field}.{key}"),
            "name an environment variable (A-Z, 0-9, _) that holds the secret; never write the secret itself here",
        ))
    }
}

fn channel(field: &str, file: ChannelFile) -> Result<ChannelSpec, ClinicFileError> {
    let env_name = |key: &str, value: &str| env_var_name(field, key, value);
    Ok(match file {
        ChannelFile::Console => ChannelSpec::Console,
        ChannelFile::Meta { phone_number_id, access_token_env, api_version, base_url } => {
            env_name("access_token_env", &access_token_env)?;
            non_empty(&format!("{field}.phone_number_id"), &phone_number_id)?;
            ChannelSpec::Meta { phone_number_id, access_token_env, api_version, base_url }
        }
        ChannelFile::Evolution { base_url, instance, api_key_env, webhook_key_env } => {
            env_name("api_key_env", &api_key_env)?;
            env_name("webhook_key_env", &webhook_key_env)?;
            non_empty(&format!("{field}.instance"), &instance)?;
            ChannelSpec::Evolution { base_url, instance, api_key_env, webhook_key_env }
        }
        ChannelFile::Zapi { base_url, instance_id, token_env, client_token_env, webhook_key_env } => {
            env_name("token_env", &token_env)?;
            env_name("client_token_env", &client_token_env)?;
            env_name("webhook_key_env", &webhook_key_env)?;
            non_empty(&format!("{field}.instance_id"), &instance_id)?;
            ChannelSpec::Zapi { base_url, instance_id, token_env, client_token_env, webhook_key_env }
        }
    })
}

fn reminder_rules(leads: &[String], quiet: Option<&str>) -> Result<ReminderRules, ClinicFileError> {
    let mut parsed = leads
        .iter()
        .enumerate()
        .map(|(i, text)| {
            Lead::parse(text).ok_or_else(|| {
                invalid(
                    format!("reminders[{i}]"),
                    format!("'{text}' is not a lead like 24h or 90m (at most 720h)"),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    parsed.sort_by(|a, b| b.cmp(a));
    if parsed.windows(2).any(|pair| pair[0] == pair[1]) {
        return Err(invalid("reminders", "a lead appears twice"));
    }
    let quiet_hours = match quiet {
        None => QuietHours::default(),
        Some(text) => {
            let (start, end) = text
                .split_once('-')
                .and_then(|(start, end)| {
                    let start = NaiveTime::parse_from_str(start.trim(), "%H:%M").ok()?;
                    let end = NaiveTime::parse_from_str(end.trim(), "%H:%M").ok()?;
                    Some((start, end))
                })
                .filter(|(start, end)| start != end)
                .ok_or_else(|| {
                    invalid("quiet_hours", format!("'{text}' is not a range like \"20:00-08:00\""))
                })?;
            QuietHours { start, end }
        }
    };
    Ok(ReminderRules { leads: parsed, quiet_hours })
}

/// A Meta channel cannot write first without an approved template: reminders on a clinic
/// with one need `templates.reminder`.
fn templates(
    file: TemplatesFile,
    reminders: &ReminderRules,
    channels: &[ChannelSpec],
) -> Result<Templates, ClinicFileError> {
    let name = |field: &str, name: Option<String>| match name.map(|name| name.trim().to_owned()) {
        Some(name)
            if name.is_empty()
                || !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') =>
        {
            Err(invalid(
                format!("templates.{field}"),
                format!("'{name}' is not a Meta template name (lower-case letters, digits and _)"),
            ))
        }
        name => Ok(name),
    };
    let reminder = name("reminder", file.reminder)?;
    let no_show = name("no_show", file.no_show)?;
    let waitlist_offer = name("waitlist_offer", file.waitlist_offer)?;
    let package_expiry = name("package_expiry", file.package_expiry)?;
    let on_meta = channels.iter().any(|channel| matches!(channel, ChannelSpec::Meta { .. }));
    if on_meta && !reminders.leads.is_empty() && reminder.is_none() {
        return Err(invalid(
            "templates.reminder",
            "reminders on a Meta channel need the name of an approved template (see docs/reminders.md)",
        ));
    }
    Ok(Templates { reminder, no_show, waitlist_offer, package_expiry })
}

fn waitlist_rules(file: &WaitlistFile) -> Result<WaitlistRules, ClinicFileError> {
    let default = WaitlistRules::default();
    let hold_minutes = positive("waitlist.hold_minutes", file.hold_minutes)?.unwrap_or(default.hold_minutes);
    // Longer than a day and the slot is gone before the last in line hears of it.
    if hold_minutes > 24 * 60 {
        return Err(invalid("waitlist.hold_minutes", "at most 1440 (a day)"));
    }
    Ok(WaitlistRules { hold_minutes })
}

/// A number that must be above zero when given.
fn positive(field: &str, value: Option<u32>) -> Result<Option<u32>, ClinicFileError> {
    match value {
        Some(0) => Err(invalid(field, "must be above zero (leave it out to turn it off)")),
        value => Ok(value),
    }
}

/// A CRM endpoint: an http(s) URL, the variable holding its `whsec_…` secret, and at least one
/// known event, each named once.
fn crm_webhook(field: &str, file: CrmWebhookFile) -> Result<CrmWebhookSpec, ClinicFileError> {
    let url = file.url.trim();
    let host = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    if host.is_none_or(|host| host.is_empty() || host.starts_with('/')) || url.contains(char::is_whitespace) {
        return Err(invalid(
            format!("{field}.url"),
            format!("'{url}' is not an http(s) address like https://crm.clinica.com.br/hooks/sofia"),
        ));
    }
    env_var_name(field, "secret_env", &file.secret_env)?;
    if file.events.is_empty() {
        let known: Vec<&str> = CrmEvent::ALL.iter().map(|event| event.as_str()).collect();
        return Err(invalid(format!("{field}.events"), format!("name at least one of {}", known.join(", "))));
    }
    let mut events = Vec::with_capacity(file.events.len());
    for (i, name) in file.events.iter().enumerate() {
        let event = CrmEvent::parse(name.trim()).ok_or_else(|| {
            let known: Vec<&str> = CrmEvent::ALL.iter().map(|event| event.as_str()).collect();
            invalid(
                format!("{field}.events[{i}]"),
                format!("unknown event '{name}'; known: {}", known.join(", ")),
            )
        })?;
        if events.contains(&event) {
            return Err(invalid(format!("{field}.events[{i}]"), format!("'{event}' appears twice")));
        }
        events.push(event);
    }
    Ok(CrmWebhookSpec { url: url.to_owned(), secret_env: file.secret_env, events })
}

fn chatwoot(file: ChatwootFile) -> Result<ChatwootSpec, ClinicFileError> {
    let base = file.base_url.trim().trim_end_matches('/');
    let host = base.strip_prefix("https://").or_else(|| base.strip_prefix("http://"));
    if host.is_none_or(|host| host.is_empty()) {
        return Err(invalid(
            "chatwoot.base_url",
            format!("'{}' is not an http(s) address like https://chatwoot.clinica.com.br", file.base_url),
        ));
    }
    if file.account_id == 0 {
        return Err(invalid("chatwoot.account_id", "must be the account's number (1 or more)"));
    }
    if file.inbox_id == 0 {
        return Err(invalid("chatwoot.inbox_id", "must be the API inbox's number (1 or more)"));
    }
    if file.team_id == Some(0) {
        return Err(invalid("chatwoot.team_id", "must be the team's number (1 or more)"));
    }
    env_var_name("chatwoot", "api_access_token_env", &file.api_access_token_env)?;
    env_var_name("chatwoot", "webhook_key_env", &file.webhook_key_env)?;
    if let Some(hmac) = &file.hmac_secret_env {
        env_var_name("chatwoot", "hmac_secret_env", hmac)?;
    }
    Ok(ChatwootSpec {
        base_url: base.to_owned(),
        account_id: ChatwootAccountId(file.account_id),
        inbox_id: ChatwootInboxId(file.inbox_id),
        api_access_token_env: file.api_access_token_env,
        webhook_key_env: file.webhook_key_env,
        hmac_secret_env: file.hmac_secret_env,
        team_id: file.team_id.map(ChatwootTeamId),
    })
}
