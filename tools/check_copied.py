"""Report content files that repeat 10+ consecutive words of the source article."""

import pathlib
import re
import sys

RUN = 10
ROOT = pathlib.Path(__file__).resolve().parent.parent
ARTICLE = ROOT.parent / "shared" / "source-article.txt"


def words(text: str) -> list[str]:
    """Return the lower-case word tokens of *text*."""
    return re.findall(r"[a-z0-9]+", text.lower())


def copied_runs(text: str, article_grams: set[tuple[str, ...]]) -> list[str]:
    """Return each run of RUN words in *text* that also stands in the article."""
    w = words(text)
    return [
        " ".join(w[i : i + RUN]) for i in range(len(w) - RUN + 1) if tuple(w[i : i + RUN]) in article_grams
    ]


def main() -> int:
    """Print offending files and runs; exit 1 if any."""
    aw = words(ARTICLE.read_text(encoding="utf-8"))
    grams = {tuple(aw[i : i + RUN]) for i in range(len(aw) - RUN + 1)}
    bad = 0
    for path in sorted((ROOT / "content").rglob("*")):
        if path.suffix in {".md", ".yaml", ".yml"} and path.is_file():
            runs = copied_runs(path.read_text(encoding="utf-8"), grams)
            for run in runs:
                bad += 1
                print(f"{path.relative_to(ROOT)}: {run}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
