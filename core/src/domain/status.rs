//! The small closed vocabularies that the store, the tools and the eval files share.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary!(
    /// Where an appointment stands. Only `scheduled` and `confirmed` hold the professional's time.
    AppointmentStatus {
        Scheduled => "scheduled",
        Confirmed => "confirmed",
        Cancelled => "cancelled",
        Completed => "completed",
        NoShow => "no_show",
    }
);

impl AppointmentStatus {
    /// Whether the appointment still occupies its slot.
    pub fn is_active(self) -> bool {
        matches!(self, AppointmentStatus::Scheduled | AppointmentStatus::Confirmed)
    }
}

vocabulary!(
    /// How warm a lead is, computed from its qualification facts.
    Temperature {
        Cold => "cold",
        Warm => "warm",
        Hot => "hot",
    }
);

vocabulary!(
    /// The lead's place in the clinic's funnel.
    FunnelStage {
        New => "new",
        Contacted => "contacted",
        Interested => "interested",
        Scheduled => "scheduled",
        Converted => "converted",
        Lost => "lost",
    }
);

vocabulary!(
    /// Who booked an appointment.
    BookedBy {
        Bot => "bot",
        Staff => "staff",
        Patient => "patient",
        Import => "import",
    }
);

vocabulary!(
    /// Direction of a WhatsApp message relative to the clinic.
    Direction {
        Inbound => "inbound",
        Outbound => "outbound",
    }
);

vocabulary!(
    /// Delivery state of an outbound message; only ever moves forward (see [`DeliveryStatus::rank`]).
    DeliveryStatus {
        Pending => "pending",
        Sent => "sent",
        Delivered => "delivered",
        Read => "read",
        Played => "played",
        Failed => "failed",
    }
);

impl DeliveryStatus {
    /// Providers deliver statuses out of order (read before delivered is normal), so a status
    /// only replaces one of lower rank. `failed` outranks everything but a later read.
    pub fn rank(self) -> u8 {
        match self {
            DeliveryStatus::Pending => 0,
            DeliveryStatus::Sent => 1,
            DeliveryStatus::Delivered => 2,
            DeliveryStatus::Failed => 3,
            DeliveryStatus::Read => 4,
            DeliveryStatus::Played => 5,
        }
    }
}

vocabulary!(
    /// The WhatsApp providers Sofia speaks, plus the console used offline.
    ProviderKind {
        Console => "console",
        Meta => "meta",
        Evolution => "evolution",
        Zapi => "zapi",
    }
);

vocabulary!(
    /// What a stored message is: the inbound content's type tag (`MessageContent` in the
    /// channels module; `unsupported` for a kind Sofia does not read) or the outbound bubble's shape.
    MessageKind {
        Text => "text",
        ButtonReply => "button_reply",
        ListReply => "list_reply",
        Audio => "audio",
        Image => "image",
        Video => "video",
        Document => "document",
        Location => "location",
        Contact => "contact",
        Reaction => "reaction",
        Sticker => "sticker",
        Call => "call",
        Order => "order",
        Unsupported => "unsupported",
        Buttons => "buttons",
        List => "list",
        Template => "template",
    }
);

vocabulary!(
    /// An entry of a patient's timeline in the CRM. Every change of a conversation's owner is
    /// one: `handoff` (Sofia called the team), `taken_over` (a person wrote first),
    /// `handoff_resolved` (the team gave it back), `returned_to_bot` (nobody from the team wrote
    /// for `handoff.idle_return_h`), `paused_for_staff` (staff typed on the clinic's phone; the
    /// pause ends by itself at its time).
    InteractionKind {
        Booked => "booked",
        Confirmed => "confirmed",
        Rescheduled => "rescheduled",
        Cancelled => "cancelled",
        Handoff => "handoff",
        TakenOver => "taken_over",
        HandoffResolved => "handoff_resolved",
        ReturnedToBot => "returned_to_bot",
        PausedForStaff => "paused_for_staff",
        OptOut => "opt_out",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vocabulary_word_round_trips() {
        for s in AppointmentStatus::ALL {
            assert_eq!(AppointmentStatus::parse(s.as_str()), Some(*s));
        }
        for s in FunnelStage::ALL {
            assert_eq!(FunnelStage::parse(s.as_str()), Some(*s));
        }
        for s in DeliveryStatus::ALL {
            assert_eq!(DeliveryStatus::parse(s.as_str()), Some(*s));
        }
        for s in MessageKind::ALL {
            assert_eq!(MessageKind::parse(s.as_str()), Some(*s));
        }
        for s in InteractionKind::ALL {
            assert_eq!(InteractionKind::parse(s.as_str()), Some(*s));
        }
        assert_eq!(AppointmentStatus::parse("no_show"), Some(AppointmentStatus::NoShow));
        assert_eq!(AppointmentStatus::parse("bogus"), None);
    }

    #[test]
    fn only_scheduled_and_confirmed_hold_a_slot() {
        let active: Vec<_> = AppointmentStatus::ALL.iter().filter(|s| s.is_active()).collect();
        assert_eq!(active, [&AppointmentStatus::Scheduled, &AppointmentStatus::Confirmed]);
    }
}
