"""Copy the SQLite file safely while the bot runs: `python -m bot.backup DEST`.

Uses SQLite's online backup API, which copies a consistent snapshot even while another process writes.
"""

import sqlite3
import sys
from pathlib import Path

from bot.settings import Settings


def backup(source: Path, destination: Path) -> None:
    """Write a consistent copy of *source* to *destination*."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(destination) as dst:
        src.backup(dst)
    dst.close()
    src.close()


def main(argv: list[str]) -> int:
    """Back up ADVISOR_DB_PATH to the path given as the only argument."""
    if len(argv) != 1:
        print("usage: python -m bot.backup DESTINATION.db", file=sys.stderr)
        return 2
    settings = Settings.from_env()
    backup(settings.db_path, Path(argv[0]))
    print(f"backed up {settings.db_path} to {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
