use chrono::{NaiveTime, Weekday};

use super::*;
use crate::domain::{ChatwootAccountId, ChatwootInboxId, ChatwootTeamId, CrmEvent, Money, TenantId};

const DEMO: &str = include_str!("../../../knowledge/demo/clinic.yaml");

fn demo() -> Clinic {
    Clinic::from_yaml(TenantId::parse("demo").unwrap(), DEMO).unwrap()
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn problem(yaml: &str) -> String {
    Clinic::from_yaml(TenantId::parse("demo").unwrap(), yaml).unwrap_err().to_string()
}

#[test]
fn the_demo_clinic_has_the_documented_facts() {
    let clinic = demo();
    assert_eq!(clinic.name, "Clínica Bella Forma — Estética & Bem-estar");
    assert_eq!(clinic.assistant_name, "Sofia");
    assert_eq!(clinic.phone.as_str(), "+551130001000");
    assert_eq!(clinic.timezone, chrono_tz::America::Sao_Paulo);
    assert_eq!(clinic.services.len(), 9);
    assert_eq!(clinic.professionals.len(), 3);
    assert_eq!(clinic.packages.len(), 2);

    let prices: Vec<_> =
        clinic.services.iter().map(|s| (s.name.as_str(), s.price, s.duration_minutes)).collect();
    assert_eq!(
        prices,
        [
            ("Avaliação", Money::ZERO, 30),
            ("Botox", Money::from_centavos(80_000), 30),
            ("Preenchimento Labial", Money::from_centavos(120_000), 45),
            ("Harmonização Facial", Money::from_centavos(250_000), 90),
            ("Peeling Químico", Money::from_centavos(50_000), 60),
            ("Limpeza de Pele", Money::from_centavos(15_000), 60),
            ("Microagulhamento", Money::from_centavos(40_000), 45),
            ("Skinbooster", Money::from_centavos(80_000), 30),
            ("Lipo de Papada", Money::from_centavos(300_000), 120),
        ]
    );
    let limpeza = clinic.package_named("Limpeza de Pele — 4 sessões").unwrap();
    assert_eq!((limpeza.sessions, limpeza.price, limpeza.valid_days), (4, Money::from_centavos(50_000), 180));
    assert_eq!(limpeza.regular_price, Some(Money::from_centavos(60_000)));
    assert_eq!(clinic.policies.late_cancellation_fee, Money::from_centavos(5_000));
    assert_eq!(clinic.booking, BookingRules { grid_minutes: 30, min_notice_minutes: 120, horizon_days: 60 });
}

#[test]
fn a_professionals_week_excludes_lunch_and_closed_days() {
    let clinic = demo();
    let ana = clinic.professional_named("Dra. Ana Paula Souza").unwrap();
    let monday = ana.hours.on(Weekday::Mon);
    assert_eq!(
        monday.iter().map(|r| (r.start, r.end)).collect::<Vec<_>>(),
        [(hm(9, 0), hm(12, 0)), (hm(13, 0), hm(19, 0))]
    );
    assert!(ana.hours.on(Weekday::Tue).is_empty());
    assert_eq!(ana.hours.on(Weekday::Sat).len(), 1);
    assert!(ana.hours.on(Weekday::Sun).is_empty());
    let ricardo = clinic.professional_named("dr. ricardo lima").unwrap();
    assert!(ricardo.hours.on(Weekday::Mon).is_empty());
    assert_eq!(ricardo.hours.on(Weekday::Thu).len(), 2);
}

#[test]
fn professionals_offer_exactly_their_services_in_clinic_order() {
    let clinic = demo();
    let botox = clinic.service_named("Botox").unwrap();
    let names: Vec<_> = clinic.professionals_for(botox.id).map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Dra. Ana Paula Souza", "Dr. Ricardo Lima"]);
    let peeling = clinic.service_named("Peeling Químico").unwrap();
    let names: Vec<_> = clinic.professionals_for(peeling.id).map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Dr. Ricardo Lima", "Juliana Reis"]);
}

#[test]
fn loading_twice_gives_the_same_ids() {
    assert_eq!(demo(), demo());
}

#[test]
fn a_wrong_file_names_the_field_and_the_problem() {
    let unknown_service =
        DEMO.replace("services: [Limpeza de Pele, Peeling", "services: [Limpeza de Pelle, Peeling");
    assert_eq!(problem(&unknown_service), "professionals[2].services[0]: unknown service 'Limpeza de Pelle'");

    let bad_price = DEMO.replace(
        "price: \"R$ 800,00\"\n    duration_minutes: 30\n    description: >-\n      Aplicação",
        "price: \"oitocentos\"\n    duration_minutes: 30\n    description: >-\n      Aplicação",
    );
    assert!(
        problem(&bad_price).starts_with("services[1].price: 'oitocentos' is not an amount"),
        "{}",
        problem(&bad_price)
    );

    let bad_zone = DEMO.replace("America/Sao_Paulo", "America/Sao_Paolo");
    assert!(problem(&bad_zone).starts_with("timezone: 'America/Sao_Paolo'"));

    let bad_hours =
        DEMO.replace("saturday: [\"09:00-13:00\"]\n  sunday", "saturday: [\"13:00-09:00\"]\n  sunday");
    assert!(problem(&bad_hours).starts_with("opening_hours.saturday[0]:"), "{}", problem(&bad_hours));

    let typo_key = DEMO.replace("minimum_age: 18", "minimun_age: 18");
    assert!(problem(&typo_key).contains("minimun_age"), "{}", problem(&typo_key));

    let secret_in_file = format!(
        "{DEMO}  - provider: evolution\n    base_url: http://evo\n    instance: x\n    api_key_env: \"abc123-secret\"\n    webhook_key_env: EVO_HOOK\n"
    );
    assert!(problem(&secret_in_file).starts_with("channels[1].api_key_env: name an environment variable"));
}

const CHATWOOT: &str = "chatwoot:
  base_url: https://chatwoot.clinica.com.br/
  account_id: 1
  inbox_id: 7
  api_access_token_env: BELLA_CHATWOOT_TOKEN
  webhook_key_env: BELLA_CHATWOOT_WEBHOOK_KEY
  hmac_secret_env: BELLA_CHATWOOT_HMAC
  team_id: 3
";

fn with_chatwoot(section: &str) -> String {
    format!("{DEMO}{section}")
}

#[test]
fn the_chatwoot_section_is_optional_and_read_whole() {
    assert_eq!(demo().chatwoot, None, "the demo clinic mirrors nowhere");
    let clinic = Clinic::from_yaml(TenantId::parse("demo").unwrap(), &with_chatwoot(CHATWOOT)).unwrap();
    assert_eq!(
        clinic.chatwoot,
        Some(ChatwootSpec {
            base_url: "https://chatwoot.clinica.com.br".into(),
            account_id: ChatwootAccountId(1),
            inbox_id: ChatwootInboxId(7),
            api_access_token_env: "BELLA_CHATWOOT_TOKEN".into(),
            webhook_key_env: "BELLA_CHATWOOT_WEBHOOK_KEY".into(),
            hmac_secret_env: Some("BELLA_CHATWOOT_HMAC".into()),
            team_id: Some(ChatwootTeamId(3)),
        })
    );
    let minimal =
        CHATWOOT.replace("  hmac_secret_env: BELLA_CHATWOOT_HMAC\n", "").replace("  team_id: 3\n", "");
    let clinic = Clinic::from_yaml(TenantId::parse("demo").unwrap(), &with_chatwoot(&minimal)).unwrap();
    let spec = clinic.chatwoot.unwrap();
    assert_eq!((spec.hmac_secret_env, spec.team_id), (None, None));
}

#[test]
fn a_wrong_chatwoot_section_names_the_field() {
    let cases = [
        (
            "https://chatwoot.clinica.com.br/",
            "chatwoot.clinica.com.br",
            "chatwoot.base_url: 'chatwoot.clinica.com.br' is not an http(s) address",
        ),
        ("account_id: 1", "account_id: 0", "chatwoot.account_id: must be"),
        ("inbox_id: 7", "inbox_id: 0", "chatwoot.inbox_id: must be"),
        ("team_id: 3", "team_id: 0", "chatwoot.team_id: must be"),
        (
            "BELLA_CHATWOOT_TOKEN",
            "tok-3f9a-secret",
            "chatwoot.api_access_token_env: name an environment variable",
        ),
        ("BELLA_CHATWOOT_WEBHOOK_KEY", "bella-key", "chatwoot.webhook_key_env: name an environment variable"),
        ("BELLA_CHATWOOT_HMAC", "hmac secret", "chatwoot.hmac_secret_env: name an environment variable"),
        ("team_id: 3", "team: 3", "team"),
    ];
    for (from, to, expected) in cases {
        let yaml = with_chatwoot(&CHATWOOT.replace(from, to));
        let problem = problem(&yaml);
        assert!(problem.contains(expected), "{from} → {to}: {problem}");
    }
    assert!(problem(&with_chatwoot("chatwoot:\n  base_url: https://cw\n")).contains("account_id"));
}

/// The demo clinic with its reminder settings (and its console channel) replaced by `section`.
fn with_reminders(section: &str) -> String {
    let (before, _) = DEMO.split_once("\nreminders:").unwrap();
    format!("{before}\n{section}")
}

#[test]
fn reminders_are_read_longest_first_with_quiet_hours() {
    let demo = demo();
    let leads: Vec<String> = demo.reminders.leads.iter().map(ToString::to_string).collect();
    assert_eq!(leads, ["48h", "24h"]);
    assert_eq!(demo.reminders.quiet_hours, crate::reminders::QuietHours { start: hm(20, 0), end: hm(8, 0) });
    let clinic = Clinic::from_yaml(
        TenantId::parse("demo").unwrap(),
        &with_reminders("reminders: [2h, 24h]\nquiet_hours: \"21:30-07:00\"\n"),
    )
    .unwrap();
    let leads: Vec<String> = clinic.reminders.leads.iter().map(ToString::to_string).collect();
    assert_eq!(leads, ["24h", "2h"]);
    assert_eq!(clinic.reminders.quiet_hours.start, hm(21, 30));
    let none = Clinic::from_yaml(TenantId::parse("demo").unwrap(), &with_reminders("")).unwrap();
    assert!(none.reminders.leads.is_empty(), "no reminders unless the clinic asks for them");
}

#[test]
fn wrong_reminder_settings_name_the_field() {
    let meta = "channels:\n  - provider: meta\n    phone_number_id: \"1098\"\n    access_token_env: BELLA_META_TOKEN\n";
    let cases = [
        ("reminders: [24]\n".to_owned(), "reminders[0]: '24' is not a lead"),
        ("reminders: [24h, 24h]\n".to_owned(), "reminders: a lead appears twice"),
        ("reminders: [24h]\nquiet_hours: \"8h-20h\"\n".to_owned(), "quiet_hours: '8h-20h' is not a range"),
        ("reminders: [24h]\ntemplates:\n  reminder: Lembrete\n".to_owned(), "templates.reminder: 'Lembrete'"),
        ("templates:\n  no_show: falta consulta\n".to_owned(), "templates.no_show: 'falta consulta'"),
        (format!("reminders: [24h]\n{meta}"), "templates.reminder: reminders on a Meta channel need"),
    ];
    for (section, expected) in cases {
        let yaml = with_reminders(&section);
        let problem = problem(&yaml);
        assert!(problem.starts_with(expected), "{section}: {problem}");
    }
    let approved = format!("reminders: [24h]\ntemplates:\n  reminder: lembrete_consulta_v2\n{meta}");
    let yaml = with_reminders(&approved);
    let clinic = Clinic::from_yaml(TenantId::parse("demo").unwrap(), &yaml).unwrap();
    assert_eq!(clinic.templates.reminder.as_deref(), Some("lembrete_consulta_v2"));
    assert_eq!(demo().templates.no_show.as_deref(), Some("falta_consulta_v1"));
}

const CRM: &str = "crm_webhooks:
  - url: https://crm.clinica.com.br/hooks/sofia
    secret_env: BELLA_CRM_WEBHOOK_SECRET
    events: [lead.qualified, appointment.booked, patient.opted_out]
";

#[test]
fn crm_webhooks_name_their_secret_and_known_events() {
    let clinic = Clinic::from_yaml(TenantId::parse("demo").unwrap(), &format!("{DEMO}{CRM}")).unwrap();
    assert_eq!(
        clinic.crm_webhooks,
        [CrmWebhookSpec {
            url: "https://crm.clinica.com.br/hooks/sofia".to_owned(),
            secret_env: "BELLA_CRM_WEBHOOK_SECRET".to_owned(),
            events: vec![CrmEvent::LeadQualified, CrmEvent::AppointmentBooked, CrmEvent::PatientOptedOut],
        }]
    );
    assert!(demo().crm_webhooks.is_empty(), "no CRM unless the file names one");

    let unknown = format!("{DEMO}{}", CRM.replace("patient.opted_out", "lead.created"));
    assert!(
        problem(&unknown)
            .starts_with("crm_webhooks[0].events[2]: unknown event 'lead.created'; known: lead.qualified"),
        "{}",
        problem(&unknown)
    );
    let twice = format!("{DEMO}{}", CRM.replace("patient.opted_out", "lead.qualified"));
    assert_eq!(problem(&twice), "crm_webhooks[0].events[2]: 'lead.qualified' appears twice");
    let none =
        format!("{DEMO}{}", CRM.replace("[lead.qualified, appointment.booked, patient.opted_out]", "[]"));
    assert!(problem(&none).starts_with("crm_webhooks[0].events: name at least one of"), "{}", problem(&none));
    let not_a_url =
        format!("{DEMO}{}", CRM.replace("https://crm.clinica.com.br/hooks/sofia", "crm.clinica.com.br"));
    assert!(
        problem(&not_a_url)
            .starts_with("crm_webhooks[0].url: 'crm.clinica.com.br' is not an http(s) address")
    );
    let secret_in_file = format!(
        "{DEMO}{}",
        CRM.replace("BELLA_CRM_WEBHOOK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    );
    assert!(
        problem(&secret_in_file).starts_with("crm_webhooks[0].secret_env: name an environment variable"),
        "{}",
        problem(&secret_in_file)
    );
    assert!(!problem(&secret_in_file).contains("whsec_"), "the secret is never repeated");
}
