//! What a person from the clinic must answer, not a bot: a complaint, and a dispute about
//! money. (A request for a person and an emergency are the engine's guards, in `guards`.)

use super::mentions_any;
use super::phrases::{
    ABOUT_THE_CLINIC, CHARGES, COMPLAINTS, CONTESTED, HARSH_WORDS, MISUNDERSTOOD, MONEY_DISPUTES, UPSET,
};
use crate::lang::normalize::normalize;

/// Turns in a row that were not understood, after which a person takes over (as Rasa's CALM
/// hands over after two clarifications). Both brains count them.
pub const CLARIFICATIONS_BEFORE_HUMAN: u32 = 2;

/// The handoff's reason when they ran out, as the clinic's team reads it.
pub const NOT_UNDERSTOOD_FOR_THE_TEAM: &str = "o assistente não entendeu o paciente duas vezes seguidas";

/// Why a message needs a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escalation {
    /// Unhappy with a result or the care, or angry: "fiquei muito insatisfeita com o
    /// resultado", "isso é um absurdo".
    Complaint,
    /// A charge not recognised, a contested fee, money back: "quero meu dinheiro de volta",
    /// "não concordo com essa multa".
    MoneyDispute,
}

impl Escalation {
    /// The handoff's reason, as the clinic's team reads it.
    pub fn for_the_team(self) -> &'static str {
        match self {
            Escalation::Complaint => "reclamação ou insatisfação do paciente",
            Escalation::MoneyDispute => "contestação de cobrança, taxa ou pedido de reembolso",
        }
    }
}

/// The reason `text` needs a person, if it does. A money dispute wins over the anger that
/// often comes with it: the team that settles it is the one to call.
pub fn needs_a_person(text: &str) -> Option<Escalation> {
    let message = normalize(text);
    if mentions_any(&message, MONEY_DISPUTES)
        || (mentions_any(&message, CHARGES) && mentions_any(&message, CONTESTED))
    {
        Some(Escalation::MoneyDispute)
    } else if mentions_any(&message, COMPLAINTS)
        || ((mentions_any(&message, HARSH_WORDS) || mentions_any(&message, UPSET))
            && mentions_any(&message, ABOUT_THE_CLINIC))
    {
        Some(Escalation::Complaint)
    } else {
        None
    }
}

/// Says Sofia got it wrong: "não, não é isso", "você não está me entendendo". Such a turn
/// counts as one Sofia could not place.
pub fn says_misunderstood(text: &str) -> bool {
    mentions_any(&normalize(text), MISUNDERSTOOD)
}
