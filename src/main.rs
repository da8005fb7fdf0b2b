use std::process::ExitCode;

use clap::Parser;
use sofia::app::{self, IndexPlacement, Sofia, Wiring};
use std::io::IsTerminal;
use std::sync::Arc;

use sofia::chat::ChatOptions;
use sofia::cli::{ChatArgs, Cli, Command};
use sofia::config::{Config, LogFormat};
use sofia::inbox::Console;
use sofia_core::clock::SystemClock;
use sofia_core::domain::{Phone, TenantId};
use tracing_subscriber::EnvFilter;

/// See `mimalloc` in Cargo.toml for why.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (config, sources) = match Config::load(cli.config.as_deref(), std::env::vars()) {
        Ok(loaded) => loaded,
        Err(error) => {
            eprintln!("sofia: configuration error: {error}");
            return ExitCode::from(2);
        }
    };
    init_logging(
        &config,
        matches!(
            cli.command,
            Command::Chat(_)
                | Command::Handoffs(_)
                | Command::Appointments(_)
                | Command::Keys(_)
                | Command::Crm(_)
        ),
    );
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("sofia: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Serve => {
                app::log_startup(&config, &sources);
                let listener = tokio::net::TcpListener::bind(config.http.bind)
                    .await
                    .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.http.bind))?;
                let sofia = Sofia::start(config).await?;
                sofia.serve(listener, app::shutdown_signal()).await.map(|()| ExitCode::SUCCESS)
            }
            Command::Chat(args) => chat(config, args).await.map(|()| ExitCode::SUCCESS),
            Command::Migrate => {
                sofia::store::open(config.database.url.expose()).await?;
                tracing::info!(database = %config.database_display(), "migrations applied");
                Ok(ExitCode::SUCCESS)
            }
            Command::Ingest(args) => {
                sofia::ingest::run(&args, &config, &mut std::io::stdout()).await.map(|()| ExitCode::SUCCESS)
            }
            Command::Handoffs(args) => {
                let clock = Arc::new(SystemClock);
                Ok(match sofia::handoff::command::run(&args, &config, clock, &mut std::io::stdout()).await {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(error) => {
                        eprintln!("sofia handoffs: {error:#}");
                        ExitCode::FAILURE
                    }
                })
            }
            Command::Appointments(args) => {
                let clock = Arc::new(SystemClock);
                let mut out = std::io::stdout();
                Ok(match sofia::scheduler::command::run(&args, &config, clock, &mut out).await {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(error) => {
                        eprintln!("sofia appointments: {error:#}");
                        ExitCode::FAILURE
                    }
                })
            }
            Command::Keys(args) => {
                let (mut out, mut notes) = (std::io::stdout(), std::io::stderr());
                Ok(
                    match sofia::admin::command::run(&args, &config, &SystemClock, &mut out, &mut notes).await
                    {
                        Ok(()) => ExitCode::SUCCESS,
                        Err(error) => {
                            eprintln!("sofia keys: {error:#}");
                            ExitCode::FAILURE
                        }
                    },
                )
            }
            Command::Crm(args) => {
                let mut out = std::io::stdout();
                Ok(match sofia::crm::command::run(&args, &config, &SystemClock, &mut out).await {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(error) => {
                        eprintln!("sofia crm: {error:#}");
                        ExitCode::FAILURE
                    }
                })
            }
            Command::Eval(args) => Ok(match sofia::eval::run(&args, &config, &SystemClock).await {
                Ok(verdict) if verdict.passed => ExitCode::SUCCESS,
                Ok(_) => ExitCode::FAILURE,
                Err(error) => {
                    // A wrong suite, clinic or option, told apart from failing cases.
                    eprintln!("sofia eval: {error}");
                    ExitCode::from(2)
                }
            }),
        }
    });
    match result {
        Ok(code) => code,
        Err(error) => {
            tracing::error!("{error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn chat(config: Config, args: ChatArgs) -> anyhow::Result<()> {
    let tenant: TenantId = args.tenant.parse().map_err(|e| anyhow::anyhow!("--tenant: {e}"))?;
    let phone = Phone::parse(&args.phone).map_err(|e| anyhow::anyhow!("--phone: {e}"))?;
    let wiring =
        Wiring { index: IndexPlacement::ConfiguredOrTemporary, ..Wiring::production(&config.outbox) };
    let sofia = Sofia::start_with(config, wiring).await?;
    let loaded = sofia
        .clinics
        .by_tenant(&tenant)
        .ok_or_else(|| anyhow::anyhow!("--tenant: no clinic '{tenant}' is loaded"))?;
    let console = Console::new(sofia.console_inbox(), &loaded.clinic)?;
    let engine = Arc::clone(&sofia.engine);
    let options = ChatOptions {
        tenant,
        phone,
        name: args.name,
        trace: args.trace,
        echo: !std::io::stdin().is_terminal(),
    };
    let stdin = tokio::io::BufReader::new(tokio::io::stdin());
    sofia::chat::run(&engine, &console, &options, stdin, &mut std::io::stdout()).await
}

/// `chat` and `handoffs` own the terminal: their logs go to stderr and only warnings show
/// unless asked.
fn init_logging(config: &Config, chat: bool) {
    let level = if chat { "warn" } else { config.log.level.as_str() };
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(level))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder =
        tracing_subscriber::fmt().with_env_filter(filter).with_target(false).with_writer(std::io::stderr);
    match config.log.format {
        LogFormat::Pretty => builder.init(),
        // Every event carries the spans it happened in (the conversation, the webhook, the tool
        // call), so their fields need not be repeated in each event.
        LogFormat::Json => builder.json().with_current_span(true).with_span_list(true).init(),
    }
}
