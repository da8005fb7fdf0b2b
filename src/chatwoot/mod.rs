//! The Chatwoot bridge, where the clinic's agents work:
//!
//! - `mirror`: every conversation copied into the clinic's Chatwoot, message by message, and
//!   each handoff told there (`handover`: opened with a private `note`, back to pending when it
//!   ends);
//! - `webhook` and `hooks`: what Chatwoot's webhooks say and which clinic they belong to (the
//!   route itself is `http::chatwoot`);
//! - `relay`: applies the stored webhook events — an agent's reply goes to the patient's
//!   WhatsApp, opening or assigning takes the conversation over, resolving gives it back.
//!
//! All through a client of Chatwoot's Application API (`client`). See docs/chatwoot.md.

mod client;
mod handover;
mod hooks;
mod message;
mod mirror;
mod note;
mod relay;
pub mod webhook;

pub use client::{
    Assignee, ChatwootClient, ChatwootConfigError, ChatwootError, Contact, ContactInbox, ConversationStatus,
    ConversationSummary, InboxRef, MAX_ANSWER_BYTES, MessageType, NewConversation, NewMessage,
};
pub use hooks::{ChatwootHook, ChatwootHooks};
pub use mirror::{MAX_BACKOFF, Mirror, MirrorReport};
pub use relay::{Relay, RelayReport};
