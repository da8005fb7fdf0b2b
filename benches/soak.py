#!/usr/bin/env python3
"""Soak: `sofia serve` (release) for a few minutes under steady signed Meta webhooks.

Load: webhooks at a steady rate from a pool of 10,000 phones, plus 10 numbers each sending a
10,000-character message every few seconds. Redis (a private redis-server started here) is
stopped and started again half-way. A fake Meta Graph API answers every send with a new id.

Reports, as JSON on stdout: webhook latency p50/p99 and statuses (503s counted), the process's
RSS and open file descriptors every 10 s, the reply latency of a probe patient before and after
the Redis restart (the wake-up path), and a check against the database and the fake Meta that
every turn got exactly one reply set: no inbound message left unanswered, and every reply row
sent once at most.

Usage, from the project root, after `cargo build --release`:
    python3 benches/soak.py sqlite|postgres [seconds] [webhooks-per-second]
Env: SOFIA_BIN (default $CARGO_TARGET_DIR/release/sofia or target/release/sofia),
     SOFIA_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test).
Needs only the standard library, redis-server and (for postgres) psql.
"""

import hashlib
import hmac
import json
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

APP_SECRET = "soak-meta-app-secret"
PHONE_NUMBER_ID = "109876543210987"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FakeMeta:
    """Answers Graph API sends with a fresh wamid; remembers what was sent."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sent = []  # (to, wamid, at)
        self.count = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("content-length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                with fake.lock:
                    fake.count += 1
                    wamid = f"wamid.soak{fake.count:09d}"
                    if body.get("type") != "text" and "status" in body:  # read receipts / typing
                        reply = {"success": True}
                    else:
                        fake.sent.append((body.get("to"), wamid, time.monotonic()))
                        reply = {"messaging_product": "whatsapp",
                                 "contacts": [{"input": body.get("to"), "wa_id": body.get("to")}],
                                 "messages": [{"id": wamid}]}
                data = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def first_reply_to(self, phone, after):
        with self.lock:
            for to, _, at in self.sent:
                if to == phone and at >= after:
                    return at
        return None


def webhook(phone, n, text):
    body = {"object": "whatsapp_business_account", "entry": [{"id": "102030405060708", "changes": [{
        "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "5511912345678", "phone_number_id": PHONE_NUMBER_ID},
            "contacts": [{"profile": {"name": "Paciente"}, "wa_id": phone}],
            "messages": [{"from": phone, "id": f"wamid.in{n:010d}", "timestamp": str(int(time.time())),
                          "type": "text", "text": {"body": text}}]}}]}]}
    raw = json.dumps(body).encode()
    signature = "sha256=" + hmac.new(APP_SECRET.encode(), raw, hashlib.sha256).hexdigest()
    return raw, signature


class Load:
    def __init__(self, url):
        self.url = url
        self.lock = threading.Lock()
        self.latencies = []
        self.statuses = {}
        self.counter = 0

    def post(self, phone, text):
        with self.lock:
            self.counter += 1
            n = self.counter
        raw, signature = webhook(phone, n, text)
        request = urllib.request.Request(self.url, data=raw, method="POST", headers={
            "content-type": "application/json", "x-hub-signature-256": signature})
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = "connection_error"
        elapsed = time.monotonic() - started
        with self.lock:
            self.latencies.append(elapsed)
            self.statuses[str(status)] = self.statuses.get(str(status), 0) + 1
        return status


def sample(pid):
    rss = 0
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) // 1024
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    return rss, fds


def wait_http(url, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing answered at {url}")


def start_redis(port):
    return subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def probe(load, meta, phone, timeout=60):
    """Seconds from a patient's message to the first reply Meta receives for them."""
    sent = time.monotonic()
    load.post(phone, "oi, vocês abrem no sábado?")
    while time.monotonic() - sent < timeout:
        at = meta.first_reply_to(phone, sent)
        if at is not None:
            return round(at - sent, 3)
        time.sleep(0.05)
    return None


def main():
    backend = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    rate = float(sys.argv[3]) if len(sys.argv) > 3 else 50.0
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    binary = os.environ.get("SOFIA_BIN", os.path.join(target, "release", "sofia"))
    tmp = tempfile.mkdtemp(prefix="sofia-soak-")
    meta = FakeMeta()

    clinic = open(os.path.join(ROOT, "knowledge/demo/clinic.yaml")).read().split("\nchannels:")[0]
    os.makedirs(os.path.join(tmp, "knowledge/demo"))
    for name in os.listdir(os.path.join(ROOT, "knowledge/demo")):
        if name.endswith(".md"):
            shutil.copy(os.path.join(ROOT, "knowledge/demo", name), os.path.join(tmp, "knowledge/demo", name))
    with open(os.path.join(tmp, "knowledge/demo/clinic.yaml"), "w") as out:
        out.write(clinic + f"\nchannels:\n  - provider: meta\n    phone_number_id: \"{PHONE_NUMBER_ID}\"\n"
                           f"    access_token_env: SOAK_META_TOKEN\n    base_url: \"{meta.url}\"\n")

    if backend == "postgres":
        admin = os.environ.get("SOFIA_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
        database = f"sofia_soak_{random.randrange(1 << 30)}"
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {database}"], check=True)
        database_url = admin.rsplit("/", 1)[0] + "/" + database
    else:
        database_url = f"sqlite://{tmp}/sofia.db"

    redis_port = free_port()
    redis = start_redis(redis_port)
    http_port = free_port()
    env = dict(os.environ, SOFIA_HTTP_BIND=f"127.0.0.1:{http_port}", SOFIA_DATABASE_URL=database_url,
               SOFIA_REDIS_URL=f"redis://127.0.0.1:{redis_port}", SOFIA_KNOWLEDGE_DIR=f"{tmp}/knowledge",
               SOFIA_VECTORS_PATH=f"{tmp}/vectors", SOFIA_META_APP_SECRET=APP_SECRET,
               SOFIA_META_VERIFY_TOKEN="soak-verify", SOAK_META_TOKEN="soak-token",
               SOFIA_ENGINE_DEBOUNCE_MS="500", SOFIA_LOG_LEVEL="warn")
    env.pop("RUST_LOG", None)
    log = open(os.path.join(tmp, "serve.log"), "w")
    sofia = subprocess.Popen([binary, "serve"], cwd=tmp, env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{http_port}"
    wait_http(f"{base}/healthz")
    load = Load(f"{base}/webhooks/meta")
    phones = [f"55119{n:08d}" for n in range(10_000)]
    bursters = [f"55118{n:08d}" for n in range(10)]
    long_text = ("quero marcar uma avaliação e explicar meu caso com detalhes " * 200)[:10_000]

    report = {"backend": backend, "seconds": seconds, "rate_per_s": rate, "samples": []}
    report["probe_before_redis_restart_s"] = probe(load, meta, "5511700000001")
    stop = threading.Event()

    def steady():
        interval = 1.0 / rate
        next_at = time.monotonic()
        workers = []
        while not stop.is_set():
            next_at += interval
            thread = threading.Thread(target=load.post, args=(random.choice(phones), "oi, tem horário amanhã?"))
            thread.start()
            workers.append(thread)
            workers = [w for w in workers if w.is_alive()]
            time.sleep(max(0.0, next_at - time.monotonic()))

    def bursts():
        while not stop.is_set():
            for phone in bursters:
                threading.Thread(target=load.post, args=(phone, long_text)).start()
            stop.wait(5)

    threads = [threading.Thread(target=steady), threading.Thread(target=bursts)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    restarted = False
    while time.monotonic() - started < seconds:
        time.sleep(10)
        rss, fds = sample(sofia.pid)
        report["samples"].append({"t_s": int(time.monotonic() - started), "rss_mb": rss, "fds": fds})
        if not restarted and time.monotonic() - started >= seconds / 2:
            redis.terminate()
            redis.wait()
            time.sleep(2)
            redis = start_redis(redis_port)
            time.sleep(0.5)
            report["probe_after_redis_restart_s"] = probe(load, meta, "5511700000002")
            restarted = True
    stop.set()
    for thread in threads:
        thread.join()
    time.sleep(15)  # let the last turns and sends finish

    latencies = sorted(load.latencies)
    report["webhooks"] = len(latencies)
    report["statuses"] = load.statuses
    report["latency_p50_ms"] = round(statistics.median(latencies) * 1000, 1)
    report["latency_p99_ms"] = round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1)
    report["fake_meta_sends"] = len(meta.sent)

    query = ("SELECT (SELECT count(*) FROM messages WHERE direction = 'inbound' AND author = 'patient'), "
             "(SELECT count(*) FROM messages WHERE direction = 'inbound' AND author = 'patient' "
             " AND processed_at IS NULL), "
             "(SELECT count(*) FROM messages WHERE direction = 'outbound' AND provider_message_id IS NOT NULL), "
             "(SELECT count(*) FROM messages WHERE direction = 'outbound' AND delivery_status = 'pending'), "
             "(SELECT count(*) FROM messages WHERE direction = 'outbound' AND error LIKE 'unknown:%')")
    if backend == "postgres":
        out = subprocess.run(["psql", database_url, "-Atc", query.replace(", ", ",")], check=True,
                             capture_output=True, text=True).stdout.strip().split("|")
        row = [int(x) for x in out]
    else:
        row = sqlite3.connect(f"{tmp}/sofia.db").execute(query).fetchone()
    inbound, unanswered, sent_rows, pending, unknown = row
    report["check"] = {
        "patient_messages": inbound, "left_unanswered": unanswered, "reply_rows_sent": sent_rows,
        "reply_rows_still_pending": pending, "reply_rows_unknown": unknown,
        # Every request Meta got is a row marked sent, or one whose fate is unknown; more
        # requests than that would be a reply sent twice.
        "meta_requests_beyond_rows": len(meta.sent) - sent_rows - unknown,
    }

    sofia.terminate()
    sofia.wait(timeout=30)
    redis.terminate()
    meta.server.shutdown()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
