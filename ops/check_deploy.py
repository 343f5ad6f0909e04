"""Offline validation of Feedloop's deployment files; run through ops/check-deploy, which
provides the tools (kubectl for kustomize, promtool, docker-compose) and a virtualenv with
kubernetes-validate, jsonschema and PyYAML.

Each check prints one line: `ok`, or `FAIL` with the file and the reason. The exit status is 1
when any check failed. Besides schema validity it checks what a schema cannot: that what one
file names (a ConfigMap, a Secret key, a queue, a port, a metric) exists where it is named.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse

import jsonschema
import kubernetes_validate
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The observability contract (README, "Kubernetes and monitoring"): roles, default ports, and
# every metric with its type and labels (None: any value).
PORTS = {"producer": 8080, "analytics": 8081, "classifier": 8082, "escalator": 8083, "notifier": 8084}
WORKERS = set(PORTS)
# Which role reads the file each variable names (grep the executables' sources for the name):
# that role's pods must mount the ConfigMap's copy there, or an edited file would silently
# not apply.
FILE_READERS = {
    "FEEDLOOP_TAXONOMY": "classifier",
    "FEEDLOOP_SLA_CONFIG": "escalator",
    "FEEDLOOP_NOTIFICATIONS": "notifier",
    "FEEDLOOP_STAFF": "notifier",
    "FEEDLOOP_SURVEYS": "producer",
}
OUTCOMES = {"handled", "duplicate", "failed", "retried", "dead_lettered"}
CONTRACT = {
    "feedloop_messages_total": ("counter", {"worker": WORKERS, "outcome": OUTCOMES}),
    "feedloop_batch_size": ("histogram", {"worker": WORKERS}),
    "feedloop_batch_seconds": ("histogram", {"worker": WORKERS}),
    "feedloop_message_age_seconds": ("histogram", {"worker": WORKERS}),
    "feedloop_queue_messages": ("gauge", {"worker": WORKERS, "queue": None}),
    "feedloop_reconnects_total": ("counter", {"worker": WORKERS, "target": {"database", "broker"}}),
    "feedloop_outbox_published_total": ("counter", {"worker": WORKERS}),
    "feedloop_intake_items_total": ("counter", {"channel": None, "outcome": {"accepted", "duplicate", "rejected"}}),
    "feedloop_notifications_total": ("counter", {"channel": None, "outcome": {"sent", "retried", "dead", "held"}}),
    "feedloop_escalations_total": ("counter", {"step": None}),
    "feedloop_sla_fire_lateness_seconds": ("histogram", {}),
}
# Hummingbird 2's MetricsMiddleware: its swift-metrics labels, and the Prometheus names
# FeedloopMetrics.renamed gives them (the contract's hb_requests_total, …); label names keep
# theirs with dots made underscores.
HUMMINGBIRD_LABELS = {
    "hb.requests": ("hb_requests_total", "counter", {"http_route": None, "http_request_method": None, "http_response_status_code": None}),
    "hb.request.errors": ("hb_request_errors_total", "counter", {"http_route": None, "http_request_method": None, "error_type": None}),
    "http.server.request.duration": (
        "hb_request_duration_seconds",
        "histogram",
        {"http_route": None, "http_request_method": None, "http_response_status_code": None},
    ),
    "http.server.active_requests": ("hb_active_requests", "gauge", {"http_request_method": None}),
}
HUMMINGBIRD = {name: (kind, labels) for name, kind, labels in HUMMINGBIRD_LABELS.values()}
# Series Prometheus makes itself, and kube-state-metrics' readiness (alerts only).
OTHER = {
    "up": ("gauge", {}),
    "kube_pod_container_status_ready": ("gauge", {"namespace": None, "pod": None, "container": None}),
}
# Labels every scraped series has, or that Prometheus adds.
TARGET_LABELS = {"job", "instance", "namespace", "pod", "le"}
PROMQL_WORDS = {
    "sum", "min", "max", "avg", "count", "stddev", "topk", "bottomk", "quantile", "by", "without", "on", "ignoring",
    "group_left", "group_right", "and", "or", "unless", "bool", "offset", "rate", "irate", "increase", "delta", "deriv",
    "histogram_quantile", "clamp_min", "clamp_max", "abs", "absent", "time", "vector", "scalar", "label_replace",
    "sum_over_time", "avg_over_time", "max_over_time", "min_over_time", "predict_linear", "changes", "resets", "inf", "nan",
}

failures = []


def ok(what):
    print(f"  ok    {what}")


def fail(where, reason):
    failures.append(f"{where}: {reason}")
    print(f"  FAIL  {where}: {reason}")


def rel(path):
    return os.path.relpath(path, ROOT)


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


# ---------------------------------------------------------------- Kubernetes


def render(kubectl, directory):
    """The documents `kubectl kustomize` renders from directory, or None after a failure."""
    result = run([kubectl, "kustomize", "--load-restrictor=LoadRestrictionsNone", directory])
    if result.returncode != 0:
        fail(rel(directory), f"kustomize failed: {result.stderr.strip()}")
        return None
    docs = [d for d in yaml.safe_load_all(result.stdout) if d]
    ok(f"{rel(directory)}: kustomize rendered {len(docs)} resources")
    return docs


def resource_id(doc):
    return f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"


def validate_schemas(docs, where, k8s_version, schemas):
    for doc in docs:
        rid = resource_id(doc)
        api = doc.get("apiVersion", "")
        if api.startswith("keda.sh/"):
            schema = schemas.get(doc["kind"])
            if schema is None:
                fail(f"{where} {rid}", "no schema for this KEDA kind")
                continue
            errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
            for error in errors:
                fail(f"{where} {rid}", f"{'/'.join(map(str, error.path)) or '(root)'}: {error.message}")
            if not errors:
                ok(f"{where} {rid}: valid against the KEDA {doc['kind']} schema")
        elif "." in api.split("/")[0] and not api.startswith(("apps/", "batch/", "policy/", "networking.k8s.io/", "autoscaling/")):
            # Another operator's custom resource (infra/): only its shape is checked here.
            if not isinstance(doc.get("spec"), dict) or not doc.get("metadata", {}).get("name"):
                fail(f"{where} {rid}", "a custom resource needs metadata.name and a spec object")
            else:
                ok(f"{where} {rid}: custom resource ({api}) has a name and a spec (no schema offline)")
        else:
            try:
                kubernetes_validate.validate(doc, k8s_version, strict=True)
                ok(f"{where} {rid}: valid for Kubernetes {k8s_version} (strict)")
            except kubernetes_validate.ValidationError as error:
                path = "/".join(map(str, error.path))
                fail(f"{where} {rid}", f"{path or '(root)'}: {error.message}")
            except kubernetes_validate.SchemaNotFoundError as error:
                fail(f"{where} {rid}", f"no Kubernetes {k8s_version} schema: {error}")


def source_queues():
    """Queue names of each consuming role, as Sources/FeedloopRuntime/Messaging declares them."""
    topology = open(os.path.join(ROOT, "Sources/FeedloopRuntime/Messaging/Topology.swift")).read()
    roles = re.search(r"enum WorkerRole[^{]*\{\s*case ([a-z, ]+)\n", topology)
    queues = {role.strip(): {f"feedloop.{role.strip()}"} for role in roles.group(1).split(",")}
    delivery = open(os.path.join(ROOT, "Sources/FeedloopRuntime/Messaging/Topology+Delivery.swift")).read()
    deliver = re.search(r'deliverQueue = "([^"]+)"', delivery).group(1)
    queues["notifier"].add(deliver)
    return queues


def check_manifests(docs, env_timeout_default):
    where = "ops/k8s"
    by_kind = {}
    for doc in docs:
        by_kind.setdefault(doc["kind"], {})[doc["metadata"]["name"]] = doc
    config_maps = by_kind.get("ConfigMap", {})
    secrets = by_kind.get("Secret", {})
    secret_keys = {name: set((s.get("stringData") or {}) | (s.get("data") or {})) for name, s in secrets.items()}
    deployments = by_kind.get("Deployment", {})

    env_map = next((cm["data"] for name, cm in config_maps.items() if name.startswith("feedloop-env")), None)
    if env_map is None:
        fail(where, "no ConfigMap feedloop-env")
        env_map = {}
    timeout = int(env_map.get("FEEDLOOP_SHUTDOWN_TIMEOUT_S", env_timeout_default))

    # Every file path the environment names is provided by feedloop-config and mounted there in
    # the pods of the role that reads it.
    config = next((cm for name, cm in config_maps.items() if name.startswith("feedloop-config")), None)
    for key, value in sorted(env_map.items()):
        if value.startswith("/etc/feedloop/") and value.endswith(".yaml"):
            if config is None or os.path.basename(value) not in config.get("data", {}):
                fail(where, f"{key}={value} but feedloop-config has no {os.path.basename(value)}")
                continue
            role = FILE_READERS.get(key)
            if role is None:
                fail(where, f"{key}: which role reads it? (FILE_READERS in ops/check_deploy.py)")
                continue
            pod = deployments.get(f"feedloop-{role}", {}).get("spec", {}).get("template", {}).get("spec", {})
            volumes = {v["name"]: v for v in pod.get("volumes", [])}
            mounts = [
                m
                for c in pod.get("containers", [])
                for m in c.get("volumeMounts", [])
                if m["mountPath"] == value and volumes.get(m["name"], {}).get("configMap", {}).get("name") == config["metadata"]["name"]
            ]
            if not mounts or mounts[0].get("subPath") != os.path.basename(value):
                fail(where, f"feedloop-{role} reads {key}={value} but does not mount feedloop-config's {os.path.basename(value)} there")
            else:
                ok(f"{where}: feedloop-{role} reads {key} from feedloop-config")

    # Every template under config/templates is in a ConfigMap the notifier mounts where the
    # routing file (templates: templates, relative to /etc/feedloop) looks for it.
    notifier = deployments.get("feedloop-notifier")
    mounted = {}
    if notifier:
        pod = notifier["spec"]["template"]["spec"]
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        for mount in pod["containers"][0].get("volumeMounts", []):
            volume = volumes.get(mount["name"], {})
            if "configMap" in volume and mount["mountPath"].startswith("/etc/feedloop/templates/"):
                mounted[mount["mountPath"]] = config_maps.get(volume["configMap"]["name"], {}).get("data", {})
    templates_root = os.path.join(ROOT, "config/templates")
    missing = []
    count = 0
    for event in sorted(os.listdir(templates_root)):
        for name in sorted(os.listdir(os.path.join(templates_root, event))):
            count += 1
            data = mounted.get(f"/etc/feedloop/templates/{event}", {})
            if data.get(name) != open(os.path.join(templates_root, event, name)).read():
                missing.append(f"{event}/{name}")
    if missing:
        fail(where, f"templates not mounted into feedloop-notifier: {', '.join(missing)} (add them to kustomization.yaml)")
    else:
        ok(f"{where}: all {count} files of config/templates are mounted into feedloop-notifier")

    for role, port in sorted(PORTS.items()):
        name = f"feedloop-{role}"
        deployment = deployments.get(name)
        if deployment is None:
            fail(where, f"no Deployment {name}")
            continue
        problems = []
        pod = deployment["spec"]["template"]["spec"]
        annotations = deployment["spec"]["template"]["metadata"].get("annotations", {})
        container = pod["containers"][0]
        env = {e["name"]: e.get("value") for e in container.get("env", [])}
        if env.get("FEEDLOOP_HTTP_PORT") != str(port):
            problems.append(f"FEEDLOOP_HTTP_PORT should be {port}")
        if [p.get("containerPort") for p in container.get("ports", [])] != [port]:
            problems.append(f"containerPort should be {port}")
        if annotations.get("prometheus.io/scrape") != "true" or annotations.get("prometheus.io/port") != str(port):
            problems.append(f"prometheus.io/scrape and prometheus.io/port={port} annotations missing")
        if deployment["spec"]["template"]["metadata"].get("labels", {}).get("app.kubernetes.io/part-of") != "feedloop":
            problems.append("pods lack app.kubernetes.io/part-of: feedloop (what a PodMonitor selects)")
        if annotations.get("prometheus.io/path", "/metrics") != "/metrics":
            problems.append("prometheus.io/path should be /metrics")
        for probe, path in (("livenessProbe", "/health/live"), ("readinessProbe", "/health/ready")):
            get = container.get(probe, {}).get("httpGet", {})
            if get.get("path") != path or get.get("port") not in (port, "http"):
                problems.append(f"{probe} should GET {path} on the http port")
        grace = pod.get("terminationGracePeriodSeconds", 30)
        if grace <= timeout:
            problems.append(f"terminationGracePeriodSeconds {grace} must exceed FEEDLOOP_SHUTDOWN_TIMEOUT_S {timeout}")
        security = pod.get("securityContext", {})
        if not security.get("runAsNonRoot") or not security.get("runAsUser"):
            problems.append("pod securityContext must set runAsNonRoot and runAsUser")
        if container.get("securityContext", {}).get("allowPrivilegeEscalation") is not False:
            problems.append("container must set allowPrivilegeEscalation: false")
        resources = container.get("resources", {})
        if not resources.get("requests", {}).get("cpu") or not resources.get("requests", {}).get("memory") or not resources.get("limits", {}).get("memory"):
            problems.append("resources need cpu and memory requests and a memory limit")
        sources = container.get("envFrom", [])
        for source in sources:
            if "configMapRef" in source and source["configMapRef"]["name"] not in config_maps:
                problems.append(f"envFrom ConfigMap {source['configMapRef']['name']} does not exist")
            if "secretRef" in source and source["secretRef"]["name"] not in secrets:
                problems.append(f"envFrom Secret {source['secretRef']['name']} does not exist")
        if not any(s.get("secretRef", {}).get("name") == "feedloop" for s in sources):
            problems.append("envFrom must include Secret feedloop")
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        for mount in container.get("volumeMounts", []):
            volume = volumes.get(mount["name"])
            if volume is None:
                problems.append(f"volumeMount {mount['name']} has no volume")
            elif "configMap" in volume:
                cm = config_maps.get(volume["configMap"]["name"])
                if cm is None:
                    problems.append(f"ConfigMap {volume['configMap']['name']} does not exist")
                elif mount.get("subPath") and mount["subPath"] not in cm.get("data", {}):
                    problems.append(f"ConfigMap {volume['configMap']['name']} has no key {mount['subPath']}")
        if problems:
            for problem in problems:
                fail(f"{where} Deployment/{name}", problem)
        else:
            ok(f"{where} Deployment/{name}: port {port}, probes, grace {grace}s > {timeout}s, non-root, resources, config refs")

    services = by_kind.get("Service", {})
    for role in ("producer", "analytics"):
        service = services.get(f"feedloop-{role}")
        if service is None:
            fail(where, f"no Service feedloop-{role}")
        elif service["spec"].get("selector") != deployments.get(f"feedloop-{role}", {}).get("spec", {}).get("selector", {}).get("matchLabels"):
            fail(where, f"Service feedloop-{role} does not select the Deployment's pods")
        else:
            ok(f"{where} Service/feedloop-{role} selects its Deployment")

    job = next((j for j in by_kind.get("Job", {}).values()), None)
    if job is None or job["spec"]["template"]["spec"]["containers"][0].get("command") != ["feedloopctl", "migrate"]:
        fail(where, "no Job running feedloopctl migrate")
    else:
        ok(f"{where} Job/{job['metadata']['name']}: feedloopctl migrate")

    auths = by_kind.get("TriggerAuthentication", {})
    for name, auth in sorted(auths.items()):
        for ref in auth["spec"].get("secretTargetRef", []):
            if ref["key"] not in secret_keys.get(ref["name"], set()):
                fail(f"{where} TriggerAuthentication/{name}", f"Secret {ref['name']} has no key {ref['key']}")
            else:
                ok(f"{where} TriggerAuthentication/{name}: {ref['parameter']} from Secret {ref['name']} key {ref['key']}")

    # KEDA must watch the broker and virtual host the workers use.
    for name, auth in sorted(auths.items()):
        for ref in auth["spec"].get("secretTargetRef", []):
            if ref["parameter"] != "host":
                continue
            keda_url = (secrets.get(ref["name"], {}).get("stringData") or {}).get(ref["key"])
            worker_url = (secrets.get("feedloop", {}).get("stringData") or {}).get("FEEDLOOP_AMQP_URL")
            if keda_url is None or worker_url is None:
                continue  # base64 data or an external Secret: nothing to compare offline
            keda, worker = urllib.parse.urlsplit(keda_url), urllib.parse.urlsplit(worker_url.split(",")[0])
            if keda.path in ("", "/") and keda_url.endswith("/"):
                fail(f"{where} Secret/{ref['name']}", "a bare trailing / names the empty virtual host; use /%2f for the default one")
            elif urllib.parse.unquote(keda.path.lstrip("/") or "/") != urllib.parse.unquote(worker.path.lstrip("/") or "/"):
                fail(f"{where} Secret/{ref['name']}", f"KEDA watches virtual host {keda.path!r}, the workers use {worker.path!r}")
            elif keda.hostname.split(".")[0] != worker.hostname.split(".")[0] or (keda.port or 5672) != (worker.port or 5672):
                fail(f"{where} Secret/{ref['name']}", f"KEDA watches {keda.hostname}:{keda.port}, the workers use {worker.hostname}:{worker.port}")
            else:
                ok(f"{where} Secret/{ref['name']}: KEDA watches the workers' broker and virtual host")

    queues = source_queues()
    scaled = by_kind.get("ScaledObject", {})
    for role in sorted(queues):
        name = f"feedloop-{role}"
        so = next((s for s in scaled.values() if s["spec"]["scaleTargetRef"]["name"] == name), None)
        if so is None:
            fail(where, f"no ScaledObject scales Deployment {name}")
            continue
        problems = []
        if name not in deployments:
            problems.append(f"scaleTargetRef {name} is not a Deployment here")
        if "replicas" in deployments.get(name, {}).get("spec", {}):
            problems.append("the Deployment sets replicas, which fights the ScaledObject on every apply")
        if so["spec"].get("minReplicaCount", 0) < 1:
            problems.append("minReplicaCount must be at least 1 (clocks, retries and sweeps run without messages)")
        seen = set()
        for trigger in so["spec"]["triggers"]:
            meta = trigger.get("metadata", {})
            if trigger["type"] != "rabbitmq":
                problems.append(f"trigger type {trigger['type']} is not rabbitmq")
                continue
            seen.add(meta.get("queueName"))
            if meta.get("mode") not in ("QueueLength", "MessageRate") or not meta.get("value"):
                problems.append("rabbitmq trigger needs mode QueueLength or MessageRate and a value")
            if "host" in meta or "hostFromEnv" not in meta and trigger.get("authenticationRef", {}).get("name") not in auths:
                problems.append("the broker URL must come from an existing TriggerAuthentication, not from metadata")
        if seen != queues[role]:
            problems.append(f"triggers watch {sorted(q for q in seen if q)}, the role consumes {sorted(queues[role])}")
        if problems:
            for problem in problems:
                fail(f"{where} ScaledObject/{so['metadata']['name']}", problem)
        else:
            ok(f"{where} ScaledObject/{so['metadata']['name']}: {', '.join(sorted(seen))}, {so['spec']['minReplicaCount']}..{so['spec']['maxReplicaCount']} replicas")


# ---------------------------------------------------------------- Docker Compose


def check_compose(compose):
    path = os.path.join(ROOT, "docker/compose.yml")
    for profile_args in ([], ["--profile", "monitoring"]):
        result = run([compose, "-f", path, *profile_args, "config", "-q"])
        label = "with --profile monitoring" if profile_args else "default profile"
        if result.returncode != 0:
            fail("docker/compose.yml", f"docker-compose config ({label}): {result.stderr.strip()}")
        else:
            ok(f"docker/compose.yml: docker-compose config -q ({label})")
    result = run([compose, "-f", path, "--profile", "monitoring", "config"])
    if result.returncode != 0:
        return
    services = yaml.safe_load(result.stdout)["services"]
    for role, port in sorted(PORTS.items()):
        name = f"feedloop-{role}"
        service = services.get(name)
        if service is None:
            fail("docker/compose.yml", f"no service {name}")
            continue
        problems = []
        env = service.get("environment", {})
        if str(env.get("FEEDLOOP_HTTP_PORT")) != str(port):
            problems.append(f"FEEDLOOP_HTTP_PORT should be {port}")
        if env.get("FEEDLOOP_HTTP_HOST") != "0.0.0.0":
            problems.append("FEEDLOOP_HTTP_HOST should be 0.0.0.0")
        test = " ".join(service.get("healthcheck", {}).get("test", []))
        if "/health/ready" not in test or "FEEDLOOP_HTTP_PORT" not in test:
            problems.append("healthcheck should GET /health/ready on FEEDLOOP_HTTP_PORT")
        if "container_name" in service:
            problems.append("container_name prevents --scale")
        if role not in ("producer", "analytics") and service.get("ports"):
            problems.append("a scalable worker publishes no host port")
        grace = parse_seconds(service.get("stop_grace_period", "10s"))
        timeout = int(env.get("FEEDLOOP_SHUTDOWN_TIMEOUT_S", 25))
        if grace <= timeout:
            problems.append(f"stop_grace_period {grace:g}s must exceed FEEDLOOP_SHUTDOWN_TIMEOUT_S {timeout}")
        if problems:
            for problem in problems:
                fail(f"docker/compose.yml {name}", problem)
        else:
            ok(f"docker/compose.yml {name}: port {port}, /health/ready check, scalable, stop grace {grace:g}s > {timeout}s")
    for name in ("prometheus", "grafana"):
        service = services.get(name)
        if service is None or service.get("profiles") != ["monitoring"]:
            fail("docker/compose.yml", f"{name} should exist in profile monitoring only")
            continue
        for volume in service.get("volumes", []):
            source = volume.get("source", "") if isinstance(volume, dict) else volume.split(":")[0]
            # Named volumes have no slash; bind mounts are absolute paths after `config`.
            if source.startswith("/") and not os.path.exists(source):
                fail(f"docker/compose.yml {name}", f"mounts {source}, which does not exist")
        ok(f"docker/compose.yml {name}: profile monitoring, mounted files exist")
    dockerfile = open(os.path.join(ROOT, "docker/Dockerfile")).read()
    runtime = dockerfile.split("FROM ${RUNTIME_IMAGE}", 1)[-1]
    if not re.search(r"install[^\n]*\bcurl\b", runtime):
        fail("docker/Dockerfile", "the runtime stage must install curl for the health checks")
    else:
        ok("docker/Dockerfile: the runtime stage installs curl for the health checks")


def parse_seconds(text):
    match = re.fullmatch(r"(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?", str(text))
    if not match or not any(match.groups()):
        return 0
    return int(match.group(1) or 0) * 60 + float(match.group(2) or 0)


# ---------------------------------------------------------------- Prometheus and Grafana


def check_prometheus(promtool):
    monitoring = os.path.join(ROOT, "ops/monitoring")
    for name in ("prometheus.yml", "prometheus-compose.yml"):
        result = run([promtool, "check", "config", name], cwd=monitoring)
        if result.returncode != 0:
            fail(f"ops/monitoring/{name}", (result.stdout + result.stderr).strip())
        else:
            ok(f"ops/monitoring/{name}: promtool check config (and its rule files)")
        check_scrape_ports(os.path.join(monitoring, name))
    # Debian's promtool is built without Kubernetes discovery: check everything else of the
    # file with promtool, and the kubernetes_sd_configs block by hand.
    name = "prometheus-kubernetes.yml"
    config = yaml.safe_load(open(os.path.join(monitoring, name)))
    sd_problems = []
    for job in config["scrape_configs"]:
        for sd in job.pop("kubernetes_sd_configs", []):
            if sd.get("role") not in ("pod", "node", "service", "endpoints", "endpointslice", "ingress"):
                sd_problems.append(f"{job['job_name']}: unknown kubernetes_sd role {sd.get('role')}")
            if set(sd) - {"role", "namespaces", "selectors", "api_server", "kubeconfig_file", "attach_metadata"}:
                sd_problems.append(f"{job['job_name']}: unknown kubernetes_sd field")
            if sd.get("namespaces", {}).get("names") != ["feedloop"]:
                sd_problems.append(f"{job['job_name']}: should watch namespace feedloop (ops/k8s)")
        job["static_configs"] = [{"targets": ["127.0.0.1:9"]}]
    with tempfile.NamedTemporaryFile("w", suffix=".yml", dir=monitoring, prefix=".check-") as copy:
        yaml.safe_dump(config, copy)
        copy.flush()
        result = run([promtool, "check", "config", os.path.basename(copy.name)], cwd=monitoring)
    if result.returncode != 0 or sd_problems:
        fail(f"ops/monitoring/{name}", "; ".join(sd_problems) or (result.stdout + result.stderr).strip())
    else:
        ok(f"ops/monitoring/{name}: promtool check config (kubernetes_sd_configs checked by hand) and relabelling")
    result = run([promtool, "check", "rules", "alerts.yml"], cwd=monitoring)
    if result.returncode != 0:
        fail("ops/monitoring/alerts.yml", (result.stdout + result.stderr).strip())
    else:
        ok("ops/monitoring/alerts.yml: promtool check rules")
    result = run([promtool, "test", "rules", "alerts.test.yml"], cwd=monitoring)
    if result.returncode != 0:
        fail("ops/monitoring/alerts.test.yml", (result.stdout + result.stderr).strip())
    else:
        ok("ops/monitoring/alerts.test.yml: promtool test rules (alerts fire and stay quiet as expected)")
    rules = yaml.safe_load(open(os.path.join(monitoring, "alerts.yml")))
    before = len(failures)
    count = 0
    for group in rules["groups"]:
        for rule in group["rules"]:
            count += 1
            check_expression(f"ops/monitoring/alerts.yml {rule['alert']}", rule["expr"], allow_other=True)
    if len(failures) == before:
        ok(f"ops/monitoring/alerts.yml: the {count} rules read only contract metrics and labels")


def check_scrape_ports(path):
    config = yaml.safe_load(open(path))
    for job in config["scrape_configs"]:
        role = job["job_name"].removeprefix("feedloop-")
        ports = [int(t.rsplit(":", 1)[1]) for s in job.get("static_configs", []) for t in s["targets"]]
        ports += [s["port"] for s in job.get("dns_sd_configs", [])]
        if role not in PORTS or any(p != PORTS[role] for p in ports):
            fail(rel(path), f"job {job['job_name']} should scrape {role}'s port {PORTS.get(role)}")
        # ops/monitoring/targets writes one file per role, named after the job.
        for sd in job.get("file_sd_configs", []):
            if [os.path.basename(f) for f in sd["files"]] != [f"{job['job_name']}.json"]:
                fail(rel(path), f"job {job['job_name']} should read {job['job_name']}.json (what ops/monitoring/targets writes)")
    roles = {job["job_name"].removeprefix("feedloop-") for job in config["scrape_configs"]}
    if roles != WORKERS:
        fail(rel(path), f"scrapes {sorted(roles)}, not every worker")
    else:
        ok(f"{rel(path)}: one job per worker, on its contract port or from its targets file")


def check_targets_script():
    """ops/monitoring/targets --defaults writes the contract's default ports."""
    script = open(os.path.join(ROOT, "ops/monitoring/targets")).read()
    declared = dict((role, int(port)) for role, port in re.findall(r"\[([a-z]+)\]=(\d+)", script))
    if declared != PORTS:
        fail("ops/monitoring/targets", f"default ports {declared} differ from the contract's {PORTS}")
    else:
        ok("ops/monitoring/targets: --defaults uses the contract's ports")


def known_metrics(allow_other):
    known = {}
    for name, (kind, labels) in {**CONTRACT, **HUMMINGBIRD, **(OTHER if allow_other else {"up": OTHER["up"]})}.items():
        if kind == "histogram":
            known[f"{name}_sum"] = (name, labels)
            known[f"{name}_count"] = (name, labels)
            known[f"{name}_bucket"] = (name, {**labels, "le": None})
        else:
            known[name] = (name, labels)
    return known


def check_expression(where, expr, allow_other=False):
    """Every metric an expression reads is known, with labels it has and values it can take;
    returns the base metric names used."""
    known = known_metrics(allow_other)
    used = set()
    text = re.sub(r"\[[^\]]*\]", "", expr)
    text = re.sub(r"(?<![a-zA-Z_:])\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", "", text)
    grouping = set()
    for clause in re.findall(r"\b(?:by|without|on|ignoring)\s*\(([^)]*)\)", text):
        grouping |= {label.strip() for label in clause.split(",") if label.strip()}
    text = re.sub(r"\b(?:by|without|on|ignoring)\s*\([^)]*\)", "", text)
    labels_available = set(TARGET_LABELS)
    for match in re.finditer(r"([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^}]*\})?", re.sub(r'"[^"]*"', '""', text)):
        name = match.group(1)
        if name in PROMQL_WORDS or re.fullmatch(r"\d.*", name):
            continue
        if name not in known:
            fail(where, f"queries {name}, which is not a metric of the contract")
            continue
        base, labels = known[name]
        used.add(base)
        labels_available |= set(labels)
    for matcher in re.finditer(r"([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}", text):
        name = matcher.group(1)
        if name not in known:
            continue
        labels = known[name][1]
        for label, op, value in re.findall(r'([a-zA-Z_]+)\s*(=~|!~|!=|=)\s*"([^"]*)"', matcher.group(2)):
            if label not in labels and label not in TARGET_LABELS:
                fail(where, f"{name} has no label {label}")
            elif labels.get(label) and op in ("=", "=~"):
                values = value.split("|") if op == "=~" else [value]
                unknown = [v for v in values if v not in labels[label]]
                if unknown:
                    fail(where, f"{name}{{{label}}} is never {', '.join(unknown)} (contract: {', '.join(sorted(labels[label]))})")
    for label in sorted(grouping - labels_available):
        fail(where, f"groups by {label}, which none of its metrics has")
    return used


def check_promql(promtool, where, expressions):
    """promtool parses each expression (as a recording rule), so a syntax error fails here
    rather than as an empty panel."""
    rules = {"groups": [{"name": "dashboard", "rules": [{"record": f"feedloop:panel_{i}", "expr": e} for i, e in enumerate(expressions)]}]}
    with tempfile.NamedTemporaryFile("w", suffix=".yml", prefix="feedloop-promql-") as copy:
        yaml.safe_dump(rules, copy)
        copy.flush()
        result = run([promtool, "check", "rules", copy.name])
    if result.returncode != 0:
        fail(where, "PromQL: " + (result.stdout + result.stderr).strip().replace(copy.name, "queries"))
    else:
        ok(f"{where}: promtool parses all {len(expressions)} queries")


def check_dashboard(promtool):
    path = os.path.join(ROOT, "ops/monitoring/grafana/dashboards/feedloop.json")
    try:
        dashboard = json.load(open(path))
    except ValueError as error:
        fail(rel(path), f"not JSON: {error}")
        return
    ok(f"{rel(path)}: parses")
    if not dashboard.get("uid") or not dashboard.get("title"):
        fail(rel(path), "needs a uid and a title")
    before = len(failures)
    variables = {v["name"] for v in dashboard.get("templating", {}).get("list", [])}
    used = set()
    expressions = []
    cells = {}
    ids = set()
    count = 0
    for panel in dashboard.get("panels", []):
        title = panel.get("title", "?")
        if panel.get("id") in ids:
            fail(rel(path), f"panel id {panel.get('id')} twice")
        ids.add(panel.get("id"))
        grid = panel.get("gridPos", {})
        for x in range(grid.get("x", 0), grid.get("x", 0) + grid.get("w", 0)):
            for y in range(grid.get("y", 0), grid.get("y", 0) + grid.get("h", 0)):
                if (x, y) in cells:
                    fail(rel(path), f"panel {title!r} overlaps {cells[(x, y)]!r}")
                    break
                cells[(x, y)] = title
        if grid.get("x", 0) + grid.get("w", 0) > 24:
            fail(rel(path), f"panel {title!r} is wider than the dashboard")
        if panel.get("type") == "row":
            continue
        count += 1
        uid = panel.get("datasource", {}).get("uid", "")
        if uid.startswith("$") and uid.strip("${}") not in variables:
            fail(rel(path), f"panel {title!r} uses datasource {uid}, no such variable")
        targets = panel.get("targets", [])
        if not targets:
            fail(rel(path), f"panel {title!r} has no query")
        for target in targets:
            expr = target.get("expr", "").replace("$__rate_interval", "5m").replace("$__range", "1h")
            if not expr:
                fail(rel(path), f"panel {title!r} has an empty query")
                continue
            expressions.append(expr)
            used |= check_expression(f"{rel(path)} panel {title!r}", expr)
    check_promql(promtool, rel(path), expressions)
    missing = sorted(set(CONTRACT) - used)
    if missing:
        fail(rel(path), f"no panel shows {', '.join(missing)}")
    elif len(failures) == before:
        ok(f"{rel(path)}: {count} panels; every query names contract metrics and labels; all {len(CONTRACT)} contract metrics shown")


def check_metric_sources():
    """The contract's names are the ones the code registers (once the code exists)."""
    sources = os.path.join(ROOT, "Sources")
    text = ""
    for directory, _, files in os.walk(sources):
        for name in files:
            if name.endswith(".swift"):
                text += open(os.path.join(directory, name), encoding="utf-8").read()
    if "feedloop_messages_total" not in text:
        print("  skip  Sources: no metric registered yet; the contract list stands alone")
        return
    missing = [name for name in CONTRACT if f'"{name}"' not in text]
    if missing:
        fail("Sources", f"contract metrics not registered anywhere: {', '.join(missing)}")
    else:
        ok(f"Sources: all {len(CONTRACT)} contract metric names are registered by the code")
    renamed = dict(re.findall(r'"((?:hb|http)\.[a-z_.]+)":\s*"([a-z_]+)"', text))
    wrong = [f"{label} -> {renamed.get(label)} (expected {name})" for label, (name, _, _) in HUMMINGBIRD_LABELS.items() if renamed.get(label) != name]
    if wrong:
        fail("Sources", f"Hummingbird's metrics are not renamed as the dashboard reads them: {'; '.join(wrong)}")
    else:
        ok(f"Sources: Hummingbird's metrics are renamed to {', '.join(sorted(HUMMINGBIRD))}")
    middleware = os.path.join(ROOT, ".build/checkouts/hummingbird/Sources/Hummingbird/Middleware/MetricsMiddleware.swift")
    if os.path.exists(middleware):
        hb = open(middleware).read()
        missing = [label for label in HUMMINGBIRD_LABELS if f'"{label}"' not in hb]
        if missing:
            fail("Hummingbird MetricsMiddleware", f"no longer records {', '.join(missing)}")
        else:
            ok("Hummingbird MetricsMiddleware (.build/checkouts) records the four metrics under the labels renamed")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kubectl", required=True)
    parser.add_argument("--promtool", required=True)
    parser.add_argument("--compose", required=True)
    parser.add_argument("--k8s-version", required=True)
    args = parser.parse_args()

    schemas_dir = os.path.join(ROOT, "ops/k8s/schemas")
    schemas = {
        "ScaledObject": json.load(open(os.path.join(schemas_dir, "keda-scaledobject.schema.json"))),
        "TriggerAuthentication": json.load(open(os.path.join(schemas_dir, "keda-triggerauthentication.schema.json"))),
    }
    for schema in schemas.values():
        jsonschema.Draft202012Validator.check_schema(schema)

    print("Kubernetes (ops/k8s)")
    docs = render(args.kubectl, os.path.join(ROOT, "ops/k8s"))
    if docs is not None:
        validate_schemas(docs, "ops/k8s", args.k8s_version, schemas)
        check_manifests(docs, 25)
    infra = render(args.kubectl, os.path.join(ROOT, "ops/k8s/infra"))
    if infra is not None:
        validate_schemas(infra, "ops/k8s/infra", args.k8s_version, schemas)
    print("Docker Compose (docker/)")
    check_compose(args.compose)
    print("Monitoring (ops/monitoring)")
    check_prometheus(args.promtool)
    check_targets_script()
    check_dashboard(args.promtool)
    check_metric_sources()

    if failures:
        print(f"check-deploy: {len(failures)} problem(s)")
        return 1
    print("check-deploy: everything checked is valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
