//! `okuri init`: creates the home, prompts only for what is missing, only on a terminal.

mod common;

use common::*;

#[test]
fn init_creates_a_private_home() {
    let env = Env::bare();
    // Before init, a command says how to set up, with every flag init may need.
    env.write("memo.txt", b"memo");
    let r = env.run(&[
        "pack",
        "memo.txt",
        "--to",
        "株式会社テスト",
        "--channel",
        "email",
        "--slip",
        "s.txt",
    ]);
    r.code(2);
    r.says("en", "home-not-set-up");
    assert!(
        r.stderr
            .contains("okuri init --id ID --name NAME --department DEPT"),
        "{}",
        r.stderr
    );
    // The staff id defaults to the login name.
    let r: Run = env
        .cmd()
        .env("USER", "sato.hanako")
        .args(["init", "--name", "佐藤 花子", "--department", "税務課"])
        .output()
        .unwrap()
        .into();
    r.ok();
    assert_eq!(mode(&env.home), 0o700);
    let id = std::fs::read_to_string(env.home.join("identity.toml")).unwrap();
    assert!(id.contains("佐藤 花子") && id.contains("税務課"));
    assert!(id.contains("id = \"sato.hanako\""), "{id}");
    // Never replaced.
    let r = env.run(&["init", "--id", "x", "--name", "X", "--department", "Y"]);
    r.code(4);
    assert!(r.stderr.contains("already set up"));
    assert!(
        std::fs::read_to_string(env.home.join("identity.toml"))
            .unwrap()
            .contains("佐藤 花子")
    );
}

#[test]
fn no_prompt_without_a_terminal() {
    let env = Env::bare();
    let r = env.run(&["init", "--id", "x", "--name", "X"]);
    r.code(2);
    assert!(r.stderr.contains("--department"), "{}", r.stderr);
    assert!(!env.home.exists());
    // Without a login name to default to, the id is required too.
    let r: Run = env
        .cmd()
        .env_remove("USER")
        .env_remove("LOGNAME")
        .args(["init", "--name", "X", "--department", "Y"])
        .output()
        .unwrap()
        .into();
    r.code(2);
    assert!(r.stderr.contains("--id"), "{}", r.stderr);
    // An id that cannot be a principal is a usage error.
    let r = env.run(&["init", "--id", "山田", "--name", "X", "--department", "Y"]);
    r.code(2);
    assert!(r.stderr.contains("not a valid id"), "{}", r.stderr);
    assert!(!env.home.exists());
}

/// On a terminal, only the missing value is asked for.
#[test]
fn prompts_for_what_is_missing_on_a_terminal() {
    let env = Env::bare();
    terminal_init(
        &env,
        "",
        "--id suzuki --name 鈴木",
        r#"expect {
    "name" { puts "ASKED FOR NAME"; exit 1 }
    "department" { send -- "企画課\r" }
    timeout { exit 2 }
}"#,
    );
    let id = std::fs::read_to_string(env.home.join("identity.toml")).unwrap();
    assert!(id.contains("鈴木") && id.contains("企画課"), "{id}");
}

/// On a terminal with nothing given, the questions come in the order of the flags: the staff
/// id, the name, the department.
#[test]
fn asks_in_the_order_of_the_flags() {
    let env = Env::bare();
    terminal_init(
        &env,
        "-u USER -u LOGNAME",
        "",
        r#"expect {
    "staff id:" { send -- "suzuki.ichiro\r" }
    "name:" { puts "NAME BEFORE ID"; exit 3 }
    timeout { exit 2 }
}
expect {
    "name:" { send -- "鈴木 一郎\r" }
    "department:" { puts "DEPARTMENT BEFORE NAME"; exit 3 }
    timeout { exit 2 }
}
expect {
    "department:" { send -- "企画課\r" }
    timeout { exit 2 }
}"#,
    );
    let id = std::fs::read_to_string(env.home.join("identity.toml")).unwrap();
    assert!(
        id.contains("suzuki.ichiro") && id.contains("鈴木 一郎") && id.contains("企画課"),
        "{id}"
    );
}

/// Runs `okuri init ARGS` on a terminal (`expect`), with `env_args` for `env` (such as
/// `-u USER`), answering as `session` (expect clauses) says, and asserts it ended well.
fn terminal_init(env: &Env, env_args: &str, args: &str, session: &str) {
    let script = format!(
        "set timeout 30\nspawn env {env_args} OKURI_LANG=en OKURI_HOME={home} OKURI_SYSTEM_DIR={etc} {bin} init {args}\n{session}\nexpect eof\ncatch wait r\nexit [lindex $r 3]\n",
        home = env.home.display(),
        etc = env.path("etc").display(),
        bin = env!("CARGO_BIN_EXE_okuri")
    );
    let o = std::process::Command::new("expect")
        .arg("-c")
        .arg(&script)
        .output()
        .expect("expect");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
}
