# Sourced (not run) by the scripts that build the release page with trunk (serve.sh, test.sh):
# exports the environment cargo reads to rebuild Rust's standard library for the page's wasm,
# smaller than the prebuilt one. Source it only for the trunk step, so native builds, clippy and
# the wasm-bindgen tests keep the prebuilt std.
#
# What it does, and why (issue 7's download budget; measured on the page wasm, gzip -9):
# - std is recompiled from the rust-src component (rust-toolchain.toml) with the page's own
#   profile (opt-level "z", LTO) and std's `optimize_for_size` feature;
# - panics abort at once (`-Cpanic=immediate-abort`): no panic message formatting, no location
#   strings, no unwinding machinery. On wasm32 a panic already aborted (trapped) before; the
#   only thing lost is the message text in the console. Bad input never panics (every stage
#   returns an error), so a panic is a bug either way.
# Together these save about 48 KB gzip of the page's wasm.
#
# RUSTC_BOOTSTRAP=1: both are unstable features (`-Zbuild-std`, `-Zbuild-std-features`,
# `-Zunstable-options` for the new panic strategy), which a stable toolchain refuses unless this
# variable is set. It lets the pinned stable toolchain (rust-toolchain.toml) accept them; nothing
# else changes. If a later toolchain renames these flags, the page build fails loudly here
# instead of silently growing: fix this file, or drop these lines to build with the prebuilt std.
export RUSTC_BOOTSTRAP=1
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort"
