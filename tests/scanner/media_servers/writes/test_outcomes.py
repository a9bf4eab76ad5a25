"""A media server's outcome as the log says it in English (the writers' own line, no
words module: issue 80) is word for word the pages' sentence in English, and the run's
error counts the same failures."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from scanner.media_servers.writes.outcomes import media_server_problem, outcome_line
from scanner.reports.media_server_outcomes import media_server_text

OUTCOMES: list[dict[str, Any]] = [
    {"matched": 5, "unmatched": 1, "written": 3, "errors": 0},
    {"matched": 1, "unmatched": 0, "written": 1, "errors": 1},
    {"matched": 2, "unmatched": 0, "written": 0, "refreshed": 0, "errors": 0},
    {"matched": 4, "unmatched": 2, "written": 1, "refreshed": 1, "originals": 1, "errors": 0},
    {"matched": 9, "written": 2, "originals": 5, "errors": 2, "not_tried": 4, "error": "down"},
    {"matched": 0, "unmatched": 0, "error": "jellyfin refused the token (401)"},
    {"matched": 1, "unmatched": 0, "written": 0, "errors": 1, "not_tried": 1, "error": "x"},
]


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_the_log_line_is_the_pages_sentence_in_english(outcome: dict[str, Any]) -> None:
    with translation.override("en"):
        assert outcome_line(outcome) == media_server_text(outcome)


def test_the_runs_error_names_what_failed() -> None:
    assert media_server_problem(OUTCOMES[0]) == ""
    assert media_server_problem(OUTCOMES[4]) == "2 of 13 updates failed, 4 not tried: down"
    assert media_server_problem(OUTCOMES[5]) == (
        "nothing written: jellyfin refused the token (401)"
    )
