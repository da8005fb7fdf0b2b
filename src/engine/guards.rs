//! The guards that run before any brain: an emergency, an opt-out, a request for a person.
//! Their answers are fixed, so no brain (and no model) can get them wrong.

use serde::Serialize;
use serde_json::json;
use sofia_core::domain::InteractionKind;
use sofia_core::lang::{is_emergency, is_opt_out, wants_human};

use crate::agent::tools::{HandoffToHuman, Tool, ToolContext, Tools};
use crate::agent::{Draft, Turn};
use crate::channels::OutboundMessage;
use crate::store::{Interaction, Store};

use super::EngineError;

/// Which guard answered a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Guard {
    /// Words of a medical emergency: call SAMU now, and the team is told.
    Emergency,
    /// "SAIR", "PARAR", "não quero mais receber mensagens"…
    OptOut,
    /// The patient asked for a person.
    AskedForHuman,
}

impl Guard {
    /// The guard this turn trips, most urgent first.
    pub fn check(turn: &Turn) -> Option<Guard> {
        let text = turn.text();
        if is_emergency(&text) {
            Some(Guard::Emergency)
        } else if is_opt_out(&text) {
            Some(Guard::OptOut)
        } else if wants_human(&text) {
            Some(Guard::AskedForHuman)
        } else {
            None
        }
    }

    /// Acts and drafts the fixed answer.
    pub(super) async fn answer(
        self,
        store: &dyn Store,
        tools: &Tools,
        ctx: &mut ToolContext<'_>,
    ) -> Result<Draft, EngineError> {
        match self {
            Guard::Emergency => emergency(tools, ctx).await,
            Guard::OptOut => opt_out(store, ctx).await,
            Guard::AskedForHuman => asked_for_human(tools, ctx).await,
        }
    }
}

const EMERGENCY: &str = "⚠️ Isso pode ser uma emergência. Ligue agora para o SAMU (192) ou vá ao \
    pronto-socorro mais próximo — não espere pela nossa resposta.";

/// The emergency answer in a conversation the team already has (a handoff, or staff on the
/// phone): an emergency is never met with silence, and the team needs no second call.
pub(super) fn emergency_with_team() -> String {
    format!("{EMERGENCY}\n\nNossa equipe já está com a sua conversa e continua com você por aqui.")
}

async fn emergency(tools: &Tools, ctx: &mut ToolContext<'_>) -> Result<Draft, EngineError> {
    let handed_off = tools
        .call(
            ctx,
            HandoffToHuman::NAME,
            json!({ "reason": "possível emergência médica relatada pelo paciente" }),
        )
        .await
        .is_ok();
    let text = if handed_off {
        format!("{EMERGENCY}\n\nJá avisei a nossa equipe, que vai falar com você por aqui.")
    } else {
        format!("{EMERGENCY}\n\nSe preferir, ligue também para a clínica: {}.", ctx.clinic().phone)
    };
    text_draft(text)
}

async fn opt_out(store: &dyn Store, ctx: &mut ToolContext<'_>) -> Result<Draft, EngineError> {
    let clinic = ctx.clinic();
    let now = ctx.now();
    let patient = store.upsert_patient(clinic.id, ctx.phone(), ctx.push_name(), now).await?;
    if patient.opted_out_at.is_some() {
        // Confirmed once already: a second "SAIR" gets no message at all.
        return Ok(Draft::default());
    }
    store.set_opted_out(clinic.id, patient.id, Some(now)).await?;
    store
        .record_interaction(&Interaction {
            clinic_id: clinic.id,
            patient_id: Some(patient.id),
            lead_id: None,
            kind: InteractionKind::OptOut,
            summary: "O paciente pediu para não receber mais mensagens.".to_owned(),
            data: json!({}),
            created_at: now,
        })
        .await?;
    text_draft(format!(
        "Tudo certo, você não vai mais receber mensagens da {}. Se precisar de nós, é só escrever por aqui.",
        clinic.name
    ))
}

async fn asked_for_human(tools: &Tools, ctx: &mut ToolContext<'_>) -> Result<Draft, EngineError> {
    let reply = tools
        .call(ctx, HandoffToHuman::NAME, json!({ "reason": "o paciente pediu para falar com uma pessoa" }))
        .await;
    let text = match reply {
        Ok(reply) => {
            reply.text.unwrap_or_else(|| "Vou chamar alguém da nossa equipe. Só um instante!".to_owned())
        }
        Err(_) => format!(
            "Não consegui chamar a equipe agora, desculpe. Você pode ligar para a clínica: {}.",
            ctx.clinic().phone
        ),
    };
    text_draft(text)
}

fn text_draft(text: String) -> Result<Draft, EngineError> {
    Ok(Draft { bubbles: vec![OutboundMessage::text(text)?], usage: None })
}
