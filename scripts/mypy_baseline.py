"""The type checker over the rest of the product, against a baseline that may only shrink
(issue 69, item 5).

`make lint` checks ``scanner/`` and ``taggarr/`` with mypy (pyproject.toml's
``[tool.mypy] files``), which must stay clean. The other packages (``api/``, ``web/``,
``accounts/``, ``fakes/``, ``bench/``) are checked here with the same settings, and
each error is compared with ``mypy-baseline.txt``: one line per error as
``path: message [code]`` (no line number, so that an edit above an old error does not
move it). An error the baseline does not hold fails the check, and so does one it
holds that is fixed (the baseline shrinks in the same commit: ``--update`` writes it),
so that a fixed error cannot come back unseen. Run by `make lint`.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "mypy-baseline.txt"
PACKAGES = ("api", "web", "accounts", "fakes", "bench")
_ERROR = re.compile(r"^(?P<path>[^:]+):\d+(?::\d+)?: error: (?P<message>.*)$")


def errors(output: Iterable[str]) -> Counter[str]:
    """mypy's error lines as baseline lines (``path: message [code]``), counted."""
    found: Counter[str] = Counter()
    for line in output:
        match = _ERROR.match(line.rstrip("\n"))
        if match:
            found[f"{match['path']}: {match['message']}"] += 1
    return found


def compare(baseline: Counter[str], now: Counter[str]) -> tuple[list[str], list[str]]:
    """(new errors, errors fixed), each line once per error."""
    new = sorted((now - baseline).elements())
    fixed = sorted((baseline - now).elements())
    return new, fixed


def _run_mypy() -> list[str]:
    done = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-m", "mypy", *PACKAGES],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 1):  # 2: mypy itself failed (a crash, bad settings)
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(done.returncode)
    return done.stdout.splitlines()


def main(argv: list[str]) -> int:
    now = errors(_run_mypy())
    if "--update" in argv:
        BASELINE.write_text("".join(f"{line}\n" for line in sorted(now.elements())))
        print(f"mypy baseline: {sum(now.values())} errors written to {BASELINE.name}")
        return 0
    lines = BASELINE.read_text().splitlines() if BASELINE.exists() else []
    new, fixed = compare(Counter(line for line in lines if line), now)
    for line in new:
        print(f"new: {line}")
    for line in fixed:
        print(f"fixed: {line}")
    if fixed:
        print(
            "mypy baseline: errors were fixed; run "
            "`.venv/bin/python scripts/mypy_baseline.py --update` so that they stay fixed"
        )
    print(
        f"mypy baseline: {sum(now.values())} errors in {', '.join(PACKAGES)}, "
        f"{len(new)} new, {len(fixed)} fixed"
    )
    return 1 if new or fixed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
