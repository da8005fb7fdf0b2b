//! Eval suites (docs/evals.md): loading `evals/**/*.yaml` into validated cases.
//!
//! Everything a case names is checked before anything runs: phones parse, regexes compile,
//! tool names are the contract's, and services, professionals and packages exist in the
//! suite's clinic (so `Botox` in a case is a [`ServiceId`], not a string compared later). An
//! error names the file, the case and the field:
//! `evals/booking.yaml: case 'books-botox' turns[1].expect.tools_called[0]: 'find_slot' is not a tool …`.
//!
//! A file whose top level says `kind: retrieval` is a retrieval suite, graded by the knowledge
//! module: it is listed, not parsed here (see [`super::retrieval`]).

mod file;
mod names;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use regex::Regex;
use serde::{Serialize, Serializer};
use sofia_core::domain::{
    AppointmentStatus, FunnelStage, PackageId, Phone, ProfessionalId, ServiceId, Temperature, TenantId,
};

use crate::clinics::{self, ClinicLoadError, LoadedClinic};
use file::{CaseFile, ExpectFile, OutcomeFile, SuiteFile, TurnFile, UserFile};
pub use names::ToolName;

#[derive(Debug, thiserror::Error)]
pub enum SuiteError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a valid suite file: {message}")]
    Syntax { path: PathBuf, message: String },
    #[error("{path}: {at}: {problem}")]
    Invalid { path: PathBuf, at: String, problem: String },
    #[error("{path}: the clinic '{tenant}' cannot be loaded: {source}")]
    Clinic {
        path: PathBuf,
        tenant: TenantId,
        /// Boxed: a clinic file's error is large and rare; every other variant stays small.
        #[source]
        source: Box<ClinicLoadError>,
    },
    #[error("{0}: no suite files (*.yaml, *.yml) found")]
    NothingFound(PathBuf),
}

/// A conversation suite, validated against its clinic.
#[derive(Debug, Clone)]
pub struct Suite {
    pub path: PathBuf,
    pub name: String,
    pub tenant: TenantId,
    pub clinic: Arc<LoadedClinic>,
    /// The frozen clock for every case of the suite.
    pub now: DateTime<Utc>,
    pub cases: Vec<Case>,
}

#[derive(Debug, Clone)]
pub struct Case {
    pub id: String,
    pub tags: Vec<String>,
    pub patient: PatientSpec,
    pub setup: Setup,
    pub turns: Vec<TurnSpec>,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PatientSpec {
    pub phone: Phone,
    /// The WhatsApp push name (for the case's patient) or the name on file (setup patients).
    pub name: Option<String>,
}

/// The clinic's state before the conversation.
#[derive(Debug, Clone, Default)]
pub struct Setup {
    pub patients: Vec<PatientSpec>,
    pub appointments: Vec<SetupAppointment>,
    pub packages: Vec<SetupPackage>,
}

#[derive(Debug, Clone)]
pub struct SetupAppointment {
    pub phone: Phone,
    pub service: ServiceId,
    pub professional: ProfessionalId,
    pub start: DateTime<Utc>,
    pub status: AppointmentStatus,
    /// Index into [`Setup::packages`] of the package the session is taken from.
    pub package: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct SetupPackage {
    pub phone: Phone,
    pub package: PackageId,
    pub used: u32,
    pub purchased: NaiveDate,
}

#[derive(Debug, Clone)]
pub struct TurnSpec {
    pub step: Step,
    /// Checked on a patient's turn; empty on the others.
    pub expect: Expect,
    /// The patient of a `user` or `at` turn when it is not the case's (`as:`): a second
    /// patient in the same clinic, such as the next one on the waitlist.
    pub as_patient: Option<PatientSpec>,
}

/// What happens in a turn of a case.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// The patient writes (`user:`) and the engine runs the turn.
    Patient(Burst),
    /// A person of the clinic's team writes to the patient (`staff:`), through `handoff::Desk`
    /// as a Chatwoot agent would.
    Staff(String),
    /// The team resolves the conversation's open handoff (`resolve: true`).
    Resolve,
    /// The suite's clock moves on (`wait: 25h`).
    Wait(chrono::Duration),
    /// The clock moves to this instant and the scheduler runs (`at: "2026-03-03T09:00:00-03:00"`):
    /// what it sends the patient (reminders) is checked like a reply.
    At(DateTime<Utc>),
}

/// One message, or several sent in one burst (all delivered before the turn runs): never
/// empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Burst {
    first: Said,
    rest: Vec<Said>,
}

/// One message of the patient's in a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Said {
    Text(String),
    /// A voice note, by its transcript.
    VoiceNote {
        transcript: String,
    },
    /// A photo: a fixture file.
    Photo {
        path: PathBuf,
    },
}

impl Said {
    /// How reports show it.
    pub fn shown(&self) -> String {
        match self {
            Said::Text(text) => text.clone(),
            Said::VoiceNote { transcript } => format!("🎤 {transcript}"),
            Said::Photo { path } => {
                format!("📷 {}", path.file_name().map(|name| name.to_string_lossy()).unwrap_or_default())
            }
        }
    }
}

impl Burst {
    /// `None` for no messages.
    pub fn new(messages: Vec<Said>) -> Option<Burst> {
        let mut messages = messages.into_iter();
        let first = messages.next()?;
        Some(Burst { first, rest: messages.collect() })
    }

    /// Every message, in order.
    pub fn messages(&self) -> impl Iterator<Item = &Said> {
        std::iter::once(&self.first).chain(&self.rest)
    }

    /// Every message, in order, to be rewritten (`sofia eval --perturb`).
    pub fn messages_mut(&mut self) -> impl Iterator<Item = &mut Said> {
        std::iter::once(&mut self.first).chain(&mut self.rest)
    }

    /// Every message as reports show it.
    pub fn to_vec(&self) -> Vec<String> {
        self.messages().map(Said::shown).collect()
    }
}

#[derive(Debug, Clone, Default)]
pub struct Expect {
    pub reply_contains: Vec<String>,
    pub reply_not_contains: Vec<String>,
    pub reply_matches: Vec<Pattern>,
    pub reply_not_matches: Vec<Pattern>,
    pub tools_called: Vec<ToolName>,
    pub tools_not_called: Vec<ToolName>,
    pub handoff: Option<bool>,
    /// Whether the turn sent the patient nothing at all.
    pub silent: Option<bool>,
    /// Whether no appointment was booked, moved, cancelled or confirmed in the turn (showing a
    /// summary for the patient's yes writes nothing).
    pub nothing_written: Option<bool>,
}

/// A compiled regex that still knows how it was written, for failure messages.
#[derive(Debug, Clone)]
pub struct Pattern(Regex);

impl Pattern {
    pub fn new(source: &str) -> Result<Pattern, regex::Error> {
        Regex::new(source).map(Pattern)
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.0.is_match(text)
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl Serialize for Pattern {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// What the database must hold after the last turn.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The case patient's appointments created or changed during the case.
    pub appointments: Vec<ExpectedAppointment>,
    pub only_these_appointments: bool,
    pub others_unchanged: bool,
    pub lead: Option<ExpectedLead>,
    pub handoff: Option<bool>,
    pub opted_out: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExpectedAppointment {
    pub service: Option<ServiceId>,
    pub professional: Option<ProfessionalId>,
    pub date: Option<NaiveDate>,
    /// Bounds on the start time, on the clinic's wall clock, both inclusive.
    pub time_from: Option<NaiveTime>,
    pub time_to: Option<NaiveTime>,
    pub status: Option<AppointmentStatus>,
    /// How the file wrote it, for failure messages.
    pub written: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpectedLead {
    pub stage: Option<FunnelStage>,
    pub temperature: Option<Temperature>,
}

/// Everything found under the paths given to `sofia eval`.
#[derive(Debug, Default)]
pub struct Loaded {
    pub suites: Vec<Suite>,
    /// `kind: retrieval` files, for the knowledge module's grader.
    pub retrieval: Vec<PathBuf>,
}

/// Loads every suite file under `paths` (files, or folders searched recursively), validating
/// each against its clinic from `knowledge_dir`.
pub fn load(paths: &[PathBuf], knowledge_dir: &Path) -> Result<Loaded, SuiteError> {
    let mut clinics = Clinics { dir: knowledge_dir.to_owned(), loaded: BTreeMap::new() };
    let mut loaded = Loaded::default();
    let mut seen: HashSet<(String, String)> = HashSet::new();
    for path in suite_files(paths)? {
        let text = std::fs::read_to_string(&path)
            .map_err(|source| SuiteError::Read { path: path.clone(), source })?;
        match parse(&path, &text, &mut clinics)? {
            Parsed::Retrieval => loaded.retrieval.push(path),
            Parsed::Conversation(suite) => {
                for case in &suite.cases {
                    if !seen.insert((suite.name.clone(), case.id.clone())) {
                        return Err(invalid(
                            &path,
                            format!("case '{}'", case.id),
                            format!("suite '{}' already has a case with this id in another file", suite.name),
                        ));
                    }
                }
                loaded.suites.push(suite);
            }
        }
    }
    Ok(loaded)
}

/// Suite files under `paths`, each folder's files sorted by name so runs are reproducible.
fn suite_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, SuiteError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let before = files.len();
            collect_yaml(path, &mut files)?;
            if files.len() == before {
                return Err(SuiteError::NothingFound(path.clone()));
            }
        } else if path.exists() {
            files.push(path.clone());
        } else {
            return Err(SuiteError::Read {
                path: path.clone(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder"),
            });
        }
    }
    Ok(files)
}

/// Folders of recorded model traffic (`--record`), which sit beside the suites and are not
/// suites themselves.
const CASSETTES: &str = "cassettes";

fn collect_yaml(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), SuiteError> {
    let read_error = |source| SuiteError::Read { path: dir.to_owned(), source };
    let mut entries = std::fs::read_dir(dir)
        .map_err(read_error)?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(read_error)?;
    entries.sort();
    for path in entries {
        if path.is_dir() && path.file_name().is_some_and(|name| name == CASSETTES) {
            continue;
        } else if path.is_dir() {
            collect_yaml(&path, files)?;
        } else if path.extension().is_some_and(|ext| ext == "yaml" || ext == "yml") {
            files.push(path);
        }
    }
    Ok(())
}

/// Clinics by tenant, each loaded once per run.
struct Clinics {
    dir: PathBuf,
    loaded: BTreeMap<TenantId, Arc<LoadedClinic>>,
}

impl Clinics {
    fn get(&mut self, path: &Path, tenant: &TenantId) -> Result<Arc<LoadedClinic>, SuiteError> {
        if let Some(clinic) = self.loaded.get(tenant) {
            return Ok(Arc::clone(clinic));
        }
        let clinic = clinics::load_clinic(&self.dir, tenant).map_err(|source| SuiteError::Clinic {
            path: path.to_owned(),
            tenant: tenant.clone(),
            source: Box::new(source),
        })?;
        let clinic = Arc::new(clinic);
        self.loaded.insert(tenant.clone(), Arc::clone(&clinic));
        Ok(clinic)
    }
}

enum Parsed {
    Conversation(Suite),
    Retrieval,
}

fn parse(path: &Path, text: &str, clinics: &mut Clinics) -> Result<Parsed, SuiteError> {
    let syntax =
        |error: serde_saphyr::Error| SuiteError::Syntax { path: path.to_owned(), message: error.to_string() };
    let probe: file::KindProbe = serde_saphyr::from_str(text).map_err(syntax)?;
    match probe.kind.as_deref() {
        Some("retrieval") => return Ok(Parsed::Retrieval),
        Some(other) => {
            return Err(invalid(
                path,
                "kind",
                format!(
                    "'{other}' is not a suite kind: leave it out for a conversation suite, or write 'retrieval'"
                ),
            ));
        }
        None => {}
    }
    let file: SuiteFile = serde_saphyr::from_str(text).map_err(syntax)?;
    let clinic = clinics.get(path, &file.tenant)?;
    let suite = SuiteParser { path, clinic: &clinic }.suite(file, Arc::clone(&clinic))?;
    Ok(Parsed::Conversation(suite))
}

/// "30m", "25h", "2d": a positive number of minutes, hours or days.
fn parse_wait(text: &str) -> Option<chrono::Duration> {
    let text = text.trim();
    let unit = text.chars().last()?;
    let amount: i64 = text[..text.len() - unit.len_utf8()].trim().parse().ok().filter(|n| *n > 0)?;
    match unit {
        'm' => Some(chrono::Duration::minutes(amount)),
        'h' => Some(chrono::Duration::hours(amount)),
        'd' => Some(chrono::Duration::days(amount)),
        _ => None,
    }
}

fn invalid(path: &Path, at: impl Into<String>, problem: impl Into<String>) -> SuiteError {
    SuiteError::Invalid { path: path.to_owned(), at: at.into(), problem: problem.into() }
}

/// Validates one file against its clinic, keeping the file's path for error messages.
struct SuiteParser<'a> {
    path: &'a Path,
    clinic: &'a LoadedClinic,
}

impl SuiteParser<'_> {
    fn suite(&self, file: SuiteFile, clinic: Arc<LoadedClinic>) -> Result<Suite, SuiteError> {
        if file.suite.trim().is_empty() {
            return Err(invalid(self.path, "suite", "the suite needs a name"));
        }
        if file.cases.is_empty() {
            return Err(invalid(self.path, "cases", "a suite needs at least one case"));
        }
        let mut ids = HashSet::new();
        let mut cases = Vec::with_capacity(file.cases.len());
        for (index, case) in file.cases.into_iter().enumerate() {
            let at = format!("cases[{index}] (case '{}')", case.id);
            if case.id.trim().is_empty() {
                return Err(invalid(self.path, format!("cases[{index}].id"), "a case needs an id"));
            }
            if !ids.insert(case.id.clone()) {
                return Err(invalid(self.path, at, "another case of this file has the same id"));
            }
            cases.push(self.case(case)?);
        }
        Ok(Suite {
            path: self.path.to_owned(),
            name: file.suite,
            tenant: file.tenant,
            clinic,
            now: file.now.to_utc(),
            cases,
        })
    }

    fn case(&self, case: CaseFile) -> Result<Case, SuiteError> {
        let at = |field: &str| format!("case '{}' {field}", case.id);
        let patient = PatientSpec {
            phone: self.phone(&at("patient.phone"), &case.patient.phone)?,
            name: case.patient.name,
        };
        if case.turns.is_empty() {
            return Err(invalid(self.path, at("turns"), "a case needs at least one turn"));
        }
        let setup = self.setup(&at, &patient, case.setup)?;
        let turns = case
            .turns
            .into_iter()
            .enumerate()
            .map(|(i, turn)| self.turn(&at(&format!("turns[{i}]")), turn))
            .collect::<Result<Vec<_>, _>>()?;
        let outcome = match case.outcome {
            Some(outcome) => self.outcome(&at("outcome"), outcome)?,
            None => Outcome::default(),
        };
        Ok(Case { id: case.id, tags: case.tags, patient, setup, turns, outcome })
    }

    fn setup(
        &self,
        at: &dyn Fn(&str) -> String,
        patient: &PatientSpec,
        setup: file::SetupFile,
    ) -> Result<Setup, SuiteError> {
        let clinic = &self.clinic.clinic;
        let patients = setup
            .patients
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                Ok(PatientSpec {
                    phone: self.phone(&at(&format!("setup.patients[{i}].phone")), &p.phone)?,
                    name: p.name,
                })
            })
            .collect::<Result<Vec<_>, SuiteError>>()?;
        let packages = setup
            .packages
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                let field = |name: &str| at(&format!("setup.packages[{i}].{name}"));
                let offer = names::package(clinic, &p.package)
                    .map_err(|problem| invalid(self.path, field("package"), problem))?;
                if p.used > offer.sessions {
                    return Err(invalid(
                        self.path,
                        field("used"),
                        format!("{} has {} sessions; {} cannot be used", offer.name, offer.sessions, p.used),
                    ));
                }
                Ok(SetupPackage {
                    phone: self.phone_or(&field("phone"), p.phone.as_deref(), patient)?,
                    package: offer.id,
                    used: p.used,
                    purchased: self.date(&field("purchased"), &p.purchased)?,
                })
            })
            .collect::<Result<Vec<_>, SuiteError>>()?;
        let appointments = setup
            .appointments
            .into_iter()
            .enumerate()
            .map(|(i, a)| {
                let field = |name: &str| at(&format!("setup.appointments[{i}].{name}"));
                let phone = self.phone_or(&field("phone"), a.phone.as_deref(), patient)?;
                let service = names::service(clinic, &a.service)
                    .map_err(|problem| invalid(self.path, field("service"), problem))?;
                let start = a.start.to_utc();
                let professional = match &a.professional {
                    Some(name) => names::professional_for(clinic, name, service)
                        .map_err(|problem| invalid(self.path, field("professional"), problem))?,
                    None => names::first_available(clinic, service, start)
                        .map_err(|problem| invalid(self.path, field("start"), problem))?,
                };
                let package = match &a.package {
                    None => None,
                    Some(name) => Some(
                        names::package_of(clinic, &packages, &phone, name, service.id)
                            .map_err(|problem| invalid(self.path, field("package"), problem))?,
                    ),
                };
                Ok(SetupAppointment {
                    phone,
                    service: service.id,
                    professional,
                    start,
                    status: a.status.unwrap_or(AppointmentStatus::Scheduled),
                    package,
                })
            })
            .collect::<Result<Vec<_>, SuiteError>>()?;
        Ok(Setup { patients, appointments, packages })
    }

    fn turn(&self, at: &str, mut turn: TurnFile) -> Result<TurnSpec, SuiteError> {
        let as_patient = match turn.as_patient.take() {
            Some(_) if turn.user.is_none() && turn.at.is_none() => {
                return Err(invalid(self.path, format!("{at}.as"), "only a `user` or an `at` turn has `as`"));
            }
            Some(other) => Some(PatientSpec {
                phone: self.phone(&format!("{at}.as.phone"), &other.phone)?,
                name: other.name,
            }),
            None => None,
        };
        let spec = if let Some(instant) = turn.at.take() {
            self.time_travel(at, &instant, turn)?
        } else {
            self.step(at, turn)?
        };
        Ok(TurnSpec { as_patient, ..spec })
    }

    fn step(&self, at: &str, turn: TurnFile) -> Result<TurnSpec, SuiteError> {
        let patient = turn.user.is_some() || turn.audio.is_some() || turn.image.is_some();
        let step = match (patient, turn.staff, turn.resolve, turn.wait) {
            (true, None, None, None) => {
                // In this order: what the patient typed, then the voice note, then the photo.
                let mut messages: Vec<Said> = match turn.user {
                    Some(UserFile::One(text)) => vec![Said::Text(text)],
                    Some(UserFile::Burst(texts)) => texts.into_iter().map(Said::Text).collect(),
                    None => Vec::new(),
                };
                if messages.iter().any(|said| matches!(said, Said::Text(text) if text.trim().is_empty())) {
                    return Err(invalid(self.path, format!("{at}.user"), "every message needs some text"));
                }
                if let Some(transcript) = turn.audio {
                    if transcript.trim().is_empty() {
                        return Err(invalid(
                            self.path,
                            format!("{at}.audio"),
                            "a voice note needs its transcript",
                        ));
                    }
                    messages.push(Said::VoiceNote { transcript });
                }
                if let Some(image) = turn.image {
                    let path = self.path.parent().unwrap_or(Path::new(".")).join(&image);
                    if !path.is_file() {
                        return Err(invalid(
                            self.path,
                            format!("{at}.image"),
                            format!("'{image}' is not a file next to the suite"),
                        ));
                    }
                    messages.push(Said::Photo { path });
                }
                let burst = Burst::new(messages).ok_or_else(|| {
                    invalid(self.path, format!("{at}.user"), "every message needs some text")
                })?;
                let expect = self.expect(&format!("{at}.expect"), turn.expect.unwrap_or_default())?;
                return Ok(TurnSpec { step: Step::Patient(burst), expect, as_patient: None });
            }
            (false, Some(text), None, None) if !text.trim().is_empty() => Step::Staff(text),
            (false, Some(_), None, None) => {
                return Err(invalid(self.path, format!("{at}.staff"), "the team's message needs some text"));
            }
            (false, None, Some(true), None) => Step::Resolve,
            (false, None, Some(false), None) => {
                return Err(invalid(
                    self.path,
                    format!("{at}.resolve"),
                    "only `resolve: true` means something",
                ));
            }
            (false, None, None, Some(wait)) => Step::Wait(parse_wait(&wait).ok_or_else(|| {
                invalid(
                    self.path,
                    format!("{at}.wait"),
                    format!("'{wait}' is not a wait such as 30m, 25h or 2d"),
                )
            })?),
            _ => {
                return Err(invalid(
                    self.path,
                    at,
                    "a turn is exactly one of a patient's (`user`, `audio`, `image`), `staff`, `resolve: true`, \
                     `wait` and `at`",
                ));
            }
        };
        if turn.expect.is_some() {
            return Err(invalid(
                self.path,
                format!("{at}.expect"),
                "only a patient's (`user`) turn and an `at` turn have checks",
            ));
        }
        Ok(TurnSpec { step, expect: Expect::default(), as_patient: None })
    }

    /// `at:` alone in its turn (with the checks of what the scheduler sends then).
    fn time_travel(&self, at: &str, instant: &str, turn: TurnFile) -> Result<TurnSpec, SuiteError> {
        let alone = turn.user.is_none()
            && turn.audio.is_none()
            && turn.image.is_none()
            && turn.staff.is_none()
            && turn.resolve.is_none()
            && turn.wait.is_none();
        if !alone {
            return Err(invalid(
                self.path,
                at,
                "`at` is a turn of its own: the clock moves and the scheduler runs",
            ));
        }
        let instant = DateTime::parse_from_rfc3339(instant.trim()).map_err(|_| {
            invalid(
                self.path,
                format!("{at}.at"),
                format!("'{instant}' is not an instant with its offset, such as 2026-03-03T09:00:00-03:00"),
            )
        })?;
        let expect = self.expect(&format!("{at}.expect"), turn.expect.unwrap_or_default())?;
        Ok(TurnSpec { step: Step::At(instant.to_utc()), expect, as_patient: None })
    }

    fn expect(&self, at: &str, expect: ExpectFile) -> Result<Expect, SuiteError> {
        let patterns = |field: &str, sources: Vec<String>| {
            sources
                .iter()
                .enumerate()
                .map(|(i, source)| {
                    Pattern::new(source).map_err(|error| {
                        invalid(
                            self.path,
                            format!("{at}.{field}[{i}]"),
                            format!("not a valid regex: {error}"),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()
        };
        let tools = |field: &str, names: Vec<String>| {
            names
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    ToolName::parse(name)
                        .map_err(|problem| invalid(self.path, format!("{at}.{field}[{i}]"), problem))
                })
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(Expect {
            reply_matches: patterns("reply_matches", expect.reply_matches)?,
            reply_not_matches: patterns("reply_not_matches", expect.reply_not_matches)?,
            tools_called: tools("tools_called", expect.tools_called)?,
            tools_not_called: tools("tools_not_called", expect.tools_not_called)?,
            reply_contains: expect.reply_contains,
            reply_not_contains: expect.reply_not_contains,
            handoff: expect.handoff,
            silent: expect.silent,
            nothing_written: expect.nothing_written,
        })
    }

    fn outcome(&self, at: &str, outcome: OutcomeFile) -> Result<Outcome, SuiteError> {
        let clinic = &self.clinic.clinic;
        let appointments = outcome
            .appointments
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(i, a)| {
                let field = |name: &str| format!("{at}.appointments[{i}].{name}");
                let service = a
                    .service
                    .as_deref()
                    .map(|name| names::service(clinic, name).map(|s| s.id))
                    .transpose()
                    .map_err(|problem| invalid(self.path, field("service"), problem))?;
                let professional = a
                    .professional
                    .as_deref()
                    .map(|name| names::professional(clinic, name).map(|p| p.id))
                    .transpose()
                    .map_err(|problem| invalid(self.path, field("professional"), problem))?;
                let date = a.date.as_deref().map(|d| self.date(&field("date"), d)).transpose()?;
                let time_from =
                    a.time_from.as_deref().map(|t| self.time(&field("time_from"), t)).transpose()?;
                let time_to = a.time_to.as_deref().map(|t| self.time(&field("time_to"), t)).transpose()?;
                if let (Some(from), Some(to)) = (time_from, time_to)
                    && from > to
                {
                    return Err(invalid(self.path, field("time_to"), "time_to is before time_from"));
                }
                let written = describe(&a);
                Ok(ExpectedAppointment {
                    service,
                    professional,
                    date,
                    time_from,
                    time_to,
                    status: a.status,
                    written,
                })
            })
            .collect::<Result<Vec<_>, SuiteError>>()?;
        Ok(Outcome {
            appointments,
            only_these_appointments: outcome.only_these_appointments,
            others_unchanged: outcome.others_unchanged,
            lead: outcome.lead.map(|lead| ExpectedLead { stage: lead.stage, temperature: lead.temperature }),
            handoff: outcome.handoff,
            opted_out: outcome.opted_out,
        })
    }

    fn phone(&self, at: &str, text: &str) -> Result<Phone, SuiteError> {
        Phone::parse(text).map_err(|error| invalid(self.path, at, error.to_string()))
    }

    fn phone_or(&self, at: &str, text: Option<&str>, patient: &PatientSpec) -> Result<Phone, SuiteError> {
        match text {
            Some(text) => self.phone(at, text),
            None => Ok(patient.phone.clone()),
        }
    }

    fn date(&self, at: &str, text: &str) -> Result<NaiveDate, SuiteError> {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| invalid(self.path, at, format!("'{text}' is not a date such as 2026-03-03")))
    }

    fn time(&self, at: &str, text: &str) -> Result<NaiveTime, SuiteError> {
        NaiveTime::parse_from_str(text, "%H:%M")
            .map_err(|_| invalid(self.path, at, format!("'{text}' is not a time such as 14:30")))
    }
}

/// An expected appointment as the file wrote it: `Botox on 2026-03-03 12:00–18:00 scheduled`.
fn describe(a: &file::ExpectedAppointmentFile) -> String {
    let mut parts = Vec::new();
    parts.extend(a.service.clone());
    parts.extend(a.professional.as_ref().map(|p| format!("with {p}")));
    parts.extend(a.date.as_ref().map(|d| format!("on {d}")));
    match (&a.time_from, &a.time_to) {
        (Some(from), Some(to)) => parts.push(format!("starting {from}–{to}")),
        (Some(from), None) => parts.push(format!("starting at or after {from}")),
        (None, Some(to)) => parts.push(format!("starting by {to}")),
        (None, None) => {}
    }
    parts.extend(a.status.map(|s| s.to_string()));
    if parts.is_empty() { "any appointment".to_owned() } else { parts.join(" ") }
}

#[cfg(test)]
mod tests;
