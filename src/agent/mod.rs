//! The agent: what both brains (rules and LLM) use to act on the world.

pub mod tools;
