//! The clinic's own facts (`clinic.yaml`) in pt-BR: prices and deals, how long a session takes,
//! opening hours, address, payment, parking, aftercare and the minors rule. Pure functions of the
//! clinic, so they can never state anything the clinic did not write down; the rules brain
//! answers with them and the knowledge index holds them.

use super::{Clinic, TimeRange, WEEK, WeeklyHours};
use crate::domain::{Money, Phone, ServiceId};
use crate::lang::{format_time, weekday_short};

/// "Clínica Bella Forma" out of "Clínica Bella Forma — Estética & Bem-estar".
pub fn short_name(clinic: &Clinic) -> &str {
    clinic.name.split(" — ").next().unwrap_or(&clinic.name).trim()
}

fn price(money: Money) -> String {
    if money.is_free() { "gratuita".to_owned() } else { money.to_string() }
}

/// The price of one service, with its packages.
pub fn service_price(clinic: &Clinic, service: ServiceId) -> Option<String> {
    let service = clinic.service(service)?;
    let mut text = if service.price.is_free() {
        format!("A {} é gratuita ({} min).", service.name, service.duration_minutes)
    } else {
        format!("{}: {} por sessão ({} min).", service.name, service.price, service.duration_minutes)
    };
    for package in clinic.packages.iter().filter(|p| p.service_id == service.id) {
        let regular = package.regular_price.map(|regular| format!(" (de {regular})")).unwrap_or_default();
        text.push_str(&format!("\nTambém temos o pacote {} por {}{regular}.", package.name, package.price));
    }
    Some(text)
}

/// Whether there is a deal on `services` (none named: any), from the clinic's file: its only
/// discounts are its packages. A service with a package gets that package; one without, its
/// price and that it has no promotion, followed by the packages there are.
pub fn deals(clinic: &Clinic, services: &[ServiceId]) -> String {
    let package_line = |package: &super::PackageOffer| {
        let regular =
            package.regular_price.map(|regular| format!(", em vez de {regular}")).unwrap_or_default();
        format!("• {}: {}{regular}", package.name, package.price)
    };
    let all: Vec<String> = clinic.packages.iter().map(package_line).collect();
    let services: Vec<&super::Service> = services.iter().filter_map(|id| clinic.service(*id)).collect();
    if services.is_empty() {
        return if all.is_empty() {
            format!("No momento não temos promoções. {}", price_list(clinic))
        } else {
            format!("Nossos preços especiais são os pacotes:\n{}", all.join("\n"))
        };
    }
    let mut lines = Vec::new();
    let mut without = false;
    for service in services {
        let own: Vec<String> = clinic
            .packages
            .iter()
            .filter(|package| package.service_id == service.id)
            .map(package_line)
            .collect();
        if own.is_empty() {
            without = true;
            let price = if service.price.is_free() {
                format!("a {} já é gratuita", service.name)
            } else {
                format!("o valor é {} por sessão", service.price)
            };
            lines.push(format!("Para {} não temos promoção no momento: {price}.", service.name));
        } else {
            lines.push(format!("Para {}, o preço especial é no pacote:\n{}", service.name, own.join("\n")));
        }
    }
    if without && !all.is_empty() {
        lines.push(format!("Temos preço especial nos pacotes:\n{}", all.join("\n")));
    }
    lines.join("\n")
}

/// Every service with its price, and the packages.
pub fn price_list(clinic: &Clinic) -> String {
    let mut lines = vec!["Nossos procedimentos e valores:".to_owned()];
    lines.extend(clinic.services.iter().map(|s| format!("• {}: {}", s.name, price(s.price))));
    if !clinic.packages.is_empty() {
        lines.push("Pacotes:".to_owned());
        lines.extend(clinic.packages.iter().map(|p| format!("• {}: {}", p.name, p.price)));
    }
    lines.join("\n")
}

/// "• Segunda a sexta: 09:00–12:00 e 13:00–19:00", one line per run of days with the same hours.
pub fn opening_hours(clinic: &Clinic) -> String {
    let mut lines = vec!["Nosso horário de atendimento:".to_owned()];
    lines.extend(hour_lines(&clinic.opening_hours));
    lines.join("\n")
}

fn hour_lines(hours: &WeeklyHours) -> Vec<String> {
    let mut lines = Vec::new();
    let mut first = 0;
    while first < WEEK.len() {
        let ranges = hours.on(WEEK[first]);
        let last =
            (first..WEEK.len()).take_while(|&day| hours.on(WEEK[day]) == ranges).last().unwrap_or(first);
        let days = if last == first {
            capitalised(weekday_short(WEEK[first]))
        } else {
            format!("{} a {}", capitalised(weekday_short(WEEK[first])), weekday_short(WEEK[last]))
        };
        lines.push(format!("• {days}: {}", ranges_text(ranges)));
        first = last + 1;
    }
    lines
}

fn ranges_text(ranges: &[TimeRange]) -> String {
    if ranges.is_empty() {
        return "fechado".to_owned();
    }
    ranges
        .iter()
        .map(|range| format!("{}–{}", format_time(range.start), format_time(range.end)))
        .collect::<Vec<_>>()
        .join(" e ")
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

pub fn location(clinic: &Clinic) -> String {
    format!("Estamos na {}. Telefone: {}.", clinic.address, national(&clinic.phone))
}

/// "(11) 3000-1000" for a Brazilian number; other countries as dialled internationally.
fn national(phone: &Phone) -> String {
    let Some(national) = phone.digits().strip_prefix("55") else {
        return phone.as_str().to_owned();
    };
    let (area, number) = national.split_at(2.min(national.len()));
    let split = number.len().saturating_sub(4);
    format!("({area}) {}-{}", &number[..split], &number[split..])
}

pub fn payment(clinic: &Clinic) -> String {
    let methods = &clinic.policies.payment_methods;
    match methods.as_slice() {
        [] => "As formas de pagamento são combinadas na recepção.".to_owned(),
        [only] => format!("Aceitamos {only}."),
        [init @ .., last] => format!("Aceitamos {} e {last}.", init.join(", ")),
    }
}

pub fn parking(clinic: &Clinic) -> String {
    clinic.policies.parking.clone()
}

/// How long a session of one service takes, or of each service.
pub fn duration(clinic: &Clinic, service: Option<ServiceId>) -> String {
    match service.and_then(|id| clinic.service(id)) {
        Some(service) => {
            format!("{}: cerca de {} por sessão.", service.name, minutes_spoken(service.duration_minutes))
        }
        None => {
            let mut lines = vec!["Quanto tempo leva cada procedimento:".to_owned()];
            lines.extend(
                clinic
                    .services
                    .iter()
                    .map(|s| format!("• {}: {}", s.name, minutes_spoken(s.duration_minutes))),
            );
            lines.join("\n")
        }
    }
}

/// 30 → "30 minutos", 60 → "1 hora", 90 → "1 hora e 30 minutos".
fn minutes_spoken(minutes: u32) -> String {
    let (hours, minutes) = (minutes / 60, minutes % 60);
    let hours_said = match hours {
        0 => None,
        1 => Some("1 hora".to_owned()),
        many => Some(format!("{many} horas")),
    };
    match (hours_said, minutes) {
        (Some(hours), 0) => hours,
        (Some(hours), minutes) => format!("{hours} e {minutes} minutos"),
        (None, minutes) => format!("{minutes} minutos"),
    }
}

/// The clinic's aftercare for one service, or for every service that has some.
pub fn aftercare(clinic: &Clinic, service: Option<ServiceId>) -> String {
    let closing = "Se notar algo diferente do esperado, fale com a gente para a equipe avaliar.";
    match service.and_then(|id| clinic.service(id)) {
        Some(service) => match &service.aftercare {
            Some(care) => format!("Cuidados depois de {}: {care}\n{closing}", service.name),
            None => format!(
                "Para {}, a equipe passa todas as orientações no dia do procedimento. {closing}",
                service.name
            ),
        },
        None => {
            let mut lines = vec!["Os cuidados depois de cada procedimento:".to_owned()];
            lines.extend(
                clinic
                    .services
                    .iter()
                    .filter_map(|s| s.aftercare.as_ref().map(|care| format!("• {}: {care}", s.name))),
            );
            lines.push(closing.to_owned());
            lines.join("\n")
        }
    }
}

/// Cancelling or moving late: the fee, or the package session used.
pub fn cancellation_policy(clinic: &Clinic) -> String {
    let hours = clinic.policies.free_cancellation_hours;
    let fee = clinic.policies.late_cancellation_fee;
    let late = if fee.is_free() {
        "Com menos tempo, a sessão de pacote é contada como usada.".to_owned()
    } else {
        format!(
            "Com menos de {hours} horas, é cobrada uma taxa de {fee} (em pacotes, a sessão é contada como usada)."
        )
    };
    format!("Você pode cancelar ou remarcar sem custo com até {hours} horas de antecedência. {late}")
}

/// What to bring and when to arrive.
pub fn arrival(clinic: &Clinic) -> String {
    clinic.policies.arrival.clone()
}

pub fn minors(clinic: &Clinic) -> String {
    clinic.policies.minors.clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TenantId;

    const DEMO: &str = include_str!("../../../knowledge/demo/clinic.yaml");

    fn demo() -> Clinic {
        Clinic::from_yaml(TenantId::parse("demo").unwrap(), DEMO).unwrap()
    }

    #[test]
    fn opening_hours_group_days_with_the_same_hours() {
        assert_eq!(
            opening_hours(&demo()),
            "Nosso horário de atendimento:\n\
             • Segunda a sexta: 09:00–12:00 e 13:00–19:00\n\
             • Sábado: 09:00–13:00\n\
             • Domingo: fechado"
        );
    }

    #[test]
    fn prices_come_with_the_packages_of_the_service() {
        let clinic = demo();
        let id = |name: &str| clinic.service_named(name).unwrap().id;
        assert_eq!(
            service_price(&clinic, id("Limpeza de Pele")).unwrap(),
            "Limpeza de Pele: R$ 150,00 por sessão (60 min).\n\
             Também temos o pacote Limpeza de Pele — 4 sessões por R$ 500,00 (de R$ 600,00)."
        );
        assert_eq!(service_price(&clinic, id("Avaliação")).unwrap(), "A Avaliação é gratuita (30 min).");
        let list = price_list(&clinic);
        assert!(list.contains("• Botox: R$ 800,00") && list.contains("• Avaliação: gratuita"), "{list}");
    }

    #[test]
    fn the_only_deals_are_the_packages_the_clinic_wrote_down() {
        let clinic = demo();
        let id = |name: &str| clinic.service_named(name).unwrap().id;
        assert_eq!(
            deals(&clinic, &[id("Botox")]),
            "Para Botox não temos promoção no momento: o valor é R$ 800,00 por sessão.\n\
             Temos preço especial nos pacotes:\n\
             • Limpeza de Pele — 4 sessões: R$ 500,00, em vez de R$ 600,00\n\
             • Microagulhamento — 3 sessões: R$ 1.050,00, em vez de R$ 1.200,00"
        );
        assert_eq!(
            deals(&clinic, &[id("Limpeza de Pele")]),
            "Para Limpeza de Pele, o preço especial é no pacote:\n\
             • Limpeza de Pele — 4 sessões: R$ 500,00, em vez de R$ 600,00"
        );
        assert!(deals(&clinic, &[id("Avaliação")]).contains("a Avaliação já é gratuita"));
        assert!(deals(&clinic, &[]).starts_with("Nossos preços especiais são os pacotes:"));
        let both = deals(&clinic, &[id("Botox"), id("Preenchimento Labial")]);
        assert!(
            both.contains("Para Botox não temos promoção")
                && both.contains(
                    "Para Preenchimento Labial não temos promoção no momento: o valor é R$ 1.200,00"
                ),
            "{both}"
        );
    }

    #[test]
    fn address_payment_and_aftercare_are_the_clinics_words() {
        let clinic = demo();
        assert_eq!(
            location(&clinic),
            "Estamos na Av. Paulista, 1000 — conj. 52, Bela Vista, São Paulo/SP, CEP 01310-100. \
             Telefone: (11) 3000-1000."
        );
        assert_eq!(
            payment(&clinic),
            "Aceitamos PIX, cartão de crédito em até 3x sem juros, cartão de débito e dinheiro."
        );
        let botox = clinic.service_named("Botox").map(|s| s.id);
        assert!(aftercare(&clinic, botox).contains("Não se deite por 4 horas"));
        assert!(aftercare(&clinic, None).contains("• Peeling Químico: Use protetor solar"));
        assert_eq!(short_name(&clinic), "Clínica Bella Forma");
    }

    #[test]
    fn a_session_s_length_is_said_as_a_receptionist_would() {
        let clinic = demo();
        let id = |name: &str| clinic.service_named(name).map(|s| s.id);
        assert_eq!(duration(&clinic, id("Botox")), "Botox: cerca de 30 minutos por sessão.");
        assert_eq!(duration(&clinic, id("Limpeza de Pele")), "Limpeza de Pele: cerca de 1 hora por sessão.");
        assert_eq!(
            duration(&clinic, id("Harmonização Facial")),
            "Harmonização Facial: cerca de 1 hora e 30 minutos por sessão."
        );
        let all = duration(&clinic, None);
        assert!(
            all.contains("• Lipo de Papada: 2 horas") && all.contains("• Microagulhamento: 45 minutos"),
            "{all}"
        );
    }
}
