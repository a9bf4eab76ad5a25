"""bench/hostile.py's web half: gunicorn as the Procfile starts it
(``--config python:taggarr.gunicorn_conf``), and each hostile server's connection test,
the instance form's "Fetch" and a Jellyfin's connection test sent to it one at a time."""

from __future__ import annotations

import secrets
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import requests

from bench.hostile_cases import (
    SILENT,
    TOO_LARGE_ITEM,
    TOO_SLOW,
    TOO_SLOW_ITEM,
    WEB_PEAK_MB,
    WORKER_CASES,
    Case,
    Outcome,
)
from bench.hostile_guard import DASHBOARD_BYTES, EVENT_BYTES, SAID, event_and_dashboard
from bench.services import PeakRss, answers, start_service
from bench.workers import free_port

REPO = Path(__file__).resolve().parent.parent
SLACK_SECONDS = 2.0  # the request's own work besides the outgoing calls
GUNICORN_KILLED = ("WORKER TIMEOUT", "was sent SIGKILL", "MemoryError", "Traceback")
JELLYFIN_HUGE = Case("Jellyfin huge 1.5 GB", "huge", "answer larger than 16 MB")
CROWDED = Case("crowded: 20,000 profiles x 20,000 formats", "huge", SAID, fake="crowded")


def web_checks(
    env: dict[str, str], work: Path, fakes: dict[str, Any], deadline: int, *, key: str
) -> list[Outcome]:
    from django.contrib.auth.models import User
    from django.test import Client

    from accounts.models import ApiToken
    from scanner.models import Instance, MediaServer

    user = User.objects.create_superuser("bench-hostile", password=None)
    _, token = ApiToken.issue(user, "bench")
    client = Client()
    client.force_login(user)
    csrf = secrets.token_hex(16)
    session = requests.Session()
    session.cookies.set("sessionid", client.cookies["sessionid"].value)
    session.cookies.set("csrftoken", csrf)
    jellyfin = MediaServer(name="hostile", url=JELLYFIN_HUGE.url(fakes), kind="jellyfin")
    jellyfin.set_token(key)
    jellyfin.save()
    port = free_port()
    web_env = {**env, "TAGGARR_BIND": f"127.0.0.1:{port}"}
    url = f"http://127.0.0.1:{port}"
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "--config",
        "python:taggarr.gunicorn_conf",
    ]
    web = start_service(
        "gunicorn", command, web_env, work / "gunicorn.log", ready=answers(f"{url}/healthz"),
        cwd=REPO,
    )  # fmt: skip
    rss = PeakRss(web.pid).start()
    bound = deadline + SLACK_SECONDS
    measured: list[tuple[str, Case, int, str, float]] = []
    try:
        api = {"Authorization": f"Token {token}"}
        for case in WORKER_CASES:
            pk = Instance.objects.get(name=case.name).pk
            code, said, seconds = _post(session, f"{url}/api/instances/{pk}/test/", api)
            # The web request's own deadline ends a slow list before its element's does.
            told = replace(case, said=TOO_SLOW) if case.said == TOO_SLOW_ITEM else case
            measured.append(("web connection test", told, code, _line(said, told), seconds))
        for case in WORKER_CASES:
            form = {"kind": "sonarr", "url": case.url(fakes), "api_key": key}
            headers = {"X-CSRFToken": csrf, "Referer": url}
            fetch = f"{url}/admin/scanner/instance/arr-choices/"
            code, said, seconds = _post(session, fetch, headers, form)
            told = replace(case, said=_fetch_said(case))
            measured.append(("web Fetch", told, code, said, seconds))
        code, said, seconds = _post(session, f"{url}/api/media-servers/{jellyfin.pk}/test/", api)
        measured.append(("web connection test", JELLYFIN_HUGE, code, said, seconds))
        crowded = _crowded_instance(fakes, key)
        code, said, seconds = _post(session, f"{url}/api/instances/{crowded.pk}/test/", api)
        measured.append(("web connection test", CROWDED, code, _line(said, CROWDED), seconds))
        dashboard = session.get(f"{url}/admin/dashboard/", timeout=120).content
        sizes = event_and_dashboard(crowded.pk, dashboard)
    finally:
        rss.stop()
        log = (work / "gunicorn.log").read_text(errors="replace")  # before its own shutdown
        web.stop()
    peak_mb = max(rss.peaks_kib.values(), default=0) / 1024
    killed = [text for text in GUNICORN_KILLED if text in log]
    outcomes = [
        case.judge(
            f"HTTP {code}",
            said,
            seconds,
            bound,
            peak_mb,
            killed,
            where=where,
            expected_status="HTTP 200",
            peak_target=WEB_PEAK_MB,
        )
        for where, case, code, said, seconds in measured
    ]
    return [_sized(o, sizes) if o.name == CROWDED.name else o for o in outcomes]


def _fetch_said(case: Case) -> str:
    """What the form's Fetch says: it reads the root folders, tags and languages, never
    the item lists, so a list's oversized item leaves it answering (its root folders)."""
    if case.said == TOO_SLOW_ITEM:
        return SILENT
    if case.said == TOO_LARGE_ITEM:
        return "root_folders"
    return case.said


def _post(
    session: requests.Session, url: str, headers: dict[str, str], form: dict[str, str] | None = None
) -> tuple[int, str, float]:
    """The answer's status, what it tells the person, and its seconds."""
    started = time.monotonic()
    answer = session.post(url, data=form, headers=headers, timeout=120)
    seconds = time.monotonic() - started
    try:
        body = answer.json()
    except ValueError:
        return answer.status_code, answer.text[:200], seconds
    said = body.get("error") or "\n".join(body.get("lines", [])) or str(body)[:200]
    return answer.status_code, said, seconds


def _line(said: str, case: Case) -> str:
    """The report's line that gives the reason (the others: what did answer)."""
    lines = said.splitlines()
    return next((line for line in lines if case.said in line), lines[0] if lines else "")


def _crowded_instance(fakes: dict[str, Any], key: str) -> Any:
    from scanner.models import Instance

    instance = Instance.objects.create(
        name="crowded", kind=Instance.Kind.SONARR, url=CROWDED.url(fakes),
        root_folders=["/not-mounted/tv"], target_languages=["deu"], read_timeout=10,
        audio_source=Instance.AudioSource.ARR,
    )  # fmt: skip
    instance.set_api_key(key)
    instance.save()
    return instance


def _sized(outcome: Outcome, sizes: dict[str, int]) -> Outcome:
    """The crowded test's outcome, with its event's and the dashboard's sizes against
    their bounds."""
    event, page = sizes["event_bytes"], sizes["dashboard_bytes"]
    problems = [
        f"{what} {size:,} bytes over {bound:,}"
        for what, size, bound in (
            ("event", event, EVENT_BYTES),
            ("dashboard", page, DASHBOARD_BYTES),
        )
        if size > bound
    ]
    error = f"event {event:,} bytes, dashboard {page:,} bytes: {outcome.error}"
    if problems:
        found = "; ".join(problems)
        problem = f"{outcome.problem}; {found}" if outcome.problem else f"{CROWDED.name}: {found}"
    else:
        problem = outcome.problem
    return replace(outcome, error=error, problem=problem)
