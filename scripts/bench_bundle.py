"""Sizes of the browser bundle in a built /pkg directory, as JSON.

usage: bench_bundle.py PKG_DIR OUTPUT_NAME

`main` is what every page loads: the .wasm and its .js glue (with any
wasm-bindgen snippets). `chunks` are any other .wasm/.js files (split-out
code; none in islands mode). Compressed sizes are those of the `.gz`/`.br`
files `--precompress` wrote beside each file.
"""
import json
import os
import sys

pkg, name = sys.argv[1], sys.argv[2]


def sizes(file):
    path = os.path.join(pkg, file)

    def size(suffix):
        variant = path + suffix
        return os.path.getsize(variant) if os.path.exists(variant) else None

    return {"raw": os.path.getsize(path), "gz": size(".gz"), "br": size(".br")}


def total(files):
    parts = [sizes(f) for f in files]
    out = {"files": len(parts)}
    for key in ("raw", "gz", "br"):
        values = [p[key] for p in parts]
        out[key] = None if any(v is None for v in values) else sum(values)
    return out


code = sorted(
    os.path.relpath(os.path.join(root, f), pkg)
    for root, _, files in os.walk(pkg)
    for f in files
    if f.endswith((".wasm", ".js"))
)
main = [
    f
    for f in code
    # wasm-bindgen's inline JS (`snippets/`) is imported by the main module too.
    if f in (f"{name}.wasm", f"{name}.js") or f.startswith("snippets/")
]
chunks = [f for f in code if f not in main]
if f"{name}.wasm" not in main:
    sys.exit(f"no {name}.wasm in {pkg}: build with cargo leptos first")
print(json.dumps({"main": total(main), "main_files": main, "chunks": total(chunks)}))
