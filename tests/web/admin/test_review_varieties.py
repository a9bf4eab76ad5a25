"""Issue 68, item 6: the review list never asks a question whose easy answer takes the
household's target away. A French-only release for a Quebec household (the *arr says
English, or knows no original) is French of unknown variety to settle ("Which French
is this?"), never "the original is French"; either answer keeps fr-CA as a target."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from scanner.models import Event, Media, ScanRun
from scanner.pipeline.scanning.decide import redecide
from tests.factories import InstanceFactory, MediaFactory, MediaFileFactory, SeasonFactory
from tests.factories import stored_tracks as tracks_of
from tests.helpers import has_nested_forms

pytestmark = pytest.mark.django_db
PAGE = "/admin/guesses/"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _french_only(targets: list[str], original: str, title: str = "Friends") -> Media:
    """A series whose two stored episodes hold one French track of unknown variety
    (a FRENCH release), decided from them as a scan does."""
    instance = InstanceFactory(target_languages=targets, language_tags=True)
    media = MediaFactory(instance=instance, title=title, original_language=original)
    season = SeasonFactory(media=media, number=1)
    for episode in (1, 2):
        MediaFileFactory(
            media=media, season=season, episodes=[episode], audio_tracks=tracks_of("fre")
        )
    return redecide(media)


@pytest.mark.parametrize("original", ["eng", ""])
def test_a_french_only_release_for_a_quebec_household_asks_which_french(
    admin_client: Client, original: str
) -> None:
    media = _french_only(["fr-CA"], original)
    assert [reason["code"] for reason in media.review_reasons] == ["variety_unknown"]
    assert (media.needs_review, media.original_suggestion, media.original_doubtful) == (
        True, "", False,
    )  # fmt: skip
    html = admin_client.get(PAGE).content.decode()
    text = _text(html)
    assert "Which French is this?" in text
    assert "2 files: French of unknown variety (no source names it); undecided target: " in text
    assert "Canadian French" in text
    assert "Original is" not in text and 'value="original"' not in html
    assert 'name="variety" value="fr-CA"' in html and 'name="variety" value="not"' in html
    assert not has_nested_forms(html)

    answer = admin_client.post(
        PAGE,
        {"media": media.pk, "decision": "variety", "language": "fra", "variety": "fr-CA"},
        follow=True,
    )
    assert answer.status_code == 200
    media.refresh_from_db()
    # The target stays, now met; nothing about the original changed; out of the list.
    assert media.language_verdicts == {"fr-CA": "dub"}
    assert (media.planned_tag, media.planned_labels) == ("dub", ["dub-fr-ca"])
    assert (media.original_override, media.settled_varieties) == ("", {"fra": "fr-CA"})
    assert (media.needs_review, media.review_reasons) == (False, [])
    assert Event.objects.filter(media=media, kind=Event.Kind.CONFIG).exists()
    assert "Nothing to review" in answer.content.decode()
    # Written at once: one run scoped to the item decides it again from its stored tracks.
    (run,) = ScanRun.objects.filter(instance=media.instance)
    assert (run.mode, run.scope) == (ScanRun.Mode.REDECIDE, [media.arr_id])


def test_the_other_answer_keeps_the_target_too(admin_client: Client) -> None:
    media = _french_only(["fr-CA"], "eng", title="The Matrix")
    admin_client.post(
        PAGE, {"media": media.pk, "decision": "variety", "language": "fra", "variety": "not"}
    )
    media.refresh_from_db()
    assert media.language_verdicts == {"fr-CA": "none"}
    assert media.verdict_reasons["targets"] == ["fr-CA"]
    assert (media.original_override, media.settled_varieties) == ("", {"fra": "not"})
    assert not media.needs_review


@pytest.mark.parametrize(
    "given",
    [
        {"language": "fra", "variety": "fr-FR"},  # not a target of the instance
        {"language": "deu", "variety": "fr-CA"},
        {"language": "fra", "variety": "x" * 5000},
        {"language": "", "variety": ""},
    ],
)
def test_an_answer_that_is_not_a_target_is_refused(
    admin_client: Client, given: dict[str, str]
) -> None:
    media = _french_only(["fr-CA"], "eng")
    answer = admin_client.post(PAGE, {"media": media.pk, "decision": "variety", **given})
    assert answer.status_code == 302
    media.refresh_from_db()
    assert (media.settled_varieties, media.needs_review) == ({}, True)


def test_a_viewer_is_asked_nothing_and_is_refused(client: Client) -> None:
    media = _french_only(["fr-CA"], "eng")
    viewer = User.objects.create_user("viewer", password="pw-viewer-12345", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_media"))
    client.force_login(viewer)
    html = client.get(PAGE).content.decode()
    assert "Friends" in html and 'value="variety"' not in html
    answer = client.post(
        PAGE, {"media": media.pk, "decision": "variety", "language": "fra", "variety": "fr-CA"}
    )
    assert answer.status_code == 403
    media.refresh_from_db()
    assert media.settled_varieties == {}


def test_with_a_plain_french_target_the_original_is_still_asked() -> None:
    """Any French meets a plain target: there is no variety to settle, and a French
    production the *arr calls English is still offered as French."""
    media = _french_only(["fra"], "eng")
    assert [reason["code"] for reason in media.review_reasons] == ["original_doubtful"]
    assert media.original_suggestion == "fra"


def test_the_question_is_asked_in_the_readers_language(admin_client: Client) -> None:
    _french_only(["fr-CA"], "eng")
    french = _text(admin_client.get(PAGE, headers={"accept-language": "fr"}).content.decode())
    assert "français : de quelle variante s'agit-il ?" in french  # no-break spaces, as whitespace
    german = _text(admin_client.get(PAGE, headers={"accept-language": "de"}).content.decode())
    assert "Welches Französisch ist das?" in german
