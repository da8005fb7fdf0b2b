//! One turn of the tool loop: prefetch what the prompt shows, ask the model, run the tools it
//! calls (sending errors back as tool results), and review its reply before anyone reads it.

use serde_json::{Value, json};
use sofia_core::conversation::{Awaiting, ConversationState, PendingAction};
use sofia_core::lang::{
    CLARIFICATIONS_BEFORE_HUMAN, NOT_UNDERSTOOD_FOR_THE_TEAM, needs_a_person, says_misunderstood,
};

use super::LlmBrain;
use super::chain::{Answer, Cursor};
use super::client::ModelError;
use super::history;
use super::prompt::PromptError;
use super::review::{self, Finding, Grounding, PriceGrounding};
use super::view::{PromptView, TurnFacts};
use super::wire::{FunctionCall, FunctionKind, Message, ToolCallRequest, ToolDefinition};
use crate::agent::brain::{Speaker, Turn};
use crate::agent::tools::{
    BookAppointment, CancelAppointment, ConfirmAppointment, DeclineWaitlistOffer, HandoffToHuman,
    JoinWaitlist, ListAppointments, PackageBalance, RescheduleAppointment, Tool, ToolContext, Tools,
    UpdateLead,
};
use crate::channels::MessageContent;
use crate::handoff::acknowledgement;
use crate::store::{LlmOutcome, ToolOutcome};

/// The tools whose outcome the patient must hear about, even if no model can word it.
const WRITES: [&str; 6] = [
    BookAppointment::NAME,
    RescheduleAppointment::NAME,
    CancelAppointment::NAME,
    ConfirmAppointment::NAME,
    HandoffToHuman::NAME,
    JoinWaitlist::NAME,
];

/// How a turn's loop ended.
pub(super) enum Ending {
    Reply {
        text: String,
        outcome: LlmOutcome,
    },
    /// Every model failed.
    NoModel(ModelError),
}

/// Why the loop could not run at all.
#[derive(Debug, thiserror::Error)]
pub(super) enum TurnError {
    #[error(transparent)]
    Prompt(#[from] PromptError),
    /// A replay without the cassette for a request: the suite is out of date.
    #[error(transparent)]
    Replay(ModelError),
}

/// What the turn spent and did, for usage and the last resort.
#[derive(Debug, Default)]
pub(super) struct Spent {
    pub cursor: Cursor,
    pub model: Option<String>,
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    pub cost_micro_usd: Option<u64>,
    /// What the last write told the patient (its summary, its result, or why it failed).
    pub last_write: Option<String>,
    /// The patient's turn was longer than the model is sent, and was cut.
    pub input_cut: bool,
}

impl Spent {
    fn add(&mut self, answer: &Answer, brain: &LlmBrain) {
        self.model = Some(answer.model.clone());
        self.prompt_tokens = self.prompt_tokens.saturating_add(answer.prompt_tokens);
        self.completion_tokens = self.completion_tokens.saturating_add(answer.completion_tokens);
        if let Some(price) = brain.prices.get(&answer.model) {
            let cost = price.micro_usd(u64::from(answer.prompt_tokens), u64::from(answer.completion_tokens));
            self.cost_micro_usd = Some(self.cost_micro_usd.unwrap_or(0) + cost);
        }
    }
}

pub(super) async fn run(
    brain: &LlmBrain,
    ctx: &mut ToolContext<'_>,
    tools: &Tools,
    turn: &Turn,
    spent: &mut Spent,
) -> Result<Ending, TurnError> {
    let appointments = read(ctx, tools, ListAppointments::NAME).await;
    let packages = read(ctx, tools, PackageBalance::NAME).await;
    let has_appointments = appointments["appointments"].as_array().is_some_and(|list| !list.is_empty());
    let window = history::window(&turn.history);
    let (said, cut) = clip(patient_words(turn), brain.max_input_chars);
    if cut {
        tracing::info!(limit = brain.max_input_chars, "the patient's turn was cut to what the model is sent");
    }
    spent.input_cut = cut;
    let recent_text = std::iter::once(said.clone())
        .chain(window.messages.iter().filter(|m| matches!(m, Message::User { .. })).map(Message::text))
        .collect::<Vec<_>>()
        .join("\n");
    let photos = if brain.vision { turn.images.as_slice() } else { &[] };
    let view = PromptView::new(
        ctx.clinic(),
        &TurnFacts {
            state: ctx.state(),
            now: ctx.now(),
            push_name: ctx.push_name(),
            appointments: &appointments,
            packages: &packages,
            summary: window.summary.clone(),
            recent_text: &recent_text,
        },
    )
    .with_photos(photos.len());
    let mut messages = vec![Message::system(brain.prompts.system(&view)?)];
    messages.extend(window.messages);
    messages.push(if photos.is_empty() {
        Message::user(said)
    } else {
        Message::user_with_images(said, photos)
    });

    let mut corrected = false;
    for step in 0..brain.max_steps {
        let offered = offered_tools(tools, ctx.state(), has_appointments, step == 0);
        let answer = match brain.chain.ask(&mut spent.cursor, &messages, &offered, ctx.now()).await {
            Ok(answer) => answer,
            Err(error @ ModelError::Cassette(_)) => return Err(TurnError::Replay(error)),
            Err(error) => return Ok(Ending::NoModel(error)),
        };
        spent.add(&answer, brain);
        if !answer.tool_calls.is_empty() {
            run_tool_calls(ctx, tools, &answer, step, &mut messages, spent).await;
            continue;
        }
        let text = answer.content.unwrap_or_default();
        match review::check(&text, &grounding(ctx, turn), &prices(ctx, turn)) {
            Finding::Clean => {
                let text = escalate_when_needed(ctx, tools, turn, text).await;
                let text = keep_promise(ctx, tools, text).await;
                return Ok(Ending::Reply { text, outcome: LlmOutcome::Answered });
            }
            Finding::Diagnosis => {
                tracing::warn!(model = %answer.model, "the model's reply diagnosed or prescribed; sending a safe reply");
                return Ok(Ending::Reply {
                    text: review::NO_DIAGNOSIS.to_owned(),
                    outcome: LlmOutcome::SafeReply,
                });
            }
            Finding::Unpriced(amounts) => {
                tracing::warn!(model = %answer.model, ?amounts, "the model's reply named money the clinic never stated; sending the price list");
                return Ok(Ending::Reply {
                    text: review::table_prices(ctx.clinic()),
                    outcome: LlmOutcome::SafeReply,
                });
            }
            Finding::Invented(moments) if !corrected => {
                let moments: Vec<String> = moments.iter().map(ToString::to_string).collect();
                tracing::info!(model = %answer.model, moments = ?moments, "the model named times no tool returned; asking again");
                corrected = true;
                messages.push(Message::assistant(text));
                // In the system role: a patient can type "[Aviso do sistema]" in a message,
                // but cannot send a system message.
                messages.push(Message::system(brain.prompts.correction(&moments)?));
            }
            Finding::Invented(_) => {
                tracing::warn!(model = %answer.model, "the model named times no tool returned, twice; sending the state's offer");
                let text = review::grounded_offer(ctx.clinic(), ctx.state());
                return Ok(Ending::Reply { text, outcome: LlmOutcome::SafeReply });
            }
        }
    }
    tracing::warn!(steps = brain.max_steps, "the model used every step of the turn; sending a safe reply");
    let text = spent.last_write.clone().unwrap_or_else(|| review::grounded_offer(ctx.clinic(), ctx.state()));
    Ok(Ending::Reply { text, outcome: LlmOutcome::SafeReply })
}

/// A read tool's result for the prompt; nothing if it is not registered or fails (the model
/// can still call it).
async fn read(ctx: &mut ToolContext<'_>, tools: &Tools, name: &str) -> Value {
    if !tools.names().contains(&name) {
        return Value::Null;
    }
    match tools.call(ctx, name, json!({})).await {
        Ok(reply) => reply.json,
        Err(error) => {
            tracing::warn!(tool = name, error = %error, "could not read for the prompt");
            Value::Null
        }
    }
}

/// The tools this step offers. Every registered tool stays callable (and is validated by the
/// tools themselves); the list only leaves out what cannot apply now, which keeps the prompt
/// small: booking without an offer, changing appointments the patient does not have, declining
/// a waitlist offer when none was made, the
/// reads whose results the prompt already shows, and, after the first step, recording lead
/// facts (they come from the patient's words, which the first step already read).
fn offered_tools(
    tools: &Tools,
    state: &ConversationState,
    has_appointments: bool,
    first_step: bool,
) -> Vec<ToolDefinition> {
    let booking = !state.offered.is_empty()
        || state.pending.as_ref().is_some_and(|p| matches!(p.action, PendingAction::Book { .. }));
    tools
        .schemas()
        .into_iter()
        .filter(|schema| match schema.name {
            BookAppointment::NAME => booking,
            RescheduleAppointment::NAME | CancelAppointment::NAME | ConfirmAppointment::NAME => {
                has_appointments
            }
            ListAppointments::NAME | PackageBalance::NAME => false,
            DeclineWaitlistOffer::NAME => state.dialogue.awaiting == Some(Awaiting::WaitlistOffer),
            UpdateLead::NAME => first_step,
            _ => true,
        })
        .map(ToolDefinition::from)
        .collect()
}

/// Runs the calls of one answer in order. Models may call several tools at once, but they
/// share the conversation state (an offer, a pending write), so running them one after the
/// other is what keeps that state consistent.
async fn run_tool_calls(
    ctx: &mut ToolContext<'_>,
    tools: &Tools,
    answer: &Answer,
    step: u32,
    messages: &mut Vec<Message>,
    spent: &mut Spent,
) {
    let calls: Vec<ToolCallRequest> = answer
        .tool_calls
        .iter()
        .enumerate()
        .map(|(index, call)| ToolCallRequest {
            // Some servers send no id; the model only needs ours to match its results.
            id: call.id.clone().filter(|id| !id.is_empty()).unwrap_or_else(|| format!("call_{step}_{index}")),
            kind: FunctionKind::Function,
            function: FunctionCall {
                name: call.function.name.clone(),
                arguments: call.function.arguments.clone(),
            },
        })
        .collect();
    messages.push(Message::Assistant { content: answer.content.clone(), tool_calls: calls.clone() });
    for call in calls {
        let name = call.function.name.as_str();
        let (result, hint) = match parse_arguments(&call.function.arguments) {
            Ok(arguments) => (tools.call(ctx, name, arguments).await, None),
            // Sent on as text, so the tool refuses it like any bad argument: audited, traced,
            // never executed.
            Err(problem) => {
                tracing::info!(tool = name, "the model sent arguments that are not JSON");
                (tools.call(ctx, name, Value::String(call.function.arguments.clone())).await, Some(problem))
            }
        };
        let content = match result {
            Ok(reply) => {
                if WRITES.contains(&name) {
                    spent.last_write = reply.text.clone().or(spent.last_write.take());
                }
                reply.json
            }
            Err(error) => {
                if WRITES.contains(&name) {
                    spent.last_write = Some(error.patient_message());
                }
                let mut json = error.to_json();
                if let Some(hint) = hint {
                    json["hint"] = Value::String(hint);
                }
                json
            }
        };
        messages.push(Message::Tool { tool_call_id: call.id, content: content.to_string() });
    }
}

/// The model's arguments as JSON; an empty string is no arguments.
fn parse_arguments(text: &str) -> Result<Value, String> {
    if text.trim().is_empty() {
        return Ok(json!({}));
    }
    serde_json::from_str(text)
        .map_err(|error| format!("the arguments are not valid JSON ({error}); send one JSON object"))
}

/// What a reply may name: the clinic's hours and the state, every tool result of the turn,
/// the dates the patient or the tool arguments named, and the times Sofia already sent in
/// this conversation (each checked when it was sent).
fn grounding(ctx: &ToolContext<'_>, turn: &Turn) -> Grounding {
    let mut grounding = review::base_grounding(ctx.clinic(), ctx.state(), ctx.now());
    for call in ctx.calls() {
        grounding.add_json(&call.result);
        grounding.add_dates_of_json(&call.arguments);
    }
    grounding.add_dates_of(&turn.text());
    for entry in &turn.history {
        match entry.speaker {
            Speaker::Patient => grounding.add_dates_of(&entry.text),
            Speaker::Clinic => grounding.add_text(&entry.text),
        }
    }
    grounding
}

/// The money a reply may name: the clinic's, what tools returned this turn, and what earlier
/// replies (already reviewed) said.
fn prices(ctx: &ToolContext<'_>, turn: &Turn) -> PriceGrounding {
    let mut prices = PriceGrounding::of_clinic(ctx.clinic());
    for call in ctx.calls() {
        prices.add_json(&call.result);
    }
    for entry in turn.history.iter().filter(|entry| entry.speaker == Speaker::Clinic) {
        prices.add_text(&entry.text);
    }
    prices
}

/// A complaint or a money dispute is the team's, whatever the model answered, and so is a
/// patient who said twice in a row that they were not understood: the handoff is made with the
/// reason (as the rules brain does), and the patient is told what happens next.
async fn escalate_when_needed(ctx: &mut ToolContext<'_>, tools: &Tools, turn: &Turn, text: String) -> String {
    let words = turn.text();
    let now = ctx.now();
    let misunderstood = if says_misunderstood(&words) {
        ctx.state_mut().missed(now)
    } else {
        ctx.state_mut().placed();
        0
    };
    let handed_off = ctx.calls().iter().any(|call| call.tool == HandoffToHuman::NAME);
    let reason = needs_a_person(&words)
        .map(|said| said.for_the_team())
        .or((misunderstood >= CLARIFICATIONS_BEFORE_HUMAN).then_some(NOT_UNDERSTOOD_FOR_THE_TEAM));
    let Some(reason) = reason.filter(|_| !handed_off) else {
        return text;
    };
    tracing::info!(reason, "the patient needs a person; making the handoff");
    match tools.call(ctx, HandoffToHuman::NAME, json!({ "reason": reason })).await {
        Ok(_) => {
            ctx.state_mut().placed();
            format!("{text}\n\n{}", acknowledgement(ctx.clinic(), ctx.now()))
        }
        Err(error) => {
            tracing::error!(error = %error, "could not hand the conversation over");
            review::handoff_failed(ctx.clinic())
        }
    }
}

/// A reply that tells the patient a person will take over must be true: the handoff is made
/// if the model did not make it. If it cannot be made, the patient is told how to reach the
/// clinic instead.
async fn keep_promise(ctx: &mut ToolContext<'_>, tools: &Tools, text: String) -> String {
    let handed_off =
        ctx.calls().iter().any(|call| call.tool == HandoffToHuman::NAME && call.outcome == ToolOutcome::Ok);
    if handed_off || !review::promises_a_human(&text) {
        return text;
    }
    tracing::info!("the reply promised a person without a handoff; making the handoff");
    let reason = json!({ "reason": "Sofia told the patient a person from the team would continue" });
    match tools.call(ctx, HandoffToHuman::NAME, reason).await {
        Ok(_) => text,
        Err(error) => {
            tracing::error!(error = %error, "could not make the handoff the reply promised");
            review::handoff_failed(ctx.clinic())
        }
    }
}

/// `text` cut to `limit` characters, at the last space before it when there is one; and
/// whether it was cut.
fn clip(text: String, limit: usize) -> (String, bool) {
    let Some((end, _)) = text.char_indices().nth(limit) else { return (text, false) };
    let head = &text[..end];
    let head = head.rfind(char::is_whitespace).filter(|at| *at > end / 2).map_or(head, |at| &head[..at]);
    (format!("{head} […]"), true)
}

/// What the patient sent, as text: their words, and a note for what is not text.
fn patient_words(turn: &Turn) -> String {
    let lines: Vec<String> = turn
        .messages
        .iter()
        .filter_map(|message| match message {
            MessageContent::Text { body } => Some(body.trim().to_owned()),
            MessageContent::ButtonReply { title, .. } | MessageContent::ListReply { title, .. } => {
                Some(title.trim().to_owned())
            }
            MessageContent::Image { caption, .. } => Some(captioned("[imagem]", caption.as_deref())),
            MessageContent::Video { caption, .. } => Some(captioned("[vídeo]", caption.as_deref())),
            MessageContent::Document { caption, .. } => Some(captioned("[documento]", caption.as_deref())),
            MessageContent::Audio { transcript: Some(words), .. } => {
                Some(format!("[áudio transcrito] {}", words.trim()))
            }
            MessageContent::Audio { transcript: None, .. } => {
                Some("[áudio, que não consigo ouvir]".to_owned())
            }
            MessageContent::Location { name, address, .. } => Some(format!(
                "[localização{}]",
                name.iter().chain(address).map(|part| format!(": {part}")).collect::<String>()
            )),
            MessageContent::Contact { name, .. } => Some(format!("[contato: {name}]")),
            MessageContent::Reaction { emoji, .. } => {
                emoji.as_ref().map(|emoji| format!("[reação: {emoji}]"))
            }
            MessageContent::Sticker => Some("[figurinha]".to_owned()),
            MessageContent::Call { video: false } => Some("[ligação de voz]".to_owned()),
            MessageContent::Call { video: true } => Some("[chamada de vídeo]".to_owned()),
            MessageContent::Order { summary } => Some(format!("[pedido pelo catálogo: {summary}]")),
            MessageContent::Unsupported { kind } => Some(format!("[{kind}]")),
        })
        .filter(|line| !line.is_empty())
        .collect();
    if lines.is_empty() { "[mensagem vazia]".to_owned() } else { lines.join("\n") }
}

fn captioned(kind: &str, caption: Option<&str>) -> String {
    match caption.map(str::trim).filter(|c| !c.is_empty()) {
        Some(caption) => format!("{kind} {caption}"),
        None => kind.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::channels::{Media, MediaSource};

    fn voice(transcript: Option<&str>) -> MessageContent {
        let media = Media { mime_type: Some("audio/ogg".into()), source: MediaSource::MetaId("1".into()) };
        MessageContent::Audio { voice: true, media, transcript: transcript.map(str::to_owned) }
    }

    #[test]
    fn the_model_knows_which_words_were_spoken_and_which_voice_note_it_could_not_hear() {
        let turn = Turn {
            messages: vec![
                MessageContent::Text { body: "oi".into() },
                voice(Some(" queria marcar botox amanhã à tarde ")),
                voice(None),
            ],
            ..Turn::default()
        };
        assert_eq!(
            patient_words(&turn),
            "oi\n[áudio transcrito] queria marcar botox amanhã à tarde\n[áudio, que não consigo ouvir]"
        );
        assert_eq!(
            turn.text(),
            "oi\nqueria marcar botox amanhã à tarde",
            "the brains' words include the transcript"
        );
    }
}
