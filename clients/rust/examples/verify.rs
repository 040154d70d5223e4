//! `cargo run --example verify -- <jwks.json> <issuer> <product> <key>`: prints the license as JSON and
//! exits 0, or prints why the key is not valid and exits 1.

use maximus_license::{unix_now, verify_key, Expect, Jwks, KeyError, Product};
use std::process::exit;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 4 {
        eprintln!("usage: verify <jwks.json> <issuer> <product> <key>");
        exit(2);
    }
    let fail = |message: String| -> ! {
        println!("{message}");
        exit(1)
    };
    let jwks_text = std::fs::read_to_string(&args[0]).unwrap_or_else(|e| fail(format!("{}: {e}", args[0])));
    let jwks = Jwks::from_json(&jwks_text).unwrap_or_else(|e| fail(e.to_string()));
    let product = Product::from_id(&args[2]).unwrap_or_else(|| fail(format!("unknown product {:?}", args[2])));
    let expect = Expect { issuer: args[1].clone(), product };
    match verify_key(&args[3], &jwks, &expect, unix_now()) {
        Ok(license) => println!("{}", serde_json::to_string_pretty(&license).expect("a license serializes")),
        Err(KeyError::Expired(license)) => fail(format!(
            "expired (authentic; the server may hold a renewal): {}",
            serde_json::to_string(&license).expect("a license serializes")
        )),
        Err(e) => fail(e.to_string()),
    }
}
