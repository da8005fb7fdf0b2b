//! Configuration: embedded defaults, then `sofia.toml` (or `--config PATH`), then environment
//! variables named `SOFIA_<SECTION>_<KEY>`. Validated once into a [`Config`] that is passed
//! down; nothing reads configuration from globals.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::agent::llm::{LlmConfig, PriceTable, parse_list};
use crate::handoff::HandoffConfig;
use crate::knowledge::{EmbeddingsConfig, VectorsConfig};
use crate::media::{MediaConfig, SttConfig};
use crate::secret::Secret;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub database: DatabaseConfig,
    pub http: HttpConfig,
    pub knowledge: KnowledgeConfig,
    pub log: LogConfig,
    pub meta: MetaConfig,
    pub engine: EngineConfig,
    pub outbox: OutboxConfig,
    pub handoff: HandoffConfig,
    pub redis: RedisConfig,
    pub llm: LlmConfig,
    pub vectors: VectorsConfig,
    pub embeddings: EmbeddingsConfig,
    pub media: MediaConfig,
    pub stt: SttConfig,
    pub retention: crate::retention::RetentionConfig,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `sqlite://data/sofia.db` (embedded) or `postgres://user:pass@host/db`. A secret:
    /// it may carry a password, so it is only ever shown with the password redacted.
    pub url: Secret,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpConfig {
    pub bind: SocketAddr,
    /// The address providers reach this service at (`https://bot.example.com`), used only to
    /// print the webhook URLs at start. Empty: `http://` + `bind`.
    pub public_url: String,
    /// A client must send a request's headers within this many seconds, or the connection is
    /// closed: slow or idle connections cannot pile up until the process runs out of files.
    pub header_timeout_s: u64,
    /// A request (its body included) must be answered within this many seconds; past it the
    /// answer is a JSON 503, which webhook providers retry.
    pub request_timeout_s: u64,
    /// Requests handled at once; beyond, a fast JSON 503 (providers retry) instead of a queue.
    pub max_in_flight: usize,
}

/// Meta's app-level settings: one Meta app serves every clinic's Cloud API numbers.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetaConfig {
    /// Signs every webhook notification (`X-Hub-Signature-256`).
    pub app_secret: Secret,
    /// What the Meta dashboard sends in the `GET` verification handshake.
    pub verify_token: Secret,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KnowledgeConfig {
    /// Folder with one sub-folder per clinic, each holding `clinic.yaml`.
    pub dir: PathBuf,
    /// How often `serve` looks for changed clinic folders (`clinic.yaml` or markdown) and
    /// reloads their clinic (`clinics::Reloader`); 0: only at start or through the admin API.
    pub reload_s: u64,
}

/// How conversations are worked: debounce, leases, concurrency.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EngineConfig {
    /// Quiet time after a patient's last message before Sofia answers, so that "oi" / "tudo
    /// bem?" / "queria marcar botox" become one turn.
    pub debounce_ms: u64,
    /// How long a worker holds a conversation; a crashed worker's conversations are taken over
    /// after it.
    pub lease_s: u64,
    /// Conversations worked at once by this replica.
    pub workers: usize,
    /// How often to look for conversations whose wake-up was lost (a crash, a Redis hiccup).
    pub sweep_s: u64,
    /// Earlier messages shown to the brain with each turn.
    pub history_messages: usize,
    /// How long the bot stays silent after clinic staff typed on the phone.
    pub staff_pause_minutes: u32,
}

/// How queued replies leave: timeouts and the sweep that retries and settles them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutboxConfig {
    /// How long a provider may take to answer a send before its outcome is unknown.
    pub send_timeout_s: u64,
    /// How often queued and deferred replies are retried, and abandoned claims settled.
    pub sweep_s: u64,
    /// How long a replica may hold a claim on replies before it counts as dead: its unstarted
    /// replies go back to the queue, the started ones are failed as unknown. Must outlast any
    /// one send (retries, failover and rate-limit waits included).
    pub claim_timeout_s: u64,
}

impl Default for OutboxConfig {
    fn default() -> Self {
        OutboxConfig { send_timeout_s: 15, sweep_s: 30, claim_timeout_s: 600 }
    }
}

/// Coordination between replicas.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RedisConfig {
    /// Empty: in-process coordination (one replica). `redis://host:6379/0`: Redis 7.
    pub url: Secret,
    /// Put before every key and channel, so deployments can share a Redis.
    pub prefix: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// A `tracing` filter such as `info` or `sofia=debug,info`. `RUST_LOG` wins when set.
    pub level: String,
    /// `pretty` for people, `json` for log collectors.
    pub format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            debounce_ms: 3000,
            lease_s: 30,
            workers: 16,
            sweep_s: 5,
            history_messages: 20,
            staff_pause_minutes: 120,
        }
    }
}

impl Default for RedisConfig {
    fn default() -> Self {
        RedisConfig { url: Secret::new(""), prefix: "sofia:".to_owned() }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig { url: Secret::new("sqlite://data/sofia.db") }
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: String::new(),
            header_timeout_s: 10,
            request_timeout_s: 15,
            max_in_flight: 512,
        }
    }
}

impl Default for MetaConfig {
    fn default() -> Self {
        MetaConfig { app_secret: Secret::new(""), verify_token: Secret::new("") }
    }
}

impl Default for KnowledgeConfig {
    fn default() -> Self {
        KnowledgeConfig { dir: PathBuf::from("knowledge"), reload_s: 60 }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig { level: "info".to_owned(), format: LogFormat::Pretty }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("{variable}: {problem}")]
    Env { variable: String, problem: String },
    #[error("{key}: {problem}")]
    Invalid { key: &'static str, problem: String },
}

/// Where each setting came from, so `serve` can say which embedded defaults it runs on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources {
    pub file: Option<PathBuf>,
    /// Keys set by environment variables (`database.url`, …), never their values.
    pub env_keys: Vec<&'static str>,
}

/// Every key, its environment variable, and how to apply a value to the config.
type Setter = fn(&mut Config, &str) -> Result<(), String>;
const KEYS: &[(&str, &str, Setter)] = &[
    ("database.url", "SOFIA_DATABASE_URL", |c, v| {
        c.database.url = Secret::new(v);
        Ok(())
    }),
    ("http.bind", "SOFIA_HTTP_BIND", |c, v| {
        c.http.bind = v.parse().map_err(|_| format!("'{v}' is not an address like 127.0.0.1:8080"))?;
        Ok(())
    }),
    ("http.public_url", "SOFIA_HTTP_PUBLIC_URL", |c, v| {
        c.http.public_url = v.to_owned();
        Ok(())
    }),
    ("http.header_timeout_s", "SOFIA_HTTP_HEADER_TIMEOUT_S", |c, v| {
        c.http.header_timeout_s = number(v)?;
        Ok(())
    }),
    ("http.request_timeout_s", "SOFIA_HTTP_REQUEST_TIMEOUT_S", |c, v| {
        c.http.request_timeout_s = number(v)?;
        Ok(())
    }),
    ("http.max_in_flight", "SOFIA_HTTP_MAX_IN_FLIGHT", |c, v| {
        c.http.max_in_flight = number(v)?;
        Ok(())
    }),
    ("meta.app_secret", "SOFIA_META_APP_SECRET", |c, v| {
        c.meta.app_secret = Secret::new(v);
        Ok(())
    }),
    ("meta.verify_token", "SOFIA_META_VERIFY_TOKEN", |c, v| {
        c.meta.verify_token = Secret::new(v);
        Ok(())
    }),
    ("knowledge.dir", "SOFIA_KNOWLEDGE_DIR", |c, v| {
        c.knowledge.dir = PathBuf::from(v);
        Ok(())
    }),
    ("knowledge.reload_s", "SOFIA_KNOWLEDGE_RELOAD_S", |c, v| {
        c.knowledge.reload_s = number(v)?;
        Ok(())
    }),
    ("vectors.url", "SOFIA_VECTORS_URL", |c, v| {
        c.vectors.url = v.to_owned();
        Ok(())
    }),
    ("vectors.api_key", "SOFIA_VECTORS_API_KEY", |c, v| {
        c.vectors.api_key = Secret::new(v);
        Ok(())
    }),
    ("vectors.collection", "SOFIA_VECTORS_COLLECTION", |c, v| {
        c.vectors.collection = v.to_owned();
        Ok(())
    }),
    ("vectors.path", "SOFIA_VECTORS_PATH", |c, v| {
        c.vectors.path = PathBuf::from(v);
        Ok(())
    }),
    ("embeddings.base_url", "SOFIA_EMBEDDINGS_BASE_URL", |c, v| {
        c.embeddings.base_url = v.to_owned();
        Ok(())
    }),
    ("embeddings.api_key", "SOFIA_EMBEDDINGS_API_KEY", |c, v| {
        c.embeddings.api_key = Secret::new(v);
        Ok(())
    }),
    ("embeddings.model", "SOFIA_EMBEDDINGS_MODEL", |c, v| {
        c.embeddings.model = v.to_owned();
        Ok(())
    }),
    ("embeddings.timeout_s", "SOFIA_EMBEDDINGS_TIMEOUT_S", |c, v| {
        c.embeddings.timeout_s = number(v)?;
        Ok(())
    }),
    ("engine.debounce_ms", "SOFIA_ENGINE_DEBOUNCE_MS", |c, v| {
        c.engine.debounce_ms = number(v)?;
        Ok(())
    }),
    ("engine.lease_s", "SOFIA_ENGINE_LEASE_S", |c, v| {
        c.engine.lease_s = number(v)?;
        Ok(())
    }),
    ("engine.workers", "SOFIA_ENGINE_WORKERS", |c, v| {
        c.engine.workers = number(v)?;
        Ok(())
    }),
    ("engine.sweep_s", "SOFIA_ENGINE_SWEEP_S", |c, v| {
        c.engine.sweep_s = number(v)?;
        Ok(())
    }),
    ("engine.history_messages", "SOFIA_ENGINE_HISTORY_MESSAGES", |c, v| {
        c.engine.history_messages = number(v)?;
        Ok(())
    }),
    ("engine.staff_pause_minutes", "SOFIA_ENGINE_STAFF_PAUSE_MINUTES", |c, v| {
        c.engine.staff_pause_minutes = number(v)?;
        Ok(())
    }),
    ("outbox.send_timeout_s", "SOFIA_OUTBOX_SEND_TIMEOUT_S", |c, v| {
        c.outbox.send_timeout_s = number(v)?;
        Ok(())
    }),
    ("outbox.sweep_s", "SOFIA_OUTBOX_SWEEP_S", |c, v| {
        c.outbox.sweep_s = number(v)?;
        Ok(())
    }),
    ("outbox.claim_timeout_s", "SOFIA_OUTBOX_CLAIM_TIMEOUT_S", |c, v| {
        c.outbox.claim_timeout_s = number(v)?;
        Ok(())
    }),
    ("retention.messages_days", "SOFIA_RETENTION_MESSAGES_DAYS", |c, v| {
        c.retention.messages_days = number(v)?;
        Ok(())
    }),
    ("handoff.idle_return_h", "SOFIA_HANDOFF_IDLE_RETURN_H", |c, v| {
        c.handoff.idle_return_h = number(v)?;
        Ok(())
    }),
    ("redis.url", "SOFIA_REDIS_URL", |c, v| {
        c.redis.url = Secret::new(v);
        Ok(())
    }),
    ("redis.prefix", "SOFIA_REDIS_PREFIX", |c, v| {
        c.redis.prefix = v.to_owned();
        Ok(())
    }),
    ("log.level", "SOFIA_LOG_LEVEL", |c, v| {
        c.log.level = v.to_owned();
        Ok(())
    }),
    ("log.format", "SOFIA_LOG_FORMAT", |c, v| {
        c.log.format = match v {
            "pretty" => LogFormat::Pretty,
            "json" => LogFormat::Json,
            _ => return Err(format!("'{v}' is not pretty or json")),
        };
        Ok(())
    }),
    ("llm.base_url", "SOFIA_LLM_BASE_URL", |c, v| {
        c.llm.base_url = v.to_owned();
        Ok(())
    }),
    ("llm.api_key", "SOFIA_LLM_API_KEY", |c, v| {
        c.llm.api_key = Secret::new(v);
        Ok(())
    }),
    ("llm.model", "SOFIA_LLM_MODEL", |c, v| {
        c.llm.model = v.to_owned();
        Ok(())
    }),
    ("llm.fallback_models", "SOFIA_LLM_FALLBACK_MODELS", |c, v| {
        c.llm.fallback_models = parse_list(v);
        Ok(())
    }),
    ("llm.timeout_s", "SOFIA_LLM_TIMEOUT_S", |c, v| {
        c.llm.timeout_s = number(v)?;
        Ok(())
    }),
    ("llm.max_steps", "SOFIA_LLM_MAX_STEPS", |c, v| {
        c.llm.max_steps = number(v)?;
        Ok(())
    }),
    ("llm.concurrency_per_clinic", "SOFIA_LLM_CONCURRENCY_PER_CLINIC", |c, v| {
        c.llm.concurrency_per_clinic = number(v)?;
        Ok(())
    }),
    ("llm.max_tokens", "SOFIA_LLM_MAX_TOKENS", |c, v| {
        c.llm.max_tokens = number(v)?;
        Ok(())
    }),
    ("llm.max_input_chars", "SOFIA_LLM_MAX_INPUT_CHARS", |c, v| {
        c.llm.max_input_chars = number(v)?;
        Ok(())
    }),
    ("llm.turns_per_patient_per_hour", "SOFIA_LLM_TURNS_PER_PATIENT_PER_HOUR", |c, v| {
        c.llm.turns_per_patient_per_hour = number(v)?;
        Ok(())
    }),
    ("llm.daily_token_budget", "SOFIA_LLM_DAILY_TOKEN_BUDGET", |c, v| {
        c.llm.daily_token_budget = number(v)?;
        Ok(())
    }),
    ("llm.prices", "SOFIA_LLM_PRICES", |c, v| {
        c.llm.prices = PriceTable::parse(v)?;
        Ok(())
    }),
    ("llm.record_dir", "SOFIA_LLM_RECORD_DIR", |c, v| {
        c.llm.record_dir = Some(PathBuf::from(v)).filter(|_| !v.trim().is_empty());
        Ok(())
    }),
    ("llm.replay_dir", "SOFIA_LLM_REPLAY_DIR", |c, v| {
        c.llm.replay_dir = Some(PathBuf::from(v)).filter(|_| !v.trim().is_empty());
        Ok(())
    }),
    ("llm.vision", "SOFIA_LLM_VISION", |c, v| {
        c.llm.vision = boolean(v)?;
        Ok(())
    }),
    ("media.timeout_s", "SOFIA_MEDIA_TIMEOUT_S", |c, v| {
        c.media.timeout_s = number(v)?;
        Ok(())
    }),
    ("media.max_audio_bytes", "SOFIA_MEDIA_MAX_AUDIO_BYTES", |c, v| {
        c.media.max_audio_bytes = number(v)?;
        Ok(())
    }),
    ("media.max_image_bytes", "SOFIA_MEDIA_MAX_IMAGE_BYTES", |c, v| {
        c.media.max_image_bytes = number(v)?;
        Ok(())
    }),
    ("media.max_document_bytes", "SOFIA_MEDIA_MAX_DOCUMENT_BYTES", |c, v| {
        c.media.max_document_bytes = number(v)?;
        Ok(())
    }),
    ("media.keep_dir", "SOFIA_MEDIA_KEEP_DIR", |c, v| {
        c.media.keep_dir = Some(PathBuf::from(v)).filter(|_| !v.trim().is_empty());
        Ok(())
    }),
    ("stt.base_url", "SOFIA_STT_BASE_URL", |c, v| {
        c.stt.base_url = v.to_owned();
        Ok(())
    }),
    ("stt.api_key", "SOFIA_STT_API_KEY", |c, v| {
        c.stt.api_key = Secret::new(v);
        Ok(())
    }),
    ("stt.model", "SOFIA_STT_MODEL", |c, v| {
        c.stt.model = v.to_owned();
        Ok(())
    }),
    ("stt.language", "SOFIA_STT_LANGUAGE", |c, v| {
        c.stt.language = v.to_owned();
        Ok(())
    }),
    ("stt.timeout_s", "SOFIA_STT_TIMEOUT_S", |c, v| {
        c.stt.timeout_s = number(v)?;
        Ok(())
    }),
    ("llm.prompts_dir", "SOFIA_LLM_PROMPTS_DIR", |c, v| {
        c.llm.prompts_dir = Some(PathBuf::from(v)).filter(|_| !v.trim().is_empty());
        Ok(())
    }),
];

/// `true` or `false`, as environment variables give them.
fn boolean(text: &str) -> Result<bool, String> {
    match text.trim() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(format!("'{text}' is not true or false")),
    }
}

/// A whole number, as environment variables give them.
fn number<N: std::str::FromStr>(text: &str) -> Result<N, String> {
    text.trim().parse().map_err(|_| format!("'{text}' is not a whole number"))
}

impl Config {
    /// Loads the configuration: `explicit` (from `--config`) must exist; otherwise
    /// `./sofia.toml` is read when present. `env` is the process environment (tests pass their own).
    pub fn load(
        explicit: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<(Config, Sources), ConfigError> {
        let mut sources = Sources::default();
        let mut config = match explicit {
            Some(path) => {
                sources.file = Some(path.to_owned());
                Self::from_file(path)?
            }
            None if Path::new("sofia.toml").is_file() => {
                sources.file = Some(PathBuf::from("sofia.toml"));
                Self::from_file(Path::new("sofia.toml"))?
            }
            None => Config::default(),
        };
        for (variable, value) in env {
            if !variable.starts_with("SOFIA_") || variable.starts_with("SOFIA_TEST_") {
                continue;
            }
            let Some((key, _, set)) = KEYS.iter().find(|(_, name, _)| *name == variable) else {
                continue;
            };
            set(&mut config, &value)
                .map_err(|problem| ConfigError::Env { variable: variable.clone(), problem })?;
            sources.env_keys.push(key);
        }
        config.validate()?;
        Ok((config, sources))
    }

    pub fn from_toml(text: &str) -> Result<Config, String> {
        toml::from_str(text).map_err(|e| e.message().to_owned())
    }

    fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Read { path: path.to_owned(), source })?;
        Self::from_toml(&text).map_err(|message| ConfigError::File { path: path.to_owned(), message })
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let url = self.database.url.expose();
        if !(url.starts_with("sqlite:") || url.starts_with("postgres://") || url.starts_with("postgresql://"))
        {
            return Err(ConfigError::Invalid {
                key: "database.url",
                problem: "must start with sqlite:// or postgres://".to_owned(),
            });
        }
        let redis = self.redis.url.expose();
        if !(redis.is_empty() || redis.starts_with("redis://") || redis.starts_with("rediss://")) {
            return Err(ConfigError::Invalid {
                key: "redis.url",
                problem: "must be empty (in-process) or start with redis:// or rediss://".to_owned(),
            });
        }
        if self.engine.workers == 0 || self.engine.lease_s == 0 {
            return Err(ConfigError::Invalid {
                key: "engine.workers",
                problem: "engine.workers and engine.lease_s must be at least 1".to_owned(),
            });
        }
        // Durations go into date arithmetic, which has bounds: a value past them would stop
        // the service in the middle of a turn instead of at start, with a message.
        for (key, value, max) in [
            ("engine.debounce_ms", self.engine.debounce_ms, 3_600_000),
            ("engine.lease_s", self.engine.lease_s, 86_400),
            ("engine.sweep_s", self.engine.sweep_s, 86_400),
            ("engine.staff_pause_minutes", u64::from(self.engine.staff_pause_minutes), 43_200),
            ("handoff.idle_return_h", u64::from(self.handoff.idle_return_h), 8_760),
            ("http.header_timeout_s", self.http.header_timeout_s, 3_600),
            ("http.request_timeout_s", self.http.request_timeout_s, 3_600),
            ("outbox.send_timeout_s", self.outbox.send_timeout_s, 3_600),
            ("outbox.sweep_s", self.outbox.sweep_s, 86_400),
            ("outbox.claim_timeout_s", self.outbox.claim_timeout_s, 86_400),
            ("retention.messages_days", u64::from(self.retention.messages_days), 36_500),
        ] {
            if value > max {
                return Err(ConfigError::Invalid { key, problem: format!("must be at most {max}") });
            }
        }
        if self.http.header_timeout_s == 0 || self.http.request_timeout_s == 0 || self.http.max_in_flight == 0
        {
            return Err(ConfigError::Invalid {
                key: "http",
                problem: "header_timeout_s, request_timeout_s and max_in_flight must be at least 1"
                    .to_owned(),
            });
        }
        if self.outbox.send_timeout_s == 0 || self.outbox.sweep_s == 0 {
            return Err(ConfigError::Invalid {
                key: "outbox",
                problem: "send_timeout_s and sweep_s must be at least 1".to_owned(),
            });
        }
        // A dispatch waits up to send_timeout_s for the read receipt, the typing indicator and
        // the send itself; a claim that runs out before that is taken from a live sender.
        if self.outbox.claim_timeout_s <= 3 * self.outbox.send_timeout_s {
            return Err(ConfigError::Invalid {
                key: "outbox.claim_timeout_s",
                problem:
                    "must be longer than three times outbox.send_timeout_s (read receipt, typing, send), \
                          or live sends would be taken over as dead"
                        .to_owned(),
            });
        }
        if self.handoff.idle_return_h == 0 {
            return Err(ConfigError::Invalid {
                key: "handoff.idle_return_h",
                problem: "must be at least 1 (hours)".to_owned(),
            });
        }
        if let Some((key, problem)) = self.llm.problem() {
            return Err(ConfigError::Invalid { key, problem });
        }
        for (key, url) in
            [("vectors.url", &self.vectors.url), ("embeddings.base_url", &self.embeddings.base_url)]
        {
            let url = url.trim();
            if !(url.is_empty() || url.starts_with("http://") || url.starts_with("https://")) {
                return Err(ConfigError::Invalid {
                    key,
                    problem: "must start with http:// or https:// (or be empty)".to_owned(),
                });
            }
        }
        let public_url = self.http.public_url.trim();
        if !(public_url.is_empty() || public_url.starts_with("http://") || public_url.starts_with("https://"))
        {
            return Err(ConfigError::Invalid {
                key: "http.public_url",
                problem: "must start with http:// or https:// (or be empty)".to_owned(),
            });
        }
        Ok(())
    }

    /// Where providers reach this service, without a trailing slash.
    pub fn public_url(&self) -> String {
        match self.http.public_url.trim().trim_end_matches('/') {
            "" => format!("http://{}", self.http.bind),
            url => url.to_owned(),
        }
    }

    /// Every configuration key with its environment variable, for docs and tests.
    pub fn keys() -> impl Iterator<Item = (&'static str, &'static str)> {
        KEYS.iter().map(|(key, env, _)| (*key, *env))
    }

    /// The database URL with any password replaced, safe to log.
    pub fn database_display(&self) -> String {
        redact_url(self.database.url.expose())
    }

    /// The Redis URL with any password replaced, safe to log; `None` when coordination is
    /// in-process.
    pub fn redis_display(&self) -> Option<String> {
        let url = self.redis.url.expose();
        (!url.is_empty()).then(|| redact_url(url))
    }

    pub fn uses_embedded_database(&self) -> bool {
        self.database.url.expose().starts_with("sqlite:")
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let Some((credentials, host)) = rest.rsplit_once('@') else { return url.to_owned() };
    let user = credentials.split_once(':').map_or(credentials, |(user, _)| user);
    let host = host.split_once('?').map_or(host, |(host, _)| host);
    format!("{scheme}://{user}:***@{host}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn no_configuration_means_the_embedded_defaults() {
        let (config, sources) = Config::load(None, env(&[])).unwrap();
        assert_eq!(config, Config::default());
        assert!(config.uses_embedded_database());
        assert_eq!(config.http.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(sources, Sources::default());
    }

    #[test]
    fn environment_variables_override_the_file() {
        let dir = std::env::temp_dir().join(format!("sofia-config-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("sofia.toml");
        std::fs::write(&file, "[http]\nbind = \"0.0.0.0:9000\"\n[log]\nlevel = \"debug\"\n").unwrap();
        let (config, sources) =
            Config::load(Some(&file), env(&[("SOFIA_HTTP_BIND", "127.0.0.1:7000"), ("HOME", "/root")]))
                .unwrap();
        assert_eq!(config.http.bind.to_string(), "127.0.0.1:7000");
        assert_eq!(config.log.level, "debug");
        assert_eq!(sources.env_keys, ["http.bind"]);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn mistakes_are_named() {
        let error = Config::load(None, env(&[("SOFIA_HTTP_BIND", "eight thousand")])).unwrap_err();
        assert_eq!(
            error.to_string(),
            "SOFIA_HTTP_BIND: 'eight thousand' is not an address like 127.0.0.1:8080"
        );
        let error = Config::load(None, env(&[("SOFIA_DATABASE_URL", "mysql://x")])).unwrap_err();
        assert_eq!(error.to_string(), "database.url: must start with sqlite:// or postgres://");
        let typo = Config::from_toml("[databse]\nurl = \"x\"").unwrap_err();
        assert!(typo.contains("databse"), "{typo}");
    }

    #[test]
    fn durations_past_what_dates_can_hold_are_refused_at_start() {
        for (variable, key, max) in [
            ("SOFIA_ENGINE_LEASE_S", "engine.lease_s", "86400"),
            ("SOFIA_ENGINE_STAFF_PAUSE_MINUTES", "engine.staff_pause_minutes", "43200"),
            ("SOFIA_HANDOFF_IDLE_RETURN_H", "handoff.idle_return_h", "8760"),
            ("SOFIA_ENGINE_DEBOUNCE_MS", "engine.debounce_ms", "3600000"),
        ] {
            let error = Config::load(None, env(&[(variable, "4000000000")])).unwrap_err();
            assert_eq!(error.to_string(), format!("{key}: must be at most {max}"));
        }
    }

    #[test]
    fn the_example_file_documents_every_key_with_its_default() {
        let example = include_str!("../sofia.example.toml");
        let uncommented: String = example
            .lines()
            .map(|line| line.strip_prefix("# ").filter(|l| l.contains(" = ")).unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(Config::from_toml(&uncommented).unwrap(), Config::default());
        for (key, variable) in Config::keys() {
            let name = key.split_once('.').unwrap().1;
            assert!(uncommented.contains(&format!("{name} = ")), "sofia.example.toml lacks {key}");
            assert!(example.contains(variable), "sofia.example.toml does not name {variable}");
        }
    }

    #[test]
    fn the_idle_return_is_a_whole_number_of_hours_of_at_least_one() {
        let (config, _) = Config::load(None, env(&[("SOFIA_HANDOFF_IDLE_RETURN_H", "6")])).unwrap();
        assert_eq!(config.handoff.idle_return_h, 6);
        assert_eq!(Config::default().handoff.idle_return_h, 24);
        let error = Config::load(None, env(&[("SOFIA_HANDOFF_IDLE_RETURN_H", "0")])).unwrap_err();
        assert_eq!(error.to_string(), "handoff.idle_return_h: must be at least 1 (hours)");
    }

    #[test]
    fn database_passwords_never_show() {
        let mut config = Config::default();
        config.database.url = Secret::new("postgres://sofia:hunter2@db.internal:5432/sofia?sslmode=require");
        assert_eq!(config.database_display(), "postgres://sofia:***@db.internal:5432/sofia");
        assert!(!format!("{config:?}").contains("hunter2"));
    }

    #[test]
    fn meta_secrets_come_from_the_environment_and_never_print() {
        let (config, sources) = Config::load(
            None,
            env(&[("SOFIA_META_APP_SECRET", "app-secret-1"), ("SOFIA_META_VERIFY_TOKEN", "verify-2")]),
        )
        .unwrap();
        assert_eq!(config.meta.app_secret.expose(), "app-secret-1");
        assert_eq!(config.meta.verify_token.expose(), "verify-2");
        assert_eq!(sources.env_keys, ["meta.app_secret", "meta.verify_token"]);
        let printed = format!("{config:?}");
        assert!(!printed.contains("app-secret-1") && !printed.contains("verify-2"), "{printed}");
    }

    #[test]
    fn the_public_url_defaults_to_the_bind_address() {
        let mut config = Config::default();
        assert_eq!(config.public_url(), "http://127.0.0.1:8080");
        config.http.public_url = "https://bot.clinica.com.br/".to_owned();
        assert_eq!(config.public_url(), "https://bot.clinica.com.br");
        let error = Config::load(None, env(&[("SOFIA_HTTP_PUBLIC_URL", "bot.clinica.com.br")])).unwrap_err();
        assert_eq!(error.to_string(), "http.public_url: must start with http:// or https:// (or be empty)");
        let error =
            Config::load(None, env(&[("SOFIA_ENGINE_STAFF_PAUSE_MINUTES", "two hours")])).unwrap_err();
        assert_eq!(error.to_string(), "SOFIA_ENGINE_STAFF_PAUSE_MINUTES: 'two hours' is not a whole number");
    }
}
