//! Where the conversation stands with the clinic's team: what the bot needs to know to neither
//! stay silent nor repeat itself around a handoff.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The human stretch of a conversation, as the bot sees it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum Handover {
    /// The bot answers; no person was ever called, or the last human stretch is long forgotten.
    #[default]
    Bot,
    /// The team was called (or took over) at `since`. `acknowledged` once the patient, writing
    /// again before anyone from the team did, was told the team knows: said once, not per message.
    WithTeam { since: DateTime<Utc>, acknowledged: bool },
    /// The human stretch ended at `at` and the bot answers again: it neither stays silent nor
    /// repeats the handoff message.
    Returned { at: DateTime<Utc> },
}

impl Handover {
    /// The patient should be told (once) that the team knows: the team was called and nobody
    /// has been told so since.
    pub fn owes_acknowledgement(&self) -> bool {
        matches!(self, Handover::WithTeam { acknowledged: false, .. })
    }

    /// The acknowledgement was sent.
    pub fn acknowledge(&mut self) {
        if let Handover::WithTeam { acknowledged, .. } = self {
            *acknowledged = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-02T09:00:00-03:00").map(|t| t.to_utc()).unwrap_or_default()
    }

    #[test]
    fn the_patient_is_told_once_that_the_team_knows() {
        let mut handover = Handover::WithTeam { since: at(), acknowledged: false };
        assert!(handover.owes_acknowledgement());
        handover.acknowledge();
        assert!(!handover.owes_acknowledgement());
        assert_eq!(handover, Handover::WithTeam { since: at(), acknowledged: true });
    }

    #[test]
    fn nothing_is_owed_when_the_bot_answers() {
        for mut handover in [Handover::Bot, Handover::Returned { at: at() }] {
            assert!(!handover.owes_acknowledgement());
            handover.acknowledge();
            assert!(!handover.owes_acknowledgement());
        }
    }
}
