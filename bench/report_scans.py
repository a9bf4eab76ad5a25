"""The scans that read the files, local disk and share side by side: each cell the
figure, each row its targets (bench/results.py) and whether they were met."""

from __future__ import annotations

from collections import Counter

from bench.cpu import CpuShare
from bench.results import (
    INLINE_MAX,
    RESCAN_MAX,
    SCHEDULED_RESCAN_MAX,
    SHARE_FULL_MAX,
    WORKERS_MAX,
    WORKERS_VS_INLINE_MAX,
    Results,
    share_rescan_max,
)

Row = tuple[str, ...]
CALL_KINDS = ("open", "opendir", "readdir", "getattr", "getattr_listed", "read")


def noise(share: CpuShare | None) -> str:
    return f"; {share.describe()}" if share is not None else ""


def verdict(checks: list[tuple[str, bool]]) -> str:
    """ "met", or which checks missed."""
    missed = [name for name, ok in checks if not ok]
    if not missed:
        return "met"
    named = [name for name in missed if name]  # a row of one check leaves it unnamed
    return "**MISSED**" + (": " + ", ".join(named) if named else "")


def calls(counts: Counter[str] | None, cpu: float | None = None) -> str:
    """The share's calls by kind, and the CPU its simulator took from the machine."""
    if counts is None:
        return ""
    text = ", ".join(f"{kind} {counts[kind]}" for kind in CALL_KINDS if counts[kind])
    simulator = f" (slowfs used {cpu:.1f} s CPU)" if cpu is not None else ""
    return f"; share calls: {text or 'none'}{simulator}"


def _floor_row(results: Results) -> Row:
    cells = []
    for disk in results.disks:
        floor = results.floors.get(disk)
        cells.append(
            f"{floor.seconds:.1f} s ({floor.files} files, {floor.rate:.0f} files/s)"
            + noise(floor.cpu)
            if floor
            else "-"
        )
    return ("floor: bare `MediaInfo.parse` loop, 1 process", *cells, "-", "-", "--phases files")


def _first_row(results: Results, how: str) -> Row | None:
    local = results.scans.get(f"local {how} first")
    floor = results.floors.get("local")
    if local is None or floor is None:
        return None
    limit = INLINE_MAX if how == "inline" else WORKERS_MAX
    ratio = local.seconds / floor.seconds
    cells = [
        f"{local.seconds:.1f} s = {ratio:.2f} x floor; {local.files_probed} probed, "
        f"{local.listed} items" + noise(local.cpu)
    ]
    checks = [("local", ratio <= limit)]
    target = f"local <= {limit} x floor"
    inline = results.scans.get("local inline first")
    if how == "workers" and inline is not None:
        vs_inline = local.seconds / inline.seconds
        cells[0] += f"; {vs_inline:.2f} x inline"
        target += f" and <= {WORKERS_VS_INLINE_MAX} x inline"
        checks.append(("vs inline", vs_inline <= WORKERS_VS_INLINE_MAX))
    if "share" in results.disks:
        share, share_floor = results.scans.get(f"share {how} first"), results.floors.get("share")
        if share is not None and share_floor is not None:
            vs_local = share.seconds / local.seconds
            cells.append(
                f"{share.seconds:.1f} s = {vs_local:.2f} x local, "
                f"{share.seconds / share_floor.seconds:.2f} x share floor; "
                f"{share.files_probed} probed"
                + calls(share.calls, share.share_cpu)
                + noise(share.cpu)
            )
            if how == "inline":
                target += f"; share <= {SHARE_FULL_MAX} x local"
                checks.append(("share", vs_local <= SHARE_FULL_MAX))
        else:
            cells.append("-")
    where = "`scan --inline`" if how == "inline" else "`scan --wait`, 2 worker processes"
    return (f"full first scan ({where})", *cells, target, verdict(checks), "--phases files")


def _rescan_row(results: Results, how: str) -> Row | None:
    local, first = results.scans.get(f"local {how} rescan"), results.scans.get(f"local {how} first")
    if local is None or first is None:
        return None
    share_part = local.seconds / first.seconds
    cells = [f"{local.seconds:.2f} s = {share_part:.1%} of full; {local.files_probed} probed"]
    checks = [("local", share_part <= RESCAN_MAX), ("local probes", local.probed_as_expected)]
    target = f"local <= {RESCAN_MAX:.0%} of full, 0 probed"
    if "share" in results.disks:
        share = results.scans.get(f"share {how} rescan")
        if share is None:
            cells.append("-")
        else:
            cells.append(
                f"{share.seconds:.2f} s; {share.files_probed} probed"
                + calls(share.calls, share.share_cpu) + noise(share.cpu)
            )  # fmt: skip
            checks.append(("share probes", share.probed_as_expected))
            if how == "inline":
                limit, where = share_rescan_max(results.series)
                target += f"; share <= {limit:.1f} s ({where})"
                checks.append(("share", share.seconds <= limit))
    return (f"rescan, nothing changed ({how})", *cells, target, verdict(checks), "--phases files")


def _scheduled_row(results: Results, how: str) -> Row | None:
    """The rescan beat's tick starts on the running workers: from the runs' creation to
    their end, against the first scan's runs measured the same way."""
    scheduled = results.scans.get(f"local {how} scheduled")
    first = results.scans.get(f"local {how} first")
    if scheduled is None or first is None:
        return None
    span, first_span = scheduled.run_span(), first.run_span()
    if span is None or not first_span:
        return None
    part = span / first_span
    cell = (
        f"{span:.2f} s = {part:.1%} of the first scan's runs ({first_span:.1f} s, created -> "
        f"ended); {scheduled.files_probed} probed"
    )
    checks = [("local", part <= SCHEDULED_RESCAN_MAX), ("probes", scheduled.probed_as_expected)]
    cells = [cell] + ["-"] * (len(results.disks) - 1)
    return (
        "rescan as the schedule runs it (beat's task -> running workers), nothing changed",
        *cells,
        f"local <= {SCHEDULED_RESCAN_MAX:.0%} of full, 0 probed",
        verdict(checks),
        "--phases files",
    )


def _touched_row(results: Results, how: str) -> Row | None:
    figures = [results.scans.get(f"{disk} {how} touched") for disk in results.disks]
    if figures[0] is None:
        return None
    cells, checks = [], []
    for disk, figure in zip(results.disks, figures, strict=True):
        if figure is None:
            cells.append("-")
            continue
        cells.append(
            f"{figure.seconds:.2f} s, {figure.files_probed} probed, "
            f"{figure.total('items_total')} items rescanned"
            + calls(figure.calls, figure.share_cpu) + noise(figure.cpu)
        )  # fmt: skip
        checks.append((disk, figure.probed_as_expected))
    expected = len(figures[0].expected_probes or [])
    return (
        f"rescan after touching 1 % of episodes ({how})",
        *cells,
        f"probes exactly the {expected} touched",
        verdict(checks),
        "--phases files",
    )


def scan_rows(results: Results) -> list[Row]:
    rows = [_floor_row(results)] if results.floors else []
    for how in ("inline", "workers"):
        for make in (_first_row, _rescan_row, _scheduled_row, _touched_row):
            row = make(results, how)
            if row is not None:
                rows.append(row)
    return rows


def scan_header(results: Results) -> Row:
    disks = ["local disk"]
    if "share" in results.disks:
        disks.append(f"share ({results.share_delay_ms:g} ms a call)")
    return ("figure", *disks, "target", "verdict", "repeat")
