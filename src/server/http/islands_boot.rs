//! The islands' boot script as a file of its own. Leptos' `<HydrationScripts>`
//! writes the islands loader and the islands router, 13 KB, inline into every
//! page: two thirds of checkout-complete's HTML, rendered, copied and sent
//! with each response. Served from one content-hashed address instead, a
//! browser fetches it once (under 5 KB compressed) and keeps it, and every
//! page is a third of the size. The script is still Leptos' own: rendered once here
//! from that same component, so it changes whenever Leptos changes it.

use std::sync::OnceLock;

use leptos::config::LeptosOptions;
use leptos::prelude::*;

use crate::server::http::static_files::HashedFile;

/// What every page's head names: the islands' module and wasm, which it
/// preloads, and the script that boots them.
pub struct IslandsBoot {
    pub module: String,
    pub wasm: String,
    pub script: HashedFile,
}

impl IslandsBoot {
    /// This process's; the options name the same files in every router it builds.
    pub fn get(options: &LeptosOptions) -> &'static IslandsBoot {
        static BOOT: OnceLock<IslandsBoot> = OnceLock::new();
        BOOT.get_or_init(|| Self::from_hydration_scripts(options))
    }

    fn from_hydration_scripts(options: &LeptosOptions) -> Self {
        let html = Owner::new().with(|| {
            view! { <HydrationScripts options=options.clone() islands=true islands_router=true/> }.to_html()
        });
        let part = |start: &str, end: &str| {
            between(&html, start, end)
                .unwrap_or_else(|| panic!("<HydrationScripts> no longer renders {start:?}…{end:?} (src/server/http/islands_boot.rs): {html}"))
                .to_owned()
        };
        let module = part("<link rel=\"modulepreload\" href=\"", "\"");
        let wasm = part("<link rel=\"preload\" href=\"", "\"");
        let loader = part("<script type=\"module\">", "</script>");
        let script = format!("{ISLANDS_WITHOUT_IDLE_WAIT}\n{loader}");
        let dir = format!("/{}", options.site_pkg_dir);
        Self { module, wasm, script: HashedFile::new(&format!("{dir}/boot"), "islands", "js", script.into_bytes()) }
    }
}

/// The text after the first `start` up to the next `end`.
fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)?;
    Some(&text[from..from + to])
}

/// Leptos loads the islands' wasm in an idle callback, to keep it off the
/// critical path of pages that are mostly content. Here the island is the
/// point of the page (registering a guest who has just paid), and a cold
/// page load waited 40–200 ms for the browser to call back: give idle
/// callbacks a deadline, so the wasm loads as soon as the page has parsed.
/// First in the module, so it runs before the loader asks.
const ISLANDS_WITHOUT_IDLE_WAIT: &str = "(function(){var idle=window.requestIdleCallback;if(idle){\
window.requestIdleCallback=function(callback,options){return idle.call(window,callback,Object.assign({timeout:1},options));};}})();";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_boot_script_is_leptos_islands_loader_and_router_at_a_hashed_address() {
        let options = LeptosOptions::builder().output_name("site").site_pkg_dir("pkg").build();
        let boot = IslandsBoot::from_hydration_scripts(&options);
        assert_eq!(boot.module, "/pkg/site.js");
        assert!(boot.wasm.starts_with("/pkg/site") && boot.wasm.ends_with(".wasm"), "{}", boot.wasm);
        let path = boot.script.path();
        assert!(path.starts_with("/pkg/boot/islands.") && path.ends_with(".js"), "{path}");
        let script = std::str::from_utf8(boot.script.content()).unwrap();
        assert!(script.starts_with(ISLANDS_WITHOUT_IDLE_WAIT), "the idle deadline comes first");
        assert!(script.contains("hydrateIslands") && script.contains(r#"("", "pkg", "site", "#), "the loader, naming the module");
        assert!(script.contains("Islands-Router"), "the islands router");
        assert!(!script.contains("&amp;") && !script.contains("&lt;"), "raw script text, not escaped HTML");
    }

    #[test]
    fn between_finds_the_first_span() {
        assert_eq!(between("a[b]c[d]", "[", "]"), Some("b"));
        assert_eq!(between("abc", "[", "]"), None);
    }
}
