//! Scheduling: which times can be offered and booked.
//!
//! Pure functions of the clinic, the existing appointments and `now`: [`free_slots`] answers a
//! patient's search, [`check_bookable`] guards every booking and rescheduling write, and
//! [`is_late_change`] applies the free-cancellation window. Times are instants (`Utc`); working
//! hours, the grid and periods are read on the clinic's wall clock, clock changes included.

mod booking;
mod busy;
mod error;
mod period;
mod query;
mod rules;
mod slots;

pub use booking::{check_bookable, is_late_change};
pub use busy::Busy;
pub use error::SlotError;
pub use period::Period;
pub use query::SlotQuery;
pub use slots::{Slot, free_slots};

#[cfg(test)]
mod tests;
