//! Bubbles: a draft cut into WhatsApp-sized messages.
//!
//! People read WhatsApp in short messages. A long text is split on paragraph boundaries into
//! bubbles of about [`SOFT_LIMIT`] characters; a single paragraph longer than WhatsApp's hard
//! limit is split on sentence, then word boundaries. Empty bubbles are dropped. Interactive
//! messages pass through: they were checked against their limits when built.

use crate::channels::{OutboundMessage, limits};

/// Where a text starts to read like an e-mail.
const SOFT_LIMIT: usize = 700;

pub fn shape(draft: Vec<OutboundMessage>) -> Vec<OutboundMessage> {
    let mut bubbles = Vec::with_capacity(draft.len());
    for message in draft {
        match &message {
            OutboundMessage::Text(text) => {
                for piece in split_text(text.body()) {
                    // Each piece is within the hard limit by construction, so this cannot fail.
                    if let Ok(bubble) = OutboundMessage::text(piece) {
                        bubbles.push(bubble);
                    }
                }
            }
            _ => bubbles.push(message),
        }
    }
    bubbles
}

/// Splits `text` into trimmed, non-empty pieces of at most [`limits::TEXT_BODY`] characters,
/// packing whole paragraphs up to [`SOFT_LIMIT`].
fn split_text(text: &str) -> Vec<String> {
    let mut pieces: Vec<String> = Vec::new();
    let mut current = String::new();
    for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        for part in within_hard_limit(paragraph) {
            let joined = chars(&current) + 2 + chars(&part);
            if !current.is_empty() && joined > SOFT_LIMIT {
                pieces.push(std::mem::take(&mut current));
            }
            if !current.is_empty() {
                current.push_str("\n\n");
            }
            current.push_str(&part);
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

/// A paragraph as pieces no longer than the hard limit: cut after a sentence when possible,
/// else at a space, else anywhere.
fn within_hard_limit(paragraph: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut rest = paragraph;
    while chars(rest) > limits::TEXT_BODY {
        let window: String = rest.chars().take(limits::TEXT_BODY).collect();
        let cut = window
            .rfind(". ")
            .map(|at| at + 1)
            .or_else(|| window.rfind(' '))
            .filter(|at| *at > 0)
            .unwrap_or(window.len());
        pieces.push(rest[..cut].trim().to_owned());
        rest = rest[cut..].trim_start();
    }
    if !rest.is_empty() {
        pieces.push(rest.to_owned());
    }
    pieces
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(bubbles: &[OutboundMessage]) -> Vec<String> {
        bubbles.iter().map(OutboundMessage::plain_text).collect()
    }

    #[test]
    fn a_short_reply_is_one_bubble() {
        let bubbles = shape(vec![OutboundMessage::text("Oi! Tudo bem?\n\nComo posso ajudar?").unwrap()]);
        assert_eq!(texts(&bubbles), ["Oi! Tudo bem?\n\nComo posso ajudar?"]);
    }

    #[test]
    fn a_long_reply_splits_between_paragraphs() {
        let paragraph = "Palavra ".repeat(60).trim().to_owned(); // ~480 chars
        let text = format!("{paragraph}\n\n{paragraph}\n\n{paragraph}");
        let bubbles = shape(vec![OutboundMessage::text(text).unwrap()]);
        assert_eq!(bubbles.len(), 3);
        assert!(texts(&bubbles).iter().all(|bubble| bubble == &paragraph));
    }

    #[test]
    fn a_paragraph_over_the_hard_limit_is_cut_after_a_sentence() {
        let sentence = "Esta é uma frase de teste. ";
        let paragraph = sentence.repeat(200); // 5,400 chars, one paragraph
        let mut bubbles = Vec::new();
        for piece in within_hard_limit(paragraph.trim()) {
            assert!(chars(&piece) <= limits::TEXT_BODY);
            assert!(piece.ends_with('.'), "cut mid-sentence: …{}", &piece[piece.len() - 20..]);
            bubbles.push(piece);
        }
        assert_eq!(bubbles.join(" "), paragraph.trim());
    }

    #[test]
    fn interactive_bubbles_pass_through_in_order() {
        let buttons = OutboundMessage::buttons(
            "Qual horário?",
            vec![crate::channels::ReplyButton::new("slot:1", "Ter 14:00")],
        )
        .unwrap();
        let intro = OutboundMessage::text("Tenho estes horários:\n\n").unwrap();
        let bubbles = shape(vec![intro, buttons.clone()]);
        assert_eq!(bubbles, [OutboundMessage::text("Tenho estes horários:").unwrap(), buttons]);
    }
}
