"""Runs schemathesis against the real server with its published API description.

Starts the debug server on a fresh SQLite database, makes a paid purchase and
a customer with a password (so the customer endpoints can be reached with a
real bearer token), then runs every schemathesis check on /api/openapi.json.
Exits with schemathesis' status: zero server errors, zero responses that break
the description, zero undocumented statuses.
"""

import email
import email.policy
import json
import os
import pathlib
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

PASSWORD = "contract-check-password-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post_form(url: str, fields: dict, origin: str) -> tuple[int, bytes]:
    body = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/json",
        "Origin": origin,
    })
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_until(what: str, probe, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.2)
    sys.exit(f"api-contract: timed out waiting for {what}")


def live(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/health/live", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def set_password_token(mail_dir: pathlib.Path, to: str):
    for path in sorted(mail_dir.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if to not in str(message["To"]):
            continue
        text = message.get_body(("plain",)).get_content()
        match = re.search(r"/account/set-password\?token=([A-Za-z0-9_-]+)", text)
        if match:
            return match.group(1)
    return None


def main() -> int:
    binary = os.environ["CHECKOUT_PORTAL_BIN"]
    schemathesis = os.environ["SCHEMATHESIS"]
    config = pathlib.Path(__file__).resolve().with_name("api-contract.toml")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = dict(os.environ,
                   DATABASE_URL=f"sqlite://{tmp}/contract.db",
                   MAIL_DIR=str(tmp / "mail"),
                   MAIL_POLL_INTERVAL="200ms",
                   LEPTOS_SITE_ADDR=f"127.0.0.1:{port}",
                   RUST_LOG="warn")
        customer = "contract@example.com"
        purchases = []
        for _ in range(3):
            out = subprocess.run([binary, "demo-checkout", "--email", customer, "--name", "Casey Contract"],
                                 env=env, check=True, capture_output=True, text=True).stdout
            purchases.append(json.loads(out.strip().splitlines()[-1]))
        server = subprocess.Popen([binary, "serve"], env=env)
        try:
            wait_until("the server to answer", lambda: live(base))
            for paid in purchases:
                url = f"{base}/api/public/billing/invoices/{paid['InvoiceId']}/registerByToken?token={paid['BasketSession']}"
                status, body = post_form(url, {}, base)
                if status != 200:
                    sys.exit(f"api-contract: registration failed: {status} {body[:200]!r}")
            token = wait_until("the welcome email", lambda: set_password_token(tmp / "mail", customer))
            status, body = post_form(f"{base}/account/api/password", {"token": token, "password": PASSWORD}, base)
            if status != 200:
                sys.exit(f"api-contract: setting the password failed: {status} {body[:200]!r}")
            status, body = post_form(f"{base}/api/token",
                                     {"grant_type": "password", "username": customer, "password": PASSWORD}, base)
            if status != 200:
                sys.exit(f"api-contract: signing in failed: {status} {body[:200]!r}")
            bearer = json.loads(body)["access_token"]
            run = subprocess.run(
                [schemathesis, "--config-file", str(config), "run", f"{base}/api/openapi.json",
                 "--checks", "all", "--no-color", "--seed", os.environ.get("CONTRACT_SEED", "1"),
                 "--report", "junit", "--report-dir", str(tmp / "report")],
                env=dict(env, CONTRACT_BEARER_TOKEN=bearer), cwd=tmp)
            return run.returncode
        finally:
            server.terminate()
            server.wait(timeout=60)


if __name__ == "__main__":
    sys.exit(main())
