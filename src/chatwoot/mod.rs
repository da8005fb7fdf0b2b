//! The Chatwoot bridge: a client of Chatwoot's Application API (`client`) for mirroring
//! conversations and for the handoff and webhook work (status, private notes, assignment,
//! labels).

mod client;

pub use client::{
    Assignee, ChatwootClient, ChatwootConfigError, ChatwootError, Contact, ContactInbox, ConversationStatus,
    ConversationSummary, InboxRef, MAX_ANSWER_BYTES, MessageType, NewConversation, NewMessage,
};
