//! What the model reads of earlier messages: the most recent ones verbatim, within a token
//! budget, and an extractive summary of the older ones.
//!
//! Tool results never come back from history: what they established (the offer and its ids,
//! the pending confirmation, appointments, packages, lead facts) is in the conversation state,
//! which the prompt shows every turn. So older messages matter only for what the patient said,
//! and the summary keeps the patient's words (clipped) and drops Sofia's long replies, whose
//! substance the state already holds. It is computed, not asked of a model: no extra request,
//! nothing that can invent a time, the same output on every replay.

use super::tokens;
use super::wire::Message;
use crate::agent::brain::{HistoryEntry, Speaker};

/// Tokens of verbatim recent messages. About six WhatsApp exchanges.
pub const WINDOW_TOKENS: usize = 600;
/// Tokens of the summary of older messages.
pub const SUMMARY_TOKENS: usize = 200;
/// Characters kept of one older patient message in the summary.
const SUMMARY_CLIP: usize = 120;

/// The history as the prompt shows it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Window {
    /// Older messages, summarised; `None` when everything fits in the window.
    pub summary: Option<String>,
    /// Recent messages, oldest first, starting with the patient's and alternating speakers
    /// (some servers' chat templates require both).
    pub messages: Vec<Message>,
}

pub fn window(history: &[HistoryEntry]) -> Window {
    let merged = merge_bursts(history);
    let mut start = merged.len();
    let mut used = 0;
    while start > 0 {
        let cost = tokens::message(&as_message(&merged[start - 1]));
        if used + cost > WINDOW_TOKENS {
            break;
        }
        used += cost;
        start -= 1;
    }
    // The window opens with the patient: a leading reply of Sofia's goes to the summary.
    while start < merged.len() && merged[start].speaker != Speaker::Patient {
        start += 1;
    }
    Window { summary: summary(&merged[..start]), messages: merged[start..].iter().map(as_message).collect() }
}

/// Consecutive messages of one speaker (a burst, or several reply bubbles) as one.
fn merge_bursts(history: &[HistoryEntry]) -> Vec<HistoryEntry> {
    let mut merged: Vec<HistoryEntry> = Vec::new();
    for entry in history.iter().filter(|entry| !entry.text.trim().is_empty()) {
        match merged.last_mut() {
            Some(last) if last.speaker == entry.speaker => {
                last.text.push('\n');
                last.text.push_str(entry.text.trim());
            }
            _ => merged.push(HistoryEntry { speaker: entry.speaker, text: entry.text.trim().to_owned() }),
        }
    }
    merged
}

fn as_message(entry: &HistoryEntry) -> Message {
    match entry.speaker {
        Speaker::Patient => Message::user(entry.text.clone()),
        Speaker::Clinic => Message::assistant(entry.text.clone()),
    }
}

/// The patient's older messages, newest kept first when the budget runs out.
fn summary(older: &[HistoryEntry]) -> Option<String> {
    let said: Vec<String> = older
        .iter()
        .filter(|entry| entry.speaker == Speaker::Patient)
        // Quoted as data before it is counted: the patient's words never read as the prompt's.
        .map(|entry| super::view::quoted(&clip(&entry.text.replace('\n', " / "))))
        .collect();
    if said.is_empty() {
        return None;
    }
    let mut kept: Vec<&String> = Vec::new();
    let mut used = 0;
    for line in said.iter().rev() {
        let cost = tokens::count(line) + 2;
        if used + cost > SUMMARY_TOKENS {
            break;
        }
        used += cost;
        kept.push(line);
    }
    kept.reverse();
    let mut text = String::new();
    let left_out = said.len() - kept.len();
    if left_out > 0 {
        text.push_str(&format!("(mais {left_out} mensagens antigas do paciente omitidas)\n"));
    }
    for line in kept {
        text.push_str("- ");
        text.push_str(line);
        text.push('\n');
    }
    Some(text.trim_end().to_owned())
}

fn clip(text: &str) -> String {
    if text.chars().count() <= SUMMARY_CLIP {
        return text.to_owned();
    }
    let clipped: String = text.chars().take(SUMMARY_CLIP).collect();
    format!("{}…", clipped.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patient(text: &str) -> HistoryEntry {
        HistoryEntry { speaker: Speaker::Patient, text: text.to_owned() }
    }

    fn clinic(text: &str) -> HistoryEntry {
        HistoryEntry { speaker: Speaker::Clinic, text: text.to_owned() }
    }

    #[test]
    fn a_short_conversation_is_shown_whole_with_bursts_merged() {
        let window = window(&[patient("oi"), patient("queria botox"), clinic("Claro!"), clinic("Qual dia?")]);
        assert_eq!(window.summary, None);
        assert_eq!(
            window.messages,
            [Message::user("oi\nqueria botox"), Message::assistant("Claro!\nQual dia?")]
        );
    }

    #[test]
    fn older_messages_become_a_summary_of_what_the_patient_said() {
        let mut history = Vec::new();
        for n in 0..40 {
            history.push(patient(&format!("mensagem {n} do paciente sobre limpeza de pele e horários")));
            history
                .push(clinic(&"Tenho estes horários para Limpeza de Pele: 1) segunda às 09:00 ".repeat(3)));
        }
        let window = window(&history);
        let kept: usize = window.messages.iter().map(tokens::message).sum();
        assert!(kept <= WINDOW_TOKENS, "{kept}");
        assert!(matches!(window.messages.first(), Some(Message::User { .. })));
        assert!(matches!(window.messages.last(), Some(Message::Assistant { .. })));

        let summary = window.summary.unwrap();
        assert!(tokens::count(&summary) <= SUMMARY_TOKENS + 20, "{summary}");
        assert!(summary.starts_with("(mais "), "{summary}");
        assert!(!summary.contains("Tenho estes horários"), "Sofia's replies are left to the state");
        let newest_summarised = 39 - window.messages.len() / 2;
        assert!(summary.contains(&format!("mensagem {newest_summarised} ")), "{summary}");
    }

    #[test]
    fn a_long_message_is_clipped_in_the_summary() {
        let long = "a".repeat(500);
        let mut history = vec![patient(&long)];
        history.extend((0..60).map(|n| patient(&format!("depois {n}"))).flat_map(|p| [p, clinic("ok")]));
        let summary = window(&history).summary.unwrap();
        assert!(summary.contains(&format!("{}…", "a".repeat(SUMMARY_CLIP))), "{summary}");
    }
}
