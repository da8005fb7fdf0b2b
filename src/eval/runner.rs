//! Runs cases: each run in its own database, through the real engine and the chosen brain,
//! with the clock frozen at the suite's `now`; then grades the run.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Instant;

use sofia_core::clock::{Clock, FrozenClock};
use sofia_core::domain::ConversationId;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::checks::check_turn;
use super::invariants;
use super::media::{EvalFiles, FixtureError};
use super::outcome;
use super::record::{Bubble, Failure, TokenUsage, ToolCallRecord, Trial, TurnRecord};
use super::report::CaseReport;
use super::setup::CaseDb;
use super::suite::{Burst, Case, PatientSpec, Step, Suite};
use crate::agent::Brain;
use crate::agent::tools::AppointmentView;
use crate::agent::tools::{SearchKnowledge, Tools};
use crate::clinics::Clinics;
use crate::config::EngineConfig;
use crate::engine::{Engine, EngineError, EngineParts, TurnOutcome};
use crate::handoff::{DeskError, StaffMessage};
use crate::inbox::{Console, ConsoleError, Inbox, LogListener};
use crate::knowledge::{EmbeddingsConfig, KnowledgeBase, KnowledgeError, Quiet};
use crate::metrics::Metrics;
use crate::scheduler::{Scheduler, SchedulerError};
use crate::store::{StaffMember, StaffMemberError, StoreError};
use crate::store::{Store, ToolOutcome};
use serde_json::json;
use sofia_core::clinic::Clinic;
use sofia_core::conversation::ConversationState;

/// One case of one suite, as selected for this run.
#[derive(Clone)]
pub struct Selected {
    pub suite: Arc<Suite>,
    pub case: Arc<Case>,
}

/// What every run shares.
#[derive(Clone)]
pub struct RunSettings {
    pub brain: Arc<dyn Brain>,
    /// The tools of `serve` (see [`tools`]).
    pub tools: Arc<Tools>,
    /// Runs per case (`--repeat`).
    pub repeat: u32,
    /// Runs at once (`-j`).
    pub jobs: u32,
}

/// The tools of `serve`: the standard ones and `search_knowledge` over a temporary index
/// holding the knowledge of every clinic the suites use.
pub async fn tools(suites: &[Suite], embeddings: &EmbeddingsConfig) -> Result<Arc<Tools>, KnowledgeError> {
    let knowledge = KnowledgeBase::temporary(embeddings, reqwest::Client::new()).await?;
    let mut ingested = BTreeSet::new();
    for suite in suites {
        if ingested.insert(suite.clinic.clinic.tenant.clone()) {
            knowledge.ingest(&suite.clinic.clinic, suite.clinic.dir(), &Quiet).await?;
        }
    }
    Ok(Arc::new(Tools::standard().with(SearchKnowledge::new(Arc::new(knowledge)))))
}

/// Runs every selected case `repeat` times, at most `jobs` runs at once, and returns the
/// cases in the order given with their runs in order.
pub async fn run(selected: Vec<Selected>, settings: RunSettings) -> Vec<CaseReport> {
    let permits = Arc::new(Semaphore::new(usize::try_from(settings.jobs.max(1)).unwrap_or(1)));
    let mut tasks = JoinSet::new();
    for (case_index, item) in selected.iter().enumerate() {
        for trial_index in 0..settings.repeat {
            let (item, brain, permits) = (item.clone(), Arc::clone(&settings.brain), Arc::clone(&permits));
            let tools = Arc::clone(&settings.tools);
            tasks.spawn(async move {
                // The semaphore is never closed, so acquiring only waits.
                let _permit = permits.acquire_owned().await;
                let trial = run_trial(&item.suite, &item.case, brain, tools).await;
                (case_index, trial_index, trial)
            });
        }
    }
    let mut trials: Vec<Vec<(u32, Trial)>> = vec![Vec::new(); selected.len()];
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((case_index, trial_index, trial)) => trials[case_index].push((trial_index, trial)),
            // A panicking run is a bug in Sofia; say so instead of losing the whole report.
            Err(error) => tracing::error!(error = %error, "an eval run panicked"),
        }
    }
    selected
        .into_iter()
        .zip(trials)
        .map(|(item, mut runs)| {
            runs.sort_by_key(|(index, _)| *index);
            CaseReport {
                suite: item.suite.name.clone(),
                file: item.suite.path.clone(),
                id: item.case.id.clone(),
                tags: item.case.tags.clone(),
                trials: runs.into_iter().map(|(_, trial)| trial).collect(),
            }
        })
        .collect()
}

/// One isolated run of `case`, graded.
pub async fn run_trial(suite: &Suite, case: &Case, brain: Arc<dyn Brain>, tools: Arc<Tools>) -> Trial {
    let started = Instant::now();
    let finish = |failures: Vec<Failure>, turns: Vec<TurnRecord>| Trial {
        passed: failures.is_empty(),
        failures,
        turns,
        duration_ms: elapsed_ms(started),
    };
    let db = match CaseDb::prepare(suite, case).await {
        Ok(db) => db,
        Err(error) => return finish(vec![Failure::case("setup", error_chain(&error))], Vec::new()),
    };
    // Stands still but for a case's `wait:` turns.
    let frozen = Arc::new(FrozenClock::at(suite.now));
    let clock: Arc<dyn Clock> = Arc::clone(&frozen) as Arc<dyn Clock>;
    let settings = EngineConfig::default();
    let inbox = Inbox::standalone(
        Arc::clone(&db.store),
        Arc::clone(&clock),
        Arc::new(LogListener),
        Arc::new(Metrics::default()),
        &settings,
    );
    let console = match Console::new(inbox, &suite.clinic.clinic) {
        Ok(console) => console,
        Err(error) => return finish(vec![Failure::case("setup", error_chain(&error))], Vec::new()),
    };
    let files = Arc::new(EvalFiles::default());
    // Runs on `at:` turns only; what it sends stays in the outbox, read back from there.
    let clinics = Arc::new(Clinics::new(vec![suite.clinic.as_ref().clone()]));
    let scheduler = Scheduler::new(
        Arc::clone(&db.store),
        Arc::clone(&clock),
        Arc::new(Metrics::default()),
        Arc::clone(&clinics),
        None,
    );
    let engine =
        Engine::new(EngineParts { store: Arc::clone(&db.store), clinics, brain, tools, clock }, settings)
            .with_attachments(files.attachments());

    let mut failures = Vec::new();
    let mut turns = Vec::with_capacity(case.turns.len());
    let mut conversation = None;
    for (index, spec) in case.turns.iter().enumerate() {
        // A turn of another patient (`as:`) is checked, but the case's conversation stays the
        // case patient's.
        let patient = spec.as_patient.as_ref().unwrap_or(&case.patient);
        let own = spec.as_patient.is_none();
        let played = match &spec.step {
            Step::Patient(burst) => {
                play(&engine, &console, &files, patient, burst).await.map(|(id, record)| {
                    failures.extend(check_turn(index + 1, &spec.expect, &record));
                    turns.push(record);
                    own.then_some(id)
                })
            }
            Step::Staff(text) => staff_writes(&engine, &console, case, text).await.map(Some),
            Step::Resolve => resolve(&engine, &console, case).await.map(Some),
            Step::Wait(by) => {
                frozen.advance(*by);
                continue;
            }
            Step::At(instant) if *instant < frozen.now() => {
                let detail = format!("the clock is already at {}; `at` only moves it forward", frozen.now());
                failures.push(Failure::turn(index + 1, "at", detail));
                break;
            }
            Step::At(instant) => {
                frozen.set(*instant);
                let previous = turns.last().map(|turn: &TurnRecord| turn.state.clone()).unwrap_or_default();
                proactive(&scheduler, db.store.as_ref(), &suite.clinic.clinic, patient, previous).await.map(
                    |(id, record)| {
                        failures.extend(check_turn(index + 1, &spec.expect, &record));
                        turns.push(record);
                        if own { id.or(conversation) } else { conversation }
                    },
                )
            }
        };
        match played {
            Ok(Some(id)) => conversation = Some(id),
            Ok(None) => {}
            Err(error) => {
                failures.push(Failure::turn(index + 1, "engine", error_chain(&error)));
                break;
            }
        }
    }
    failures.extend(invariants::check(&turns, &suite.clinic.clinic));
    match outcome::grade(db.store.as_ref(), &suite.clinic.clinic, case, conversation, &db.before).await {
        Ok(found) => failures.extend(found),
        Err(error) => failures.push(Failure::case("outcome", error_chain(&error))),
    }
    // Turn by turn, then the outcome: the order a reader follows the transcript in.
    failures.sort_by_key(|failure| failure.turn.unwrap_or(usize::MAX));
    finish(failures, turns)
}

/// Why a turn could not be played.
#[derive(Debug, thiserror::Error)]
enum PlayError {
    #[error(transparent)]
    Console(#[from] ConsoleError),
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    Desk(#[from] DeskError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Staff(#[from] StaffMemberError),
    #[error(transparent)]
    Fixture(#[from] FixtureError),
    #[error(transparent)]
    Scheduler(#[from] SchedulerError),
}

/// The name the team acts under in a case.
const TEAM: &str = "equipe (eval)";

/// Delivers a turn's messages through the console channel (a burst arrives whole before the
/// turn runs, as it would inside the debounce window) and runs the turn: the one place the
/// eval meets the engine.
async fn play(
    engine: &Engine,
    console: &Console,
    files: &EvalFiles,
    patient: &PatientSpec,
    burst: &Burst,
) -> Result<(ConversationId, TurnRecord), PlayError> {
    let started = Instant::now();
    let (phone, name) = (&patient.phone, patient.name.as_deref());
    let contents = burst.messages().map(|said| files.message(said)).collect::<Result<Vec<_>, _>>()?;
    let conversation = console.receive_contents(phone, name, contents).await?;
    let outcome = engine.run_turn(conversation).await?;
    Ok((conversation, record(burst, outcome, elapsed_ms(started))))
}

/// Runs the scheduler at the clock's new time and records what it sent `patient` as a turn: the messages as bubbles, each with the appointment it is about (what grounds its date
/// and time, as a tool's result would), and the conversation's state after it.
async fn proactive(
    scheduler: &Scheduler,
    store: &dyn Store,
    clinic: &Clinic,
    patient: &PatientSpec,
    previous: ConversationState,
) -> Result<(Option<ConversationId>, TurnRecord), PlayError> {
    let started = Instant::now();
    let round = scheduler.round().await?;
    let mut conversation = None;
    let mut bubbles = Vec::new();
    let mut tool_calls = Vec::new();
    for sent in &round.sent {
        let Some(to) = store.conversation(sent.conversation).await? else { continue };
        if to.phone != patient.phone {
            continue;
        }
        conversation = Some(to.id);
        bubbles.push(Bubble::new(&sent.message));
        let about = match sent.appointment {
            Some(id) => store.appointment(clinic.id, None, id).await?,
            None => None,
        };
        if let Some(appointment) = about {
            tool_calls.push(ToolCallRecord {
                tool: SCHEDULER.to_owned(),
                arguments: json!({ "appointment_id": appointment.id.to_string() }),
                result: json!({ "appointment": AppointmentView::new(clinic, &appointment) }),
                outcome: ToolOutcome::Ok,
            });
        }
    }
    let state = match conversation {
        Some(id) => match store.conversation(id).await? {
            Some(found) => ConversationState::from_json(&found.state),
            None => previous,
        },
        None => previous,
    };
    let record = TurnRecord {
        user: vec![format!("⏰ {}", scheduler_time(clinic, scheduler.now()))],
        bubbles,
        tool_calls,
        handoff: false,
        brain: None,
        usage: None,
        state,
        latency_ms: elapsed_ms(started),
    };
    Ok((conversation, record))
}

/// What the scheduler's turn shows in reports as having read.
const SCHEDULER: &str = "scheduler";

/// "terça-feira, 03/03 às 09:00", on the clinic's clock.
fn scheduler_time(clinic: &Clinic, at: chrono::DateTime<chrono::Utc>) -> String {
    let local = at.with_timezone(&clinic.timezone);
    sofia_core::lang::format_slot(local.date_naive(), local.time())
}

/// A person of the team writes to the case's patient, as a Chatwoot agent would.
async fn staff_writes(
    engine: &Engine,
    console: &Console,
    case: &Case,
    text: &str,
) -> Result<ConversationId, PlayError> {
    let conversation = console.conversation(&case.patient.phone).await?;
    let message = StaffMessage { text: text.to_owned(), by: StaffMember::parse(TEAM)?, reference: None };
    engine.desk().staff_wrote(conversation, &message).await?;
    Ok(conversation)
}

/// The team resolves the case patient's open handoff.
async fn resolve(engine: &Engine, console: &Console, case: &Case) -> Result<ConversationId, PlayError> {
    let conversation = console.conversation(&case.patient.phone).await?;
    engine.desk().resolve_conversation(conversation, &StaffMember::parse(TEAM)?).await?;
    Ok(conversation)
}

fn record(burst: &Burst, outcome: TurnOutcome, latency_ms: u64) -> TurnRecord {
    TurnRecord {
        user: burst.to_vec(),
        bubbles: outcome.bubbles.iter().map(Bubble::new).collect(),
        tool_calls: outcome.tool_calls.iter().map(ToolCallRecord::from).collect(),
        handoff: outcome.handoff,
        brain: outcome.brain.map(|kind| kind.as_str().to_owned()),
        usage: outcome.usage.map(|usage| TokenUsage {
            model: usage.model,
            prompt_tokens: usage.prompt_tokens,
            completion_tokens: usage.completion_tokens,
            requests: usage.requests,
        }),
        state: outcome.state,
        latency_ms,
    }
}

fn elapsed_ms(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// An error and its causes on one line: what a failing case shows.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
