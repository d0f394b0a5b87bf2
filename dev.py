"""Set up a local virtualenv on demand, then run the bot or the test suite.

    python3 dev.py run     # installs what is needed, starts the bot (terminal chat without a token)
    python3 dev.py test    # installs what is needed, runs lint, the type check and the whole test suite

Only the standard library is used here, so this works on a bare Python 3.11.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
REQUIREMENTS = {"run": ["requirements.txt"], "test": ["requirements-dev.txt"]}


def _stamp_for(files: list[str]) -> str:
    """Return a digest of the requirement files, so installs rerun only when they change."""
    digest = hashlib.sha256()
    for name in [*files, "requirements.txt", "constraints.txt"]:
        path = ROOT / name
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_environment(purpose: str) -> None:
    """Create .venv and install the pinned requirements for *purpose* if missing or stale."""
    if not PYTHON.exists():
        print("Creating a virtual environment in .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    files = REQUIREMENTS[purpose]
    stamp_file = VENV / f".installed-{purpose}"
    stamp = _stamp_for(files)
    if stamp_file.exists() and stamp_file.read_text() == stamp:
        return
    print(f"Installing pinned dependencies ({', '.join(files)}) ...", flush=True)
    command = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    for name in files:
        command += ["-r", str(ROOT / name)]
    if (ROOT / "constraints.txt").exists():
        command += ["-c", str(ROOT / "constraints.txt")]
    subprocess.run(command, check=True, cwd=ROOT)
    stamp_file.write_text(stamp)


def main(argv: list[str]) -> int:
    """Dispatch `run`, `test`, `bench` or `eval` inside the project's virtualenv."""
    action = argv[0] if argv else "run"
    rest = argv[1:]
    if action == "run":
        ensure_environment("run")
        return subprocess.call([str(PYTHON), "-m", "bot", *rest], cwd=ROOT)
    if action == "test":
        ensure_environment("test")
        lint = subprocess.call([str(PYTHON), "-m", "ruff", "check", "."], cwd=ROOT)
        fmt = subprocess.call([str(PYTHON), "-m", "ruff", "format", "--check", "."], cwd=ROOT)
        types = subprocess.call([str(PYTHON), "-m", "mypy"], cwd=ROOT)  # what it checks: pyproject.toml
        tests = subprocess.call([str(PYTHON), "-m", "pytest", *rest], cwd=ROOT)
        return tests or lint or fmt or types
    if action in {"bench", "eval"}:
        ensure_environment("test")
        script = {"bench": ["-m", "bench"], "eval": ["eval/evaluate.py"]}[action]
        return subprocess.call([str(PYTHON), *script, *rest], cwd=ROOT)
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
