"""The review list across real scans of real files: every item whose verdict rests on a
guess is in it with its reason; each decision is kept across scans and re-decides the
item from its stored tracks (nothing is read)."""

from __future__ import annotations

import pytest

from fakes.arr import FakeArr
from scanner.actions.original_language import set_original_override
from scanner.actions.review import confirm_guesses, set_unknown_language
from scanner.models import Event, Instance, Media
from tests.helpers import arr_tags, scan_inline
from tests.library import Library
from tests.media import AudioSpec, MediaFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _codes(title: str) -> list[str]:
    return [reason["code"] for reason in Media.objects.get(title=title).review_reasons]


def _listed() -> list[str]:
    return sorted(Media.objects.filter(Media.NEEDS_REVIEW).values_list("title", flat=True))


def _replace(paths: list, media: MediaFactory, audio: list[AudioSpec]) -> None:
    for path in paths:
        path.unlink()
        media.make_video(path, audio)


@pytest.fixture
def guessed(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library, media: MediaFactory
) -> Instance:
    """Never Dubbed: untagged audio; Anime Dubbed: a German track titled "English";
    Anime Wrong: the *arr says English (its files start with Japanese)."""
    _replace(tv_library.files["Never Dubbed"], media, [AudioSpec(None)])
    _replace(
        tv_library.files["Anime Dubbed"][:1],
        media,
        [AudioSpec("jpn", default=True), AudioSpec("ger", title="English")],
    )
    items = sonarr.state.items()
    for item in items:
        if item["title"] == "Anime Wrong":
            item["originalLanguage"] = {"name": "English"}
    sonarr.state.set_items(items)
    scan_inline(sonarr_instance)
    return sonarr_instance


def test_every_guess_is_listed_with_its_reason(guessed: Instance) -> None:
    assert _listed() == ["Anime Dubbed", "Anime Wrong", "Never Dubbed"]
    assert _codes("Never Dubbed") == ["unknown_first_track"]
    (never,) = Media.objects.get(title="Never Dubbed").review_reasons
    assert never["reason"] == (
        "3 files: the first audio track has no language and is taken as the original (Japanese)"
    )
    assert never["files"] == [f"Season 01/Never Dubbed - S01E0{n}.mkv" for n in (1, 2, 3)]
    assert _codes("Anime Dubbed") == ["title_language"]
    assert (
        'track 2 tagged German, titled "English"'
        in (Media.objects.get(title="Anime Dubbed").review_reasons[0]["reason"])
    )
    assert _codes("Anime Wrong") == ["original_doubtful"]


def test_confirm_holds_until_another_guess_appears(
    guessed: Instance, tv_library: Library, media: MediaFactory
) -> None:
    dubbed = Media.objects.get(title="Anime Dubbed")
    confirm_guesses(dubbed, user="ann", via="test")
    assert "Anime Dubbed" not in _listed()
    scan_inline(guessed)  # nothing changed: still confirmed
    assert "Anime Dubbed" not in _listed()
    _replace(tv_library.files["Anime Dubbed"][1:2], media, [AudioSpec(None), AudioSpec("eng")])
    scan_inline(guessed)
    assert _codes("Anime Dubbed") == ["unknown_first_track", "title_language"]
    assert "Anime Dubbed" in _listed()  # a new guess: a person has to look again
    assert Event.objects.filter(kind=Event.Kind.REVIEW, media=dubbed).count() == 1


def test_set_the_original_ends_the_doubt(guessed: Instance) -> None:
    wrong = Media.objects.get(title="Anime Wrong")
    set_original_override(wrong, "jpn", user="ann", via="test")
    wrong.refresh_from_db()
    assert (wrong.review_reasons, wrong.needs_review) == ([], False)
    assert wrong.planned_tag == "wrong-dub"


def test_unknown_tracks_as_a_language_are_kept_and_decided_without_reading(
    guessed: Instance, sonarr: FakeArr
) -> None:
    never = Media.objects.get(title="Never Dubbed")
    assert never.planned_tag == "none"
    set_unknown_language(never, "eng", user="ann", via="test")
    never.refresh_from_db()
    assert (never.planned_tag, never.needs_review, never.unknown_language) == ("dub", False, "eng")
    run = scan_inline(guessed)
    assert run.files_probed == 0 and run.items_total == 0  # decided already, nothing read
    assert arr_tags(sonarr)["Never Dubbed"] == "dub"
    assert not Event.objects.filter(kind__in=("dub_arrived", "dub_lost")).exists()
    set_unknown_language(Media.objects.get(pk=never.pk), "", user="ann", via="test")
    assert Media.objects.get(pk=never.pk).planned_tag == "none"
    assert "Never Dubbed" in _listed()


def test_the_arr_seeing_fewer_languages_than_streams(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    Instance.objects.filter(pk=sonarr_instance.pk).update(audio_source=Instance.AudioSource.ARR)
    files = tv_library.episode_files[5]  # Never Dubbed: "jpn" with one stream
    for file in files:
        file["mediaInfo"] = {**file["mediaInfo"], "audioLanguages": "eng", "audioStreamCount": 2}
    sonarr.state.set_episode_files(5, files)
    scan_inline(Instance.objects.get(pk=sonarr_instance.pk))
    assert _codes("Never Dubbed") == ["unknown_first_track", "arr_untagged_streams"]
    assert "Never Dubbed" in _listed()


def test_a_plain_library_needs_no_review(sonarr_instance: Instance) -> None:
    scan_inline(sonarr_instance)
    assert _listed() == []
