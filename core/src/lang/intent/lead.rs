//! The qualification facts a message states in words: budget, urgency, first visit or
//! returning, how they found the clinic, losing interest. (Interest, day and period come from
//! the service and date readers.)

use super::mentions_any;
use super::phrases::{
    ACCEPTS_PRICE, BROWSING, DECLINED, FIRST_VISIT, FOR_LATER, FROM_ADS, FROM_GOOGLE, FROM_INSTAGRAM,
    FROM_REFERRAL, INSTALMENTS, LATER, RETURNING, THIS_MONTH, THIS_WEEK, TOO_EXPENSIVE,
};
use super::topics::{Intent, detect_intents};
use crate::lang::normalize::normalize;
use crate::qualification::{BudgetSignal, LeadFacts, LeadSource, Urgency, Visit};

/// The facts `text` states; every other field is `None`.
pub fn lead_signals(text: &str) -> LeadFacts {
    let message = normalize(text);
    let says = |phrases: &[&str]| mentions_any(&message, phrases);
    // The strongest signal wins: a patient who asks the price and says it is expensive has
    // told us more with the second.
    let budget = if says(TOO_EXPENSIVE) {
        Some(BudgetSignal::TooExpensive)
    } else if says(ACCEPTS_PRICE) {
        Some(BudgetSignal::AcceptsPrice)
    } else if says(INSTALMENTS) {
        Some(BudgetSignal::AskedInstallments)
    } else if detect_intents(text).contains(&Intent::Price) {
        Some(BudgetSignal::AskedPrice)
    } else {
        None
    };
    let urgency = if says(THIS_WEEK) {
        Some(Urgency::ThisWeek)
    } else if says(THIS_MONTH) {
        Some(Urgency::ThisMonth)
    } else if says(LATER) || says(FOR_LATER) {
        Some(Urgency::Later)
    } else if says(BROWSING) {
        Some(Urgency::Browsing)
    } else {
        None
    };
    let visit = if says(RETURNING) {
        Some(Visit::Returning)
    } else if says(FIRST_VISIT) {
        Some(Visit::First)
    } else {
        None
    };
    let source = if says(FROM_REFERRAL) {
        Some(LeadSource::Referral)
    } else if says(FROM_INSTAGRAM) {
        Some(LeadSource::Instagram)
    } else if says(FROM_GOOGLE) {
        Some(LeadSource::Google)
    } else if says(FROM_ADS) {
        Some(LeadSource::Ads)
    } else {
        None
    };
    let declined = says(DECLINED).then_some(true);
    LeadFacts { budget, urgency, visit, source, declined, ..LeadFacts::default() }
}
