"""The media item's page as a series page: the header's sentence, a panel per season
with its coverage bars and episode rows with language chips, a movie's files, the
actions in one row; no field labels with colons, no raw codes or ids."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from scanner.engine.tracks import make_track
from scanner.models import Instance, Media, MediaFile
from tests.factories import InstanceFactory, MediaFactory, MediaFileFactory, SeasonFactory

pytestmark = pytest.mark.django_db


def _file(path: str, episodes: list[int], **values: object) -> dict[str, object]:
    row = {"path": path, "episodes": episodes, "languages": ["jpn"], "missing": [],
           "unexpected": [], "subtitles": [], "wrong": False, "error": None}  # fmt: skip
    return {**row, **values}


REASONS = {
    "summary": "wrong-dub: 1 of 2 files have other languages (fra) and none of the targets (eng)",
    "original": "jpn",
    "targets": ["eng"],
    "seasons": [
        {
            "season": 1,
            "files": [
                _file("Season 01/S01E01.mkv", [1], languages=["eng", "jpn"]),
                _file(
                    "Season 01/S01E02.mkv",
                    [2],
                    languages=["fra", "jpn"],
                    missing=["eng"],
                    unexpected=["fra"],
                    wrong=True,
                    subtitles=["deu"],
                    sidecars=["Season 01/S01E02.de.srt"],
                ),
            ],
        },
        {"season": None, "files": [_file("extra.mkv", [], error="not a media file")]},
    ],
}


def _page(client: Client, media: Media) -> str:
    response = client.get(f"/admin/scanner/media/{media.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_header_says_the_tag_and_why_in_one_sentence(admin_client: Client) -> None:
    media = MediaFactory(
        title="Anime Wrong", year=2004, applied_tag="none", planned_tag="wrong-dub",
        original_language="jpn", genres=["Anime", "Action"], verdict_reasons=REASONS,
        instance=InstanceFactory(name="tv"),
    )  # fmt: skip
    html = _page(admin_client, media)
    sentence = re.search(r'id="tag-sentence">(.*?)</p>', html, re.S)
    assert sentence is not None
    assert _text(sentence.group(1)).strip() == (
        "Not tagged yet, becomes wrong-dub when written: 1 file has other languages "
        "(French) and none of the targets (English)."
    )
    assert 'class="tag-badge tag-wrong-dub"' in sentence.group(1)
    text = _text(html)
    assert "2004 · Series in Sonarr “tv” · original language Japanese · Anime, Action" in text
    assert "<h1>Anime Wrong</h1>" in html
    # The artwork's slots, through the include the poster work fills in.
    assert 'class="taggarr-art taggarr-art-poster' in html
    assert 'class="taggarr-art taggarr-art-fanart' in html


def test_a_panel_per_season_with_bars_and_chips(admin_client: Client) -> None:
    media = MediaFactory(title="Anime Wrong", planned_tag="wrong-dub", verdict_reasons=REASONS)
    season = SeasonFactory(media=media, number=1, status="wrong-dub", file_count=2,
                           files_with_all=1, coverage={"eng": [1, 2]})  # fmt: skip
    MediaFileFactory(media=media, season=season, path="Season 01/S01E01.mkv",
                     source=MediaFile.Source.ARR)  # fmt: skip
    MediaFileFactory(media=media, season=season, path="Season 01/S01E02.mkv")
    html = _page(admin_client, media)
    text = _text(html)
    # The season open, the files outside a season folded below it.
    assert '<details class="taggarr-season-panel" open id="season-1">' in html
    assert html.count('<details class="taggarr-season-panel">') == 1
    assert "Season 1" in text and "1 file with every target" in text
    assert '<progress max="2" value="1" aria-label="English audio in 1 file">' in html
    assert "Episode 1" in text and "Episode 2" in text
    assert '<span class="taggarr-chip taggarr-chip-missing">English missing</span>' in html
    assert '<span class="taggarr-chip taggarr-chip-unexpected">French not wanted</span>' in html
    assert "Audio as the *arr lists it Subtitles as the *arr lists them" not in text  # none
    assert "Audio as the *arr lists it" in text
    # Each clause its own line (issue 71), never joined with "; ".
    assert "Audio read from the file Subtitles from S01E02.de.srt beside it" in text
    assert "Other files in the series folder" in text
    assert "Could not be read: not a media file" in text
    assert 'class="taggarr-episode taggarr-wrong"' in html


def test_the_newest_season_first_and_open_the_older_ones_folded(admin_client: Client) -> None:
    blocks = [{"season": n, "files": [_file(f"S{n}/e.mkv", [1])]} for n in range(1, 6)]
    media = MediaFactory(verdict_reasons={"summary": "none", "seasons": blocks})
    html = _page(admin_client, media)
    panels = re.findall(r'<details class="taggarr-season-panel"( open)? id="season-(\d)">', html)
    assert panels == [(" open", "5"), ("", "4"), ("", "3"), ("", "2"), ("", "1")]


def test_a_movie_shows_its_files_not_seasons(admin_client: Client) -> None:
    radarr = InstanceFactory(kind=Instance.Kind.RADARR, name="films")
    akira = _file("Akira.mkv", [], languages=["jpn", "deu"])
    reasons = {
        "summary": "dub: the only file has every target (German)",
        "targets": ["deu"],
        "seasons": [{"season": None, "files": [akira]}],
    }
    movie = MediaFactory(instance=radarr, kind=Media.Kind.MOVIE, title="Akira",
                         applied_tag="dub", planned_tag="dub", verdict_reasons=reasons)  # fmt: skip
    text = _text(_page(admin_client, movie))
    assert "Movie in Radarr “films”" in text
    assert "Files" in text and "Akira.mkv" in text
    assert "Season" not in text and "Show folder" not in text and "series folder" not in text
    assert "Tagged dub : the only file has every target (German)." in text


def test_no_field_labels_or_raw_values(admin_client: Client) -> None:
    media = MediaFactory(title="Show", arr_id=4242, original_language="jpn",
                         verdict_reasons=REASONS, genres=["Anime"])  # fmt: skip
    html = _page(admin_client, media)
    # Not the admin's read-only form: no "label: value" rows.
    assert 'class="readonly"' not in html and "form-row field-" not in html
    main = _text(html[html.index('id="series-page"') :])
    for raw in ("*arr id", "4242", "Url:", "Arr path", "jpn", "[&quot;", "Kind:", "Folder:"):
        assert raw not in main, raw


def test_actions_in_one_row_and_only_what_the_user_may_do(client: Client) -> None:
    media = MediaFactory(needs_review=True, verdict_reasons=REASONS)
    viewer = User.objects.create_user("viewer", password="pw-viewer-12345", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_media"))
    client.force_login(viewer)
    html = _page(client, media)
    assert 'id="rescan"' not in html and 'id="original-language"' not in html
    assert 'id="review-link"' in html and "Needs review" in html
    viewer.user_permissions.add(
        Permission.objects.get(codename="change_media"),
        Permission.objects.get(codename="change_instance"),
    )
    viewer = User.objects.get(pk=viewer.pk)
    client.force_login(viewer)
    actions = re.search(r'id="series-actions">(.*?)</div>', _page(client, media), re.S)
    assert actions is not None
    for wanted in ('id="rescan"', 'id="set-original-link"', 'id="search-missing-link"',
                   'id="review-link"'):  # fmt: skip
        assert wanted in actions.group(1)


def test_search_missing_opens_its_preview(admin_client: Client) -> None:
    media = MediaFactory(verdict_reasons=REASONS)
    response = admin_client.post(
        "/admin/scanner/media/",
        {"action": "search_missing_dubs", "_selected_action": str(media.pk), "index": "0"},
    )
    assert response.status_code == 200
    assert "Search for the missing dubs" in response.content.decode()


def test_a_library_folder_item_names_its_library(admin_client: Client) -> None:
    library = InstanceFactory(kind=Instance.Kind.LIBRARY, name="anime", url="")
    media = MediaFactory(instance=library, arr_id=None, verdict_reasons=REASONS)
    text = _text(_page(admin_client, media))
    assert "Series in the library folders “anime”" in text and "no *arr" not in text


@pytest.mark.parametrize("due", [True, False])
def test_nfo_writes_due_are_said_in_words_and_nothing_when_none(
    admin_client: Client, due: bool
) -> None:
    html = _page(admin_client, MediaFactory(nfo_due=due, verdict_reasons=REASONS))
    assert ("Its NFO files are due" in html) is due
    assert "icon-no.svg" not in html and "icon-yes.svg" not in html


@pytest.mark.parametrize(
    ("source", "origin"),
    [
        (
            MediaFile.Source.ARR,
            "<div>Audio as the *arr lists it</div><div>Subtitles as the *arr lists them</div>",
        ),
        (
            MediaFile.Source.FILE,
            "<div>Audio read from the file</div><div>Subtitles in the file</div>",
        ),
    ],
)
def test_each_row_says_where_its_languages_came_from(
    admin_client: Client, source: str, origin: str
) -> None:
    reasons = {"summary": "none", "seasons": [
        {"season": 1, "files": [_file("Season 01/e1.mkv", [1], subtitles=["eng"])]},
    ]}  # fmt: skip
    media = MediaFactory(verdict_reasons=reasons)
    MediaFileFactory(media=media, path="Season 01/e1.mkv", source=source)
    assert origin in _page(admin_client, media)


@pytest.mark.parametrize(
    ("note", "origin"),
    [
        ("size_changed", "Audio read from the file: its size changed since the *arr read it"),
        ("untagged_streams",
         "Audio read from the file: some of its audio streams have no language tag"),
        # Read for a person's variety, not a target's (a household member's fr-CA).
        ("variety_for_person",
         "Audio read from the file: a household member listens for a variety, which the "
         "*arr&#x27;s media info never names"),
        # A note stored before the codes (English): the sentence without why.
        ("rewrite: every file read", "Audio read from the file (the *arr&#x27;s was in doubt)"),
    ],
)  # fmt: skip
def test_a_file_read_in_spite_of_the_arr_says_why(
    admin_client: Client, note: str, origin: str
) -> None:
    """Issue 61: not "the *arr's was in doubt" on every episode without why."""
    reasons = {"summary": "none", "seasons": [
        {"season": 1, "files": [_file("Season 01/e1.mkv", [1])]},
    ]}  # fmt: skip
    media = MediaFactory(verdict_reasons=reasons)
    MediaFileFactory(
        media=media, path="Season 01/e1.mkv", source=MediaFile.Source.ARR_PROBE, source_note=note
    )
    assert origin in _text(_page(admin_client, media))


def _quebec_film(instance: Instance | None = None) -> Media:
    """A film with the France dub (its tag says so) and the Quebec one (its title says
    so), as the scan stores its tracks (engine.tracks.make_track reads the variety)."""
    film = _file("Film.mkv", [], languages=["eng", "fra"], varieties=["fr-CA", "fr-FR"])
    reasons = {
        "summary": "dub",
        "targets": ["fr-CA"],
        "seasons": [{"season": None, "files": [film]}],
    }
    media = MediaFactory(
        kind=Media.Kind.MOVIE, verdict_reasons=reasons,
        instance=instance or InstanceFactory(kind=Instance.Kind.RADARR),
    )  # fmt: skip
    tracks = [
        make_track(1, "eng", None),
        make_track(2, "fr-FR", "VFF"),
        make_track(3, "fre", "VFQ"),
    ]
    MediaFileFactory(media=media, path="Film.mkv", audio_tracks=[t.to_dict() for t in tracks])
    return media


def test_a_track_shows_its_variety_and_where_it_was_read(admin_client: Client) -> None:
    """Issue 60: "Französisch (Kanada) — aus dem Spurtitel VFQ" (the name from CLDR in
    the reader's language, the source with the words that said it)."""
    media = _quebec_film()
    html = _page(admin_client, media)
    text = _text(html)
    assert "Canadian French — from the track title VFQ" in text
    assert "French (France) — from the BCP-47 language tag fr-FR" in text
    assert '<span class="taggarr-chip">French</span>' not in html  # both are known
    response = admin_client.get(
        f"/admin/scanner/media/{media.pk}/change/", HTTP_ACCEPT_LANGUAGE="de"
    )
    german = _text(response.content.decode())
    assert re.search(r"Französisch \(Kanada\) — \S.* VFQ", german)
    assert "Französisch (Frankreich) — " in german


def test_a_lat_track_shows_as_latino_when_the_instance_says_so(admin_client: Client) -> None:
    latino = _file("Film.mkv", [], languages=["eng", "spa"], varieties=["es-419"])
    reasons = {
        "summary": "dub",
        "targets": ["es-419"],
        "seasons": [{"season": None, "files": [latino]}],
    }
    media = MediaFactory(kind=Media.Kind.MOVIE, verdict_reasons=reasons,
                         instance=InstanceFactory(kind=Instance.Kind.RADARR))  # fmt: skip
    tracks = [make_track(1, "eng", None), make_track(2, "lat", None)]
    MediaFileFactory(media=media, path="Film.mkv", audio_tracks=[t.to_dict() for t in tracks])
    text = _text(_page(admin_client, media))
    assert "Latin American Spanish — from the code lat, read as Latin-American Spanish" in text


def test_an_external_audio_file_is_named_where_the_file_s_languages_come_from(
    admin_client: Client,
) -> None:
    """A dub kept beside the episode (docs/tagging-rules.md, "External audio files")
    counts among its languages; the row names the audio file on its own line, apart
    from the subtitle files beside it."""
    dub, subtitle = "Season 01/S01E01.fr-CA.mka", "Season 01/S01E01.de.srt"
    reasons = {
        **REASONS,
        "seasons": [
            {"season": 1, "files": [
                _file("Season 01/S01E01.mkv", [1], languages=["fra", "jpn"],
                      varieties=["fr-CA"], subtitles=["deu"], sidecars=[dub, subtitle]),
                # Its row not stored (yet): the audio file known by its name.
                _file("Season 01/S01E02.mkv", [2], languages=["deu", "jpn"],
                      sidecars=["Season 01/S01E02.de.ac3"]),
            ]},
        ],
    }  # fmt: skip
    media = MediaFactory(title="Anime", planned_tag="dub", verdict_reasons=reasons)
    season = SeasonFactory(media=media, number=1)
    external = make_track(2, "fra", None).to_dict() | {
        "file": dub, "variety": "fr-CA", "variety_source": "sidecar",
    }  # fmt: skip
    MediaFileFactory(
        media=media, season=season, path="Season 01/S01E01.mkv",
        audio_tracks=[make_track(1, "jpn", None).to_dict(), external],
    )  # fmt: skip
    text = _text(_page(admin_client, media))
    assert "Audio also from S01E01.fr-CA.mka beside it" in text
    assert "Subtitles from S01E01.de.srt beside it" in text
    assert "Subtitles from S01E01.fr-CA.mka" not in text
    assert "Audio also from S01E02.de.ac3 beside it" in text
