//! pt-BR language helpers for the rules brain: fold and tokenise a patient's message, read
//! dates and times, picks among offered options, intents, services and professionals, and
//! render dates and times for replies. Pure functions only.

mod choice;
mod format;
mod intent;
mod normalize;
mod relevance;
#[cfg(test)]
mod robustness;
mod services;
mod when;
mod words;

pub use choice::{Choice, pick_numbered, pick_slot, pick_time};
pub use format::{
    format_date, format_slot, format_slot_compact, format_time, format_time_short, on_weekdays, relative_day,
    weekday_name, weekday_plural, weekday_short, weekdays_plural,
};
pub use intent::{
    CLARIFICATIONS_BEFORE_HUMAN, Escalation, Intent, NOT_UNDERSTOOD_FOR_THE_TEAM, Shift,
    asked_beside_goodbye, asks_about_someone_else, asks_by_a_mark, asks_cancellation_policy, asks_for_a_deal,
    asks_for_more_options, asks_to_bring_someone, asks_to_shift, asks_what_to_bring, asks_without_a_mark,
    changes_mind, cut_at_conditions, detect_age, detect_intent, detect_intents, detect_name, greets_and_asks,
    in_order_asked, insists_anyway, is_affirmative, is_emergency, is_greeting, is_negative, is_opt_out,
    is_praise, is_thanks, keeps_as_is, keeps_the_day, keeps_the_time, latest_change, lead_signals,
    leaves_day_open, leaves_for_later, names_a_go_ahead, needs_a_person, occasion_day, only_calls_attention,
    opens_with_a_condition, puts_off, refused_change, says_misunderstood, says_under_age, stated_reason,
    waits_on_a_condition, wants_earliest, wants_human, wants_latest, without_the_fee_accepted,
};
pub use normalize::{Normalized, normalize};
pub use relevance::{answers, has_content_words, left_out_after_covered};
pub use services::{
    OtherProcedure, asked_by_name, health_cues, match_professional, match_service, match_services,
    unoffered_procedure,
};
pub use when::{
    DateSpec, DateWish, TurnedDown, after_a_correction, bare_weekday, corrected_when, parse_when,
    turned_down, turned_down_period,
};
pub use words::number_word;
