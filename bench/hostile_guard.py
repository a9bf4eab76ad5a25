"""bench/hostile.py's crowded *arr (issue 67): a Sonarr with 20,000 quality profiles
named with 300 characters and 20,000 custom formats on German (5.9 MB of JSON), the
probe's case, which answered its connection test with an HTTP 500 after 30 s, or stored
a 36 MB event per test and made an 18 MB dashboard. Through gunicorn the test must
answer 200 within TAGGARR_WEB_DEADLINE_SECONDS, saying what it did not read; its event
stays under 64 KB and the dashboard under 1 MB."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

COUNT = 20_000
EVENT_BYTES = 64 * 1024
DASHBOARD_BYTES = 1024 * 1024
SAID = "not checked"  # scanner/reports/profile_guard_text.py: what was past the bounds
STATUS = '{"appName": "Sonarr", "version": "4.0.14.2939"}'


def crowded_answers(folder: Path) -> list[str]:
    """The fake's ``--answer-file`` arguments (Sonarr's shapes: QualityProfileResource,
    CustomFormatResource with a LanguageSpecification, LanguageResource)."""
    profiles = [
        {"id": n, "name": "x" * 300, "upgradeAllowed": True, "formatItems": []}
        for n in range(COUNT)
    ]
    german = {"implementation": "LanguageSpecification", "fields": [{"name": "value", "value": 4}]}
    formats = [{"id": n, "name": f"F{n}", "specifications": [german]} for n in range(COUNT)]
    answers = {
        "/api/v3/system/status": STATUS,
        "/api/v3/qualityprofile": json.dumps(profiles),
        "/api/v3/customformat": json.dumps(formats),
        "/api/v3/language": '[{"id": 4, "name": "German"}]',
        "/api/v3/rootfolder": "[]",
        "/api/v3/tag": "[]",
    }
    folder.mkdir(parents=True, exist_ok=True)
    arguments = []
    for number, (path, body) in enumerate(answers.items()):
        file = folder / f"answer-{number}.json"
        file.write_text(body)
        arguments += ["--answer-file", f"{path}={file}"]
    return arguments


def event_and_dashboard(instance_pk: int, dashboard: bytes) -> dict[str, Any]:
    """What the test stored (its event's data, in bytes) and the dashboard's size."""
    from scanner.models import Event

    event = Event.objects.filter(instance_id=instance_pk).order_by("-pk").first()
    stored = len(json.dumps(event.data)) if event is not None else 0
    return {"event_bytes": stored, "dashboard_bytes": len(dashboard)}
