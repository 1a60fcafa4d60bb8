//! `okuri-approvald --config FILE`: the approval service. See docs/service.md.

use clap::Parser;
use okuri::base::message::Lang;
use okuri::i18n::Texts;
use okuri::msg;

fn main() -> std::process::ExitCode {
    // Keys and sessions pass through memory: no core dump, no same-user debugger.
    okuri::sys::undumpable::undumpable();
    let args = okuri::service::Args::parse();
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("OKURI_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    // The operator reads the service's messages: in the language of its environment, else
    // English.
    let texts = Texts::new(Lang::from_environment(None).unwrap_or(Lang::En));
    let run = || -> okuri::Result<()> {
        let cfg = okuri::service::Config::load(&args.config)?;
        // PostgreSQL's connections live on the runtime, made before the database is opened.
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| okuri::Error::failure(msg!("service-runtime")).with_source(e))?;
        if let Some(okuri::service::Command::Migrate) = args.command {
            let store = okuri::service::open_store(&cfg, rt.handle())?;
            for m in &store.applied {
                println!(
                    "okuri-approvald: {}",
                    texts.render(&msg!(
                        "service-migrated",
                        version = m.version,
                        name = m.name
                    ))
                );
            }
            println!(
                "okuri-approvald: {}",
                texts.render(&msg!(
                    "service-schema-current",
                    path = cfg.database.display(),
                    version = okuri::service::migrate::latest()
                ))
            );
            return Ok(());
        }
        if let Some(okuri::service::Command::CopyDb { from, to }) = &args.command {
            let (from, to, copied) =
                okuri::service::copy_db(&cfg, from, to.as_deref(), rt.handle())?;
            for c in &copied {
                println!(
                    "okuri-approvald: {}",
                    texts.render(&msg!("service-copied", table = c.table, rows = c.rows))
                );
            }
            println!(
                "okuri-approvald: {}",
                texts.render(&msg!(
                    "service-copy-done",
                    from = from.display(),
                    to = to.display(),
                    rows = copied.iter().map(|c| c.rows).sum::<u64>()
                ))
            );
            return Ok(());
        }
        if args.check {
            if let Some(warning) = okuri::service::check(&cfg, rt.handle())? {
                eprintln!("okuri-approvald: {}", texts.render(&warning));
            }
            println!(
                "okuri-approvald: {}",
                texts.render(&msg!("service-config-ok", path = &args.config))
            );
            return Ok(());
        }
        let state = okuri::service::state(&cfg, rt.handle())?;
        rt.block_on(okuri::service::serve(cfg, state))
    };
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            for line in texts.error_lines("okuri-approvald", &e) {
                eprintln!("{line}");
            }
            std::process::ExitCode::from(e.exit_code() as u8)
        }
    }
}
