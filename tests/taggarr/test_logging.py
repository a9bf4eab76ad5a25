from __future__ import annotations

import logging

import pytest

from taggarr.logging import RedactSecretsFilter, process_role, redact


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("GET http://sonarr:8989/api/v3/series?apikey=abcdef123456", "abcdef123456"),
        ("headers={'X-Api-Key': 'abcdef123456'}", "abcdef123456"),
        ("Authorization: Bearer abcdef123456", "abcdef123456"),
        ("login password=hunter2hunter2", "hunter2hunter2"),
    ],
)
def test_redact_masks_secrets(text: str, secret: str) -> None:
    cleaned = redact(text)
    assert secret not in cleaned
    assert "****" in cleaned


def test_filter_rewrites_the_record() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "url %s", ("?apikey=zzz999",), None)
    RedactSecretsFilter().filter(record)
    assert "zzz999" not in record.getMessage()


@pytest.mark.parametrize(
    ("argv", "role"),
    [
        (["/venv/bin/celery", "-A", "taggarr", "worker"], "worker"),
        (["/venv/bin/celery", "-A", "taggarr", "beat"], "beat"),
        (["/venv/bin/gunicorn", "taggarr.wsgi"], "web"),
        (["manage.py", "scan"], "cli"),
    ],
)
def test_process_role(argv: list[str], role: str) -> None:
    assert process_role(argv) == role
