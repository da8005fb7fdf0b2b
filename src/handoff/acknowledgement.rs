//! What a patient waiting for the team reads, once: that the team knows, and outside the
//! clinic's opening hours, when it will answer.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc, Weekday};
use sofia_core::clinic::Clinic;
use sofia_core::lang::{Escalation, format_time_short, weekday_short};

/// The apology a patient reads before the acknowledgement when what they said needs a person.
/// Both brains say the same (the rules brain, and the LLM brain's guard when the model's words
/// cannot be sent).
pub fn apology(said: Escalation) -> &'static str {
    match said {
        Escalation::Complaint => {
            "Sinto muito por isso. 🙏 Quero que uma pessoa da nossa equipe cuide do seu caso \
             com a atenção que ele merece, então vou passar a sua conversa para ela."
        }
        Escalation::MoneyDispute => {
            "Desculpe pelo transtorno. 🙏 Cobranças, taxas e reembolsos são resolvidos pela nossa \
             equipe, então vou passar a sua conversa para ela, com o que você me contou."
        }
        Escalation::AfterProcedure => {
            "Sinto muito que você esteja passando por isso. 🙏 Quem pode te orientar com segurança \
             é a nossa equipe, que acompanha o seu procedimento, então vou passar a sua conversa \
             para ela agora, com o que você me contou."
        }
    }
}

/// The apology before the acknowledgement when Sofia failed to understand twice in a row.
pub const NOT_UNDERSTOOD_APOLOGY: &str =
    "Desculpe, não estou conseguindo entender. 😕 Vou passar a sua conversa para uma pessoa da nossa equipe.";

const WITHIN_HOURS: &str = "Já avisei nossa equipe; em breve alguém continua com você por aqui.";

/// The acknowledgement for a patient of `clinic` writing at `now` while the team has the
/// conversation: "Já avisei nossa equipe; …" while the clinic is open, "Nossa equipe volta
/// amanhã, terça, às 9h, e continua com você por aqui." when it is closed.
pub fn acknowledgement(clinic: &Clinic, now: DateTime<Utc>) -> String {
    let local = now.with_timezone(&clinic.timezone).naive_local();
    if clinic.opening_hours.is_open(local) {
        return WITHIN_HOURS.to_owned();
    }
    match clinic.opening_hours.next_opening(local) {
        Some(next) => {
            format!("Nossa equipe volta {}, e continua com você por aqui.", when(local.date(), next))
        }
        // A clinic without opening hours: nothing better to promise than the team itself.
        None => WITHIN_HOURS.to_owned(),
    }
}

/// "hoje às 13h", "amanhã, terça, às 9h", "na segunda, às 9h", "no sábado, às 9h".
fn when(today: NaiveDate, next: NaiveDateTime) -> String {
    let time = format_time_short(next.time());
    let weekday = next.weekday();
    match (next.date() - today).num_days() {
        0 => format!("hoje às {time}"),
        1 => format!("amanhã, {}, às {time}", weekday_short(weekday)),
        _ => {
            let article = if matches!(weekday, Weekday::Sat | Weekday::Sun) { "no" } else { "na" };
            format!("{article} {}, às {time}", weekday_short(weekday))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn demo() -> Clinic {
        let knowledge = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        crate::clinics::load_clinic(&knowledge, &"demo".parse().unwrap_or_else(|e| panic!("{e}")))
            .unwrap_or_else(|e| panic!("{e}"))
            .clinic
    }

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339).map(|t| t.to_utc()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn within_opening_hours_the_patient_hears_the_team_knows() {
        // Monday 10:00 in São Paulo.
        assert_eq!(acknowledgement(&demo(), at("2026-03-02T10:00:00-03:00")), WITHIN_HOURS);
    }

    #[test]
    fn after_closing_the_patient_hears_when_the_team_is_back() {
        let clinic = demo();
        assert_eq!(
            acknowledgement(&clinic, at("2026-03-02T20:00:00-03:00")),
            "Nossa equipe volta amanhã, terça, às 9h, e continua com você por aqui."
        );
        assert_eq!(
            acknowledgement(&clinic, at("2026-03-02T12:30:00-03:00")),
            "Nossa equipe volta hoje às 13h, e continua com você por aqui."
        );
        // Saturday afternoon: closed until Monday.
        assert_eq!(
            acknowledgement(&clinic, at("2026-03-07T15:00:00-03:00")),
            "Nossa equipe volta na segunda, às 9h, e continua com você por aqui."
        );
        // Thursday night, early Friday morning: today.
        assert_eq!(
            acknowledgement(&clinic, at("2026-03-06T07:00:00-03:00")),
            "Nossa equipe volta hoje às 9h, e continua com você por aqui."
        );
    }
}
