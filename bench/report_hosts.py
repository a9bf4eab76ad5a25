"""The ``hosts`` phase's rows: two worker hosts' first scans (``files`` and ``arr``
sources) and the healing after one host's worker was killed (bench/hosts_phase.py)."""

from __future__ import annotations

from bench.report_scans import Row, noise, verdict
from bench.results import HEAL_MAX, HOSTS_FIRST_MAX, Results

REPEAT = "--phases files,hosts"


def _tasks(results: Results, label: str) -> str:
    hosts = results.hosts.tasks.get(label, {}) if results.hosts else {}
    return ", ".join(f"host {name} {n}" for name, n in sorted(hosts.items())) or "-"


def _files(results: Results) -> list[Row]:
    scan = results.scans.get("hosts files first")
    if scan is None:
        return []
    one_host = results.scans.get("local workers first")
    value = f"{scan.seconds:.2f} s; item tasks: {_tasks(results, scan.label)}"
    checks = [("tags", not scan.mismatches), ("runs", scan.succeeded)]
    if one_host is not None:
        ratio = scan.seconds / one_host.seconds
        value += f"; = {ratio:.2f} x one host's 2-process worker ({one_host.seconds:.2f} s)"
        checks.append(("time", ratio <= HOSTS_FIRST_MAX))
    else:
        value += "; one-host scan not run (add the files phase)"
    label = "two hosts, `files` source (the library at the same path): first scan, 1 process each"
    target = f"<= {HOSTS_FIRST_MAX:g} x one host's two-process scan, 0 wrong tags"
    return [(label, value + noise(scan.cpu), target, verdict(checks), REPEAT)]


def _arr(results: Results) -> list[Row]:
    scan = results.scans.get("hosts arr first")
    if scan is None:
        return []
    read = sum(n for source, n in scan.sources.items() if source != "arr")
    value = (
        f"{scan.seconds:.2f} s; {scan.sources.get('arr', 0)} files from the *arr, {read} read; "
        f"item tasks: {_tasks(results, scan.label)}" + noise(scan.cpu)
    )
    checks = [("tags", not scan.mismatches), ("runs", scan.succeeded), ("read", read == 0)]
    label = "two hosts, `arr` source (no library on either host): first scan"
    return [(label, value, "0 wrong tags, no file read", verdict(checks), REPEAT)]


def _heal(results: Results) -> list[Row]:
    heal = results.hosts.heal if results.hosts else None
    scan = results.scans.get("hosts heal")
    if heal is None or scan is None:
        return []
    seconds = "never" if heal.seconds is None else f"{heal.seconds:.1f} s"
    statuses = ", ".join(sorted({str(run["status"]) for run in scan.runs})) or "no run"
    value = (
        f"{seconds} from the kill (host {heal.host}, {heal.done} of {heal.total} items done) "
        f"to the runs' end ({statuses}); stalled work sent again {heal.resends} times; "
        f"item tasks: {_tasks(results, scan.label)}"
    )
    in_time = heal.seconds is not None and heal.seconds <= HEAL_MAX
    checks = [("time", in_time), ("runs", scan.succeeded), ("tags", not scan.mismatches)]
    label = "two hosts: one host's worker killed mid-scan (SIGKILL), default tick and stall"
    target = f"<= {HEAL_MAX:g} s, succeeded, 0 wrong tags"
    return [(label, value, target, verdict(checks), REPEAT)]


def hosts_rows(results: Results) -> list[Row]:
    return _files(results) + _arr(results) + _heal(results)
