# Shared environment for the scripts (sourced, not run).
CHECKOUT_PORTAL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CHECKOUT_PORTAL_ROOT
export CHECKOUT_PORTAL_TOOLS="${CHECKOUT_PORTAL_TOOLS:-$HOME/.cache/checkout-portal/tools}"
export PATH="$HOME/.cargo/bin:$CHECKOUT_PORTAL_TOOLS/binaryen/node_modules/.bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# A RUSTFLAGS from the environment replaces .cargo/config.toml's flags:
# keep the one the server and the browser bundle must agree on.
if [ -n "${RUSTFLAGS:-}" ]; then
  case " $RUSTFLAGS " in
    *" --cfg erase_components "*) ;;
    *) export RUSTFLAGS="$RUSTFLAGS --cfg erase_components" ;;
  esac
fi
# Where cargo builds; CI points this at a cache outside the clone.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CHECKOUT_PORTAL_ROOT/target}"
