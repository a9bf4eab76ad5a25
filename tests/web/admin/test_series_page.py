"""Issue 61: a series page a Sonarr user recognises. Episodes by number, title and air
date as the fake Sonarr lists them (read by a real scan); the specials and an
unmonitored season shown as not counted, with why; the newest season first and open,
the older ones folded; the previous and next item; the item's *arr tags, Taggarr's
and the person's own told apart; the guess to review settled from the page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from fakes.arr import FakeArr, FakeArrOptions
from scanner.models import Instance, Media, ScanRun
from tests.factories import InstanceFactory, MediaFactory, ScanRunFactory
from tests.helpers import ARR_KEY, scan_inline
from tests.library import REMOTE_TV, Show, build_tv
from tests.media import MediaFactory as Videos

UNMOUNTED = "/mnt/not-mounted-here/tv"
SHOW = Show(
    "Long Show",
    "Japanese",
    {0: [("jpn",)], 1: [("jpn", "eng")] * 2, 2: [("jpn",)] * 2, 3: [("jpn", "eng")] * 2},
    "dub",
)
TITLES = {(0, 1): "The Lost Tapes", (1, 1): "Pilot", (1, 2): "The Return", (2, 1): "Side Story",
          (2, 2): "Side Story II", (3, 1): "New Dawn", (3, 2): "Old Night",
          (3, 3): "Tomorrow"}  # fmt: skip


def _episode(season: int, number: int, has_file: bool) -> dict[str, Any]:
    return {
        "id": season * 100 + number, "seriesId": 1, "seasonNumber": season,
        "episodeNumber": number, "episodeFileId": 7 if has_file else 0, "hasFile": has_file,
        "title": TITLES[(season, number)], "airDate": f"202{season}-03-0{number}",
        "monitored": season != 2,
    }  # fmt: skip


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _panels(html: str) -> list[tuple[str, bool, str]]:
    """(season id, open, its text) of each panel, in page order."""
    found = re.findall(r'<details class="taggarr-season-panel[^"]*"( open)? id="(season-\d+)">'
                       r"(.*?)</details>", html, re.S)  # fmt: skip
    return [(name, bool(opened), _text(body)) for opened, name, body in found]


@pytest.mark.django_db(transaction=True)
def test_episodes_from_sonarr_newest_season_first_the_uncounted_told(
    tmp_path: Path, media: Videos, admin_client: Client
) -> None:
    library = build_tv(tmp_path / "tv", media, (SHOW,))
    item = library.arr_items[0]
    item["seasons"] = [{"seasonNumber": n, "monitored": n not in (0, 2)} for n in range(4)]
    with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY), items=[item]) as sonarr:
        library.load_episode_files(sonarr)
        sonarr.state.set_episodes(1, [_episode(s, n, (s, n) != (3, 3)) for s, n in TITLES])
        instance = InstanceFactory(
            name="tv", url=sonarr.url, api_key=ARR_KEY, root_folders=[UNMOUNTED],
            path_mappings=[{"remote": REMOTE_TV, "local": UNMOUNTED}], target_languages=["eng"],
            audio_source=Instance.AudioSource.ARR,
        )  # fmt: skip
        run = scan_inline(instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    series = Media.objects.get(title="Long Show")
    assert series.planned_tag == "dub"  # seasons 1 and 3 count; 0 and 2 do not
    html = admin_client.get(f"/admin/scanner/media/{series.pk}/change/").content.decode()
    panels = _panels(html)
    assert [(name, opened) for name, opened, _ in panels] == [
        ("season-3", True), ("season-2", False), ("season-1", False), ("season-0", False)
    ]  # fmt: skip
    newest, unmonitored, first, specials = (text for _, _, text in panels)
    # Number, title, the air date (English: ISO, web/formats), the file; then its languages.
    assert "1 New Dawn 2023-03-01 Long Show - S03E01.mkv Audio English" in newest
    assert "2 Old Night 2023-03-02 Long Show - S03E02.mkv Audio English" in newest
    assert newest.endswith("3 Tomorrow 2023-03-03 No file ")  # in Sonarr, not on disk
    assert "Pilot" in first and "The Return" in first and "Side Story" not in first
    assert "not counted" in unmonitored and "not monitored in Sonarr" in unmonitored
    assert "Side Story" in unmonitored and "Side Story II" in unmonitored
    assert "Audio" not in unmonitored  # its files were not read: no language shown as known
    assert "not counted" in specials and "The Lost Tapes" in specials
    assert "specials count only when" in specials


@pytest.mark.django_db
def test_air_dates_follow_the_reader_s_language(admin_client: Client) -> None:
    series = MediaFactory(
        title="Show", arr_episodes=[[1, 1, "Pilot", "2024-01-31", True, True]],
        verdict_reasons={"summary": "none", "seasons": [{"season": 1, "files": [
            {"path": "Season 01/S01E01.mkv", "episodes": [1], "languages": ["jpn"]}]}]},
    )  # fmt: skip
    url = f"/admin/scanner/media/{series.pk}/change/"
    german = _text(admin_client.get(url, headers={"accept-language": "de"}).content.decode())
    assert "1 Pilot 31. Januar 2024" in german
    french = _text(admin_client.get(url, headers={"accept-language": "fr"}).content.decode())
    assert "1 Pilot 31 janvier 2024" in french
    assert "2024-01-31" not in german.replace('datetime="2024-01-31"', "")


@pytest.mark.django_db
def test_previous_and_next_by_title_within_the_instance(admin_client: Client) -> None:
    tv, other = InstanceFactory(name="tv"), InstanceFactory(name="anime")
    alpha, beta, gamma = (MediaFactory(instance=tv, title=t) for t in ("Alpha", "Beta", "Gamma"))
    MediaFactory(instance=other, title="Bravo")  # another instance: never a neighbour
    twin = MediaFactory(instance=tv, title="Beta")  # the same title: then by id

    def links(media: Media) -> tuple[str | None, str | None]:
        html = admin_client.get(f"/admin/scanner/media/{media.pk}/change/").content.decode()
        found = [re.search(rf'<a href="/admin/scanner/media/(\d+)/change/" rel="{rel}"', html)
                 for rel in ("prev", "next")]  # fmt: skip
        return tuple(match.group(1) if match else None for match in found)  # type: ignore[return-value]

    assert links(alpha) == (None, str(beta.pk))
    assert links(beta) == (str(alpha.pk), str(twin.pk))
    assert links(twin) == (str(beta.pk), str(gamma.pk))
    assert links(gamma) == (str(twin.pk), None)


@pytest.mark.django_db
def test_the_arr_tags_taggarr_s_and_the_person_s_own_told_apart(admin_client: Client) -> None:
    tv = InstanceFactory(name="tv", target_languages=["deu", "fra"], language_tags=True)
    ScanRunFactory(instance=tv, arr_tag_ids={"dub": 1, "4k": 2, "dub-de": 3, "kids": 4,
                                             "semi-dub": 5})  # fmt: skip
    series = MediaFactory(instance=tv, title="Show", arr_tag_ids=[1, 2, 3, 4, 99])
    html = admin_client.get(f"/admin/scanner/media/{series.pk}/change/").content.decode()
    managed = re.search(r'id="arr-tags-managed">(.*?)</div>', html, re.S)
    own = re.search(r'id="arr-tags-own">(.*?)</div>', html, re.S)
    assert managed is not None and own is not None
    assert re.findall(r'taggarr-tag-managed">([^<]+)<', managed.group(1)) == ["dub", "dub-de"]
    assert re.findall(r'taggarr-tag-own">([^<]+)<', own.group(1)) == ["4k", "kids"]
    assert "Taggarr's tags in Sonarr" in _text(managed.group(1))
    assert "Your own tags in Sonarr" in _text(own.group(1))


@pytest.mark.django_db
def test_a_movie_page_keeps_working_with_its_neighbours_and_tags(admin_client: Client) -> None:
    radarr = InstanceFactory(kind=Instance.Kind.RADARR, name="films")
    ScanRunFactory(instance=radarr, arr_tag_ids={"dub": 1, "classic": 2})
    reasons = {
        "summary": "dub",
        "targets": ["eng"],
        "seasons": [
            {"season": None, "files": [{"path": "Akira.mkv", "episodes": [], "languages": ["eng"]}]}
        ],
    }
    akira = MediaFactory(instance=radarr, kind=Media.Kind.MOVIE, title="Akira",
                         verdict_reasons=reasons, arr_tag_ids=[1, 2])  # fmt: skip
    MediaFactory(instance=radarr, kind=Media.Kind.MOVIE, title="Brazil")
    response = admin_client.get(f"/admin/scanner/media/{akira.pk}/change/")
    text = _text(response.content.decode())
    assert response.status_code == 200
    assert "Files 1 file" in text and "Akira.mkv" in text and "Season" not in text
    assert 'id="season-' not in response.content.decode()
    assert "Next: Brazil" in text and "Taggarr's tags in Radarr dub" in text
    assert "Your own tags in Radarr classic" in text


@pytest.mark.django_db
def test_needs_review_is_settled_from_the_page(admin_client: Client) -> None:
    reason = {"code": "unknown_first_track", "reason": "x",
              "values": {"files": 2, "counted": 4, "language": "jpn"}}  # fmt: skip
    series = MediaFactory(title="Show", needs_review=True, review_reasons=[reason],
                          original_language="jpn")  # fmt: skip
    url = f"/admin/scanner/media/{series.pk}/change/"
    html = admin_client.get(url).content.decode()
    block = re.search(r'id="needs-review">(.*?)</div>\s*</div>', html, re.S)
    assert block is not None
    assert "2 files: the first audio track has no language" in _text(block.group(1))
    assert 'id="confirm-guess"' in block.group(1)
    response = admin_client.post(
        "/admin/guesses/", {"media": series.pk, "decision": "confirm", "back": "item"}
    )
    assert response.status_code == 302 and response["Location"] == url
    series.refresh_from_db()
    assert not series.needs_review
    assert 'id="needs-review"' not in admin_client.get(url).content.decode()


@pytest.mark.django_db
def test_without_sonarr_s_list_an_unmonitored_season_is_still_told(admin_client: Client) -> None:
    # No list from Sonarr (not read yet, or it did not answer): the series' seasons say
    # what is left out.
    series = MediaFactory(
        title="Show", unmonitored_seasons=[0, 2],
        verdict_reasons={"summary": "none", "seasons": [{"season": 1, "files": [
            {"path": "Season 01/S01E01.mkv", "episodes": [1], "languages": ["jpn"]}]}]},
    )  # fmt: skip
    html = admin_client.get(f"/admin/scanner/media/{series.pk}/change/").content.decode()
    panels = _panels(html)
    assert [(name, opened) for name, opened, _ in panels] == [
        ("season-2", False), ("season-1", True)
    ]  # fmt: skip
    assert "not counted" in panels[0][2] and "not monitored in Sonarr" in panels[0][2]
    assert "Specials" not in _text(html)  # most series have an empty season 0: not shown
