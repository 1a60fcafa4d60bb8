//! The `okuri` binary: parse, call the library, render. See `okuri --help`.

mod cli;

use clap::Parser;
use okuri::base::message::Lang;
use okuri::i18n::Texts;

fn main() -> std::process::ExitCode {
    // Before any secret exists: no core dump, no same-user debugger (sys::undumpable).
    okuri::sys::undumpable::undumpable();
    let cli = cli::Cli::parse();
    let flag = cli.lang;
    let (result, lines) = match cli::Context::new(&cli) {
        Ok(cx) => {
            let r = cli::run(&cx, cli.command);
            let lines = r.as_ref().err().map(|e| cx.texts().error_lines("okuri", e));
            (r, lines)
        }
        Err(e) => {
            let t = Texts::new(Lang::from_environment(flag).unwrap_or(Lang::En));
            let lines = Some(t.error_lines("okuri", &e));
            (Err(e), lines)
        }
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // One voice on stderr: `okuri: error: …`, then hints, then the causes.
            for l in lines.unwrap_or_default() {
                eprintln!("{l}");
            }
            std::process::ExitCode::from(e.exit_code() as u8)
        }
    }
}
