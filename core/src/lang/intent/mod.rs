//! What a message is about: short replies (yes, no, hello, thanks), the guards that run before
//! any dialogue (a human, opt-out, an emergency), the patient's age and the coarse topic.
//!
//! Every classifier folds the message first, so accents, case, slang and repeated letters do
//! not matter.

mod age;
mod escalation;
mod faq;
mod grievance;
mod guards;
mod kept;
mod later;
mod lead;
mod mind;
mod name;
mod own_visit;
mod phrases;
mod praise;
mod question;
mod reason;
mod replies;
mod topics;
mod wishes;

pub use age::{detect_age, says_under_age};
pub use escalation::{
    CLARIFICATIONS_BEFORE_HUMAN, Escalation, NOT_UNDERSTOOD_FOR_THE_TEAM, needs_a_person, says_misunderstood,
};
pub use faq::{
    asks_about_someone_else, asks_cancellation_policy, asks_for_a_deal, asks_to_bring_someone,
    asks_what_to_bring,
};
pub use guards::{is_emergency, is_opt_out, wants_human};
pub use kept::keeps_as_is;
pub use later::{leaves_for_later, puts_off};
pub use lead::lead_signals;
pub use mind::{changes_mind, insists_anyway};
pub use name::detect_name;
pub use praise::is_praise;
pub use question::{asked_beside_goodbye, asks_by_a_mark, asks_without_a_mark};
pub use reason::stated_reason;
pub use replies::{
    cut_at_conditions, greets_and_asks, is_affirmative, is_greeting, is_negative, is_thanks,
    names_a_go_ahead, only_calls_attention, opens_with_a_condition, waits_on_a_condition,
    without_the_fee_accepted,
};
pub use topics::{Intent, detect_intent, detect_intents, in_order_asked, latest_change, refused_change};
pub use wishes::{
    Shift, asks_for_more_options, asks_to_shift, keeps_the_day, keeps_the_time, leaves_day_open,
    occasion_day, wants_earliest, wants_latest,
};

use super::normalize::Normalized;

/// Whether any of `phrases` (already folded) occurs in the message as whole words.
fn mentions_any(message: &Normalized, phrases: &[&str]) -> bool {
    phrases.iter().any(|phrase| message.contains_phrase(phrase))
}

/// Whether the message opens with any of `phrases` (already folded).
fn opens_with_any(message: &Normalized, phrases: &[&str]) -> bool {
    phrases.iter().any(|phrase| message.starts_with_phrase(phrase))
}

#[cfg(test)]
mod tests;
