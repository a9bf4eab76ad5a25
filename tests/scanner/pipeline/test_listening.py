"""Listening across real scans (issue 53): real files with real speech (tests/speech),
the real model. ``off`` decodes nothing; ``unlabelled`` hears the tracks without a
language once per file (a rescan, and off and back, listen to nothing) and the verdict
counts what was heard, and a subtitle file without a language is read from its text;
``all`` flags a label the speech contradicts."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from fakes.arr import FakeArr
from scanner.listening.decode import tracks_opened
from scanner.models import Instance, Media
from scanner.reports.progress import Progress, summary_lines
from tests.helpers import arr_tags, scan_inline
from tests.library import Library
from tests.speech import speech_video, whisper_base

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _model() -> object:
    with override_settings(LISTEN_MODEL=str(whisper_base())) as model:
        yield model


def _one_speech_file(library: Library, title: str, tracks: list) -> str:
    """The show's files replaced by one with these tracks; its name as the reasons say it."""
    first, *others = library.files[title]
    for path in (first, *others):
        path.unlink()
    speech_video(first, tracks)
    return str(first.relative_to(library.folder(title)))


@pytest.fixture
def german(sonarr_instance: Instance) -> Instance:
    sonarr_instance.target_languages = ["ger"]
    sonarr_instance.save()
    return sonarr_instance


def _mode(instance: Instance, mode: str) -> None:
    instance.identify_audio_language = mode
    instance.save()


def test_off_decodes_nothing(german: Instance, tv_library: Library) -> None:
    _one_speech_file(tv_library, "Never Dubbed", [("ja", None), ("de", None)])
    before = tracks_opened()
    scan_inline(german)
    assert tracks_opened() == before
    never = Media.objects.get(title="Never Dubbed")
    assert never.planned_tag == "none"  # unknown tracks: the first is the original
    assert [reason["code"] for reason in never.review_reasons] == ["unknown_first_track"]
    assert all("heard" not in track for row in never.files.all() for track in row.audio_tracks)


GERMAN_SUBTITLE = """1
00:00:01,000 --> 00:00:04,000
Guten Abend, meine Damen und Herren.

2
00:00:05,000 --> 00:00:09,000
Heute Nacht zieht ein kräftiges Gewitter über das Land.

3
00:00:10,000 --> 00:00:15,000
<i>Die Polizei bittet alle Autofahrer, vorsichtig zu fahren und die Straßen zu meiden.</i>

4
00:00:16,000 --> 00:00:20,000
Morgen früh scheint wieder die Sonne, und am Nachmittag wird es warm.
"""


def test_unlabelled_tracks_are_heard_once_per_file(
    german: Instance, tv_library: Library, sonarr: FakeArr
) -> None:
    name = _one_speech_file(tv_library, "Never Dubbed", [("ja", None), ("de", None)])
    video = tv_library.folder("Never Dubbed") / name
    subtitle = video.with_suffix(".srt")  # a sidecar whose name says no language
    subtitle.write_text(GERMAN_SUBTITLE, encoding="utf-8")
    _mode(german, "unlabelled")
    before = tracks_opened()
    run = scan_inline(german)
    assert tracks_opened() == before + 2
    assert run.tracks_heard == 2
    assert (run.tracks_to_hear, run.tracks_heard) == (2, 2)
    assert "listening: audio track 2 of 2" in Progress.of(run).items_text()
    never = Media.objects.get(title="Never Dubbed")
    assert never.planned_tag == "dub"
    assert arr_tags(sonarr)["Never Dubbed"] == "dub"
    first, second, text = never.verdict_reasons["listening"]
    assert first.startswith(f"{name}: audio track 1: Japanese, identified by listening, ")
    assert second.startswith(f"{name}: audio track 2: German, identified by listening, ")
    sidecar = subtitle.relative_to(tv_library.folder("Never Dubbed"))
    assert text.startswith(f"{name}: subtitle file {sidecar}: German, identified from its text")
    (season,) = never.verdict_reasons["seasons"]
    assert season["files"][0]["subtitles"] == ["deu"]
    assert never.review_reasons == [] and not never.needs_review

    again = scan_inline(german)  # nothing changed: nothing to listen to
    assert (again.tracks_to_hear, again.tracks_heard) == (0, 0)
    assert "listening" not in Progress.of(again).items_text()
    _mode(german, "off")
    scan_inline(german)
    assert Media.objects.get(title="Never Dubbed").planned_tag == "none"
    _mode(german, "unlabelled")
    scan_inline(german)
    assert Media.objects.get(title="Never Dubbed").planned_tag == "dub"
    assert tracks_opened() == before + 2


def test_all_flags_a_label_the_speech_contradicts(
    german: Instance, tv_library: Library, admin_client: Client
) -> None:
    name = _one_speech_file(tv_library, "Plain English", [("en", "eng"), ("de", "eng")])
    _mode(german, "all")
    scan_inline(german)
    plain = Media.objects.get(title="Plain English")
    assert plain.planned_tag == "dub"  # what was heard counts: German
    assert any(
        note.startswith(f"{name}: audio track 2 labelled English: German, identified by listening")
        for note in plain.verdict_reasons["listening"]
    )
    assert plain.needs_review
    (flagged,) = [r for r in plain.review_reasons if r["code"] == "heard_other_language"]
    assert "track 2 labelled English: German, identified by listening" in flagged["reason"]
    assert flagged["files"] == [name]
    page = admin_client.get("/admin/guesses/").content.decode()
    assert "track 2 labelled English: German, identified by listening" in page


def test_a_run_listens_to_at_most_its_limit_and_the_next_scan_goes_on(
    german: Instance, tv_library: Library
) -> None:
    _one_speech_file(tv_library, "Never Dubbed", [("ja", None), ("de", None)])
    _mode(german, "unlabelled")
    with override_settings(LISTEN_MAX_TRACKS=1):
        run = scan_inline(german)
        assert (run.tracks_to_hear, run.tracks_heard) == (2, 1)
        assert "listening: audio track 1 of 2" in Progress.of(run).items_text()
        assert ("Listened to", "1 audio track (1 not heard)") in summary_lines(run)
        assert Media.objects.get(title="Never Dubbed").planned_tag == "none"
        run = scan_inline(german)  # the other track: the first was heard
        assert (run.tracks_to_hear, run.tracks_heard) == (1, 1)
    assert Media.objects.get(title="Never Dubbed").planned_tag == "dub"


def test_hybrid_listens_to_the_files_it_reads(german: Instance, tv_library: Library) -> None:
    """The *arr's media info is in doubt for a file whose size changed: hybrid reads it,
    and listens to its tracks without a language as the files source does."""
    _one_speech_file(tv_library, "Never Dubbed", [("ja", None), ("de", None)])
    german.audio_source = Instance.AudioSource.HYBRID
    _mode(german, "unlabelled")
    run = scan_inline(german)
    assert run.audio_source == "hybrid"
    assert run.tracks_heard == 2
    assert Media.objects.get(title="Never Dubbed").planned_tag == "dub"
    assert scan_inline(german).tracks_heard == 0
