//! The review: what the model drafted is checked before a patient reads it.
//!
//! - A date or time no tool returned → one corrective retry, then a safe reply built from the
//!   state (the current offer, or a question).
//! - A diagnosis or prescription → a safe reply suggesting an Avaliação.
//! - An amount or a percentage the clinic never stated (a discount a patient talked the model
//!   into) → a safe reply with the clinic's own price list.
//! - A promise that a person will take over, without `handoff_to_human` → the handoff is made.
//! - A complaint, a money dispute or a worry after a procedure from the patient, without
//!   `handoff_to_human` → the handoff is made with the reason, and the reply says what happens
//!   next, after any of the replacements above (`super::handover`).
//!
//! Safe replies are pt-BR, never empty, never an error.

mod phrases;
mod prices;

use chrono::Duration;
use sofia_core::clinic::Clinic;
use sofia_core::conversation::{ConversationState, Pending};

pub use crate::moments::{Grounding, Moment};
pub use phrases::{apologises, diagnoses, promises_a_human};
pub use prices::PriceGrounding;

use super::view::slot_label;
use crate::agent::tools::proposal_text;
use crate::channels::{MessageError, OutboundMessage, limits};

/// What the review finds in a draft reply.
#[derive(Debug, Clone, PartialEq)]
pub enum Finding {
    Clean,
    Diagnosis,
    /// Amounts or percentages, as written in the reply, that the clinic never stated.
    Unpriced(Vec<String>),
    Invented(Vec<Moment>),
}

/// Reviews a draft reply: a diagnosis first, then money the clinic never stated, then dates
/// and times no tool returned.
pub fn check(reply: &str, grounding: &Grounding, prices: &PriceGrounding) -> Finding {
    if diagnoses(reply) {
        return Finding::Diagnosis;
    }
    let unpriced = prices.ungrounded(reply);
    if !unpriced.is_empty() {
        return Finding::Unpriced(unpriced);
    }
    let invented = grounding.ungrounded(reply);
    if invented.is_empty() { Finding::Clean } else { Finding::Invented(invented) }
}

/// The dates and times any reply in this conversation may name, before tool results are
/// added: the clinic's and its professionals' hours, today and the next week's days, and
/// what the state holds (the offer, the pending write).
pub fn base_grounding(
    clinic: &Clinic,
    state: &ConversationState,
    now: chrono::DateTime<chrono::Utc>,
) -> Grounding {
    let mut grounding = Grounding::default();
    let hours = std::iter::once(&clinic.opening_hours).chain(clinic.professionals.iter().map(|p| &p.hours));
    for week in hours {
        for day in sofia_core::clinic::WEEK {
            for range in week.on(day) {
                grounding.add_daily_time(range.start);
                grounding.add_daily_time(range.end);
            }
        }
    }
    let today = now.with_timezone(&clinic.timezone).date_naive();
    // "hoje (02/03)" or "amanhã, 03/03" name a day, not a slot.
    for offset in 0..7 {
        grounding.add_date(today + Duration::days(offset));
    }
    let starts = state
        .offered
        .iter()
        .map(|offered| offered.slot.start)
        .chain(state.pending.iter().filter_map(|pending| pending.action.new_start()));
    for start in starts {
        let local = start.with_timezone(&clinic.timezone);
        grounding.add_slot(local.date_naive(), local.time());
    }
    grounding
}

/// Added to the reply when the patient's messages were longer than the model is sent.
pub const INPUT_CUT: &str = "Sua mensagem ficou bem longa, então li só o começo dela. Se faltou algo importante, \
    pode me mandar em mensagens mais curtas? 😊";

/// After a diagnosis was drafted.
pub const NO_DIAGNOSIS: &str = "Não consigo avaliar sintomas nem indicar tratamentos por aqui — isso precisa ser \
    visto pessoalmente por um dos nossos profissionais. Posso agendar uma Avaliação para você?";

/// After the model named a time twice that no tool returned: the state's own offer, or a
/// question that moves the conversation on without a time.
pub fn grounded_offer(clinic: &Clinic, state: &ConversationState) -> String {
    if state.offered.is_empty() {
        return "Para te passar horários certinhos, me diga qual procedimento você quer e o dia ou \
                período que prefere (manhã, tarde ou noite)."
            .to_owned();
    }
    let lines: Vec<String> = state
        .offered
        .iter()
        .map(|offered| {
            format!(
                "{}) {}",
                offered.id,
                slot_label(clinic, offered.slot.service, offered.slot.professional, offered.slot.start)
            )
        })
        .collect();
    format!("Tenho estes horários:\n{}\nQual fica melhor para você?", lines.join("\n"))
}

/// Instead of a reply that named a price or a discount the clinic never stated: the clinic's
/// own table, and who can talk about anything else.
pub fn table_prices(clinic: &Clinic) -> String {
    format!(
        "Os valores que posso te passar são os da nossa tabela:\n{}\nCondições diferentes dessas só com a \
         nossa equipe; se quiser, peço para alguém falar com você.",
        sofia_core::clinic::facts::price_list(clinic)
    )
}

/// When the handoff a reply promised could not be made.
pub fn handoff_failed(clinic: &Clinic) -> String {
    format!(
        "Desculpe, não consegui chamar a nossa equipe por aqui agora. Você pode falar com a gente pelo \
         telefone {}.",
        clinic.phone.as_str()
    )
}

/// The reply to a turn in which the model proposed a write: the summary, word for word, and
/// its question. A model's own wording of it may drop the price or the late fee, or say the
/// write is done when only its proposal exists; the patient's yes must be to the real summary.
pub fn showing_proposal(pending: Option<&Pending>, reply: String) -> String {
    match pending {
        Some(pending) if !reply.contains(&pending.summary) => {
            tracing::info!(
                "the reply left out the summary of the write the model proposed; sending the summary"
            );
            proposal_text(&pending.summary)
        }
        _ => reply,
    }
}

/// The reply as WhatsApp bubbles: paragraphs kept together up to the text limit.
pub fn bubbles(text: &str) -> Result<Vec<OutboundMessage>, MessageError> {
    let mut chunks: Vec<String> = Vec::new();
    for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        match chunks.last_mut() {
            Some(last) if last.chars().count() + 2 + paragraph.chars().count() <= limits::TEXT_BODY => {
                last.push_str("\n\n");
                last.push_str(paragraph);
            }
            _ => chunks.extend(split_long(paragraph)),
        }
    }
    chunks.into_iter().map(OutboundMessage::text).collect()
}

/// A paragraph longer than one message, cut at the last space before the limit.
fn split_long(paragraph: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut rest = paragraph;
    while rest.chars().count() > limits::TEXT_BODY {
        let limit = rest.char_indices().nth(limits::TEXT_BODY).map_or(rest.len(), |(at, _)| at);
        let cut = rest[..limit].rfind(char::is_whitespace).filter(|at| *at > 0).unwrap_or(limit);
        parts.push(rest[..cut].trim().to_owned());
        rest = rest[cut..].trim_start();
    }
    if !rest.is_empty() {
        parts.push(rest.to_owned());
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_replies_become_bubbles_that_fit() {
        let paragraph = "palavra ".repeat(700);
        let text = format!("Oi!\n\nTudo bem?\n\n{paragraph}");
        let split = bubbles(&text).unwrap();
        assert_eq!(split.len(), 3, "short paragraphs stay together; a long one is cut at spaces");
        assert_eq!(split[0], OutboundMessage::text("Oi!\n\nTudo bem?").unwrap());
        let OutboundMessage::Text(cut) = &split[1] else { panic!("{split:?}") };
        assert!(cut.body().ends_with("palavra"), "cut between words");
        assert_eq!(bubbles(&"x".repeat(9000)).unwrap().len(), 3);
        assert!(bubbles("  \n\n ").unwrap().is_empty());
    }

    #[test]
    fn a_diagnosis_outranks_an_invented_price_which_outranks_an_invented_time() {
        let (grounding, prices) = (Grounding::default(), PriceGrounding::default());
        assert_eq!(
            check("Isso parece ser alergia, volte às 15:00.", &grounding, &prices),
            Finding::Diagnosis
        );
        assert_eq!(
            check("Volte às 15:00, faço por R$ 10,00.", &grounding, &prices),
            Finding::Unpriced(vec!["R$ 10,00".to_owned()])
        );
        assert_eq!(
            check("Volte às 15:00.", &grounding, &prices),
            Finding::Invented(vec![Moment::Time { hour: 15, minute: 0 }])
        );
        assert_eq!(check("Como posso ajudar?", &grounding, &prices), Finding::Clean);
    }
}
