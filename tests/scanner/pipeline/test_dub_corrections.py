"""Issue 68: reading a file again is not an arrival. A Quebec household's series (target
fr-CA) is first scanned from Sonarr's word alone (its media info names French and no
variety: Sonarr keeps no track title), then its unchanged files are read (their French
track is titled VFQ): the item is corrected, said so on the run's page, and told as no
news, notification or feed entry. A new file with the VFQ and a file replaced by one
without French are still news. Sonarr's episode files as the fake serves them
(fakes/arr, from src/Sonarr.Api.V3/EpisodeFiles/EpisodeFileResource.cs)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from fakes.arr import FakeArr, FakeArrOptions, build_episode_file, build_series
from scanner.models import Event, FeedToken, Instance, Media, ScanRun
from scanner.models.choices import LostDubAction
from scanner.reports.progress import summary_lines
from scanner.searches import lost_dubs
from tests.capture import CapturingServer
from tests.factories import InstanceFactory, NotifierFactory
from tests.helpers import ARR_KEY, scan_inline
from tests.library import REMOTE_TV, arr_file
from tests.media import AudioSpec, MediaFactory

pytestmark = pytest.mark.django_db(transaction=True)

NEWS = (Event.Kind.DUB_ARRIVED, Event.Kind.DUB_LOST)
TITLE = "Paw Patrol"
VFQ = [AudioSpec("eng", default=True), AudioSpec("fre", title="VFQ")]
VFF = [AudioSpec("eng", default=True), AudioSpec("fre", title="VFF")]
ENGLISH = [AudioSpec("eng", default=True)]
ATOM = "{http://www.w3.org/2005/Atom}"


class Quebec:
    """The series on disk and in the fake Sonarr, a file at a time."""

    def __init__(self, root: Path, sonarr: FakeArr, media: MediaFactory) -> None:
        self.root, self.sonarr, self.media = root, sonarr, media
        self.series = build_series(1, title=TITLE, path=f"{REMOTE_TV}/{TITLE}", seasons=1)
        self.series["statistics"] = {"seasonCount": 1, "episodeFileCount": 0, "sizeOnDisk": 0}
        sonarr.state.set_items([self.series])
        self.files: dict[int, dict[str, Any]] = {}  # episode -> Sonarr's file
        self.paths: dict[int, Path] = {}
        self.next_id = 1

    def put(self, episode: int, audio: list[AudioSpec], name: str = "") -> None:
        """The episode's file (named ``name``, or as Sonarr names it), replacing any."""
        if episode in self.paths:
            self.paths[episode].unlink()
        folder = self.root / TITLE
        name = name or f"{TITLE} - S01E{episode:02d}.mkv"
        path = self.media.make_video(folder / "Season 01" / name, audio)
        languages = tuple(spec.language for spec in audio)
        served = build_episode_file(self.series, self.next_id, episode=episode)
        self.files[episode] = served | arr_file(path, folder, languages, season=1)
        self.files[episode]["path"] = f"{self.series['path']}/Season 01/{name}"
        self.paths[episode] = path
        self.next_id += 1
        self.sonarr.state.set_episode_files(1, list(self.files.values()))


@pytest.fixture
def sonarr() -> Any:
    with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY)) as fake:
        yield fake


@pytest.fixture
def quebec(tmp_path: Path, sonarr: FakeArr, media: MediaFactory) -> Quebec:
    return Quebec(tmp_path / "tv", sonarr, media)


def _instance(sonarr: FakeArr, quebec: Quebec, **options: Any) -> Instance:
    root = str(quebec.root)
    return InstanceFactory(
        name="quebec", kind=Instance.Kind.SONARR, url=sonarr.url, api_key=ARR_KEY,
        root_folders=[root], path_mappings=[{"remote": REMOTE_TV, "local": root}],
        target_languages=["fr-CA"], language_tags=True, audio_source=Instance.AudioSource.ARR,
        **options,
    )  # fmt: skip


def _news(run: ScanRun) -> list[tuple[str, str, list[int]]]:
    events = Event.objects.filter(run=run, kind__in=NEWS).order_by("id")
    return [(e.kind, e.data["language"], e.data["episodes"]) for e in events]


def _read_again(instance: Instance) -> ScanRun:
    """The files read, the default source: "Rescan: read the files again"."""
    Instance.objects.filter(pk=instance.pk).update(audio_source=Instance.AudioSource.AUTO)
    instance.refresh_from_db()
    run = scan_inline(instance, mode=ScanRun.Mode.REWRITE)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert (run.audio_source, run.files_probed) == ("hybrid", len(instance.media.get().files.all()))
    return run


def _feed_titles(client: Client) -> list[str]:
    _, token = FeedToken.issue("reader")
    response = client.get("/feeds/dubs.atom", {"token": token})
    assert response.status_code == 200
    feed = ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test
    return [entry.findtext(f"{ATOM}title") or "" for entry in feed.findall(f"{ATOM}entry")]


def test_a_variety_learned_by_reading_is_a_correction_and_changes_on_disk_are_news(
    sonarr: FakeArr, quebec: Quebec, inbox: CapturingServer, client: Client, admin_client: Client
) -> None:
    NotifierFactory(url=inbox.url, events=["dub_arrived", "dub_lost"])
    quebec.put(1, VFQ)
    quebec.put(2, VFQ)
    instance = _instance(sonarr, quebec)
    first = scan_inline(instance)
    item = Media.objects.get()
    assert (item.planned_tag, item.variety_unknown) == ("none", True)  # French, variety unknown

    run = _read_again(instance)
    item.refresh_from_db()
    assert (item.planned_tag, item.planned_labels) == ("dub", ["dub-fr-ca"])
    assert Event.objects.filter(kind__in=NEWS).count() == 0
    assert inbox.posts == []
    assert _feed_titles(client) == []
    assert run.summary["corrected"] == {"read": {"count": 1, "titles": [TITLE]}}
    sentence = "1 item corrected by reading its unchanged files: Paw Patrol"
    assert ("Corrected without news", sentence) in summary_lines(run)
    page = admin_client.get(f"/admin/scanner/scanrun/{run.pk}/change/")
    assert sentence in page.content.decode()
    assert not any(label == "Corrected without news" for label, _ in summary_lines(first))
    at = summary_lines(run).index(("Corrected without news", sentence))
    with translation.override("fr"):
        french = summary_lines(run)[at]
    assert french == (
        "Corrigé sans nouvelle",
        "1 élément corrigé en lisant ses fichiers inchangés\u00a0: Paw Patrol",
    )

    # A new file with the VFQ (read: its name says VFQ too) is one arrival, told once.
    quebec.put(3, VFQ, name=f"{TITLE} - S01E03 MULTi.VFQ.1080p.WEB.mkv")
    arrived = scan_inline(instance)
    assert _news(arrived) == [(Event.Kind.DUB_ARRIVED, "fr-CA", [3])]
    assert len(inbox.wait_for(1)) == 1
    (entry,) = _feed_titles(client)
    assert entry == "New dub: Canadian French — Paw Patrol S01E03"  # one sentence (issue 71)
    assert "corrected" not in arrived.summary

    # A file replaced by one without French is a loss.
    quebec.put(1, ENGLISH, name=f"{TITLE} - S01E01 Bluray-1080p.mkv")
    lost = scan_inline(instance)
    assert _news(lost) == [(Event.Kind.DUB_LOST, "fr-CA", [1])]
    assert _news(scan_inline(instance)) == []  # told once


def test_a_variety_corrected_away_is_no_loss_and_nothing_is_searched(
    sonarr: FakeArr, quebec: Quebec
) -> None:
    """The release name says VFQ, the file's own French track says VFF (the track keeps
    its own: tagging-rules.md, "Varieties"): the dub-fr-ca the *arr's word gave goes,
    but no dub was lost, so the instance's lost-dub search asks for nothing."""
    quebec.put(1, VFF, name=f"{TITLE} - S01E01 MULTi.VFQ.1080p.WEB.mkv")
    instance = _instance(sonarr, quebec, lost_dub_action=LostDubAction.SEARCH)
    scan_inline(instance)
    assert Media.objects.get().planned_labels == ["dub-fr-ca"]
    run = _read_again(instance)
    assert Media.objects.get().planned_labels == []
    assert _news(run) == []
    assert not lost_dubs.due(run.pk)
    assert lost_dubs.win_back(run.pk) == 0
    assert [c for c in sonarr.state.commands() if c["name"] == "EpisodeSearch"] == []
    assert run.summary["corrected"] == {"read": {"count": 1, "titles": [TITLE]}}


def test_the_arrs_media_info_analysed_again_is_a_correction_judged_again(
    sonarr: FakeArr, quebec: Quebec
) -> None:
    """Sonarr's word alone: its media info first left the French stream untagged, then
    (the file analysed again: same file, size and import) names it; the release name
    says VFQ. The same file judged again: a correction, not an arrival."""
    quebec.put(1, VFQ, name=f"{TITLE} - S01E01 MULTi.VFQ.1080p.WEB.mkv")
    quebec.files[1]["mediaInfo"]["audioLanguages"] = "eng"
    sonarr.state.set_episode_files(1, list(quebec.files.values()))
    instance = _instance(sonarr, quebec)
    scan_inline(instance)
    assert Media.objects.get().planned_labels == []
    quebec.files[1]["mediaInfo"]["audioLanguages"] = "eng/fre"
    sonarr.state.set_episode_files(1, list(quebec.files.values()))
    run = scan_inline(instance, mode=ScanRun.Mode.REWRITE)
    assert Media.objects.get().planned_labels == ["dub-fr-ca"]
    assert _news(run) == []
    assert run.summary["corrected"] == {"judged": {"count": 1, "titles": [TITLE]}}
    assert (
        "Corrected without news",
        "1 item corrected by judging its unchanged files again: Paw Patrol",
    ) in summary_lines(run)
