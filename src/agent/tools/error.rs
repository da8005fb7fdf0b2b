//! Why a tool call did nothing (or could not finish). The `Display` message is English, for the
//! model, logs and the audit; [`ToolError::patient_message`] is the pt-BR sentence for the patient.

use serde_json::{Value, json};
use sofia_core::conversation::SlotId;
use sofia_core::domain::AppointmentStatus;

use super::views::{SlotView, numbered};
use crate::knowledge::KnowledgeError;
use crate::store::{StoreError, ToolOutcome};

#[derive(Debug, thiserror::Error)]
pub enum ToolError {
    #[error("there is no tool named '{name}' (the tools are: {})", .available.join(", "))]
    UnknownTool { name: String, available: Vec<&'static str> },
    #[error("the arguments for {tool} do not fit its schema: {problem}")]
    BadArguments { tool: &'static str, problem: String },
    #[error("{field}: {problem}")]
    Invalid { field: &'static str, problem: String },
    #[error("no {} matches '{given}'; the clinic's {}s are: {}", .catalogue.noun(), .catalogue.noun(), .valid.join(", "))]
    UnknownName { catalogue: Catalogue, given: String, valid: Vec<String> },
    #[error("slot {slot} was not offered in this conversation (on offer: {}); call find_slots first", ids(.offered))]
    NotOffered { slot: SlotId, offered: Vec<SlotId> },
    /// Also what another patient's appointment looks like, so ids cannot be probed.
    #[error("the patient has no appointment with id '{0}'; use an id from list_appointments")]
    NotFound(String),
    #[error("the appointment is {status} and cannot be {}", .change.past_tense())]
    NotChangeable { status: AppointmentStatus, change: Change },
    #[error("the appointment has already started and cannot be {}", .change.past_tense())]
    AlreadyStarted { change: Change },
    #[error("that slot is no longer free; {} fresh alternatives are now on offer", .alternatives.len())]
    SlotTaken { alternatives: Vec<SlotView> },
    #[error("the patient has no package with a session left for {service} (and valid on that date)")]
    NoPackageSession { service: String },
    #[error(
        "moving this package session less than {hours} hours before uses it up, and the package has no \
         other session left for the new date"
    )]
    NoSpareSession { hours: u32 },
    #[error(
        "nothing is awaiting confirmation for {tool}: call it without confirm to show the patient a summary first"
    )]
    NothingPending { tool: &'static str },
    #[error(
        "the patient's message does not agree to what {tool} would do: nothing was done; ask what they \
         want instead"
    )]
    Declined { tool: &'static str },
    /// What the patient said about their health rules the procedure out: an Avaliação first.
    #[error(
        "the patient said \"{cue}\", a contraindication of {service}: it cannot be booked here; offer an \
         Avaliação with a professional and give no medical opinion"
    )]
    RuledOut { service: String, cue: String },
    #[error("could not encode the result as JSON")]
    Json(#[from] serde_json::Error),
    #[error("the clinic's records could not be read or written")]
    Store(#[from] StoreError),
    /// The message names the index or endpoint, never a key.
    #[error("the clinic's knowledge base could not be searched: {0}")]
    Knowledge(#[from] KnowledgeError),
}

/// Which of the clinic's lists a name was looked up in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Catalogue {
    Service,
    Professional,
}

impl Catalogue {
    fn noun(self) -> &'static str {
        match self {
            Catalogue::Service => "service",
            Catalogue::Professional => "professional",
        }
    }
}

/// A change to an existing appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Confirm,
    Reschedule,
    Cancel,
}

impl Change {
    fn past_tense(self) -> &'static str {
        match self {
            Change::Confirm => "confirmed",
            Change::Reschedule => "rescheduled",
            Change::Cancel => "cancelled",
        }
    }

    fn participle_pt(self) -> &'static str {
        match self {
            Change::Confirm => "confirmado",
            Change::Reschedule => "remarcado",
            Change::Cancel => "cancelado",
        }
    }
}

impl ToolError {
    /// Refused (nothing done, the arguments or the request were wrong) or failed.
    pub fn outcome(&self) -> ToolOutcome {
        match self {
            ToolError::Json(_) | ToolError::Store(_) | ToolError::Knowledge(_) => ToolOutcome::Error,
            _ => ToolOutcome::Refused,
        }
    }

    /// A stable name for the kind of error, for the model and the audit.
    pub fn code(&self) -> &'static str {
        match self {
            ToolError::UnknownTool { .. } => "unknown_tool",
            ToolError::BadArguments { .. } => "bad_arguments",
            ToolError::Invalid { .. } => "invalid",
            ToolError::UnknownName { .. } => "unknown_name",
            ToolError::NotOffered { .. } => "not_offered",
            ToolError::NotFound(_) => "not_found",
            ToolError::NotChangeable { .. } => "not_changeable",
            ToolError::AlreadyStarted { .. } => "already_started",
            ToolError::SlotTaken { .. } => "slot_taken",
            ToolError::NoPackageSession { .. } => "no_package_session",
            ToolError::NoSpareSession { .. } => "no_spare_session",
            ToolError::NothingPending { .. } => "nothing_pending",
            ToolError::Declined { .. } => "declined",
            ToolError::RuledOut { .. } => "contraindicated",
            ToolError::Json(_) | ToolError::Store(_) => "internal",
            ToolError::Knowledge(_) => "knowledge_unavailable",
        }
    }

    /// The error as the model reads it: what went wrong, what to tell the patient, and the
    /// data to go on with (the fresh alternatives, the valid names).
    pub fn to_json(&self) -> Value {
        let mut body = json!({"error": self.code(), "message": self.to_string(), "patient_message": self.patient_message()});
        match self {
            ToolError::SlotTaken { alternatives } => body["alternatives"] = json!(alternatives),
            ToolError::UnknownName { valid, .. } => body["valid"] = json!(valid),
            ToolError::NotOffered { offered, .. } => body["offered"] = json!(offered),
            ToolError::UnknownTool { available, .. } => body["available"] = json!(available),
            _ => {}
        }
        body
    }

    /// What to tell the patient, in pt-BR.
    pub fn patient_message(&self) -> String {
        match self {
            ToolError::UnknownTool { .. } | ToolError::BadArguments { .. } | ToolError::Json(_) => {
                "Desculpe, me confundi aqui. Pode repetir, por favor?".to_owned()
            }
            ToolError::Invalid { field, .. } => {
                format!("Não consegui entender {}. Pode me dizer de outro jeito?", field_in_portuguese(field))
            }
            ToolError::UnknownName { catalogue: Catalogue::Service, given, valid } => format!(
                "Não encontrei \"{given}\" entre os nossos serviços. Trabalhamos com: {}.",
                valid.join(", ")
            ),
            ToolError::UnknownName { catalogue: Catalogue::Professional, given, valid } => format!(
                "Não encontrei \"{given}\" na nossa equipe. Nossos profissionais são: {}.",
                valid.join(", ")
            ),
            ToolError::NotOffered { .. } => {
                "Esse horário não está entre as opções que te enviei. Quer que eu veja os horários disponíveis?"
                    .to_owned()
            }
            ToolError::NotFound(_) => "Não encontrei esse agendamento no seu cadastro.".to_owned(),
            ToolError::NotChangeable { status, change } => {
                let state = match status {
                    AppointmentStatus::Cancelled => "já foi cancelado",
                    AppointmentStatus::Completed => "já foi realizado",
                    AppointmentStatus::NoShow => "ficou registrado como falta",
                    AppointmentStatus::Scheduled | AppointmentStatus::Confirmed => "está ativo",
                };
                format!("Esse agendamento {state} e não pode mais ser {}.", change.participle_pt())
            }
            ToolError::AlreadyStarted { change } => {
                format!("Esse horário já começou e não pode mais ser {}.", change.participle_pt())
            }
            ToolError::SlotTaken { alternatives } if alternatives.is_empty() => {
                "Poxa, esse horário acabou de ser preenchido e não encontrei outro livre nesse dia. \
                 Quer que eu procure em outra data?"
                    .to_owned()
            }
            ToolError::SlotTaken { alternatives } => format!(
                "Poxa, esse horário acabou de ser preenchido. Tenho estas opções:\n{}\nQual fica melhor para você?",
                numbered(alternatives)
            ),
            ToolError::RuledOut { service, cue } => format!(
                "Como você mencionou “{cue}”, não posso agendar {service} por aqui: antes, um dos nossos \
                 profissionais precisa avaliar você. Não consigo dar orientação médica por mensagem. 🙏 \
                 Quer que eu veja um horário para uma Avaliação?"
            ),
            ToolError::NoPackageSession { service } => format!(
                "Não encontrei um pacote de {service} com sessão disponível e dentro da validade. \
                 Posso agendar como procedimento avulso, se preferir."
            ),
            ToolError::NoSpareSession { hours } => format!(
                "Como faltam menos de {hours} horas, remarcar faz esta sessão do pacote contar como usada, \
                 e o pacote não tem outra sessão para a nova data. Posso cancelar o horário ou chamar \
                 alguém da equipe para te ajudar."
            ),
            ToolError::NothingPending { .. } => {
                "Não há nada aguardando a sua confirmação agora. Como posso te ajudar?".to_owned()
            }
            ToolError::Declined { .. } => {
                "Tudo bem, não fiz nenhuma alteração. Como prefere seguir?".to_owned()
            }
            ToolError::Store(_) => {
                "Tive um problema técnico para concluir agora. Pode tentar de novo em instantes?".to_owned()
            }
            ToolError::Knowledge(_) => {
                "Não consegui consultar as informações da clínica agora. Se quiser, chamo alguém da equipe \
                 para te responder."
                    .to_owned()
            }
        }
    }
}

fn ids(offered: &[SlotId]) -> String {
    if offered.is_empty() {
        "nothing".to_owned()
    } else {
        offered.iter().map(SlotId::to_string).collect::<Vec<_>>().join(", ")
    }
}

fn field_in_portuguese(field: &str) -> &'static str {
    match field {
        "date" | "date_from" | "date_to" | "desired_date" => "a data",
        "period" | "desired_period" => "o período",
        "slot" => "qual horário você escolheu",
        "appointment_id" => "qual agendamento",
        "reason" => "o motivo",
        "limit" => "quantas opções mostrar",
        "not_before" => "o horário",
        "query" => "a sua pergunta",
        _ => "o pedido",
    }
}
