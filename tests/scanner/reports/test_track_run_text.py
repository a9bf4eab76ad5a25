"""A run of the step that sets each person's track in Plex, said in one sentence
(scanner.reports.track_run_text): the TRACKS_SET event and the person page read their
run into one typed value (TrackRunFacts) and say it alike; a token plex.tv refused is
said with its reason, one whole sentence per reason (plex_people.TokenRefusal)."""

from __future__ import annotations

from typing import get_args

import pytest
from django.utils import timezone, translation

from scanner.household.track_results import latest_track_results, track_result_sentence
from scanner.media_servers.clients.plex_people import TokenRefusal
from scanner.models import Event, MediaServer, Person, PersonAccount, TrackRun
from scanner.reports.event_sentences import SENTENCES, SERVER_PROBLEMS
from scanner.reports.track_run_text import (
    TOKEN,
    TOKEN_OTHER,
    TOKEN_SENTENCES,
    TrackRunFacts,
    tracks_set_text,
)

LANGUAGES = ["de", "es", "fr", "it", "nl", "pl", "pt-br"]


def _said(facts: TrackRunFacts) -> str:
    return tracks_set_text(facts, SERVER_PROBLEMS)


def test_every_refusal_of_plex_tv_has_its_own_sentence() -> None:
    assert set(TOKEN_SENTENCES) == set(get_args(TokenRefusal))
    said = {
        reason: _said(TrackRunFacts(server="plex", person="Léa", problem=TOKEN, reason=reason))
        for reason in TOKEN_SENTENCES
    }
    assert said["pin-required"] == (
        "plex: the tracks of Léa were not set: their Plex Home profile is protected by a PIN "
        "that Taggarr does not have or that is wrong"
    )
    assert said["not-shared"] == (
        "plex: the tracks of Léa were not set: this server is not shared with their account"
    )
    assert said["unknown-account"] == (
        "plex: the tracks of Léa were not set: plex.tv does not know their account any more"
    )
    # A reason this version does not know (a newer one's row): the general sentence.
    newer = TrackRunFacts(server="plex", person="Léa", problem=TOKEN, reason="newer-reason")
    assert _said(newer) == str(TOKEN_OTHER) % {"server": "plex", "person": "Léa"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_reason_is_translated_whole(language: str) -> None:
    reasons = [*TOKEN_SENTENCES, ""]
    runs = [TrackRunFacts(server="plex", person="Léa", problem=TOKEN, reason=r) for r in reasons]
    english = [_said(facts) for facts in runs]
    with translation.override(language):
        said = [_said(facts) for facts in runs]
    assert not set(said) & set(english)
    assert len(set(said)) == len(said)  # no two reasons said alike
    assert all(s.startswith("plex") and "Léa" in s for s in said)


def _account() -> PersonAccount:
    lea = Person.objects.create(name="Léa", languages=["fr-CA", "fra"])
    plex = MediaServer(name="plex", kind=MediaServer.Kind.PLEX, url="http://plex:32400")
    plex.set_token("0123456789abcdef0123")
    plex.save()
    return PersonAccount.objects.create(
        person=lea, media_server=plex, account_id="22", account_name="Léa",
        account_kind="plex-home",
    )  # fmt: skip


RUNS = [
    {"dry_run": True, "counts": {"sent": 3, "kept": 1, "uncertain": 2}},
    {"dry_run": False, "counts": {"sent": 1, "unchanged": 3, "failed": 1}},
    {"dry_run": False, "counts": {}, "problem": TOKEN, "reason": "pin-required"},
    {"dry_run": False, "counts": {}, "problem": "unreachable"},
]


@pytest.mark.django_db
@pytest.mark.parametrize("run", RUNS)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_event_and_the_page_say_a_run_alike(run: dict[str, object], language: str) -> None:
    """The page's TrackResult and the event's data (as the step writes both:
    scanner.household.plex_tracks) make the same sentence."""
    account = _account()
    stored = {"problem": "", "reason": "", **run}
    TrackRun.objects.create(account=account, started_at=timezone.now(), doubts={}, **stored)
    event = Event.objects.create(
        kind=Event.Kind.TRACKS_SET,
        message="plex: tracks of Léa",
        data={"server": "plex", "person": "Léa", "account": "Léa", "doubts": {}, **stored},
    )
    (result,) = latest_track_results(account.person)
    with translation.override(language):
        page = track_result_sentence(result)
        told = SENTENCES[Event.Kind.TRACKS_SET](event, event.data)
    assert page == told and "Léa" in page


def test_an_event_s_data_of_another_shape_is_read_as_absent() -> None:
    facts = TrackRunFacts.from_event_data(
        {"server": 3, "person": None, "dry_run": "yes", "counts": ["sent"], "problem": 1}
    )
    assert facts == TrackRunFacts(
        server="",
        person="",
        counts=dict.fromkeys(("sent", "kept", "unchanged", "uncertain", "failed"), 0),
    )
    assert _said(facts) == "?: 0 files set to the track of ?."
