"""The deploy/ files, checked as far as possible without Docker, systemd or nginx on this machine."""

import configparser
import fnmatch
import http.server
import importlib.util
import json
import os
import re
import shlex
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import fields
from pathlib import Path

import pytest
import yaml

from bot.settings import ENVIRONMENT, Settings
from bot.store import Store
from dialogs.session import Session

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
HEALTHCHECK = DEPLOY / "healthcheck.py"


def load_healthcheck():
    """Import deploy/healthcheck.py (not a package) as a module."""
    spec = importlib.util.spec_from_file_location("advisor_healthcheck", HEALTHCHECK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without any advisor setting, plus *extra*."""
    env = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT}
    env.update(extra)
    return env


# ----- Dockerfile --------------------------------------------------------------------------------------
def dockerfile_instructions(path: Path = DEPLOY / "Dockerfile") -> list[tuple[str, str]]:
    """Return (INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    instructions, pending = [], ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):
            continue  # a comment inside a continued instruction
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        full = (pending + line).strip()
        pending = ""
        keyword, _, args = full.partition(" ")
        instructions.append((keyword.upper(), args.strip()))
    assert not pending, "the Dockerfile ends inside a continued line"
    return instructions


def copy_sources(args: str) -> tuple[list[str], str]:
    """Split COPY arguments into sources and destination, dropping --flags."""
    words = [w for w in shlex.split(args) if not w.startswith("--")]
    return words[:-1], words[-1]


def test_dockerfile_base_user_healthcheck_and_cmd():
    instructions = dockerfile_instructions()
    keywords = [keyword for keyword, _ in instructions]
    assert instructions[0] == ("FROM", "python:3.11-slim")
    assert keywords.count("CMD") == 1 and keywords[-1] == "CMD"
    cmd = json.loads(instructions[-1][1])
    assert cmd == ["python", "-m", "bot"]
    assert (ROOT / "bot" / "__main__.py").is_file()

    users = [args for keyword, args in instructions[: keywords.index("CMD")] if keyword == "USER"]
    assert users, "the image must switch to a non-root user before CMD"
    assert users[-1].split(":")[0] not in {"root", "0"}
    runs = " ".join(args for keyword, args in instructions if keyword == "RUN")
    assert re.search(rf"useradd\b.*\b{re.escape(users[-1])}\b", runs), "the user is created in the image"

    healthchecks = [args for keyword, args in instructions if keyword == "HEALTHCHECK"]
    assert len(healthchecks) == 1
    check = json.loads(healthchecks[0].split("CMD", 1)[1].strip())
    assert check[0] == "python" and check[1] == "/app/deploy/healthcheck.py"

    env = " ".join(args for keyword, args in instructions if keyword == "ENV")
    assert "ADVISOR_DB_PATH=/data/advisor.db" in env
    assert ("VOLUME", "/data") in instructions and ("EXPOSE", "8080") in instructions
    assert ("WORKDIR", "/app") in instructions
    pip = [args for keyword, args in instructions if keyword == "RUN" and "pip install" in args]
    assert pip and "--no-cache-dir" in pip[0] and "-r requirements.txt" in pip[0]
    # The data directory is created and owned by the runtime user before VOLUME freezes it.
    run_before_volume = " ".join(
        args for keyword, args in instructions[: instructions.index(("VOLUME", "/data"))] if keyword == "RUN"
    )
    assert "mkdir -p /data" in run_before_volume and f"chown {users[-1]}:" in run_before_volume


def test_every_path_the_dockerfile_copies_exists_and_is_not_dockerignored():
    copies = [copy_sources(args) for keyword, args in dockerfile_instructions() if keyword in {"COPY", "ADD"}]
    sources = [source for found, _ in copies for source in found]
    for required in ("requirements.txt", "bot/", "dialogs/", "content/", "deploy/healthcheck.py"):
        assert required in sources
    ignored = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith(("#", "!"))
    ]
    for found, _ in copies:
        # A glob source may match nothing (an optional file), but each COPY must copy something.
        matches = [path for source in found for path in ROOT.glob(source.rstrip("/"))]
        assert matches, f"COPY {found}: nothing in the repository matches"
        for source in found:
            if not any(ch in source for ch in "*?["):
                assert (ROOT / source).exists(), f"COPY source {source} does not exist"
        for path in matches:
            parts = path.relative_to(ROOT).parts
            for depth in range(1, len(parts) + 1):
                prefix = "/".join(parts[:depth])
                for pattern in ignored:
                    hit = fnmatch.fnmatch(prefix, pattern) or (
                        pattern.startswith("**/") and fnmatch.fnmatch(parts[depth - 1], pattern[3:])
                    )
                    assert not hit, f".dockerignore pattern {pattern!r} drops {prefix}, which COPY needs"
    for excluded in (".venv", ".git", "data", "eval", "bench", ".pytest_cache", ".ruff_cache"):
        assert excluded in ignored


def test_content_the_image_copies_is_enough_to_load_the_library(tmp_path):
    """The copied folders alone (no tests, eval, pyproject) are enough to import and start the engine."""
    code = (
        "from content.loader import load_library; from dialogs.engine import Engine; import bot.__main__;"
        " Engine(load_library()); print('ok')"
    )
    app = tmp_path / "app"
    app.mkdir()
    for name in ("bot", "dialogs", "content"):
        (app / name).symlink_to(ROOT / name, target_is_directory=True)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=app, env=clean_env(), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


# ----- docker-compose.yml ------------------------------------------------------------------------------
def test_compose_builds_the_dockerfile_with_env_file_and_data_volume():
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))
    service = compose["services"]["advisor"]
    build = service["build"]
    context = (DEPLOY / build["context"]).resolve()
    assert context == ROOT
    assert (context / build["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
    env_files = service["env_file"] if isinstance(service["env_file"], list) else [service["env_file"]]
    assert env_files == ["advisor.env"]
    assert (DEPLOY / "advisor.env.example").is_file()
    mounts = [volume.split(":") for volume in service["volumes"]]
    named = [source for source, target, *_ in mounts if target == "/data"]
    assert len(named) == 1 and named[0] in compose["volumes"], "a named volume must be mounted at /data"
    assert service["restart"] == "unless-stopped"
    assert "healthcheck" not in service, "the Dockerfile's HEALTHCHECK is inherited"
    assert "ports" not in service, "publishing the webhook port is optional and left commented out"
    assert "127.0.0.1:8080:8080" in (DEPLOY / "docker-compose.yml").read_text(encoding="utf-8")


# ----- systemd units -----------------------------------------------------------------------------------
def parse_unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """Parse a systemd unit file, keeping every value of a repeated key in order."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    lines = iter(path.read_text(encoding="utf-8").splitlines())
    for raw in lines:
        line = raw.strip()
        while line.endswith("\\"):
            line = line[:-1] + " " + next(lines).strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        assert current is not None, f"{path.name}: {line!r} outside a section"
        key, sep, value = line.partition("=")
        assert sep, f"{path.name}: {line!r} is not key=value"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def unit(name: str) -> dict[str, dict[str, list[str]]]:
    path = DEPLOY / name
    # configparser with strict=False accepts systemd's repeated keys too; it must at least read the file.
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str
    parser.read_string(path.read_text(encoding="utf-8"))
    parsed = parse_unit(path)
    assert set(parser.sections()) == set(parsed)
    return parsed


def unescape_systemd(value: str) -> str:
    """Undo systemd's escapes in a command line: %% is %, $$ is $."""
    assert not re.search(r"%[^%]", value.replace("%%", "")), f"unescaped specifier in {value!r}"
    return value.replace("%%", "%").replace("$$", "$")


def test_advisor_service_runs_the_bot_hardened():
    service = unit("advisor.service")
    assert {"Unit", "Service", "Install"} <= set(service)
    svc = service["Service"]
    assert svc["ExecStart"] == ["/opt/med-psych-advisor/.venv/bin/python -m bot"]
    assert svc["WorkingDirectory"] == ["/opt/med-psych-advisor"]
    assert svc["EnvironmentFile"] == ["/etc/med-psych-advisor/advisor.env"]
    assert svc["User"] == ["advisor"]
    assert svc["Restart"] == ["on-failure"]
    assert svc["KillSignal"] == ["SIGTERM"] and int(svc["TimeoutStopSec"][0]) > 0
    for key in ("NoNewPrivileges", "PrivateTmp"):
        assert svc[key] == ["true"]
    assert svc["ProtectSystem"] == ["strict"]
    # The default ADVISOR_DB_PATH is relative to WorkingDirectory; its folder must stay writable.
    data_dir = str(Path(svc["WorkingDirectory"][0]) / Settings().db_path.parent)
    assert data_dir in " ".join(svc["ReadWritePaths"]).split()
    assert service["Install"]["WantedBy"] == ["multi-user.target"]
    assert "network-online.target" in service["Unit"]["After"][0]


def test_backup_service_and_timer():
    main = unit("advisor.service")["Service"]
    backup = unit("advisor-backup.service")
    timer = unit("advisor-backup.timer")
    svc = backup["Service"]
    assert svc["Type"] == ["oneshot"] and svc["User"] == main["User"]
    assert svc["EnvironmentFile"] == main["EnvironmentFile"]
    assert svc["WorkingDirectory"] == main["WorkingDirectory"]
    command = unescape_systemd(svc["ExecStart"][0])
    assert "-m bot.backup" in command and "$(date +%F)" in command
    writable = " ".join(svc["ReadWritePaths"]).split()
    assert set(main["ReadWritePaths"][0].split()) <= set(writable), "a WAL reader writes the -shm file"
    assert "/var/backups/med-psych-advisor" in writable
    assert timer["Timer"]["OnCalendar"] == ["daily"] and timer["Timer"]["Persistent"] == ["true"]
    assert timer["Timer"]["Unit"] == ["advisor-backup.service"]
    assert timer["Install"]["WantedBy"] == ["timers.target"]


def test_backup_unit_commands_run_as_systemd_would_run_them(store, tmp_path):
    """Run the unit's ExecStart and ExecStartPost (paths moved into tmp_path) and check what they do."""
    store.save(Session(user_id=42, state="asking_visa"), chat_id=42)
    svc = unit("advisor-backup.service")["Service"]
    backups = tmp_path / "backups"
    backups.mkdir()
    old = backups / "advisor-2000-01-01.db"
    old.write_bytes(b"old")
    os.utime(old, (time.time() - 40 * 86400,) * 2)

    def localise(value: str) -> list[str]:
        value = unescape_systemd(value)
        value = value.replace("/opt/med-psych-advisor/.venv/bin/python", sys.executable)
        return shlex.split(value.replace("/var/backups/med-psych-advisor", str(backups)))

    env = clean_env(ADVISOR_DB_PATH=str(tmp_path / "advisor.db"))
    for key in ("ExecStart", "ExecStartPost"):
        result = subprocess.run(localise(svc[key][0]), cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    made = sorted(p.name for p in backups.iterdir())
    assert len(made) == 1 and re.fullmatch(r"advisor-\d{4}-\d{2}-\d{2}\.db", made[0]), made
    with sqlite3.connect(backups / made[0]) as copy:
        assert copy.execute("SELECT user_id, state FROM sessions").fetchall() == [(42, "asking_visa")]
    copy.close()


# ----- advisor.env.example -----------------------------------------------------------------------------
ASSIGNMENT = re.compile(r"^#?([A-Z][A-Z0-9_]*)=(.*)$")


def env_example() -> list[tuple[str, str, str]]:
    """Return (variable, value, comment above it) for every variable line, commented out or not."""
    entries, comment = [], ""
    for line in (DEPLOY / "advisor.env.example").read_text(encoding="utf-8").splitlines():
        match = ASSIGNMENT.match(line)
        if match:
            entries.append((match[1], match[2], comment))
            comment = ""
        elif line.startswith("#"):
            comment = line.lstrip("# ").strip()
        else:
            comment = ""
    return entries


def test_env_example_lists_exactly_the_settings_with_their_defaults():
    entries = env_example()
    names = [name for name, _, _ in entries]
    assert len(names) == len(set(names)), "a variable is listed twice"
    assert set(names) == set(ENVIRONMENT)
    defaults = Settings()
    for name, value, comment in entries:
        assert comment, f"{name} needs a one-line comment above it"
        default = getattr(defaults, ENVIRONMENT[name][0])
        if default not in (None, frozenset()):
            assert value == str(default), f"{name}: example shows {value!r}, default is {default!r}"
        else:
            assert "unset" in comment.lower(), f"{name} has no default; the comment should say so"
    # Only the token is set; every other line is a commented-out default, so the example overrides
    # nothing the Docker image sets (ADVISOR_DB_PATH, ADVISOR_WEBHOOK_LISTEN).
    lines = (DEPLOY / "advisor.env.example").read_text(encoding="utf-8").splitlines()
    uncommented = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    assert set(uncommented) == {"TELEGRAM_BOT_TOKEN"}
    parsed = Settings.from_env(uncommented)
    assert parsed.db_path == defaults.db_path and parsed.webhook_url is None


def test_env_example_secrets_are_obvious_placeholders():
    values = {name: value for name, value, _ in env_example()}
    for name in ("TELEGRAM_BOT_TOKEN", "ADVISOR_WEBHOOK_SECRET"):
        assert "replace" in values[name].lower()
        assert not re.search(r"\d{6,}:[A-Za-z0-9_-]{20,}", values[name]), "looks like a real token"
        assert not re.fullmatch(r"[0-9a-f]{32,}", values[name]), "looks like a real secret"
    # Telegram accepts only A-Z a-z 0-9 _ - in a secret token; the placeholder keeps to that shape.
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,256}", values["ADVISOR_WEBHOOK_SECRET"])


# ----- nginx.conf.example ------------------------------------------------------------------------------
def test_nginx_example_proxies_the_webhook_and_keeps_health_local():
    text = (DEPLOY / "nginx.conf.example").read_text(encoding="utf-8")
    settings = Settings()
    assert re.search(r"listen 443 ssl;", text)
    assert re.search(r"ssl_certificate\s+/\S+;", text) and re.search(r"ssl_certificate_key\s+/\S+;", text)
    assert "server 127.0.0.1:8080;" in text
    webhook = text.split(f"location = {settings.webhook_path} {{", 1)[1].split("\n    }", 1)[0]
    assert "proxy_pass http://" in webhook
    assert "X-Telegram-Bot-Api-Secret-Token $http_x_telegram_bot_api_secret_token" in webhook
    health = text.split(f"location = {settings.health_path} {{", 1)[1].split("\n    }", 1)[0]
    assert "allow 127.0.0.1;" in health and "deny all;" in health and "proxy_pass" in health
    assert text.count("{") == text.count("}")


# ----- deploy/healthcheck.py ---------------------------------------------------------------------------
def run_healthcheck(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(HEALTHCHECK)],
        cwd=ROOT,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=30,
    )


@pytest.fixture
def running_bot(store, tmp_path):
    """`python -m bot` (the terminal chat, as polling has no fake here) on the fresh Store's file."""
    db = tmp_path / "advisor.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=ROOT,
        env=clean_env(ADVISOR_DB_PATH=str(db)),
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    cmdline = Path(f"/proc/{process.pid}/cmdline")
    deadline = time.monotonic() + 10
    while cmdline.exists() and b"-m\0bot" not in cmdline.read_bytes() and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield db
    finally:
        process.stdin.close()  # end of input: the terminal chat says bye and exits
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_healthcheck_polling_mode_healthy_on_a_fresh_store(running_bot):
    result = run_healthcheck(ADVISOR_DB_PATH=str(running_bot))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "healthy (polling mode)"


def test_healthcheck_polling_mode_unhealthy_when_the_database_cannot_be_read(running_bot, tmp_path):
    folder = tmp_path / "a-folder.db"
    folder.mkdir()
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not an SQLite database" * 200)
    empty_schema = tmp_path / "empty.db"
    sqlite3.connect(empty_schema).close()
    for path in (tmp_path / "missing.db", folder, garbage, empty_schema):
        result = run_healthcheck(ADVISOR_DB_PATH=str(path))
        assert result.returncode == 1, (path, result.stdout, result.stderr)
        assert result.stdout.startswith("unhealthy (polling mode)") and str(path) in result.stdout
    if os.geteuid() != 0:  # root reads any file regardless of its mode
        unreadable = tmp_path / "unreadable.db"
        unreadable.write_bytes(running_bot.read_bytes())
        unreadable.chmod(0)
        assert run_healthcheck(ADVISOR_DB_PATH=str(unreadable)).returncode == 1


def test_healthcheck_finds_the_bot_process_in_proc(tmp_path):
    healthcheck = load_healthcheck()
    proc = tmp_path / "proc"
    for pid, argv in {"1": [b"/sbin/init"], "7": [b"python", b"/app/deploy/healthcheck.py"]}.items():
        (proc / pid).mkdir(parents=True)
        (proc / pid / "cmdline").write_bytes(b"\0".join(argv) + b"\0")
    (proc / "self").mkdir()
    (proc / "9").mkdir()  # a process that ended while we looked: no cmdline
    assert healthcheck.bot_process_running(proc) is False
    (proc / "12").mkdir()
    (proc / "12" / "cmdline").write_bytes(b"/usr/local/bin/python\0-m\0bot\0")
    assert healthcheck.bot_process_running(proc) is True
    assert healthcheck.bot_process_running(tmp_path / "no-proc") is None
    assert healthcheck.is_bot_command(["/opt/med-psych-advisor/.venv/bin/med-psych-advisor"])
    assert not healthcheck.is_bot_command(["python", "-m", "bot.backup", "x.db"])
    assert not healthcheck.is_bot_command(["python", "-m", "pytest", "bot"])


class HealthStub(http.server.BaseHTTPRequestHandler):
    """Answers GET on /healthz with the status and body the test sets on the server."""

    def do_GET(self) -> None:
        status, body = self.server.answer if self.path == "/healthz" else (404, b"{}")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def health_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), HealthStub)
    server.answer = (200, b'{"ok": true}')
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def test_healthcheck_webhook_mode_asks_the_health_endpoint(health_server, tmp_path):
    port = str(health_server.server_address[1])
    webhook = {
        "ADVISOR_WEBHOOK_URL": "https://bot.example.org/telegram",
        "ADVISOR_WEBHOOK_PORT": port,
        "ADVISOR_WEBHOOK_LISTEN": "0.0.0.0",
        # No database and no bot process here: webhook mode trusts the bot's own health answer.
        "ADVISOR_DB_PATH": str(tmp_path / "missing.db"),
        "HTTP_PROXY": "http://127.0.0.1:9",  # a proxy in the environment must not be used
        "http_proxy": "http://127.0.0.1:9",
    }
    result = run_healthcheck(**webhook)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "healthy (webhook mode)"

    health_server.answer = (503, b'{"ok": false}')
    result = run_healthcheck(**webhook)
    assert result.returncode == 1 and "503" in result.stdout

    health_server.answer = (200, b'{"ok": false}')
    assert run_healthcheck(**webhook).returncode == 1

    health_server.answer = (200, b'{"ok": true}')
    assert run_healthcheck(**webhook, ADVISOR_HEALTH_PATH="/elsewhere").returncode == 1


def test_healthcheck_webhook_mode_unhealthy_when_nothing_listens():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound but not listening: connections are refused
        result = run_healthcheck(ADVISOR_WEBHOOK_URL="https://x.example/t", ADVISOR_WEBHOOK_PORT=str(port))
    assert result.returncode == 1 and "unreachable" in result.stdout


def test_health_url_defaults_match_the_settings():
    healthcheck = load_healthcheck()
    defaults = Settings()
    assert healthcheck.health_url({}) == f"http://127.0.0.1:{defaults.webhook_port}{defaults.health_path}"
    assert str(defaults.db_path) == healthcheck.DEFAULT_DB_PATH
    assert healthcheck.health_url({"ADVISOR_WEBHOOK_PORT": "9000", "ADVISOR_HEALTH_PATH": "up"}) == (
        "http://127.0.0.1:9000/up"
    )
    assert healthcheck.health_url({"ADVISOR_WEBHOOK_LISTEN": "10.1.2.3"}).startswith("http://10.1.2.3:")
    assert healthcheck.health_url({"ADVISOR_WEBHOOK_LISTEN": "::1"}).startswith("http://[::1]:")
    assert {f.name for f in fields(Settings)} >= {"webhook_port", "health_path", "db_path"}


# ----- python -m bot.backup ----------------------------------------------------------------------------
def test_backup_command_copies_a_database_held_open_by_the_bot(store, tmp_path):
    for user_id in range(1, 6):
        store.save(
            Session(user_id=user_id, state="asking_visa", answers={"ck": 200 + user_id}), chat_id=user_id
        )
    store.log_unanswered(3, "what about a green card?")
    db = tmp_path / "advisor.db"
    # The Store is still open in WAL mode and its rows are still in the WAL file, not yet in the main file.
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert Path(f"{db}-wal").stat().st_size > 0

    destination = tmp_path / "backups" / "copy.db"
    result = subprocess.run(
        [sys.executable, "-m", "bot.backup", str(destination)],
        cwd=ROOT,
        env=clean_env(ADVISOR_DB_PATH=str(db)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert str(destination) in result.stdout

    # The bot keeps writing after the backup; the copy is the snapshot from before.
    store.save(Session(user_id=99, state="new"), chat_id=99)
    copy = sqlite3.connect(f"file:{destination}?mode=ro", uri=True)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        for table in ("sessions", "unanswered", "meta"):
            query = f"SELECT * FROM {table} ORDER BY 1"
            live = [
                tuple(row)
                for row in store.db.execute(query).fetchall()
                if table != "sessions" or row[0] != 99
            ]
            assert copy.execute(query).fetchall() == live, table
        assert copy.execute("SELECT count(*) FROM sessions").fetchone() == (5,)
    finally:
        copy.close()
    # The copy opens as a store: a restore is copying it over the database file.
    restored = Store(destination)
    try:
        assert restored.load(4).answers == {"ck": 204}
        assert restored.healthy()
    finally:
        restored.close()


def test_backup_command_without_a_destination_prints_usage():
    result = subprocess.run(
        [sys.executable, "-m", "bot.backup"], cwd=ROOT, env=clean_env(), capture_output=True, text=True
    )
    assert result.returncode == 2 and "usage" in result.stderr
