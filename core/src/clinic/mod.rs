//! The clinic model, the `clinic.yaml` file it is loaded from, and its facts in pt-BR.

pub mod facts;
mod file;
mod model;
mod opening;

pub use file::ClinicFileError;
pub use model::{
    BookingRules, ChannelSpec, ChatwootSpec, Clinic, CrmWebhookSpec, NoShowRules, PackageOffer, Policies,
    Professional, Service, Templates, TimeOff, TimeRange, WEEK, WaitlistRules, WeeklyHours,
};

#[cfg(test)]
mod tests;
