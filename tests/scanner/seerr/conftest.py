"""The Seerr tests' shared fixture: the asks the webhook sends to a worker."""

from __future__ import annotations

import pytest

from scanner import tasks


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The asks the webhook sends to a worker, kept here; the test runs the task."""
    sent: list[list[int]] = []
    monkeypatch.setattr(tasks.answer_seerr_asks, "delay", sent.append)
    return sent
