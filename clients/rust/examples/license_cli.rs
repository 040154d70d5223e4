//! Drives the license manager as the app would, one command per run and one JSON line out, so anyone
//! (and CI) can play the whole life of an install:
//!
//! ```sh
//! cargo run --example license_cli -- activate SR-PREMIUM-eyJ… --state ./state --server http://127.0.0.1:8787
//! cargo run --example license_cli -- check --state ./state --offline --now 1800259200 --elapsed 3600
//! ```
//!
//! Commands: `activate <KEY>`, `check`, `deactivate`, `status`. Options: `--state <DIR>` (the FileStore
//! folder), `--server <URL>`, `--jwks <FILE>` (instead of the bundled one), `--now <UNIX SECONDS>` (the
//! wall clock this run sees), `--elapsed <SECONDS>` (monotonic time the app ran before the command),
//! `--offline` (every request fails as with no network), and `--issuer`, `--product`, `--machine <OS ID>`.
//!
//! Out: `{"decision":"allow"|"block","reason":…,"tier":…,"next_check_at":…,"message_fr":…,"message_en":…}`
//! and exit 0; a call that failed prints `{"error":{…},"message_fr":…,"message_en":…}` and exits 1.

use maximus_license::protocol::{Request, Response};
use maximus_license::{
    machine_id, machine_id_from, unix_now, Access, BlockReason, Clock, Config, Describe, Expect, FileStore, Jwks, Lang, LicenseManager,
    Message, NoNetwork, Product, Tier, Transport, TransportError, UreqTransport,
};
use serde::Serialize;
use serde_json::json;
use std::process::exit;

const USAGE: &str = "usage: license_cli <activate KEY|check|deactivate|status> [--state DIR] [--server URL] \
[--jwks FILE] [--now UNIX] [--elapsed SECS] [--offline] [--issuer URL] [--product ID] [--machine OS_ID]";
// The app's own salt for machine_id; each app has its own, so their ids do not link.
const APP_SALT: &str = "license_cli";

enum CliTransport {
    Online(UreqTransport),
    Offline(NoNetwork),
}

impl Transport for CliTransport {
    fn send(&self, request: &Request) -> Result<Response, TransportError> {
        match self {
            CliTransport::Online(t) => t.send(request),
            CliTransport::Offline(t) => t.send(request),
        }
    }
}

/// The line a command prints, fields in this order.
#[derive(Serialize)]
struct Line {
    decision: Access,
    reason: Option<BlockReason>,
    tier: Option<Tier>,
    next_check_at: Option<u64>,
    message_fr: String,
    message_en: String,
}

struct Options {
    command: String,
    key: Option<String>,
    state: String,
    server: String,
    jwks: Option<String>,
    now: Option<u64>,
    elapsed: u64,
    offline: bool,
    issuer: String,
    product: Product,
    machine: Option<String>,
}

fn usage(problem: &str) -> ! {
    eprintln!("license_cli: {problem}\n{USAGE}");
    exit(2)
}

fn parse_args() -> Options {
    let mut args = std::env::args().skip(1);
    let mut o = Options {
        command: String::new(),
        key: None,
        state: "license-state".into(),
        server: "http://127.0.0.1:8787".into(),
        jwks: None,
        now: None,
        elapsed: 0,
        offline: false,
        issuer: "https://api.maximus.example".into(),
        product: Product::SimplResultat,
        machine: None,
    };
    let mut positional = Vec::new();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().unwrap_or_else(|| usage(&format!("{name} needs a value")));
        let number = |name: &str, v: String| v.parse::<u64>().unwrap_or_else(|_| usage(&format!("{name}: not a number: {v}")));
        match arg.as_str() {
            "--state" => o.state = value("--state"),
            "--server" => o.server = value("--server"),
            "--jwks" => o.jwks = Some(value("--jwks")),
            "--now" => o.now = Some(number("--now", value("--now"))),
            "--elapsed" => o.elapsed = number("--elapsed", value("--elapsed")),
            "--offline" => o.offline = true,
            "--issuer" => o.issuer = value("--issuer"),
            "--product" => {
                let id = value("--product");
                o.product = Product::from_id(&id).unwrap_or_else(|| usage(&format!("unknown product {id}")));
            }
            "--machine" => o.machine = Some(value("--machine")),
            "-h" | "--help" => {
                println!("{USAGE}");
                exit(0)
            }
            flag if flag.starts_with("--") => usage(&format!("unknown option {flag}")),
            _ => positional.push(arg),
        }
    }
    let mut positional = positional.into_iter();
    o.command = positional.next().unwrap_or_else(|| usage("no command"));
    if o.command == "activate" {
        o.key = Some(positional.next().unwrap_or_else(|| usage("activate needs the key")));
    }
    if let Some(extra) = positional.next() {
        usage(&format!("unexpected argument {extra}"));
    }
    o
}

fn print_failure(error: serde_json::Value, message: Message) -> ! {
    let line = json!({ "error": error, "message_fr": message.text(Lang::Fr), "message_en": message.text(Lang::En) });
    println!("{line}");
    exit(1)
}

fn main() {
    let o = parse_args();
    let machine = match &o.machine {
        Some(os_id) => machine_id_from(APP_SALT, os_id),
        None => machine_id(APP_SALT).unwrap_or_else(|e| print_failure(json!(e), e.message())),
    };
    let mut config = Config::new(&o.server, Expect { issuer: o.issuer.clone(), product: o.product }, &machine);
    config.machine.name = Some("license_cli".into());
    config.machine.platform = Some(format!("{}-{}", std::env::consts::OS, std::env::consts::ARCH));
    config.machine.app_version = Some(env!("CARGO_PKG_VERSION").into());
    if let Some(path) = &o.jwks {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| usage(&format!("{path}: {e}")));
        config.bundled_jwks = Jwks::from_json(&text).unwrap_or_else(|e| usage(&format!("{path}: {e}")));
    }
    let transport = if o.offline { CliTransport::Offline(NoNetwork) } else { CliTransport::Online(UreqTransport::new()) };
    let manager = LicenseManager::new(config, FileStore::new(&o.state), transport);
    let clock = Clock { now: o.now.unwrap_or_else(unix_now), elapsed: o.elapsed };

    let result = match o.command.as_str() {
        "activate" => manager.activate_at(o.key.as_deref().unwrap_or_default(), clock),
        "check" => manager.check_at(clock),
        "deactivate" => manager.deactivate_at(clock),
        "status" => manager.status_at(clock),
        other => usage(&format!("unknown command {other}")),
    };
    match result {
        Ok(status) => {
            let line = Line {
                decision: status.decision,
                reason: status.reason,
                tier: status.tier,
                next_check_at: status.next_check_at,
                message_fr: status.message.text(Lang::Fr),
                message_en: status.message.text(Lang::En),
            };
            println!("{}", serde_json::to_string(&line).expect("a status line serializes"));
        }
        Err(e) => print_failure(json!(e), e.message()),
    }
}
