# Shared environment for the scripts (sourced, not run).
CHECKOUT_PORTAL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CHECKOUT_PORTAL_ROOT
export CHECKOUT_PORTAL_TOOLS="${CHECKOUT_PORTAL_TOOLS:-$HOME/.cache/checkout-portal/tools}"
export PATH="$HOME/.cargo/bin:$CHECKOUT_PORTAL_TOOLS/binaryen/node_modules/.bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# Where cargo builds; CI points this at a cache outside the clone.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CHECKOUT_PORTAL_ROOT/target}"
