//! What `checkout-portal serve` checks before it starts serving.

use std::process::Command;

const BINARY: &str = env!("CARGO_BIN_EXE_checkout-portal");

#[test]
fn a_front_end_built_without_split_is_refused_with_the_fix() {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    // What wasm-bindgen emits for a bundle with lazy routes that was never split.
    std::fs::write(pkg.join("checkout-portal.js"), "import * as s from './__wasm_split.______________________.js';").unwrap();
    let run = || {
        Command::new(BINARY)
            .arg("serve")
            .env("LEPTOS_SITE_ROOT", site.path())
            .env("LEPTOS_OUTPUT_NAME", "checkout-portal")
            // Nothing listens on port 1: a run that gets past the check fails on the database instead.
            .env("DATABASE_URL", "postgres://root@127.0.0.1:1/test")
            .env("DB_ACQUIRE_TIMEOUT", "1s")
            .env("RUST_LOG", "off")
            .output()
            .expect("run")
    };

    let refused = run();
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("built without --split") && stderr.contains("cargo leptos build --split"), "{stderr}");

    // The split step writes its manifest: then the check passes.
    std::fs::write(pkg.join("__wasm_split_manifest.json"), "{}").unwrap();
    let stderr = String::from_utf8_lossy(&run().stderr).into_owned();
    assert!(!stderr.contains("--split"), "{stderr}");
}
