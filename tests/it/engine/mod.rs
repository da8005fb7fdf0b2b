//! The conversation engine: one reply per turn, whatever arrives when, whoever works it.
//!
//! These tests are about the engine's mechanics (turns, leases, guards, owners), so most use a
//! brain that echoes what it was given; the dialogue itself is the rules brain's tests' subject.

mod guards;
mod mechanics;
pub(crate) mod support;
mod workers;
