//! The Chatwoot bridge, its first half: every conversation mirrored into the clinic's Chatwoot
//! (`mirror`), through a client of Chatwoot's Application API (`client`) that the handoff and
//! webhook work use too (status, private notes, assignment, labels). How one of our messages
//! looks there is `message`. See docs/chatwoot.md.

mod client;
mod message;
mod mirror;

pub use client::{
    Assignee, ChatwootClient, ChatwootConfigError, ChatwootError, Contact, ContactInbox, ConversationStatus,
    ConversationSummary, InboxRef, MAX_ANSWER_BYTES, MessageType, NewConversation, NewMessage,
};
pub use mirror::{MAX_BACKOFF, Mirror, MirrorReport};
