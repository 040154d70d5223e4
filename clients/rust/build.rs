//! Bundles the JWKS the app trusts before its first online answer: the file named by
//! `MAXIMUS_BUNDLED_JWKS` (a release build points it at the production `/.well-known/jwks.json`), else
//! `jwks/bundled.json`.
fn main() {
    println!("cargo:rerun-if-env-changed=MAXIMUS_BUNDLED_JWKS");
    let source = std::env::var_os("MAXIMUS_BUNDLED_JWKS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new("jwks").join("bundled.json"));
    println!("cargo:rerun-if-changed={}", source.display());
    let text = std::fs::read_to_string(&source).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("bundled-jwks.json"), text).expect("OUT_DIR is writable");
}
