#!/usr/bin/env python3
"""The fault suite's driver (run through ops/chaos, which starts the servers and builds).

For each fault: a fresh database and vhost, every worker as its own process, N feedback items
posted over HTTP batch intake while the fault is injected, then a wait until the pipeline
settles and one table row measured from the database, the broker and a local webhook receiver
that every department and every escalation contact points at.

Standard library only, so it runs wherever ops/servers runs.
"""

import argparse
import base64
import collections
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROLES = ["producer", "classifier", "escalator", "notifier", "analytics"]
KILL_FAULTS = [f"kill-{r}" for r in ROLES]
ALL_FAULTS = KILL_FAULTS + ["restart-rabbitmq", "restart-postgres", "poison", "queue-full", "cluster-node"]
VHOST = "feedloop-chaos"
DATABASE = "feedloop_chaos"
TEXTS = [
    "手机用了三天就死机，屏幕也坏了",
    "快递一直没有送到，物流信息五天没更新",
    "客服态度很差，打了三次电话都没人理",
    "价格太贵了，活动规则也看不懂",
    "建议增加夜间模式，希望下个版本能加上",
    "The app crashes every time I open the camera after the update",
    "My parcel arrived late and the box was damaged",
    "Support never replied to my email, very rude when they finally called",
    "Too expensive for what you get, and the coupon did not apply",
    "It would be nice if you could add an export button",
    "耳机充不进电，已经是第二次出现这个问题了",
    "Everything was fine, thanks for the quick help",
]
CHANNELS = ["hotline", "chat", "store", "email", "social", "survey", "return_visit", "research"]


def log(message):
    print(time.strftime("%H:%M:%S"), message, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the database -------------------------------------------------------------------------


class Database:
    """psql one statement at a time: survives a PostgreSQL restart (a failed query is None)."""

    def __init__(self, url):
        self.url = url

    def query(self, sql):
        try:
            out = subprocess.run(["psql", self.url, "-X", "-tAq", "-F", "\t", "-c", sql], capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired:
            return None
        if out.returncode != 0:
            return None
        return [line.split("\t") for line in out.stdout.splitlines() if line != ""]

    def scalar(self, sql):
        rows = self.query(sql)
        if not rows:
            return None
        value = rows[0][0]
        return int(value) if value.lstrip("-").isdigit() else value


# --- the broker's management API ----------------------------------------------------------


class Management:
    """The management API of the first node that answers (a cluster lists one port per node)."""

    def __init__(self, ports):
        self.bases = [f"http://127.0.0.1:{p}/api" for p in str(ports).split(",") if p]
        self.auth = "Basic " + base64.b64encode(b"guest:guest").decode()

    def call(self, method, path, body=None, timeout=10):
        data = json.dumps(body).encode() if body is not None else None
        for base in self.bases:
            request = urllib.request.Request(base + path, data=data, method=method)
            request.add_header("Authorization", self.auth)
            request.add_header("Content-Type", "application/json")
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    text = response.read()
                    return json.loads(text) if text else {}
            except urllib.error.HTTPError as error:
                if error.code == 404 and method == "DELETE":
                    return {}
                return None
            except (urllib.error.URLError, OSError, ValueError):
                continue
        return None

    def fresh_vhost(self):
        self.call("DELETE", f"/vhosts/{VHOST}")
        self.call("PUT", f"/vhosts/{VHOST}", {})
        self.call("PUT", f"/permissions/{VHOST}/guest", {"configure": ".*", "write": ".*", "read": ".*"})

    def queues(self):
        return self.call("GET", f"/queues/{VHOST}") or []

    def publish(self, exchange, routing_key, body, properties):
        exchange = urllib.parse.quote(exchange or "amq.default", safe="")
        payload = {"properties": properties, "routing_key": routing_key, "payload": body, "payload_encoding": "string"}
        return self.call("POST", f"/exchanges/{VHOST}/{exchange}/publish", payload)

    def peek(self, queue, count):
        """Reads up to `count` messages and puts them back (requeued, order kept by the queue)."""
        body = {"count": count, "ackmode": "ack_requeue_true", "encoding": "auto", "truncate": 2000}
        return self.call("POST", f"/queues/{VHOST}/{urllib.parse.quote(queue, safe='')}/get", body, timeout=30) or []


# --- the webhook receiver -------------------------------------------------------------------


class Receiver:
    """Every department's and every staff member's webhook: records each POST's delivery id,
    event, audience and ticket, and answers 200."""

    def __init__(self):
        self.lock = threading.Lock()
        self.posts = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = {}
                with receiver.lock:
                    receiver.posts.append(
                        (self.headers.get("X-Feedloop-Delivery"), body.get("event"), body.get("audience"), str(body.get("ticket_id")))
                    )
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            # The notifier sends a whole batch at once: the default backlog of 5 refuses some.
            request_queue_size = 1024

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def snapshot(self):
        with self.lock:
            return list(self.posts)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def write_routing(directory, webhook):
    """New-ticket notices to the department and escalations to the ladder's contact, all by
    webhook to the receiver; no per-address rate limit is configured for it (one URL)."""
    routing = os.path.join(directory, "notifications.yaml")
    staff = os.path.join(directory, "staff.yaml")
    with open(routing, "w") as f:
        f.write(
            "locales: [zh-CN, en]\ndefault_locale: zh-CN\ntime_zone: Asia/Shanghai\n"
            f"templates: {ROOT}/config/templates\nsurvey: resolution_followup\nroutes:\n"
            "  ticket.classified:\n    - audience: department\n      channels: [webhook]\n"
            "  ticket.escalated:\n    - audience: escalation\n      channels: [webhook]\n"
        )
    departments = "".join(
        f"  {d}:\n    name: {d}\n    head: lead\n    team_lead: lead\n    webhook: {webhook}\n"
        for d in ["customer_service", "logistics", "rd", "marketing", "planning"]
    )
    with open(staff, "w") as f:
        f.write(
            "director: lead\nfallback_department: customer_service\ndepartments:\n"
            + departments
            + f"people:\n  lead:\n    name: Lead\n    webhook: {webhook}\n    email: lead@feedloop.example\n"
        )
    return routing, staff


# --- the workers ----------------------------------------------------------------------------


LIVE_WORKERS = []


def stop_leftovers():
    """No worker outlives the driver (they run in sessions of their own)."""
    for workers in LIVE_WORKERS:
        for process in workers.processes.values():
            if process.poll() is None:
                process.kill()


def kill_leftovers(*_):
    stop_leftovers()
    raise SystemExit(130)


class Workers:
    """One process per role, started, killed and restarted individually."""

    EXECUTABLES = {r: f"feedloop-{r}" for r in ROLES}

    def __init__(self, bin_dir, log_dir, environment, extra):
        self.bin_dir = bin_dir
        self.log_dir = log_dir
        self.environment = environment
        self.extra = extra
        self.processes = {}
        self.ports = {"producer": free_port(), "analytics": free_port()}
        self.starts = collections.Counter()
        LIVE_WORKERS.append(self)

    def start(self, role):
        env = dict(self.environment)
        env.update(self.extra.get(role, {}))
        env["FEEDLOOP_HTTP_HOST"] = "127.0.0.1"
        env["FEEDLOOP_HTTP_PORT"] = str(self.ports.get(role, 0))
        self.starts[role] += 1
        logfile = open(os.path.join(self.log_dir, f"{role}-{self.starts[role]}.log"), "w")
        self.processes[role] = subprocess.Popen(
            [os.path.join(self.bin_dir, self.EXECUTABLES[role])], env=env, stdin=subprocess.DEVNULL, stdout=logfile, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        logfile.close()

    def start_all(self):
        for role in ROLES:
            self.start(role)
        self.await_http("producer", "/health")

    def await_http(self, role, path, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.processes[role].poll() is not None:
                raise SystemExit(f"{role} exited with {self.processes[role].returncode}; see {self.log_dir}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.ports[role]}{path}", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise SystemExit(f"{role} not healthy within {timeout} s; see {self.log_dir}")

    def kill(self, role):
        process = self.processes[role]
        os.kill(process.pid, signal.SIGKILL)
        process.wait()

    def terminate(self, role, timeout=30):
        process = self.processes.get(role)
        if process is None or process.poll() is not None:
            return process.returncode if process else None
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            return "killed after timeout"

    def exited(self):
        """Roles whose process died without being told to."""
        return [r for r, p in self.processes.items() if p.poll() is not None]

    def stop_all(self):
        return {role: self.terminate(role) for role in list(self.processes)}


# --- the load ------------------------------------------------------------------------------


class Loader(threading.Thread):
    """Posts the items in batches with a few requests in flight; a failed request (producer
    down, database restarting) is resent until accepted, as a channel integration would."""

    def __init__(self, url, key, items, run, batch=250, lanes=4, vip_every=50):
        super().__init__(daemon=True)
        self.url, self.key, self.items, self.run_id = url, key, items, run
        self.batch, self.lanes, self.vip_every = batch, lanes, vip_every
        self.accepted = set()
        self.vip = set()
        self.resends = 0
        self.lock = threading.Lock()
        self.finished_at = None

    def item(self, i):
        return {
            "channel": CHANNELS[i % len(CHANNELS)],
            "external_id": f"{self.run_id}-{i}",
            "text": f"{TEXTS[i % len(TEXTS)]} (order {i * 7919 % 1000003}, case {self.run_id}-{i})",
            "customer": {"ref": f"c-{i % 20011}", "tier": "vip" if i % self.vip_every == 0 else "regular"},
        }

    def post(self, start):
        indices = list(range(start, min(start + self.batch, self.items)))
        body = json.dumps({"items": [self.item(i) for i in indices]}).encode()
        while True:
            request = urllib.request.Request(self.url + "/v1/feedback:batch", data=body, method="POST")
            request.add_header("Authorization", "Bearer " + self.key)
            request.add_header("Content-Type", "application/json")
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    if response.status in (200, 201):
                        json.loads(response.read())
                        with self.lock:
                            self.accepted.update(indices)
                            self.vip.update(i for i in indices if i % self.vip_every == 0)
                        return
            except urllib.error.HTTPError as error:
                if error.code < 500:
                    raise SystemExit(f"batch at {start} refused: HTTP {error.code} {error.read()[:300]!r}")
            except (urllib.error.URLError, OSError, ValueError):
                pass
            with self.lock:
                self.resends += 1
            time.sleep(0.5)

    def run(self):
        starts = list(range(0, self.items, self.batch))
        threads = []
        for lane in range(self.lanes):
            mine = starts[lane :: self.lanes]
            t = threading.Thread(target=lambda m=mine: [self.post(s) for s in m], daemon=True)
            t.start()
            threads.append(t)
        for t in threads:
            t.join()
        self.finished_at = time.time()


# --- progress and measurement -------------------------------------------------------------

STAGES = {
    "producer": "SELECT count(*) FROM tickets",
    "classifier": "SELECT count(*) FROM tickets WHERE state <> 'received'",
    # One first-response clock per ticket from its classification: a count without the sort
    # that DISTINCT needs over three clocks per ticket (the driver polls this every second).
    "escalator": "SELECT count(*) FROM sla_clocks WHERE metric = 'first_response' AND cycle = 1",
    "notifier": "SELECT count(*) FROM notifications WHERE status = 'sent'",
    "analytics": "SELECT coalesce(sum(received), 0)::int8 FROM analytics_ticket_counts WHERE grain = 'd'",
}


def stage(db, role):
    return db.scalar(STAGES[role])


def progress(db):
    return {role: stage(db, role) for role in ROLES}


def fully_processed(db):
    """Tickets every stage finished with: classified (open with clocks and a delivered
    department notice and, for VIP tickets, all three first-response escalations), or marked
    duplicate / rejected by the classifier (which publishes no event for them)."""
    return db.scalar(
        """
        SELECT count(*) FROM tickets t
        LEFT JOIN (SELECT DISTINCT ticket_id FROM sla_clocks) c ON c.ticket_id = t.id
        LEFT JOIN (SELECT DISTINCT ticket_id FROM notifications
                   WHERE event_type = 'ticket.classified' AND audience = 'department' AND status = 'sent') n ON n.ticket_id = t.id
        LEFT JOIN (SELECT ticket_id, count(*) AS steps FROM escalations WHERE metric = 'first_response' GROUP BY ticket_id) e
               ON e.ticket_id = t.id
        WHERE t.state IN ('duplicate', 'rejected')
           OR (t.state = 'open' AND c.ticket_id IS NOT NULL AND n.ticket_id IS NOT NULL
               AND (t.customer_tier IS DISTINCT FROM 'vip' OR e.steps = 3))
        """
    )


def settled(db, expected):
    # Cheap gates first: the full check joins every table.
    if (stage(db, "classifier") or 0) < expected or (db.scalar("SELECT count(*) FROM notifications WHERE status <> 'sent'") or 0) > 0:
        return False
    if fully_processed(db) != expected:
        return False
    counted = db.query("SELECT coalesce(sum(received), 0)::int8, coalesce(sum(classified), 0)::int8 FROM analytics_ticket_counts WHERE grain = 'd'")
    classified = db.scalar("SELECT count(*) FROM tickets WHERE state = 'open'")
    pending = db.scalar("SELECT count(*) FROM notifications WHERE status <> 'sent'")
    escalation_notices = db.scalar("SELECT count(*) FROM notifications WHERE event_type = 'ticket.escalated' AND status = 'sent'")
    escalations = db.scalar("SELECT count(*) FROM escalations")
    return (
        counted is not None
        and int(counted[0][0]) == expected
        and int(counted[0][1]) == classified
        and pending == 0
        and escalation_notices is not None
        and escalations is not None
        and escalation_notices >= escalations
    )


def short_reason(reason):
    """The reason header without decoder debug text, short enough for a table cell."""
    for cut in (" Debug description", ". Debug", " (Underlying"):
        if cut in reason:
            reason = reason[: reason.index(cut)]
    return reason if len(reason) <= 110 else reason[:107] + "..."


def measure(db, mgmt, receiver, loader):
    accepted = len(loader.accepted)
    tickets = db.scalar("SELECT count(*) FROM tickets") or 0
    processed = fully_processed(db) or 0
    counted = db.query(
        "SELECT coalesce(sum(received), 0)::int8, coalesce(sum(classified), 0)::int8 FROM analytics_ticket_counts WHERE grain = 'd'"
    ) or [["0", "0"]]
    analytics_received = int(counted[0][0])
    escalations = db.scalar("SELECT count(*) FROM escalations") or 0
    # Each event adds to its own dimensions' row and to the '*' total row: count one of them.
    analytics_escalations = db.scalar(
        "SELECT coalesce(sum(count), 0)::int8 FROM analytics_escalations WHERE grain = 'd' AND department <> '*' AND level <> -1"
    ) or 0
    classified_twice = db.scalar(
        "SELECT count(*) FROM (SELECT ticket_id FROM ticket_transitions WHERE to_state = 'open' GROUP BY ticket_id HAVING count(*) > 1) d"
    ) or 0
    # Deliveries: a repeat is the same notification row POSTed again (the notifier resends
    # after a crash between sending and recording); a duplicate is a second row for the same
    # (ticket, event, audience, step), which the dedupe key must prevent.
    posts = receiver.snapshot()
    per_delivery = collections.Counter(p[0] for p in posts)
    repeats = sum(c - 1 for c in per_delivery.values() if c > 1)
    rows = db.query(
        "SELECT id, dedupe_key FROM notifications WHERE status = 'sent'"
    ) or []
    key_of = {row[0]: row[1] for row in rows}
    logical = collections.Counter()
    for delivery in per_delivery:
        key = key_of.get(delivery)
        if key is not None:
            logical[key.rsplit("/", 1)[0]] += 1
    duplicate_notices = sum(c - 1 for c in logical.values() if c > 1)
    department_notices = collections.Counter(p[3] for p in posts if p[1] == "ticket.classified")
    missing_deliveries = len(rows) - len(set(per_delivery) & set(key_of))
    dead = {}
    for queue in mgmt.queues():
        name = queue.get("name", "")
        if name.endswith(".dead") and queue.get("messages", 0):
            reasons = collections.Counter()
            for message in mgmt.peek(name, min(queue["messages"], 50)):
                headers = (message.get("properties") or {}).get("headers") or {}
                reason = str(headers.get("x-feedloop-error") or headers.get("x-first-death-reason") or "no reason header")
                reasons[short_reason(reason)] += 1
            dead[name] = (queue["messages"], reasons)
    return {
        "in": accepted,
        "tickets": tickets,
        "processed": processed,
        "lost": accepted - processed + max(0, accepted - analytics_received),
        "analytics_received": analytics_received,
        "classified_twice": classified_twice,
        "repeats": repeats,
        "duplicate_notices": duplicate_notices,
        "duplicate_escalations": max(0, analytics_escalations - escalations),
        "escalations": escalations,
        "notices": len(department_notices),
        "undelivered_rows": missing_deliveries,
        "over_counted": max(0, analytics_received - accepted),
        "dead": dead,
        "resends": loader.resends,
    }


# --- faults --------------------------------------------------------------------------------


class Fault:
    """What to do at the trigger, and which stage must move again to call it recovered."""

    def __init__(self, name, context):
        self.name = name
        self.context = context
        self.injected_at = None
        self.healed_at = None
        self.recovered_at = None
        self.note = ""

    @property
    def watched(self):
        if self.name.startswith("kill-"):
            return [self.name[5:]]
        return ROLES


def inject(fault, ctx, workers, db):
    name = fault.name
    if name.startswith("kill-"):
        role = name[5:]
        workers.kill(role)
        fault.note = f"SIGKILL {role} (pid {workers.processes[role].pid})"
        time.sleep(ctx.args.restart_after)
        workers.start(role)
    elif name == "restart-rabbitmq":
        subprocess.run([os.path.join(ROOT, "ops/servers"), "rabbitmqctl", "-q", "stop"], capture_output=True)
        fault.note = "rabbitmqctl stop; ops/servers start"
        time.sleep(ctx.args.restart_after)
        subprocess.run([os.path.join(ROOT, "ops/servers"), "start"], capture_output=True, check=True)
    elif name == "restart-postgres":
        data = os.path.join(ctx.run_dir, "postgres/data")
        subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", f"/usr/lib/postgresql/15/bin/pg_ctl -D '{data}' -m immediate -w stop"], capture_output=True)
        fault.note = "pg_ctl stop -m immediate (crash); ops/servers start"
        time.sleep(ctx.args.restart_after)
        subprocess.run([os.path.join(ROOT, "ops/servers"), "start"], capture_output=True, check=True)
    elif name == "cluster-node":
        node = ctx.cluster_victim
        killed = subprocess.run([os.path.join(ROOT, "ops/cluster"), "kill", str(node)], capture_output=True, text=True)
        if killed.returncode != 0:
            stop_leftovers()
            raise SystemExit(f"could not kill cluster node {node}: {killed.stderr.strip()}")
        fault.note = f"kill -9 cluster node {node} (the first URL of every worker); left down"
    fault.healed_at = time.time()


def poison(mgmt):
    """Three messages no consumer can use; returns what was published."""
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    missing = 9_000_000_000
    classified = {
        "schema_version": 1, "message_id": f"ticket.classified/{missing}", "type": "ticket.classified", "ticket_id": missing,
        "occurred_at": now,
        "data": {
            "ticket_id": missing, "channel": "chat", "category": "product", "sentiment": "negative", "level": 2, "level_rule": "default",
            "department": "rd", "customer_tier": "regular", "received_at": now, "classified_at": now,
        },
    }
    published = [
        ("feedback.received", "{this is not json", {"message_id": "chaos-poison-unparseable", "type": "feedback.received"}),
        ("feedback.received", json.dumps({**classified, "type": "chaos.unknown", "message_id": "chaos-poison-unknown-type"}),
         {"message_id": "chaos-poison-unknown-type", "type": "chaos.unknown"}),
        ("ticket.classified", json.dumps(classified), {"message_id": f"ticket.classified/{missing}", "type": "ticket.classified"}),
    ]
    for key, body, props in published:
        props = {**props, "delivery_mode": 2, "content_type": "application/json"}
        answer = mgmt.publish("feedloop.events", key, body, props)
        if not answer or not answer.get("routed"):
            raise SystemExit(f"poison message {props['message_id']} was not routed: {answer}")
    return [p[2]["message_id"] for p in published]


# --- one run -------------------------------------------------------------------------------


class Context:
    def __init__(self, args):
        self.args = args
        self.run_dir = os.environ["FEEDLOOP_RUN_DIR"]
        self.bin_dir = args.bin
        self.admin_url = os.environ["FEEDLOOP_TEST_DATABASE_URL"]
        # One database per fault, so that a cluster run and a single-node run can share the server.
        self.database_url = lambda fault: self.admin_url.rsplit("/", 1)[0] + "/" + database_name(fault)
        self.amqp_urls = args.amqp_urls or os.environ["FEEDLOOP_TEST_AMQP_URL"]
        self.cluster_victim = 1


def database_name(fault):
    return DATABASE + "_" + fault.replace("-", "_")


def amqp_for(urls):
    return ",".join(u.rsplit("/", 1)[0] + "/" + VHOST for u in urls.split(","))


def run_fault(ctx, name, items):
    args = ctx.args
    mgmt = Management(args.management_port)
    admin = Database(ctx.admin_url)
    admin.query(f"DROP DATABASE IF EXISTS {database_name(name)} WITH (FORCE)")
    if admin.query(f"CREATE DATABASE {database_name(name)}") is None:
        raise SystemExit("cannot create the chaos database")
    mgmt.fresh_vhost()
    log_dir = os.path.join(ctx.run_dir, "logs", name)
    os.makedirs(log_dir, exist_ok=True)
    receiver = Receiver()
    routing, staff = write_routing(log_dir, receiver.url)
    environment = dict(os.environ)
    environment.update({
        "FEEDLOOP_DATABASE_URL": ctx.database_url(name),
        "FEEDLOOP_AMQP_URL": amqp_for(ctx.amqp_urls),
        "FEEDLOOP_LOG_LEVEL": "warning",
        "FEEDLOOP_NOTIFICATIONS": routing,
        "FEEDLOOP_STAFF": staff,
        "FEEDLOOP_NOTIFY_RATE_PER_MINUTE": "0",
        "FEEDLOOP_SLA_TARGET_SCALE": str(args.sla_scale),
        "FEEDLOOP_HEARTBEAT_S": "5",
    })
    for variable in ["FEEDLOOP_TEST_DATABASE_URL", "FEEDLOOP_TEST_AMQP_URL"]:
        environment.pop(variable, None)
    migrate = subprocess.run([os.path.join(ctx.bin_dir, "feedloopctl"), "migrate"], env=environment, capture_output=True, text=True)
    if migrate.returncode != 0:
        raise SystemExit(f"feedloopctl migrate failed: {migrate.stderr[-500:]}")
    keys = subprocess.run(
        [os.path.join(ctx.bin_dir, "feedloopctl"), "keys", "create", "--name", "chaos", "--role", "intake"],
        env=environment, capture_output=True, text=True)
    if keys.returncode != 0:
        raise SystemExit(f"feedloopctl keys create failed: {keys.stderr[-500:]}")
    key = keys.stdout.strip().split()[-1]

    db = Database(ctx.database_url(name))
    workers = Workers(ctx.bin_dir, log_dir, environment, {})
    if name == "queue-full":
        # The classifier's queue holds at most `queue_limit` messages (a policy, since the
        # queues declare no x-max-length); with the classifier stopped the producer's relay
        # must see reject-publish nacks and keep the rows in its outbox.
        limit = args.queue_limit
        mgmt.call("PUT", f"/policies/{VHOST}/chaos-max-length",
                  {"pattern": "^feedloop\\.classifier$", "definition": {"max-length": limit}, "apply-to": "queues", "priority": 10})
    workers.start_all()
    fault = Fault(name, ctx)
    loader = Loader(f"http://127.0.0.1:{workers.ports['producer']}", key, items, run=f"{name}-{int(time.time())}")
    started = time.time()
    poisoned = []
    if name == "queue-full":
        workers.terminate("classifier")
    loader.start()

    trigger = max(1, int(items * args.trigger))
    watched_role = name[5:] if name.startswith("kill-") else "classifier"
    deadline = started + args.timeout
    last_progress = None
    stalls = 0
    outbox_peak = 0
    samples = []
    while time.time() < deadline:
        if fault.injected_at is None:
            if name == "poison":
                if (stage(db, "classifier") or 0) >= trigger:
                    fault.injected_at = time.time()
                    poisoned = poison(mgmt)
                    fault.note = "unparseable body, unknown type, ticket.classified for a missing ticket"
                    fault.healed_at = time.time()
            elif name == "queue-full":
                outbox = db.scalar("SELECT count(*) FROM outbox") or 0
                outbox_peak = max(outbox_peak, outbox)
                queued = next((q.get("messages", 0) for q in mgmt.queues() if q.get("name") == "feedloop.classifier"), 0)
                if loader.finished_at and queued >= args.queue_limit and outbox > 0:
                    fault.injected_at = time.time()
                    fault.note = f"classifier queue at its limit {queued}/{args.queue_limit}, {outbox} events held in the outbox; classifier restarted"
                    workers.start("classifier")
                    fault.healed_at = time.time()
                elif loader.finished_at and time.time() - loader.finished_at > 60:
                    fault.note = f"queue never reached its limit ({queued}/{args.queue_limit}, outbox {outbox})"
                    fault.injected_at = fault.healed_at = time.time()
                    workers.start("classifier")
            elif (stage(db, watched_role) or 0) >= trigger:
                fault.injected_at = time.time()
                fault.before = {r: stage(db, r) for r in fault.watched}
                inject(fault, ctx, workers, db)
        if loader.finished_at and fault.injected_at and settled(db, len(loader.accepted)):
            break
        snapshot = progress(db)
        samples.append((time.time(), snapshot))
        stalls = stalls + 1 if snapshot == last_progress else 0
        last_progress = snapshot
        crashed = [r for r in workers.exited() if r != "classifier" or name != "queue-full"]
        if crashed and fault.injected_at and all(workers.processes[r].returncode not in (None,) for r in crashed):
            for role in crashed:
                if workers.processes[role].returncode != -signal.SIGKILL:
                    log(f"{role} exited with {workers.processes[role].returncode} without being told to; restarting it (see {log_dir})")
                    fault.note += f"; {role} exited {workers.processes[role].returncode} and was restarted"
                    workers.start(role)
        time.sleep(1.0)
    elapsed = time.time() - started
    result = measure(db, mgmt, receiver, loader)
    result["fault"] = name
    result["items"] = items
    result["settled"] = loader.finished_at is not None and settled(db, len(loader.accepted))
    result["note"] = fault.note
    result["elapsed"] = round(elapsed, 1)
    result["recover_by_stage"] = recovery(fault, samples, progress(db))
    times = list(result["recover_by_stage"].values())
    result["recover_s"] = max(times) if times and None not in times else None
    result["outbox_peak"] = outbox_peak
    result["poisoned"] = poisoned
    exits = workers.stop_all()
    LIVE_WORKERS.remove(workers)
    result["exits"] = {r: c for r, c in exits.items() if c not in (0,)}
    if name == "queue-full":
        mgmt.call("DELETE", f"/policies/{VHOST}/chaos-max-length")
    receiver.stop()
    return result


def recovery(fault, samples, final):
    """Seconds from the fault until each watched stage moved past where it stood when the
    fault hit (or had already finished everything it would do), from the progress samples."""
    if fault.injected_at is None:
        return {}
    base = getattr(fault, "before", None) or {}
    if not base:
        earlier = [snap for t, snap in samples if t <= fault.injected_at]
        base = earlier[-1] if earlier else {}
    result = {}
    for role in fault.watched:
        start = base.get(role)
        result[role] = None
        for t, snapshot in samples:
            if t < fault.injected_at or snapshot.get(role) is None:
                continue
            value = snapshot[role]
            if (start is not None and value > start) or value == final.get(role):
                result[role] = round(max(0.0, t - fault.injected_at), 1)
                break
    return result


def print_row(r):
    dead = "; ".join(f"{q.replace('feedloop.', '')}: {n} ({', '.join(f'{c}× {reason}' for reason, c in reasons.items())})"
                     for q, (n, reasons) in r["dead"].items()) or "0"
    duplicates = r["duplicate_notices"] + r["duplicate_escalations"] + r["classified_twice"] + r["over_counted"]
    recover = f"{r['recover_s']} s" if r["recover_s"] is not None else "—"
    print(f"| {r['fault']} | {r['items']:,} | {r['in']:,} | {r['processed']:,} | {r['lost']} | {duplicates} | {r['repeats']} | {dead} | {recover} | "
          f"{r['elapsed']} s | {'yes' if r['settled'] else 'NO'} |", flush=True)


HEADER = (
    "| fault | items | in | fully processed | lost | duplicated side effects | repeated webhook POSTs | dead-lettered (reason) | time to recover | run | settled |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|"
)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bin", required=True)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--faults", default=",".join(f for f in ALL_FAULTS if f != "cluster-node"))
    parser.add_argument("--trigger", type=float, default=0.3, help="share of items a stage has done when the fault hits")
    parser.add_argument("--restart-after", type=float, default=1.0)
    parser.add_argument("--timeout", type=float, default=None)
    parser.add_argument("--sla-scale", type=float, default=0.05)
    parser.add_argument("--queue-limit", type=int, default=None, help="classifier queue length limit for queue-full (default: a fifth of the items, at most 5000)")
    parser.add_argument("--management-port", required=True, help="management API port, or one per cluster node, comma-separated")
    parser.add_argument("--amqp-urls", default=None)
    parser.add_argument("--json", default=None, help="append each row as JSON to this file")
    args = parser.parse_args()
    ctx = Context(args)
    signal.signal(signal.SIGTERM, kill_leftovers)
    signal.signal(signal.SIGINT, kill_leftovers)
    faults = [f for f in args.faults.split(",") if f]
    for f in faults:
        if f not in ALL_FAULTS:
            raise SystemExit(f"unknown fault {f!r}; known: {', '.join(ALL_FAULTS)}")
    if args.queue_limit is None:
        args.queue_limit = max(10, min(5000, args.items // 5))
    if args.timeout is None:
        args.timeout = max(300.0, args.items / 150)
    print(HEADER, flush=True)
    failed = False
    for name in faults:
        log(f"fault {name}: {args.items} items")
        result = run_fault(ctx, name, args.items)
        print_row(result)
        if args.json:
            with open(args.json, "a") as f:
                f.write(json.dumps(result, default=str) + "\n")
        log(f"fault {name}: {result['note']}; exits {result['exits']}; resends {result['resends']}; details {json.dumps(result, default=str)[:600]}")
        duplicates = result["duplicate_notices"] + result["duplicate_escalations"] + result["classified_twice"] + result["over_counted"]
        if result["lost"] or duplicates or not result["settled"]:
            failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    random.seed(7)
    main()
