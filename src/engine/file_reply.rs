//! What Sofia answers about the files in a turn when no brain should: a voice note she could
//! not hear, a photo no brain can see, a document, a call, a catalogue order. Fixed texts, like
//! the guards', so a patient is never met with silence or with a brain guessing at something it
//! never read.

use serde::Serialize;
use serde_json::json;

use crate::agent::tools::{HandoffToHuman, Tool, ToolContext, Tools};
use crate::agent::{Draft, Turn};
use crate::channels::{MessageContent, OutboundMessage};
use crate::media::ReadMessages;

use super::EngineError;

/// Which fixed answer a turn got about its files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileReply {
    /// Only voice notes, none transcribed: the patient is asked to write.
    Unheard,
    /// Only photos, and no brain that sees them: received, the team looks if needed.
    PhotoReceived,
    /// Only documents: received.
    DocumentReceived,
    /// A document, and the clinic hands documents to its team.
    DocumentToTeam,
    /// A call to the clinic's WhatsApp number, and nothing written: nobody picks up there.
    CallNotTaken,
    /// A cart from the catalogue: a sale, which the team confirms.
    OrderToTeam,
}

pub(super) const UNHEARD: &str = "Desculpe, por aqui eu não consigo ouvir áudios. 🙏 Pode me escrever em \
    texto o que você precisa?";
/// Put before a brain's answer when the patient also wrote, so the voice note is not ignored.
pub(super) const UNHEARD_BESIDE_TEXT: &str = "Não consegui ouvir o seu áudio, desculpe. Se ele dizia mais \
    alguma coisa, pode me escrever?";
pub(super) const PHOTO_RECEIVED: &str = "Recebi sua imagem, obrigada! Se for preciso, nossa equipe dá uma \
    olhada. Como posso te ajudar?";
pub(super) const DOCUMENT_RECEIVED: &str = "Recebi seu documento, obrigada! Se for preciso, nossa equipe \
    confere. Posso te ajudar com mais alguma coisa?";

/// The handoff reason the team sees for a document.
pub const DOCUMENT_REASON: &str = "documento enviado";
/// The handoff reason the team sees for a catalogue order.
pub const ORDER_REASON: &str = "pedido pelo catálogo";

impl FileReply {
    /// The fixed answer this turn gets, if any: a document for a clinic that hands them to its
    /// team; otherwise only when the patient sent files and no words a brain could answer
    /// (a caption or a transcript are words). `sees_images`: the brain will get the photos.
    pub(super) fn of(
        read: &ReadMessages,
        turn: &Turn,
        documents_to_team: bool,
        sees_images: bool,
    ) -> Option<FileReply> {
        if read.documents > 0 && documents_to_team {
            return Some(FileReply::DocumentToTeam);
        }
        if turn.messages.iter().any(|message| matches!(message, MessageContent::Order { .. })) {
            return Some(FileReply::OrderToTeam);
        }
        if !turn.text().trim().is_empty() {
            return None;
        }
        if turn.messages.iter().any(|message| matches!(message, MessageContent::Call { .. })) {
            return Some(FileReply::CallNotTaken);
        }
        // Some photo reaches the brain: it answers the turn, the others with it.
        let a_photo_is_seen = sees_images && !turn.images.is_empty();
        if read.unheard > 0 {
            Some(FileReply::Unheard)
        } else if read.documents > 0 {
            Some(FileReply::DocumentReceived)
        } else if read.unseen > 0 && !a_photo_is_seen {
            Some(FileReply::PhotoReceived)
        } else {
            None
        }
    }

    pub(super) async fn answer(self, tools: &Tools, ctx: &mut ToolContext<'_>) -> Result<Draft, EngineError> {
        let text = match self {
            FileReply::Unheard => UNHEARD.to_owned(),
            FileReply::PhotoReceived => PHOTO_RECEIVED.to_owned(),
            FileReply::DocumentReceived => DOCUMENT_RECEIVED.to_owned(),
            FileReply::CallNotTaken => match &ctx.clinic().policies.calls {
                Some(text) => text.clone(),
                None => format!(
                    "Por aqui eu não consigo atender ligações, mas te ajudo por mensagem! 😊 É só me \
                     escrever o que você precisa. Se preferir falar com alguém por telefone, o número \
                     da clínica é {}.",
                    ctx.clinic().phone
                ),
            },
            FileReply::OrderToTeam => {
                let handed = tools.call(ctx, HandoffToHuman::NAME, json!({ "reason": ORDER_REASON })).await;
                match handed {
                    Ok(_) => "Recebi seu pedido pelo catálogo, obrigada! Já passei para a nossa equipe, que \
                              confirma os detalhes com você por aqui."
                        .to_owned(),
                    Err(_) => format!(
                        "Recebi seu pedido pelo catálogo, obrigada! Nossa equipe confere assim que puder; \
                         se for urgente, ligue para a clínica: {}.",
                        ctx.clinic().phone
                    ),
                }
            }
            FileReply::DocumentToTeam => {
                let handed =
                    tools.call(ctx, HandoffToHuman::NAME, json!({ "reason": DOCUMENT_REASON })).await;
                match handed {
                    Ok(_) => "Recebi seu documento, obrigada! Já passei para a nossa equipe, que confere e \
                              continua com você por aqui."
                        .to_owned(),
                    Err(_) => format!(
                        "Recebi seu documento, obrigada! Nossa equipe confere assim que puder; se for \
                         urgente, ligue para a clínica: {}.",
                        ctx.clinic().phone
                    ),
                }
            }
        };
        Ok(Draft { bubbles: vec![OutboundMessage::text(text)?], usage: None })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::channels::{Downloaded, MimeType};

    fn turn(texts: &[&str]) -> Turn {
        Turn::texts(texts)
    }

    #[test]
    fn a_voice_note_alone_and_unheard_asks_for_text() {
        let read = ReadMessages { unheard: 1, ..ReadMessages::default() };
        assert_eq!(FileReply::of(&read, &Turn::default(), false, false), Some(FileReply::Unheard));
    }

    #[test]
    fn words_beside_the_files_go_to_the_brain() {
        let read = ReadMessages { unheard: 1, unseen: 1, documents: 1, ..ReadMessages::default() };
        assert_eq!(FileReply::of(&read, &turn(&["queria marcar botox"]), false, false), None);
    }

    #[test]
    fn a_photo_goes_to_a_brain_that_sees_it_and_is_acknowledged_otherwise() {
        let photo = Downloaded { bytes: vec![1], mime: MimeType::parse("image/jpeg").unwrap() };
        let seen = Turn {
            messages: vec![MessageContent::Text { body: String::new() }],
            images: vec![photo],
            ..Turn::default()
        };
        let read = ReadMessages { unseen: 0, ..ReadMessages::default() };
        assert_eq!(FileReply::of(&read, &seen, false, true), None);
        let unseen = ReadMessages { unseen: 1, ..ReadMessages::default() };
        assert_eq!(FileReply::of(&unseen, &Turn::default(), false, false), Some(FileReply::PhotoReceived));
    }

    #[test]
    fn a_call_alone_is_answered_and_a_call_with_words_goes_to_the_brain() {
        let call = Turn { messages: vec![MessageContent::Call { video: true }], ..Turn::default() };
        let read = ReadMessages::default();
        assert_eq!(FileReply::of(&read, &call, false, false), Some(FileReply::CallNotTaken));
        let mut with_words = call.clone();
        with_words.messages.push(MessageContent::Text { body: "liguei pra saber do botox".into() });
        assert_eq!(FileReply::of(&read, &with_words, false, false), None);
    }

    #[test]
    fn an_order_goes_to_the_team_whatever_was_written() {
        let order = MessageContent::Order { summary: "1 × botox-50u".into() };
        let turn = Turn {
            messages: vec![order, MessageContent::Text { body: "pode ser sábado?".into() }],
            ..Turn::default()
        };
        assert_eq!(
            FileReply::of(&ReadMessages::default(), &turn, false, false),
            Some(FileReply::OrderToTeam)
        );
    }

    #[test]
    fn a_clinic_that_wants_documents_gets_them_whatever_was_written() {
        let read = ReadMessages { documents: 1, ..ReadMessages::default() };
        assert_eq!(
            FileReply::of(&read, &turn(&["segue o pedido"]), true, false),
            Some(FileReply::DocumentToTeam)
        );
        assert_eq!(FileReply::of(&read, &Turn::default(), false, false), Some(FileReply::DocumentReceived));
    }
}
