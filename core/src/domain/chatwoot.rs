//! Chatwoot's own ids: positive integers, each kind its own type so that a contact id is
//! never posted where a conversation id belongs.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! chatwoot_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

chatwoot_id!(
    /// The account every API path is under (`/api/v1/accounts/{id}/…`).
    ChatwootAccountId
);
chatwoot_id!(
    /// An inbox; Sofia mirrors into an API-channel inbox.
    ChatwootInboxId
);
chatwoot_id!(
    /// A team of agents that handed-off conversations are assigned to.
    ChatwootTeamId
);
chatwoot_id!(ChatwootContactId);
chatwoot_id!(
    /// A conversation's display id, the one in every URL.
    ChatwootConversationId
);
chatwoot_id!(ChatwootMessageId);
