"""Health check for a running advisor: exit 0 when healthy, 1 when not. Standard library only.

    python deploy/healthcheck.py

Reads the same environment variables as the bot (see bot/settings.py):

- webhook mode (ADVISOR_WEBHOOK_URL set): GET http://127.0.0.1:$ADVISOR_WEBHOOK_PORT$ADVISOR_HEALTH_PATH
  must answer 200 with JSON {"ok": true}. The bot's own health handler already checks its database.
- polling mode: a `python -m bot` process must be running, and ADVISOR_DB_PATH must open read-only and
  answer a query on the `sessions` table.

The Docker image runs it as its HEALTHCHECK; it can also be used by any other process supervisor.
"""

import itertools
import json
import os
import sqlite3
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path

DEFAULT_DB_PATH = "data/advisor.db"
DEFAULT_PORT = "8080"
DEFAULT_HEALTH_PATH = "/healthz"
WILDCARD_ADDRESSES = {"", "0.0.0.0", "::", "127.0.0.1", "localhost"}
TIMEOUT = 5.0


def health_url(env: Mapping[str, str]) -> str:
    """Return the URL of the webhook server's health endpoint, reached from the same host."""
    listen = env.get("ADVISOR_WEBHOOK_LISTEN") or ""
    host = "127.0.0.1" if listen in WILDCARD_ADDRESSES else listen
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    port = env.get("ADVISOR_WEBHOOK_PORT") or DEFAULT_PORT
    path = env.get("ADVISOR_HEALTH_PATH") or DEFAULT_HEALTH_PATH
    if not path.startswith("/"):
        path = "/" + path
    return f"http://{host}:{port}{path}"


def check_webhook(env: Mapping[str, str]) -> str | None:
    """Return None when the health endpoint answers 200 with {"ok": true}, else what is wrong."""
    url = health_url(env)
    # Never send a loopback request through an HTTP proxy configured in the environment.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=TIMEOUT) as response:
            status, body = response.status, response.read(4096)
    except urllib.error.HTTPError as error:
        return f"{url} answered {error.code}"
    except (urllib.error.URLError, OSError) as error:
        return f"{url} unreachable: {error}"
    try:
        ok = json.loads(body).get("ok") is True
    except (ValueError, AttributeError):
        ok = False
    if status != 200 or not ok:
        return f"{url} answered {status} {body[:200]!r}"
    return None


def is_bot_command(argv: list[str]) -> bool:
    """Return True when *argv* is the advisor: `python -m bot` or the `med-psych-advisor` script."""
    if any(a == "-m" and b == "bot" for a, b in itertools.pairwise(argv)) or "-mbot" in argv:
        return True
    return any(Path(arg).name == "med-psych-advisor" for arg in argv[:2])


def bot_process_running(proc: Path = Path("/proc")) -> bool | None:
    """Return whether an advisor process is alive, or None when *proc* is not there to tell."""
    if not proc.is_dir():
        return None
    own = str(os.getpid())
    for entry in proc.iterdir():
        if not entry.name.isdigit() or entry.name == own:
            continue
        try:
            raw = (entry / "cmdline").read_bytes()  # empty for zombies and kernel threads
        except OSError:
            continue  # the process ended meanwhile, or is not ours to read
        argv = [arg.decode(errors="replace") for arg in raw.split(b"\0") if arg]
        if argv and is_bot_command(argv):
            return True
    return False


def check_database(path: Path) -> str | None:
    """Return None when the SQLite file at *path* opens read-only and answers, else what is wrong."""
    if not path.is_file():
        return f"database {path} is missing or not a file"
    try:
        uri = path.resolve().as_uri() + "?mode=ro"
        connection = sqlite3.connect(uri, uri=True, timeout=TIMEOUT)
        try:
            connection.execute("SELECT count(*) FROM sessions").fetchone()
        finally:
            connection.close()
    except (sqlite3.Error, OSError, ValueError) as error:
        return f"database {path} does not answer: {error}"
    return None


def problems(env: Mapping[str, str]) -> list[str]:
    """Return everything wrong with the advisor described by *env*; empty when healthy."""
    if env.get("ADVISOR_WEBHOOK_URL"):
        problem = check_webhook(env)
        return [problem] if problem else []
    found = []
    if bot_process_running() is False:
        found.append("no `python -m bot` process is running")
    problem = check_database(Path(env.get("ADVISOR_DB_PATH") or DEFAULT_DB_PATH))
    if problem:
        found.append(problem)
    return found


def main(env: Mapping[str, str] = os.environ) -> int:
    """Print one line about the advisor's health; return 0 when healthy, 1 when not."""
    found = problems(env)
    mode = "webhook" if env.get("ADVISOR_WEBHOOK_URL") else "polling"
    if found:
        print(f"unhealthy ({mode} mode): " + "; ".join(found))
        return 1
    print(f"healthy ({mode} mode)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
