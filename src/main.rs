use std::process::ExitCode;

use clap::Parser;
use sofia::app::{self, Sofia};
use sofia::cli::{Cli, Command};
use sofia::config::{Config, LogFormat};
use sofia_core::clock::SystemClock;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (config, sources) = match Config::load(cli.config.as_deref(), std::env::vars()) {
        Ok(loaded) => loaded,
        Err(error) => {
            eprintln!("sofia: configuration error: {error}");
            return ExitCode::from(2);
        }
    };
    init_logging(&config);
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
                let sofia = Sofia::start(config, &SystemClock).await?;
                sofia.serve(listener, app::shutdown_signal()).await.map(|()| ExitCode::SUCCESS)
            }
            Command::Migrate => {
                sofia::store::open(config.database.url.expose()).await?;
                tracing::info!(database = %config.database_display(), "migrations applied");
                Ok(ExitCode::SUCCESS)
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

fn init_logging(config: &Config) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&config.log.level))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(false);
    match config.log.format {
        LogFormat::Pretty => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}
