"""Where and on what a benchmark ran: the machine, and the commit (read from .git, without
running git) with the files that differ from it (git, where it is installed)."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def commit() -> str:
    """HEAD's commit, read from .git without running git (a worktree's too: its .git is a
    file naming its own folder, whose ``commondir`` holds the refs)."""
    git = REPO / ".git"
    try:
        if git.is_file():
            git = Path(git.read_text().strip().removeprefix("gitdir: "))
        common = git
        if (git / "commondir").exists():
            common = (git / (git / "commondir").read_text().strip()).resolve()
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head[:12]
        ref = head.removeprefix("ref: ")
        for folder in (git, common):
            if (folder / ref).exists():
                return (folder / ref).read_text().strip()[:12]
        for line in (common / "packed-refs").read_text().splitlines():
            if line.endswith(" " + ref):
                return line.split()[0][:12]
    except OSError:
        pass
    return "unknown"


def uncommitted() -> set[str] | None:
    """Tracked files that differ from HEAD (``bench/RESULTS.md`` aside: each run appends
    to it), or None when git is not there to tell."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        status = subprocess.run(
            [git, "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    paths = {line[3:] for line in status.stdout.splitlines() if line[3:]}
    return paths - {"bench/RESULTS.md"}


def describe_code(started: set[str] | None, ended: set[str] | None) -> str:
    """``commit X`` and, when the checkout differed from it at the run's start or end,
    which files did: the figures are not that commit's alone."""
    text = f"commit {commit()}"
    if started is None or ended is None:
        return text + " (uncommitted changes not checked: no git)"
    changed = sorted(started | ended)
    if changed:
        shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if changed[5:] else "")
        text += f" **with uncommitted changes** ({shown})"
    return text


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f", {int(line.split()[1]) / 2**20:.0f} GiB RAM"
    except OSError:
        pass
    python = ".".join(map(str, sys.version_info[:3]))
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}, "
        f"Python {python}"
    )
