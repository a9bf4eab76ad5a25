"""Issue 51's Lighthouse figures: the mobile preset (Lighthouse's default: a mid-range
phone, 412 px, simulated slow 4G and a 4x slower CPU) against the dashboard and the
media list (as a table and as posters) of a seeded library served as the Docker image
serves it (bench/lighthouse_site.py), and a series page. Targets (issue 61): performance
>= 95, accessibility 100.

A benchmark, not a test: Lighthouse's scores depend on the machine's timing. Lighthouse
comes from npm (``npm install lighthouse@12`` into ``--lighthouse-dir``, not the
repository; node >= 18) and drives Debian's Chromium (CHROME_PATH). Nothing is fetched
from the internet: every page and file is Taggarr's own.

    .venv/bin/python bench/lighthouse.py                # --no-record: not appended to RESULTS.md

It prints the table (the four categories' scores, LCP, CLS, TBT, the failing audits),
appends it to bench/RESULTS.md ("Lighthouse"), keeps each page's JSON report in
``--out`` and exits 1 when a page misses a target.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.machine import describe_code, machine, uncommitted  # noqa: E402
from bench.throwaway_db import configure_django  # noqa: E402

LIGHTHOUSE = "lighthouse@12.8.2"  # the last release that runs on Debian 12's node 20
DEFAULT_DIR = Path.home() / ".cache" / "taggarr-lighthouse"
PAGES = {  # name -> (path, the media list's view cookie)
    "dashboard": ("/admin/dashboard/", ""),
    "media list (table)": ("/admin/scanner/media/", "table"),
    "media list (posters)": ("/admin/scanner/media/", "grid"),
    "series page": ("/admin/scanner/media/1/change/", ""),  # the first seeded series
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100}  # issue 61
METRICS = {  # audit -> (column, unit's divisor, format)
    "largest-contentful-paint": ("LCP", 1000, "{:.1f} s"),
    "cumulative-layout-shift": ("CLS", 1, "{:.3f}"),
    "total-blocking-time": ("TBT", 1, "{:.0f} ms"),
}


def install_lighthouse(folder: Path) -> None:
    """Lighthouse from npm, installed into ``folder`` when it is not there yet."""
    if not (folder / "node_modules" / "lighthouse" / "package.json").exists():
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / "package.json").exists():
            (folder / "package.json").write_text('{"private": true}\n')
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", LIGHTHOUSE], cwd=folder, check=True
        )


def run_lighthouse(folder: Path, url: str, cookies: dict[str, str], report: Path) -> dict[str, Any]:
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    jar = json.dumps([{"name": name, "value": value} for name, value in cookies.items()])
    command = [
        "node", str(REPO / "bench" / "lighthouse_page.mjs"), str(folder), url, jar,
        str(report), ",".join(CATEGORIES),
    ]  # fmt: skip
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": chrome})
    scores: dict[str, Any] = json.loads(report.read_text())
    return scores


def summarise(name: str, result: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    """(the table's row, the failing audits, the targets missed)."""
    scores = {c: round((result["categories"][c]["score"] or 0) * 100) for c in CATEGORIES}
    audits = result["audits"]
    row = [name, *(str(scores[c]) for c in CATEGORIES)]
    for audit, (_, divisor, shape) in METRICS.items():
        value = audits[audit].get("numericValue")
        row.append("-" if value is None else shape.format(value / divisor))
    failing = []
    for category in CATEGORIES:
        for ref in result["categories"][category]["auditRefs"]:
            audit = audits[ref["id"]]
            if audit["scoreDisplayMode"] == "error":
                failing.append(f"{category}: {audit['title']} (could not run)")
            elif audit["score"] is not None and audit["score"] < 0.9 and ref["weight"] > 0:
                shown = f": {audit['displayValue']}" if audit.get("displayValue") else ""
                failing.append(f"{category}: {audit['title']}{shown}")
    missed = [f"{name}: {c} {scores[c]} < {t}" for c, t in TARGETS.items() if scores[c] < t]
    return row, failing, missed


def render(rows: list[list[str]], failing: dict[str, list[str]], missed: list[str]) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = ["page", *CATEGORIES, *(column for column, _, _ in METRICS.values())]
    lines = [
        f"## {now} - Lighthouse - {describe_code(STARTED, uncommitted())}",
        "",
        f"Machine: {machine()}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
        f"{LIGHTHOUSE}, mobile preset (simulated throttling). Targets: performance >= 95, "
        "accessibility 100.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + " --- |" * len(header),
        *("| " + " | ".join(row) + " |" for row in rows),
        "",
        "Failing audits (score under 0.9):",
        "",
    ]
    for page, audits in failing.items():
        lines.append(f"- {page}: " + ("; ".join(audits) if audits else "none"))
    lines += ["", "Targets missed: " + ("; ".join(missed) if missed else "none"), ""]
    lines.append("Repeat: `.venv/bin/python bench/lighthouse.py`")
    return "\n".join(lines) + "\n"


STARTED: set[str] | None = None


def main(argv: list[str] | None = None) -> int:
    global STARTED
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--media", type=int, default=60, help="the fake Sonarr's series")
    parser.add_argument("--lighthouse-dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "lighthouse")
    parser.add_argument("--no-record", action="store_true", help="not appended to RESULTS.md")
    args = parser.parse_args(argv)
    STARTED = uncommitted()
    install_lighthouse(args.lighthouse_dir)
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="taggarr-lighthouse-"))
    os.environ.pop("DATABASE_URL", None)  # the data dir's own SQLite: no server to share
    os.environ.pop("REDIS_URL", None)
    configure_django(str(work))
    from django.conf import settings
    from django.core.management import call_command

    from bench.lighthouse_site import collect_static, seed_library, session_cookie, web_server

    call_command("migrate", verbosity=0)
    media = seed_library(work, args.media)
    session = {settings.SESSION_COOKIE_NAME: session_cookie()}
    clear_static = collect_static()
    rows, failing, missed = [], {}, []
    try:
        with web_server(dict(os.environ), work / "gunicorn.log") as url:
            for name, (path, view) in PAGES.items():
                cookies = {**session, "taggarr_media_view": view} if view else session
                report = args.out / (re.sub(r"\W+", "-", name).strip("-") + ".json")
                row, failing[name], page_missed = summarise(
                    name, run_lighthouse(args.lighthouse_dir, url + path, cookies, report)
                )
                rows.append(row)
                missed += page_missed
    finally:
        if clear_static:
            shutil.rmtree(settings.STATIC_ROOT)
            Path(settings.STATIC_ROOT).mkdir()
        shutil.rmtree(work, ignore_errors=True)
    text = render(rows, failing, missed)
    print(f"{media} media items seeded")
    print(text)
    if not args.no_record:
        from bench.report import append_results

        append_results(text)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
