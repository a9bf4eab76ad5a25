"""Issue 70's "Done when", end to end on real parts and the defaults a new user gets: a
Quebec child presses play in Plex and hears the VFQ, the parent hears the Japanese with
the French subtitles, on the same server, set by Taggarr.

Real video files made by ffmpeg (tests/media.py: their audio streams' language tags and
titles, an embedded French SubRip track; a ``.fr.srt`` beside another) and read by the
real MediaInfo where the scan reads them, served by the fake Sonarr v4 with the media
info Sonarr keeps of them (the streams' language tags only: tests/library.py
``arr_file``), scanned by ``scan --inline``'s real path
(``scanner.actions.scans.scan_inline``: plan, items, apply, then each person's track at
the run's end) on the instance's defaults: the audio source automatic (hybrid, the
folders being here), no option touched but the household's language (``fr-CA``). No
MediaFile row is made by hand.

The fake Plex lists the same files as parts with the streams Plex would list for them
(docs/media-servers.md "Plex: selected streams per user", read from python-plexapi
4.18): a part's ``AudioStream``/``SubtitleStream`` in the file's order, ``index`` the
stream's place in the file, ``languageCode`` ISO 639-2/B as the file tags it, ``title``
as the file titles it; ``selected`` per account (the token read with decides whose);
``PUT /library/parts/{id}?audioStreamID=..&subtitleStreamID=..&allParts=1`` with an
account's token sets that account's choice (``MediaPart.setSelectedAudioStream``); a
home or managed user's token handed to the admin by plex.tv (``shared_servers``,
``home/users/{id}/switch``). The server's path for the library differs from Taggarr's
(a path mapping on the media server), as in a real setup.

Not here: the mislabelled track (telling it needs listening: the step's own tests cover
it with the heard language given, test_person_tracks.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import translation

from fakes.arr import FakeArr, FakeArrOptions
from fakes.arr.samples import build_series
from fakes.plex import AUDIO, SUBTITLE, VIDEO, FakePlex, FakePlexTv, FakeStream
from fakes.plex.plex_tv import PlexTvUser
from scanner.engine.arr_tracks import DoubtCode
from scanner.household.plex_tracks import set_account_tracks
from scanner.household.track_reasons import reason_sentences
from scanner.media_servers.clients.plex import PlexClient
from scanner.models import (
    Event,
    Instance,
    MediaFile,
    MediaServer,
    Person,
    PersonAccount,
    ScanRun,
    TrackRun,
    TrackSetting,
)
from tests.factories import InstanceFactory
from tests.helpers import ARR_KEY, SERVER_TOKEN, arr_tags, scan_inline
from tests.library import REMOTE_TV, arr_file
from tests.media import AudioSpec, MediaFactory, SubtitleSpec

pytestmark = pytest.mark.django_db(transaction=True)

PLEX_TV = "/plex/tv"  # where Plex sees the library

ENGLISH = AudioSpec("eng", default=True)
VFQ = "Cartoon.S01E01.MULTi.VFQ.1080p.mkv"
VF2 = "Cartoon.S01E02.VF2.1080p.mkv"
COMMENTARY = "Cartoon.S01E03.MULTi.1080p.mkv"
DUAL = "Anime.S01E01.DUAL.1080p.mkv"
SIDECAR = "Anime.S01E02.DUAL.1080p.mkv"  # its French subtitles: Anime.S01E02.DUAL.1080p.fr.srt


@dataclass(frozen=True)
class Episode:
    name: str
    audio: tuple[AudioSpec, ...]
    subtitles: tuple[SubtitleSpec, ...] = ()
    sidecar: str = ""  # a subtitle file beside the video: its language ("fr")


# title -> (Sonarr's original language, its episodes)
SHOWS: dict[str, tuple[str, tuple[Episode, ...]]] = {
    "Cartoon": (
        "English",
        (
            Episode(VFQ, (ENGLISH, AudioSpec("fre", "VFF"), AudioSpec("fre", "VFQ", codec="eac3"))),
            Episode(VF2, (AudioSpec("fre", default=True), AudioSpec("fre"))),
            Episode(
                COMMENTARY,
                (
                    AudioSpec("fre", "Commentaire VFQ", default=True),
                    AudioSpec("eng"),
                    AudioSpec("fre", "VFQ"),
                ),
            ),
        ),
    ),
    "Anime": (
        "Japanese",
        (
            Episode(
                DUAL,
                (AudioSpec("jpn", default=True), AudioSpec("eng")),
                (SubtitleSpec("fre"),),
            ),
            Episode(SIDECAR, (AudioSpec("jpn", default=True), AudioSpec("eng")), sidecar="fr"),
        ),
    ),
}
ORIGINALS = {"Cartoon": "en", "Anime": "ja"}  # as Kodi reads <originallanguage>


@dataclass
class Home:
    root: Path
    sonarr: FakeArr
    instance: Instance
    plex: FakePlex
    server: MediaServer
    child: Person
    parent: Person
    guest: Person
    child_user: PlexTvUser
    parent_user: PlexTvUser
    parts: dict[str, int]  # file name -> Plex part id
    streams: dict[str, list[int]]  # file name -> its Plex streams' ids, the file's order

    def selected(self, user: PlexTvUser, name: str) -> tuple[int | None, int]:
        return self.plex.state.streams.selected(str(user.id), self.parts[name])

    def stream(self, name: str, n: int) -> int:
        """The n-th stream of the file (1: the video, then audio, then subtitles)."""
        return self.streams[name][n - 1]

    def runs(self, person: Person) -> list[TrackRun]:
        return list(TrackRun.objects.filter(account__person=person).order_by("pk"))


# ffmpeg's encoder of a file's audio -> the codec Plex names it by (python-plexapi 4.18,
# plexapi/media.py ``MediaPartStream.codec``, "ex: srt, ac3, mpeg4": ffmpeg's names).
PLEX_CODECS = {"mp2": "mp2", "ac3": "ac3", "eac3": "eac3"}


def _plex_streams(
    plex: FakePlex, episode: Episode, stale: dict[int, str] | None = None
) -> list[FakeStream]:
    """The streams Plex lists for the file: its video, audio then subtitle streams with
    their index in the file, the language tag, title and codec the file gives them (the
    tiny files' audio is MPEG-1 Layer II, Plex's ``mp2``, but where a test says
    otherwise). ``stale``: an audio stream's codec (by its place among the audio) as
    Plex read an earlier version of the file."""
    new = plex.state.streams.new_stream_id
    streams = [FakeStream(new(), VIDEO, 0, "mpeg4")]
    for number, spec in enumerate(episode.audio, start=1):
        codec = (stale or {}).get(number) or PLEX_CODECS[spec.codec or "mp2"]
        streams.append(
            FakeStream(new(), AUDIO, len(streams), codec, spec.language or "",
                       title=spec.title or "", default=spec.default, channels=1)
        )  # fmt: skip
    for sub in episode.subtitles:
        streams.append(
            FakeStream(new(), SUBTITLE, len(streams), "srt", sub.language or "",
                       title=sub.title or "")
        )  # fmt: skip
    if episode.sidecar:  # Plex lists it with a key and no index (plexapi: no file name)
        streams.append(FakeStream(new(), SUBTITLE, -1, "srt", "fre", external=True))
    return streams


@pytest.fixture
def home(request: pytest.FixtureRequest, tmp_path: Path, media: MediaFactory) -> Iterator[Home]:
    # A test's stale streams in Plex (file name -> audio place -> codec), indirect.
    stale: dict[str, dict[int, str]] = getattr(request, "param", {})
    root = tmp_path / "tv"
    items, episode_files = [], {}
    with FakePlex(token=SERVER_TOKEN) as plex, FakePlexTv(plex.state) as tv:
        plex.state.add_section("1", "TV Shows", "show", [PLEX_TV])
        parts: dict[str, int] = {}
        streams: dict[str, list[int]] = {}
        for number, (title, (original, episodes)) in enumerate(SHOWS.items(), start=1):
            folder = root / title
            show = plex.state.add_item(
                "1", title, f"{PLEX_TV}/{title}", guids=[f"tvdb://{number * 100}"]
            )
            files = []
            for episode_number, episode in enumerate(episodes, start=1):
                path = media.make_video(
                    folder / "Season 01" / episode.name, episode.audio,
                    subtitles=episode.subtitles,
                )  # fmt: skip
                if episode.sidecar:
                    path.with_suffix(f".{episode.sidecar}.srt").write_text(
                        "1\n00:00:00,000 --> 00:00:00,100\nBonjour\n\n", encoding="utf-8"
                    )
                served = arr_file(path, folder, tuple(a.language for a in episode.audio), season=1)
                served["mediaInfo"]["subtitles"] = "/".join(
                    s.language for s in episode.subtitles if s.language
                )
                files.append(served)
                plexed = plex.state.add_episode(show.rating_key, 1, episode_number)
                given = _plex_streams(plex, episode, stale.get(episode.name))
                part = plex.state.streams.add_part(
                    plexed.rating_key, f"{PLEX_TV}/{title}/Season 01/{episode.name}", given
                )
                parts[episode.name] = part.id
                streams[episode.name] = [stream.id for stream in given]
            # The show's NFO, as Sonarr's or the media server's metadata writes it.
            (folder / "tvshow.nfo").write_text(
                f'<?xml version="1.0" encoding="UTF-8"?>\n<tvshow>\n  <title>{title}</title>\n'
                "</tvshow>\n",
                encoding="utf-8",
            )
            item = build_series(
                number, title=title, path=f"{REMOTE_TV}/{title}", original_language=original
            )
            item["tvdbId"] = number * 100
            item["statistics"] = {
                "seasonCount": 1,
                "episodeFileCount": len(files),
                "sizeOnDisk": sum(file["size"] for file in files),
            }
            items.append(item)
            episode_files[number] = files
        with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY), items=items) as sonarr:
            for number, served_files in episode_files.items():
                sonarr.state.set_episode_files(number, served_files)
            # A new user's instance: only the URL, the key, the folders and the
            # household's language; the audio source left automatic.
            instance = InstanceFactory(
                name="tv", url=sonarr.url, api_key=ARR_KEY, root_folders=[str(root)],
                path_mappings=[{"remote": REMOTE_TV, "local": str(root)}],
                target_languages=["fr-CA"],
            )  # fmt: skip
            server = MediaServer(
                name="plex", kind=MediaServer.Kind.PLEX, url=plex.url, set_person_tracks=True,
                path_mappings=[{"remote": PLEX_TV, "local": str(root)}],
            )  # fmt: skip
            server.set_token(SERVER_TOKEN)
            server.save()
            server.instances.set([instance])
            child_user = tv.state.add_user("Léa", "managed")
            parent_user = tv.state.add_user("Marc", "home")
            child = Person.objects.create(name="Léa", languages=["fr-CA", "fra"])
            parent = Person.objects.create(
                name="Marc", languages=["fra", "eng"],
                series_want=Person.Want.ORIGINAL_SUBTITLED,
            )  # fmt: skip
            guest = Person.objects.create(name="Invité", languages=["fra"])
            for person, user, kind in (
                (child, child_user, "plex-managed"),
                (parent, parent_user, "plex-home"),
            ):
                PersonAccount.objects.create(
                    person=person, media_server=server, account_id=str(user.id),
                    account_name=user.title, account_kind=kind,
                )  # fmt: skip
            with override_settings(PLEX_TV_URL=tv.url):
                yield Home(
                    root, sonarr, instance, plex, server, child, parent, guest, child_user,
                    parent_user, parts, streams,
                )  # fmt: skip


def test_each_person_hears_their_track_after_a_scan_on_the_defaults(home: Home) -> None:
    assert home.instance.audio_source == Instance.AudioSource.AUTO  # nothing touched

    run = scan_inline(home.instance)

    assert (run.status, run.audio_source) == (ScanRun.Status.SUCCEEDED, "hybrid"), run.error
    # The default source reads a file only where the *arr's word leaves the variety
    # unknown ("MULTi"): those two by MediaInfo, with their titles; the VF2 (a set of
    # varieties from its name) and the anime (no French voice) from Sonarr's word.
    read = {
        name: (source, [t["title"] for t in audio])
        for name, source, audio in MediaFile.objects.values_list("path", "source", "audio_tracks")
    }
    assert read == {
        f"Season 01/{VFQ}": (MediaFile.Source.ARR_PROBE, [None, "VFF", "VFQ"]),
        f"Season 01/{VF2}": (MediaFile.Source.ARR, [None, None]),
        f"Season 01/{COMMENTARY}": (MediaFile.Source.ARR_PROBE, ["Commentaire VFQ", None, "VFQ"]),
        f"Season 01/{DUAL}": (MediaFile.Source.ARR, [None, None]),
        f"Season 01/{SIDECAR}": (MediaFile.Source.ARR, [None, None]),
    }
    # The child: the VFQ (the third stream of audio), not the VFF Plex plays first.
    assert home.selected(home.child_user, VFQ)[0] == home.stream(VFQ, 4)
    assert home.plex.state.streams.selected("owner", home.parts[VFQ])[0] == home.stream(VFQ, 2)
    # Never the commentary, though it is French, Quebec and the file's default.
    assert home.selected(home.child_user, COMMENTARY)[0] == home.stream(COMMENTARY, 4)
    # The parent, on the anime: the Japanese with the French subtitles.
    assert home.selected(home.parent_user, DUAL) == (home.stream(DUAL, 2), home.stream(DUAL, 4))
    # ... and with the French subtitle file beside the video, where it is one.
    assert home.selected(home.parent_user, SIDECAR) == (
        home.stream(SIDECAR, 2),
        home.stream(SIDECAR, 4),
    )
    # The parent, on the cartoon: its original, English, not the commentary.
    assert home.selected(home.parent_user, COMMENTARY)[0] == home.stream(COMMENTARY, 3)
    # The VF2: which French is which, no one can say: nothing sent, and why.
    child_parts = {
        w.part_id for w in home.plex.state.streams.writes() if w.account == str(home.child_user.id)
    }
    assert home.parts[VF2] not in child_parts
    (child_run,) = home.runs(home.child)
    assert child_run.run_id == run.pk and not child_run.dry_run and child_run.problem == ""
    assert child_run.counts["uncertain"] == 1 and child_run.doubts == {"release-set": 1}
    # The VFQ, the commentary file's VFQ, the anime's two (no French voice: its fallback).
    assert child_run.counts["sent"] == 4
    # The guest has no account on the server: nothing for them.
    assert home.runs(home.guest) == []
    assert {r.account.person for r in TrackRun.objects.all()} == {home.child, home.parent}
    # The NFOs Taggarr writes (NFO tags on by default) say the original language.
    for title, code in ORIGINALS.items():
        nfo = (home.root / title / "tvshow.nfo").read_text("utf-8")
        assert f"<originallanguage>{code}</originallanguage>" in nfo, title


def test_a_choice_made_in_plex_survives_the_next_scan(home: Home) -> None:
    scan_inline(home.instance)
    assert home.selected(home.child_user, VFQ)[0] == home.stream(VFQ, 4)
    # Léa picks the VFF in her Plex app: a PUT with her own token.
    with PlexClient(home.plex.url, SERVER_TOKEN) as app:
        app.select_streams(
            home.parts[VFQ], token=home.child_user.server_token, audio=home.stream(VFQ, 3)
        )
    writes = len(home.plex.state.streams.writes())

    again = scan_inline(home.instance)

    assert again.status == ScanRun.Status.SUCCEEDED, again.error
    assert home.selected(home.child_user, VFQ)[0] == home.stream(VFQ, 3)  # hers, kept
    assert len(home.plex.state.streams.writes()) == writes  # nothing sent again
    # Nothing of the files nor of Léa changed: the scan's step read no item again
    # (household/track_checks.py) and stored no run: her last run is the first scan's.
    assert home.runs(home.child)[-1].run_id != again.pk
    # ... and the person page's "set now" reads every item: hers is kept.
    account = PersonAccount.objects.get(person=home.child)
    on_demand = set_account_tracks(account.pk)
    assert on_demand is not None
    assert on_demand.counts["kept"] == 1 and on_demand.counts.get("sent", 0) == 0
    assert home.selected(home.child_user, VFQ)[0] == home.stream(VFQ, 3)
    assert len(home.plex.state.streams.writes()) == writes
    setting = TrackSetting.objects.get(account__person=home.child, part_id=home.parts[VFQ])
    assert setting.chosen_by == "person"


@pytest.mark.parametrize("home", [{VFQ: {3: "ac3"}}], indirect=True)
def test_a_stream_of_another_codec_is_not_chosen_and_the_run_says_why(home: Home) -> None:
    # Plex read an earlier version of the VFQ file: the same tracks in the same order,
    # languages and titles, but an AC-3 VFQ where MediaInfo reads E-AC-3 in the file now.
    # The track matched by order may not be the one Taggarr chose (issue 70: "refuse to
    # choose when the match is not certain, say why").
    run = scan_inline(home.instance)

    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    vfq = MediaFile.objects.get(path=f"Season 01/{VFQ}")
    assert [t.get("codec") for t in vfq.audio_tracks] == ["mpeg", "mpeg", "eac3"]
    child_parts = {
        w.part_id for w in home.plex.state.streams.writes() if w.account == str(home.child_user.id)
    }
    assert home.parts[VFQ] not in child_parts
    assert home.selected(home.child_user, VFQ)[0] == home.stream(VFQ, 2)  # Plex's default
    (child_run,) = home.runs(home.child)
    assert child_run.doubts == {"release-set": 1, "codec-disagrees": 1}
    assert child_run.counts["uncertain"] == 2 and child_run.counts["sent"] == 3
    with translation.override("fr"):
        sentences = reason_sentences(child_run.doubts)
    assert "1 fichier\u00a0: le format d'une piste dans Plex n'est pas celui du fichier." in (
        sentences
    )
    # The parent's anime tracks, whose codecs agree, are set as before.
    assert home.selected(home.parent_user, DUAL) == (home.stream(DUAL, 2), home.stream(DUAL, 4))


def test_a_persons_variety_has_the_files_it_needs_read_the_verdict_unchanged(home: Home) -> None:
    # The instance wants any French: the *arr's word is enough for its verdict, and no
    # file is read for a variety. Léa has no variety yet.
    Instance.objects.filter(pk=home.instance.pk).update(target_languages=["fra"])
    Person.objects.filter(pk=home.child.pk).update(languages=["fra"])
    home.instance.refresh_from_db()
    plain = scan_inline(home.instance)
    assert (plain.status, plain.files_probed) == (ScanRun.Status.SUCCEEDED, 0), plain.error
    tags = arr_tags(home.sonarr)
    assert tags["Cartoon"] == "dub"  # the anime has no French: wrong-dub

    # Léa now listens for the Quebec dub: the next ordinary scan reads the two files
    # whose French tracks the *arr leaves of unknown variety (the VF2's name says it
    # holds both: no read tells which is which), once.
    Person.objects.filter(pk=home.child.pk).update(languages=["fr-CA", "fra"])
    heard = scan_inline(home.instance)

    assert heard.status == ScanRun.Status.SUCCEEDED, heard.error
    assert heard.files_probed == 2
    read = dict(
        MediaFile.objects.values_list("path", "source_note").filter(
            source=MediaFile.Source.ARR_PROBE
        )
    )
    assert read == {
        f"Season 01/{VFQ}": DoubtCode.VARIETY_FOR_PERSON,
        f"Season 01/{COMMENTARY}": DoubtCode.VARIETY_FOR_PERSON,
    }
    assert heard.summary["read_why"] == {DoubtCode.VARIETY_FOR_PERSON: 2}
    # Her track is told now: the VFQ, not the VFF Plex plays first.
    assert home.selected(home.child_user, VFQ)[0] == home.stream(VFQ, 4)
    assert home.runs(home.child)[-1].doubts == {"release-set": 1}
    # A person's language is no target: the tags are as they were, and no news.
    assert arr_tags(home.sonarr) == tags
    assert not Event.objects.filter(kind__in=(Event.Kind.DUB_ARRIVED, Event.Kind.DUB_LOST))
    assert scan_inline(home.instance).files_probed == 0  # read once


def test_a_persons_variety_on_a_server_the_instance_does_not_feed_reads_nothing(
    home: Home,
) -> None:
    Instance.objects.filter(pk=home.instance.pk).update(target_languages=["fra"])
    home.instance.refresh_from_db()
    home.server.instances.set([])  # Léa's fr-CA is for another instance's server

    run = scan_inline(home.instance)

    assert (run.status, run.files_probed) == (ScanRun.Status.SUCCEEDED, 0), run.error


def test_tracks_stored_before_codecs_were_kept_are_not_read_again_and_still_match(
    home: Home,
) -> None:
    first = scan_inline(home.instance)
    assert first.status == ScanRun.Status.SUCCEEDED, first.error
    # As a version before this one stored them: no codec key in any track.
    for row in MediaFile.objects.all():
        row.audio_tracks = [{k: v for k, v in t.items() if k != "codec"} for t in row.audio_tracks]
        row.save(update_fields=["audio_tracks"])
    TrackSetting.objects.all().delete()  # as if never set: the match is made again

    again = scan_inline(home.instance)

    assert again.status == ScanRun.Status.SUCCEEDED, again.error
    assert again.files_probed == 0  # a new field is no reason to read a file again
    assert all("codec" not in t for row in MediaFile.objects.all() for t in row.audio_tracks)
    # An unknown codec says nothing: the match rests on order, language and title.
    latest = home.runs(home.child)[-1]
    assert latest.run_id == again.pk and latest.doubts == {"release-set": 1}
    assert home.selected(home.child_user, VFQ)[0] == home.stream(VFQ, 4)
