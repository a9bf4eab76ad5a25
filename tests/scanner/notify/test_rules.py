"""The rules: which run ends make which messages, and which notifier takes which."""

from __future__ import annotations

from dataclasses import replace

import pytest

from scanner.notify.rules import MAX_TITLES, Message, RunOutcome, messages_for, taken_as

ENDED = RunOutcome(
    run_id=7, instance_id=1, instance_name="tv", status="succeeded", error="",
    unreachable=False, dry_run=False, became_wrong_dub=(),
)  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "kinds"),
    [
        ({}, []),
        ({"status": "cancelled"}, []),
        ({"status": "interrupted"}, []),
        ({"status": "failed", "error": "boom"}, ["scan_failed"]),
        ({"status": "partial", "error": "2 of 9 tag writes failed"}, ["scan_failed"]),
        ({"status": "failed", "unreachable": True}, ["unreachable"]),
        ({"became_wrong_dub": ("Akira",)}, ["wrong_dub"]),
        ({"became_wrong_dub": ("Akira",), "dry_run": True}, []),
        ({"status": "partial", "became_wrong_dub": ("Akira",)}, ["scan_failed", "wrong_dub"]),
        # unreachable only when it failed: a partial run reached its *arr
        ({"status": "partial", "unreachable": True}, ["scan_failed"]),
    ],
)
def test_which_ends_make_which_messages(changes: dict, kinds: list[str]) -> None:
    assert [m.kind for m in messages_for(replace(ENDED, **changes))] == kinds


def test_the_texts_name_the_instance_the_run_and_the_reason() -> None:
    (failed,) = messages_for(replace(ENDED, status="failed", error="401 from sonarr"))
    assert failed.title == "Taggarr: scan of tv failed"
    assert failed.body == "scan #7 of tv failed: 401 from sonarr"
    (partial,) = messages_for(replace(ENDED, status="partial", error="1 items failed"))
    assert partial.title == "Taggarr: scan of tv ended partial"
    (down,) = messages_for(replace(ENDED, status="failed", unreachable=True, error="refused"))
    assert (down.title, down.body) == (
        "Taggarr: tv is unreachable",
        "scan #7 of tv failed: refused",
    )


def test_a_long_wrong_dub_list_is_cut_and_counted() -> None:
    titles = tuple(f"Show {n}" for n in range(MAX_TITLES + 5))
    (message,) = messages_for(replace(ENDED, became_wrong_dub=titles))
    assert message.title == f"Taggarr: {MAX_TITLES + 5} items of tv became wrong-dub"
    assert "- Show 0\n" in message.body and f"- Show {MAX_TITLES - 1}" in message.body
    assert f"Show {MAX_TITLES}\n" not in message.body
    assert message.body.endswith("... and 5 more")
    (one,) = messages_for(replace(ENDED, became_wrong_dub=("Akira",)))
    assert one.title == "Taggarr: 1 item of tv became wrong-dub"


@pytest.mark.parametrize(
    ("events", "taken"),
    [
        (["unreachable"], "unreachable"),
        (["scan_failed"], "scan_failed"),  # a failed scan to whoever asked only for those
        (["scan_failed", "unreachable"], "unreachable"),  # once, as the more precise kind
        (["wrong_dub"], None),
        ([], None),
    ],
)
def test_which_notifier_takes_an_unreachable_message(events: list[str], taken: str | None) -> None:
    message = Message("unreachable", "t", "b", also_as="scan_failed")
    assert taken_as(message, events) == taken


def test_other_kinds_are_taken_only_as_themselves() -> None:
    message = Message("wrong_dub", "t", "b")
    assert taken_as(message, ["wrong_dub"]) == "wrong_dub"
    assert taken_as(message, ["scan_failed", "unreachable"]) is None
