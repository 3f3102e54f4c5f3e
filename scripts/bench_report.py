"""Turns the JSON lines of scripts/bench into BENCHMARKS.md."""
import datetime
import json
import os
import subprocess
import sys

rows = {}
for line in open(sys.argv[1]):
    item = json.loads(line)
    rows[item["name"]] = item["data"]


def cpu_model():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def git(*args):
    return subprocess.run(["git", *args], capture_output=True, text=True).stdout.strip()


def kib_text(n):
    return f"{n / 1024:.0f} KiB" if n is not None else "n/a"


def check(ok):
    return "✅ met" if ok else "❌ missed"


out = []
out.append("# Benchmarks\n")
out.append("Produced by `scripts/bench` (release build, one machine, both processes on loopback).\n")
out.append(f"- date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}")
out.append(f"- commit: `{git('rev-parse', '--short', 'HEAD')}`{' (with uncommitted changes)' if git('status', '--porcelain', '--', '.', ':!BENCHMARKS.md') else ''}")
out.append(f"- machine: {os.cpu_count()} cores (`nproc`), {cpu_model()}")
out.append(f"- registration runs: {rows.get('sqlite.http.c1', {}).get('requests', '?')} requests each ({rows.get('sqlite.http.half_peak', {}).get('requests', '?')} in the half-rate run), every request with its own pre-seeded token\n")

out.append("## registerByToken\n")
out.append("In-process: `GuestAccess::register` in a loop, same database settings, no HTTP. HTTP: the release server, keep-alive connections, one fresh basket token per request.\n")
out.append("| backend | concurrency | in-process req/s | HTTP req/s | HTTP / in-process | HTTP p50 ms | HTTP p99 ms |")
out.append("|---|---|---|---|---|---|---|")
summary = []
for backend, target in (("sqlite", 0.60), ("postgres", 0.50)):
    best_in = max((rows[f"{backend}.inprocess.c{c}"]["rps"] for c in (1, 16, 64) if f"{backend}.inprocess.c{c}" in rows), default=0)
    best_http = max((rows[f"{backend}.http.c{c}"]["rps"] for c in (1, 16, 64) if f"{backend}.http.c{c}" in rows), default=0)
    for c in (1, 16, 64):
        i, h = rows.get(f"{backend}.inprocess.c{c}"), rows.get(f"{backend}.http.c{c}")
        if not (i and h):
            continue
        out.append(f"| {backend} | {c} | {i['rps']:.0f} | {h['rps']:.0f} | {h['rps'] / i['rps']:.0%} | {h['p50_ms']:.2f} | {h['p99_ms']:.2f} |")
    if best_in:
        ratio = best_http / best_in
        summary.append((f"registerByToken peak HTTP / in-process limit ({backend})", f"{best_http:.0f} / {best_in:.0f} req/s = {ratio:.0%}", f"≥ {target:.0%}", check(ratio >= target)))
    for stage, label in (("before_http", "after the in-process runs"), ("before_half_rate", "after the HTTP peak runs")):
        drain = rows.get(f"{backend}.outbox_drain.{stage}")
        if drain:
            summary.append((f"email backlog {label}, delivered before the next run ({backend})", f"{drain['emails']} emails queued so far, all out after {drain['seconds']:.1f} s more", "report", "reported"))
    half = rows.get(f"{backend}.http.half_peak")
    if half:
        summary.append((f"registerByToken p99 at half the peak rate ({backend})", f"{half['p99_ms']:.2f} ms at {half['rps']:.0f} req/s for {half['seconds']:.0f} s (p50 {half['p50_ms']:.2f} ms, slowest {half.get('max_ms', 0):.1f} ms)", "≤ 10 ms", check(half["p99_ms"] <= 10)))
    for kind in ("idle", "peak"):
        kib = rows.get(f"{backend}.rss_{kind}_kib")
        if kib is not None:
            mib = int(kib) / 1024
            target_text, verdict = ("≤ 50 MiB", check(mib <= 50)) if kind == "idle" else ("report", "reported")
            label = "server RSS at idle" if kind == "idle" else "server peak RSS (through the 64-concurrency run)"
            summary.append((f"{label} ({backend})", f"{mib:.1f} MiB", target_text, verdict))

# #16: the registration paths side by side, with their references.
def cpu_per_registration(name):
    cpu = rows.get(f"cpu.{name}")
    if not cpu or not cpu["registrations"]:
        return None
    return cpu["server_ms"] / cpu["registrations"], cpu["database_ms"] / cpu["registrations"]

limit = rows.get("sqlite.limit.rusqlite")
grouped = rows.get("sqlite.limit.rusqlite_grouped")
for backend, target, moonshot in (("sqlite", 5000, 10000), ("postgres", 4000, 6000)):
    fast, portable = rows.get(f"{backend}.http.c64"), rows.get(f"{backend}.portable.http.c64")
    if fast and portable:
        extra = f"; ≥ 2× the portable path: {fast['rps'] / portable['rps']:.2f}×" if backend == "sqlite" else ""
        ok = fast["rps"] >= target and (backend != "sqlite" or fast["rps"] >= 2 * portable["rps"])
        summary.append((f"registerByToken HTTP c=64, fast path vs portable path, same run ({backend})", f"{fast['rps']:.0f} vs {portable['rps']:.0f} req/s (p99 {fast['p99_ms']:.1f} vs {portable['p99_ms']:.1f} ms){extra}", f"≥ {target:,} req/s{' and ≥ 2× portable' if backend == 'sqlite' else ''} (moonshot ≥ {moonshot:,})", check(ok)))
    inproc_portable = rows.get(f"{backend}.inprocess_portable.c64")
    inproc_fast = rows.get(f"{backend}.inprocess.c64")
    if inproc_fast and inproc_portable:
        summary.append((f"registerByToken in-process c=64, fast vs portable ({backend})", f"{inproc_fast['rps']:.0f} vs {inproc_portable['rps']:.0f} req/s", "report", "reported"))
    for name, label in ((f"{backend}.http.c64", "fast path"), (f"{backend}.portable.http.c64", "portable path"), (f"{backend}.lean.http.c64", "lean sqlx reference")):
        per = cpu_per_registration(name)
        if per is None:
            continue
        server, database = per
        best_limit = max((r for r in (limit, grouped) if r), key=lambda r: r["rps"], default=None)
        if backend == "sqlite" and best_limit and best_limit["rps"]:
            sql = 1000 / best_limit["rps"]
            share = f"; outside SQL about {max(0.0, 1 - sql / server):.0%} (the raw loop's {sql:.3f} ms taken as the SQL)"
        else:
            share = f"; outside PostgreSQL {server / (server + database):.0%}" if database else ""
        summary.append((f"CPU per registration, HTTP c=64, {label} ({backend})", f"{server + database:.3f} core-ms (server {server:.3f}, database processes {database:.3f}){share}", "report", "reported"))
lean = rows.get("sqlite.lean.http.c64")
if limit:
    summary.append(("SQLite limit: our registration's writes in a raw rusqlite loop, one transaction each", f"{limit['rps']:.0f} req/s (p99 {limit['p99_ms']:.2f} ms)", "the limit", "reported"))
if grouped:
    summary.append(("SQLite limit: the same loop, 64 registrations to a transaction (as the writer thread groups them)", f"{grouped['rps']:.0f} req/s", "the limit", "reported"))
if lean:
    summary.append(("lean reference: minimal axum + sqlx service, same transaction, HTTP c=64 (sqlite)", f"{lean['rps']:.0f} req/s (p99 {lean['p99_ms']:.1f} ms)", "the reference", "reported"))

# #29: the password hashing queue under a flood of 200 concurrent sign-ins.
flood = {queue: (rows.get(f"password_flood.{queue}.rss_idle_kib"), rows.get(f"password_flood.{queue}.rss_peak_kib"), rows.get(f"password_flood.{queue}.answers")) for queue in ("bounded", "unbounded")}
bounded_idle, bounded_peak, bounded_answers = flood["bounded"]
if bounded_idle is not None and bounded_peak is not None and bounded_answers:
    growth = (int(bounded_peak) - int(bounded_idle)) / 1024
    workers = os.cpu_count() or 2
    ceiling = workers * 19 + 32  # each running argon2 hash holds 19 MiB; 32 MiB for 200 connections and their requests
    answers = f"{bounded_answers['requests']} requests: {bounded_answers['refused_401']} answered 401, {bounded_answers['busy_503']} 503 busy, {bounded_answers['other']} other, in {bounded_answers['seconds']:.1f} s"
    summary.append(("server peak RSS under 200 concurrent password posts, bounded hashing queue (sqlite)", f"idle {int(bounded_idle) / 1024:.1f} MiB, peak {int(bounded_peak) / 1024:.1f} MiB (+{growth:.1f} MiB); {answers}", f"≤ idle + {ceiling} MiB ({workers} hashes × 19 MiB + 32), no other answer", check(growth <= ceiling and bounded_answers["other"] == 0)))
    unbounded_idle, unbounded_peak, unbounded_answers = flood["unbounded"]
    if unbounded_idle is not None and unbounded_peak is not None and unbounded_answers:
        summary.append(("the same flood with a hash per request, as before the queue (sqlite)", f"idle {int(unbounded_idle) / 1024:.1f} MiB, peak {int(unbounded_peak) / 1024:.1f} MiB (+{(int(unbounded_peak) - int(unbounded_idle)) / 1024:.1f} MiB); {unbounded_answers['seconds']:.1f} s", "the reference", "reported"))

# #30: from "Pay" to checkout-complete, through each provider's hosted page.
test_pay, stripe_pay = rows.get("payments.test_provider"), rows.get("payments.stripe_fake")
if test_pay and stripe_pay:
    ratio = stripe_pay["median_ms"] / test_pay["median_ms"]
    summary.append((
        f"Pay → checkout-complete without JavaScript, Stripe (local fake, webhook first) vs the test provider (median of {stripe_pay['rounds']} shoppers, sqlite)",
        f"{stripe_pay['median_ms']:.0f} ms / {test_pay['median_ms']:.0f} ms = {ratio:.1f}× (p90 {stripe_pay['p90_ms']:.0f} / {test_pay['p90_ms']:.0f} ms)",
        "report",
        "reported",
    ))

page, base = rows.get("ssr.page"), rows.get("ssr.baseline")
if page and base:
    ratio = page["rps"] / base["rps"]
    summary.append(("checkout-complete SSR vs trivial handler of equal size", f"{page['rps']:.0f} / {base['rps']:.0f} req/s = {ratio:.0%} ({rows.get('ssr.bytes')} bytes; p99 {page['p99_ms']:.2f} ms)", "≥ 25% (moonshot ≥ 50%)", check(ratio >= 0.25)))
compressed = rows.get("ssr.page_compressed")
if page and compressed:
    summary.append((
        "checkout-complete as a browser gets it (brotli on the fly) vs the same page uncompressed",
        f"{compressed['rps']:.0f} / {page['rps']:.0f} req/s; {rows.get('ssr.compressed_bytes')} bytes over the wire instead of {rows.get('ssr.bytes')}",
        "report",
        "reported",
    ))
catalogue, catalogue_base = rows.get("ssr.catalogue"), rows.get("ssr.catalogue_baseline")
if catalogue and catalogue_base:
    ratio = catalogue["rps"] / catalogue_base["rps"]
    summary.append(("catalogue SSR vs trivial handler of equal size", f"{catalogue['rps']:.0f} / {catalogue_base['rps']:.0f} req/s = {ratio:.0%} ({rows.get('ssr.catalogue_bytes')} bytes; p99 {catalogue['p99_ms']:.2f} ms)", "≥ 25%", check(ratio >= 0.25)))
floor = rows.get("ssr.static_page")
if floor and base:
    summary.append(("the same page needing no data (render only) vs the same trivial handler", f"{floor['rps']:.0f} / {base['rps']:.0f} req/s = {floor['rps'] / base['rps']:.0%} ({rows.get('ssr.static_page_bytes')} bytes)", "context for the row above", "reported"))
leptos_floor = rows.get("ssr.leptos_floor")
if leptos_floor and base:
    summary.append(("a one-paragraph Leptos page through leptos_axum (no router, meta or data) vs the same trivial handler", f"{leptos_floor['rps']:.0f} / {base['rps']:.0f} req/s = {leptos_floor['rps'] / base['rps']:.0%}", "context: the framework's floor", "reported"))
css = rows.get("static.css")
if css:
    headers = rows.get("static.css_headers", "")
    precompressed = "content-encoding: br" in headers.lower() and "cache-control" in headers.lower()
    summary.append(("static CSS (brotli, cache headers)", f"{css['rps']:.0f} req/s; `{headers.strip(';')}`", "≥ 20,000 req/s, precompressed", check(css["rps"] >= 20000 and precompressed)))
wasm = rows.get("static.wasm")
if wasm:
    summary.append(("static `.wasm` (brotli)", f"{wasm['rps']:.0f} req/s", "report", "reported"))
render, pdf_http, pdf_bytes = rows.get("pdf.render"), rows.get("pdf.http"), rows.get("pdf.bytes")
if render and pdf_bytes is not None:
    low, high = render["median_ci_ms"]
    summary.append((
        "invoice PDF render (5 lines; criterion), and the served PDF's size",
        f"median {render['median_ms']:.2f} ms (95% CI {low:.2f}–{high:.2f}, slowest of {render['samples']} samples {render['slowest_sample_ms']:.2f} ms), {int(pdf_bytes) / 1024:.1f} KB",
        "median ≤ 5 ms, ≤ 40 KB",
        check(render["median_ms"] <= 5 and int(pdf_bytes) <= 40 * 1024),
    ))
if render and pdf_http:
    ratio = pdf_http["rps"] / render["per_second"]
    summary.append(("PDF by token over HTTP vs render limit", f"{pdf_http['rps']:.0f} / {render['per_second']:.0f} per s = {ratio:.0%}", "≥ 50%", check(ratio >= 0.5)))
bundle = rows.get("bundle")
island_floor = rows.get("bundle_floor.islands")
floor_br = island_floor["main"]["br"] if island_floor else None
floor_text = f"; floor (one island, one server function) {kib_text(floor_br)}" if floor_br is not None else ""
if bundle:
    main = bundle["main"]
    summary.append((
        "first load of any page: the islands bundle every page loads (.wasm + .js, brotli)",
        f"raw {kib_text(main['raw'])}, gzip {kib_text(main['gz'])}, brotli {kib_text(main['br'])}{floor_text}",
        # Issue #32's budget: languages must not grow it (no i18n crate or locale data in the wasm).
        "≤ 120 KiB",
        check(main["br"] is not None and main["br"] <= 120 * 1024),
    ))
for key, label in (
    ("bundle_floor.islands", "floor: a minimal Leptos islands app (one island with one server-function form, a title), same profile"),
    ("bundle_floor.router", "for comparison: the same hydrated whole, with the client-side router (the app's old architecture)"),
    ("bundle_floor.no_router", "for comparison: hydrated whole without the client-side router"),
):
    floor_app = rows.get(key)
    if floor_app:
        summary.append((label, f"raw {kib_text(floor_app['main']['raw'])}, brotli {kib_text(floor_app['main']['br'])}", "context for the bundle rows", "reported"))
desktop, mobile = rows.get("time_to_link.desktop"), rows.get("time_to_link.mobile")
if desktop:
    summary.append((
        "what checkout-complete downloads in Chromium (JS and wasm, compressed, over the wire)",
        f"{desktop['pkg_bytes'] / 1024:.0f} KiB in {desktop['pkg_files']} files ({', '.join(desktop['pkg_names'])}){floor_text}",
        "≤ 120 KiB (moonshot ≤ 60 KiB)",
        check(desktop["pkg_bytes"] <= 120 * 1024),
    ))
for ttl, target_ms, moonshot_ms, label in (
    (desktop, 200, 150, "desktop over loopback"),
    (mobile, 1500, 1000, "Lighthouse's mobile profile: 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up, CPU 4× slower"),
):
    if not ttl:
        continue
    summary.append((
        f"navigation → usable PDF link, {label} (median of {ttl['runs']} fresh purchases)",
        f"{ttl['median_ms']:.0f} ms to the first frame painted with the link (max {ttl['max_ms']:.0f} ms; in the document at {ttl['in_page_median_ms']:.0f} ms"
        + (f"; Playwright's clickability check returned at {ttl['confirmed_median_ms']:.0f} ms" if "confirmed_median_ms" in ttl else "")
        + f"); floor: the server's HTML fully arrived at {ttl['document_median_ms']:.0f} ms"
        + (f" ({ttl['document_bytes'] / 1024:.1f} KiB over the wire)" if ttl.get("document_bytes") else "")
        + (f", and the page was first painted at {ttl['first_paint_median_ms']:.0f} ms" if ttl.get("first_paint_median_ms") else ""),
        f"≤ {target_ms:,} ms (moonshot ≤ {moonshot_ms:,} ms)",
        check(ttl["median_ms"] <= target_ms),
    ))

out.append("\n## All figures\n")
out.append("| figure | result | target | verdict |")
out.append("|---|---|---|---|")
for row in summary:
    out.append("| " + " | ".join(row) + " |")
notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench_notes.md")
if os.path.exists(notes):
    out.append("")
    out.append(open(notes).read().rstrip())
out.append("\n## Raw results\n")
out.append("```json")
for name, data in rows.items():
    out.append(json.dumps({"name": name, "data": data}))
out.append("```")
print("\n".join(out))
