//! Sofia's pure core: everything here is deterministic and free of I/O, so it is tested with
//! plain unit and property tests. Time comes in through [`clock::Clock`].

pub mod clinic;
pub mod clock;
pub mod conversation;
pub mod domain;
pub mod lang;
pub mod qualification;
pub mod reminders;
pub mod scheduling;
