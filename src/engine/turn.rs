//! One turn: pending messages → guards or brain → bubbles in the outbox.

use std::sync::Arc;

use sofia_core::clinic::Clinic;
use sofia_core::conversation::{ConversationState, Handover};
use sofia_core::domain::{ConversationId, Direction, MessageId};

use crate::agent::tools::{HandoffToHuman, Tool, ToolContext};
use crate::agent::{Draft, HistoryEntry, Speaker, Turn};
use crate::channels::{MessageContent, OutboundMessage};
use crate::handoff;
use crate::inbox::InboxPayload;
use crate::store::{Author, Conversation, NewOutbound, OutboxReceipt, Owner, StoredMessage};

use super::file_reply::{self, FileReply};
use super::{Engine, EngineError, Guard, TurnOutcome, bubbles};
use crate::media::ReadMessages;

/// How often a draft is redone because the patient kept writing, before the reply goes out
/// anyway (the newest messages then make the next turn).
const MAX_REDOS: u32 = 3;

const GESTURE_ON_A_PROPOSAL: &str =
    "Vi sua reação 😊 Para eu seguir com o que te passei, pode me responder \"sim\" ou \"não\"?";

const APOLOGY: &str =
    "Desculpe, tive um probleminha aqui e não consegui responder agora. Pode repetir daqui a pouco?";

pub(super) async fn run(engine: &Engine, id: ConversationId) -> Result<TurnOutcome, EngineError> {
    let mut outcome = TurnOutcome::default();
    loop {
        let conversation =
            engine.store.conversation(id).await?.ok_or(EngineError::UnknownConversation(id))?;
        let loaded = engine.clinic_by_id(conversation.clinic_id)?;
        let clinic = &loaded.clinic;
        // Tells the `conversation` span of `Engine::run_turn` whose conversation this is.
        tracing::Span::current()
            .record("clinic", tracing::field::display(&clinic.tenant))
            .record("phone", tracing::field::display(conversation.phone.masked()));
        let pending = engine.store.pending_inbound(id).await?;
        let from_patient: Vec<&StoredMessage> =
            pending.iter().filter(|message| message.author == Author::Patient).collect();
        outcome.state = ConversationState::from_json(&conversation.state);
        if from_patient.is_empty() {
            finish(engine, &pending, &mut outcome).await?;
            return Ok(outcome);
        }
        // A human stretch nobody from the team kept up ends before the patient is answered.
        let conversation = match engine.desk.return_if_idle(&conversation).await? {
            Some(_) => engine.store.conversation(id).await?.ok_or(EngineError::UnknownConversation(id))?,
            None => conversation,
        };
        outcome.state = ConversationState::from_json(&conversation.state);
        let bot_may_reply = conversation.owner.bot_may_reply(engine.clock.now());
        // Voice notes are transcribed even for a conversation the team has: the team reads the
        // transcript, and an emergency said aloud still meets the guard. Photos are fetched only
        // for a brain that will see them.
        let sees_images = bot_may_reply && engine.brain.sees_images();
        let mut read = engine
            .attachments
            .read(engine.store.as_ref(), &from_patient, sees_images, engine.clock.now())
            .await?;
        if !bot_may_reply {
            // The messages stay in the transcript for the human; the bot only tells a waiting
            // patient, once, that the team knows, and never meets an emergency with silence.
            outcome.silenced = true;
            let words = Turn { messages: std::mem::take(&mut read.contents), ..Turn::default() };
            if Guard::check(&words) == Some(Guard::Emergency) {
                outcome.guard = Some(Guard::Emergency);
                let text = super::guards::emergency_with_team();
                say_while_with_team(engine, &conversation, &pending, &mut outcome, text).await?;
            } else {
                acknowledge(engine, clinic, &conversation, &pending, &mut outcome).await?;
            }
            finish(engine, &pending, &mut outcome).await?;
            return Ok(outcome);
        }

        if read.contents.iter().all(MessageContent::is_gesture) {
            answer_gesture(engine, &conversation, &pending, &mut outcome).await?;
            finish(engine, &pending, &mut outcome).await?;
            return Ok(outcome);
        }

        let turn = Turn {
            messages: std::mem::take(&mut read.contents),
            history: history(engine, id, &pending).await?,
            images: std::mem::take(&mut read.images),
        };
        let push_name = from_patient.iter().rev().find_map(|message| InboxPayload::of(message).push_name);
        let mut state = outcome.state.clone();
        let draft =
            draft(engine, clinic, &conversation, (&turn, &read), push_name, &mut state, &mut outcome).await?;

        // The patient wrote again while we drafted: answer everything at once instead.
        let now_pending = engine.store.pending_inbound(id).await?;
        if now_pending.len() > pending.len() && outcome.redone < MAX_REDOS {
            outcome.redone += 1;
            continue;
        }

        outcome.state = state;
        if !outcome.handoff && taken_meanwhile(engine, id).await? {
            // A person of the team took the conversation while the bot drafted: the draft is
            // dropped, and what its tools did (already saved) stays.
            tracing::info!("the team took the conversation during the turn: the bot's reply is dropped");
            outcome.dropped = true;
            engine.store.save_state(id, &outcome.state.to_json()?, engine.clock.now()).await?;
            finish(engine, &pending, &mut outcome).await?;
            return Ok(outcome);
        }
        outcome.bubbles = bubbles::shape(draft.bubbles);
        outcome.usage = draft.usage;
        let turn_key = pending.last().map(|message| message.id).unwrap_or_else(MessageId::new_random);
        outcome.queued = enqueue(engine, &conversation, turn_key, &outcome.bubbles).await?;
        let state_json = outcome.state.to_json()?;
        engine.store.save_state(id, &state_json, engine.clock.now()).await?;
        finish(engine, &pending, &mut outcome).await?;
        return Ok(outcome);
    }
}

/// Whether the bot may no longer answer: a person of the team took the conversation over, or
/// staff typed on the clinic's phone, since the turn began.
async fn taken_meanwhile(engine: &Engine, id: ConversationId) -> Result<bool, EngineError> {
    let now = engine.store.conversation(id).await?.ok_or(EngineError::UnknownConversation(id))?;
    Ok(!now.owner.bot_may_reply(engine.clock.now()))
}

/// The first patient message after Sofia called the team gets one acknowledgement (saying,
/// out of opening hours, when the team is back); later ones wait in silence. A patient a person
/// already wrote to needs none, and a conversation taken over by the team never owed one.
async fn acknowledge(
    engine: &Engine,
    clinic: &Clinic,
    conversation: &Conversation,
    pending: &[StoredMessage],
    outcome: &mut TurnOutcome,
) -> Result<(), EngineError> {
    let Handover::WithTeam { since, .. } = outcome.state.handover else { return Ok(()) };
    if conversation.owner != Owner::Human || !outcome.state.handover.owes_acknowledgement() {
        return Ok(());
    }
    let person_wrote = conversation.human_wrote_at.is_some_and(|at| at >= since);
    if person_wrote {
        outcome.state.handover.acknowledge();
        let state = outcome.state.to_json()?;
        engine.store.save_state(conversation.id, &state, engine.clock.now()).await?;
        return Ok(());
    }
    let text = handoff::acknowledgement(clinic, engine.clock.now());
    say_while_with_team(engine, conversation, pending, outcome, text).await
}

/// A turn of only reactions and stickers: a 👍 or a sticker closes a point, and a good
/// receptionist does not answer it. Unless a summary waits for the patient's yes: a reaction is
/// not a yes to a write, so the patient is asked to say it.
async fn answer_gesture(
    engine: &Engine,
    conversation: &Conversation,
    pending: &[StoredMessage],
    outcome: &mut TurnOutcome,
) -> Result<(), EngineError> {
    if outcome.state.pending.is_none() {
        tracing::info!("only reactions or stickers: nothing to answer");
        return Ok(());
    }
    outcome.bubbles = vec![OutboundMessage::text(GESTURE_ON_A_PROPOSAL)?];
    let turn_key = pending.last().map(|message| message.id).unwrap_or_else(MessageId::new_random);
    outcome.queued = enqueue(engine, conversation, turn_key, &outcome.bubbles).await?;
    Ok(())
}

/// Queues `text` to a patient whose conversation the team has; it counts as the
/// acknowledgement, so the patient is not told twice that the team knows.
async fn say_while_with_team(
    engine: &Engine,
    conversation: &Conversation,
    pending: &[StoredMessage],
    outcome: &mut TurnOutcome,
    text: String,
) -> Result<(), EngineError> {
    outcome.bubbles = vec![OutboundMessage::text(text)?];
    let turn_key = pending.last().map(|message| message.id).unwrap_or_else(MessageId::new_random);
    outcome.queued = enqueue(engine, conversation, turn_key, &outcome.bubbles).await?;
    outcome.state.handover.acknowledge();
    engine.store.save_state(conversation.id, &outcome.state.to_json()?, engine.clock.now()).await?;
    Ok(())
}

/// Asks the guards, then looks at the turn's files (a fixed answer when no brain should
/// answer them), then the brain. A brain that fails gets the patient an apology, never the
/// error; the state it changed before failing is kept, as the tools already saved it.
async fn draft(
    engine: &Engine,
    clinic: &Clinic,
    conversation: &Conversation,
    (turn, read): (&Turn, &ReadMessages),
    push_name: Option<String>,
    state: &mut ConversationState,
    outcome: &mut TurnOutcome,
) -> Result<Draft, EngineError> {
    let store = Arc::clone(&engine.store);
    let mut ctx = ToolContext::new(
        store,
        clinic,
        engine.clock.as_ref(),
        conversation.id,
        conversation.phone.clone(),
        state,
    )
    .with_push_name(push_name)
    .with_patient_words(&turn.text());
    let guard = Guard::check(turn);
    let file_answer = match guard {
        None => FileReply::of(read, turn, clinic.policies.documents_to_team, engine.brain.sees_images()),
        Some(_) => None,
    };
    let result = match (guard, file_answer) {
        (Some(guard), _) => guard.answer(engine.store.as_ref(), &engine.tools, &mut ctx).await,
        (None, Some(reply)) => reply.answer(&engine.tools, &mut ctx).await,
        (None, None) => match engine.brain.reply(&mut ctx, &engine.tools, turn).await {
            Ok(mut draft) => {
                if read.unheard > 0 {
                    // The patient also wrote: the brain answers that, and the voice note is not
                    // passed over in silence.
                    draft.bubbles.insert(0, OutboundMessage::text(file_reply::UNHEARD_BESIDE_TEXT)?);
                }
                Ok(draft)
            }
            Err(error) => {
                tracing::error!(
                    conversation = %conversation.id,
                    brain = engine.brain.kind().as_str(),
                    error = &error as &dyn std::error::Error,
                    "the brain could not reply"
                );
                ctx.withdraw_unshown_proposal();
                Ok(Draft { bubbles: vec![OutboundMessage::text(APOLOGY)?], usage: None })
            }
        },
    };

    outcome.tool_calls.extend(ctx.calls().iter().cloned());
    outcome.handoff |= ctx
        .calls()
        .iter()
        .any(|call| call.tool == HandoffToHuman::NAME && call.outcome == crate::store::ToolOutcome::Ok);
    outcome.guard = guard;
    outcome.file_reply = file_answer;
    outcome.brain = if guard.is_none() && file_answer.is_none() { Some(engine.brain.kind()) } else { None };
    result
}

/// The conversation before this turn, newest last, as many messages as configured.
async fn history(
    engine: &Engine,
    id: ConversationId,
    pending: &[StoredMessage],
) -> Result<Vec<HistoryEntry>, EngineError> {
    let transcript = engine.store.transcript(id).await?;
    let earlier: Vec<HistoryEntry> = transcript
        .iter()
        .filter(|message| !pending.iter().any(|p| p.id == message.id))
        .filter(|message| !message.body.trim().is_empty())
        .map(|message| HistoryEntry {
            speaker: match message.direction {
                Direction::Inbound if message.author == Author::Patient => Speaker::Patient,
                _ => Speaker::Clinic,
            },
            text: message.body.clone(),
        })
        .collect();
    let skip = earlier.len().saturating_sub(engine.settings.history_messages);
    Ok(earlier.into_iter().skip(skip).collect())
}

/// Writes the bubbles to the outbox under `<turn>:<n>` keys: a retried turn (after a crash)
/// finds them queued and adds nothing.
async fn enqueue(
    engine: &Engine,
    conversation: &Conversation,
    turn_key: MessageId,
    bubbles: &[OutboundMessage],
) -> Result<Vec<MessageId>, EngineError> {
    let mut queued = Vec::with_capacity(bubbles.len());
    for (index, bubble) in bubbles.iter().enumerate() {
        let message = NewOutbound {
            id: MessageId::new_random(),
            clinic_id: conversation.clinic_id,
            conversation_id: conversation.id,
            idempotency_key: format!("turn:{turn_key}:{index:02}"),
            author: Author::Bot,
            kind: bubble.kind(),
            body: bubble.plain_text(),
            payload: serde_json::to_value(bubble)?,
            created_at: engine.clock.now(),
        };
        match engine.store.enqueue_outbound(&message).await? {
            OutboxReceipt::Queued(id) | OutboxReceipt::AlreadyQueued(id) => queued.push(id),
        }
    }
    Ok(queued)
}

async fn finish(
    engine: &Engine,
    pending: &[StoredMessage],
    outcome: &mut TurnOutcome,
) -> Result<(), EngineError> {
    let ids: Vec<MessageId> = pending.iter().map(|message| message.id).collect();
    if !ids.is_empty() {
        engine.store.mark_processed(&ids, engine.clock.now()).await?;
    }
    outcome.answered = ids;
    Ok(())
}
