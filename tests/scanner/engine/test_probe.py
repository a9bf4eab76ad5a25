"""tagging-rules.md, "Audio tracks of one file": real files read by the real MediaInfo."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from inotify_simple import INotify, flags
from pymediainfo import MediaInfo

from scanner.engine.audio_codecs import mediainfo_codec
from scanner.engine.probe import _TEMPLATE, _parse_output, probe
from scanner.engine.tracks import (
    AudioTrack,
    is_commentary_title,
    is_description_title,
    make_track,
)
from scanner.errors import ProbeError
from tests.media import (
    CONTAINERS,
    AudioSpec,
    MediaFactory,
    SubtitleSpec,
    denied_file_access,
    human_readable_fields,
    layout,
    make_corrupt,
    make_unreadable,
)


def audio_of(path: str | os.PathLike[str]) -> tuple[AudioTrack, ...]:
    return probe(path).audio


# Rule: per audio track its position, language, title, default flag, forced flag.
# (spec written to the file, canonical language, title, default, forced)
TRACK_FIELDS = [
    (AudioSpec("jpn", default=True), "jpn", None, True, False),
    (AudioSpec("eng", title="English 5.1", forced=True), "eng", "English 5.1", False, True),
    (AudioSpec("en-US", default=True), "eng", None, True, False),
    (AudioSpec("pt-BR"), "por", None, False, False),
    (AudioSpec("es-419"), "spa", None, False, False),
    (AudioSpec("ger"), "deu", None, False, False),
    (AudioSpec("fre"), "fra", None, False, False),
    (AudioSpec("chi"), "zho", None, False, False),
    (AudioSpec("und"), None, None, False, False),
    (AudioSpec(None), None, None, False, False),
    (AudioSpec("spa", title="Español latino ★"), "spa", "Español latino ★", False, False),
]


@pytest.mark.parametrize(
    ("spec", "language", "title", "default", "forced"),
    TRACK_FIELDS,
    ids=[f"{case[0].language}-{case[0].title}" for case in TRACK_FIELDS],
)
def test_track_fields_from_matroska(
    media: MediaFactory,
    spec: AudioSpec,
    language: str | None,
    title: str | None,
    default: bool,
    forced: bool,
) -> None:
    # The track under test is second, after a Japanese one, so position is checked too.
    (first, track) = audio_of(media.template([AudioSpec("jpn"), spec]))
    assert first.language == "jpn"
    assert track.position == 2
    assert track.language == language
    assert track.title == title
    assert (track.default, track.forced) == (default, forced)


def test_region_tags_keep_their_raw_value(media: MediaFactory) -> None:
    tracks = audio_of(media.template(layout("en-US", "pt-BR")))
    assert [(track.raw_language, track.language) for track in tracks] == [
        ("en-US", "eng"),
        ("pt-BR", "por"),
    ]


# Containers whose ffmpeg muxer stores a 3-letter language faithfully.
@pytest.mark.parametrize("container", ["mkv", "webm", "mp4", "m4v", "ts", "m2ts"])
def test_languages_in_order_from_each_container(media: MediaFactory, container: str) -> None:
    tracks = audio_of(media.template(layout("jpn", "eng", "ger", "und"), container))
    assert [track.position for track in tracks] == [1, 2, 3, 4]
    assert [track.language for track in tracks] == ["jpn", "eng", "deu", None]


# Containers that keep no usable language (ffmpeg writes none or a wrong one): the
# tracks are still all there, so unknown-language rules apply to them.
@pytest.mark.parametrize("container", ["avi", "mpg", "mov", "wmv"])
def test_every_track_is_listed_from_other_containers(media: MediaFactory, container: str) -> None:
    tracks = audio_of(media.template(layout("jpn", "eng", "ger"), container))
    assert [track.position for track in tracks] == [1, 2, 3]


# Rule: commentary, director, isolated score, audio description, descriptive, AD
# (case-insensitive, as whole words) are not the programme audio.
COMMENTARY_TITLES = [
    ("Commentary", True),
    ("Director's Commentary", True),
    ("COMMENTARY with cast", True),
    ("Director", True),
    ("Isolated Score", True),
    ("isolated  score", True),
    ("Audio Description", True),
    ("audio_description", True),
    ("Descriptive Video Service", True),
    ("English AD", True),
    ("AD", True),
    ("English (AD)", True),
    ("Commentary_Track", True),
    ("DVS", True),
    ("English (Descriptive Video)", True),
    ("Kommentar", True),
    ("Deutsch - Kommentar des Regisseurs", True),
    ("Audiodeskription", True),
    ("Hörfilm", True),
    ("commentaire", True),
    ("Commentaires", True),
    ("audiodescription", True),
    ("Français (audio-description)", True),
    ("Audiodescripción", True),
    ("Audiodescrizione", True),
    ("Comentário", True),
    ("Syntolkning", True),
    ("Komentarz", True),
    ("Dvsk", False),
    ("Kommentarlos", False),
    ("English", False),
    ("Adventure Time dub", False),
    ("Stereo", False),
    ("Directors", False),
    ("Descriptive-ish", True),
    ("Score", False),
    ("Bad", False),
    ("", False),
    (None, False),
]


@pytest.mark.parametrize(("title", "expected"), COMMENTARY_TITLES)
def test_commentary_titles(title: str | None, expected: bool) -> None:
    assert is_commentary_title(title) is expected


# Track names as real releases write them (issue 92, finding 3), per source:
# (title, not programme audio, audio description).
RELEASE_TRACK_NAMES = [
    # German Blu-rays' menu names, which remuxes keep as the track name (MakeMKV, then
    # MKVToolNix's "track name"): the commentary is a compound, "Audiokommentar".
    ("Audiokommentar", True, False),
    ("Audiokommentar m. Regisseur Chris Weitz DTS Stereo", True, False),
    ("Regiekommentar", True, False),
    ("Deutsch Audiokommentar", True, False),
    ("Kommentarspur", True, False),
    ("Hörfilmfassung", True, True),
    ("Deutsch - Audiodeskription", True, True),
    ("Deutsch (AD)", True, True),
    # English Blu-ray and DVD menus; US broadcast's Descriptive Video Service (DVS) and
    # Canada's "Described Video", which TV recordings and WEB-DLs keep.
    ("Director's Commentary", True, False),
    ("Commentary by Director Rian Johnson", True, False),
    ("English Commentary", True, False),
    ("Isolated Music Score", True, False),
    ("English - Audio Description", True, True),
    ("English [AD]", True, True),
    ("English DVS", True, True),
    ("Described Video", True, True),
    # The streaming services' audio menus ("<language> - Audio Description", localised),
    # which WEB-DL release groups copy into the track name; French and Spanish Blu-rays.
    ("Français - Audiodescription", True, True),
    ("Français (audio-description)", True, True),
    ("Vidéodescription", True, True),
    ("Commentaires audio", True, False),
    ("Commentaire du réalisateur", True, False),
    ("Español - Audiodescripción", True, True),
    ("Comentarios del director", True, False),
    ("Italiano - Audiodescrizione", True, True),
    ("Commento del regista", True, False),
    ("Português - Audiodescrição", True, True),
    ("Áudio Descrição", True, True),
    ("Comentários do diretor", True, False),
    ("Nederlands - Audiodescriptie", True, True),
    ("Regisseurscommentaar", True, False),
    ("Commentaar", True, False),
    # The Nordic broadcasters' names for audio description (SVT "Syntolkning", NRK
    # "Synstolking", DR "Synstolkning", Yle "Kuvailutulkkaus") and commentary on their
    # Blu-rays ("Kommentarspår", "Kommentar").
    ("Svenska - Syntolkning", True, True),
    ("Norsk - Synstolking", True, True),
    ("Synstolkning", True, True),
    ("Kuvailutulkkaus", True, True),
    ("Kommentarspår", True, False),
    ("Kommentar med regissøren", True, False),
    # Polish, Czech and Russian releases (Czech TV's "Audiopopis"; a Russian Cars 3
    # carries "Дубляж для слабовидящих", the dub for the visually impaired, after the dub).
    ("Polski - Audiodeskrypcja", True, True),
    ("Komentarz reżysera", True, False),
    ("Komentář režiséra", True, False),
    ("Audiopopis", True, True),
    ("Комментарии режиссёра", True, False),
    ("Тифлокомментарий", True, True),
    ("Дубляж для слабовидящих", True, True),
    # Programme tracks, as the same releases name them: never commentary. "AD" is read
    # only as a word of its own (not in "Adaptación", "Trad.", "Adam", "Madrid"), and a
    # word that goes on after "Kommentar" only by the endings listed ("Kommentarlos").
    ("Deutsch AC3 5.1", False, False),
    ("Deutsch DTS-HD MA 5.1", False, False),
    ("Français VFQ", False, False),
    ("Français VFF 5.1", False, False),
    ("English Stereo", False, False),
    ("DTS-HD MA 7.1", False, False),
    ("TrueHD Atmos 7.1", False, False),
    ("Castellano", False, False),
    ("Latino", False, False),
    ("Español Latino AC3 5.1", False, False),
    ("Adaptación", False, False),
    ("Trad.", False, False),
    ("Adam", False, False),
    ("Madrid", False, False),
    ("Kommentarlos", False, False),
    ("Русский Дубляж", False, False),
]


@pytest.mark.parametrize(("title", "not_programme", "described"), RELEASE_TRACK_NAMES)
def test_release_track_names(title: str, not_programme: bool, described: bool) -> None:
    """The one word list (engine.tracks) reads compounds and other languages' words:
    the verdict, each person's track, the default tracks and the kept tracks all take
    ``is_commentary`` from it, and the kept tracks tell audio description apart."""
    assert is_commentary_title(title) is not_programme
    assert is_description_title(title) is described
    assert make_track(1, "ger", title).is_commentary is not_programme


def test_a_stored_track_is_read_with_todays_words() -> None:
    """A track stored before its title's word was listed is read by today's list (the
    verdict's RULES_VERSION has its item decided again from the stored tracks)."""
    stored = make_track(2, "ger", "Audiokommentar").to_dict() | {"is_commentary": False}
    assert AudioTrack.from_dict(stored).is_commentary
    untitled = make_track(2, "ger", None).to_dict() | {"is_commentary": True}  # a snapshot's
    assert AudioTrack.from_dict(untitled).is_commentary


def test_commentary_flag_comes_from_the_file(media: MediaFactory) -> None:
    tracks = audio_of(
        media.template([AudioSpec("jpn"), AudioSpec("eng", title="Director's Commentary")])
    )
    assert [track.is_commentary for track in tracks] == [False, True]


def test_video_without_audio_has_no_tracks(media: MediaFactory) -> None:
    assert audio_of(media.template([])) == ()


# Rule: a file MediaInfo cannot read is an error file, reported with its reason.
@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("junk", "not a media file"),
        ("empty", "empty file"),
        ("truncated", "Matroska file without any stream (truncated?)"),
    ],
)
def test_corrupt_files_raise_probe_error(tmp_path: Path, kind: str, reason: str) -> None:
    path = make_corrupt(tmp_path / f"{kind}.mkv", kind)
    with pytest.raises(ProbeError) as caught:
        audio_of(path)
    assert reason in caught.value.reason
    assert caught.value.path == str(path)


def test_unreadable_file_raises_probe_error(media: MediaFactory, tmp_path: Path) -> None:
    path = make_unreadable(media.make_video(tmp_path / "locked.mkv", layout("eng")))
    with denied_file_access():
        # Guard: the file really cannot be opened here, also when running as root.
        with pytest.raises(PermissionError):
            path.open("rb")
        with pytest.raises(ProbeError, match="permission denied"):
            audio_of(path)


def test_file_in_a_folder_we_may_not_search(media: MediaFactory, tmp_path: Path) -> None:
    path = media.make_video(tmp_path / "locked" / "episode.mkv", layout("eng"))
    path.parent.chmod(0o600)  # readable listing, but no search (x) permission
    try:
        with denied_file_access(), pytest.raises(ProbeError, match="permission denied"):
            audio_of(path)
    finally:
        path.parent.chmod(0o755)


def test_vanished_file_raises_probe_error(tmp_path: Path) -> None:
    with pytest.raises(ProbeError, match="file not found"):
        audio_of(tmp_path / "gone.mkv")


def test_folder_named_like_a_video(media: MediaFactory, tmp_path: Path) -> None:
    folder = tmp_path / "Movie.mkv"
    media.make_video(folder / "inside.mkv", layout("eng"))
    with pytest.raises(ProbeError, match="is a folder"):
        audio_of(folder)


def test_a_fifo_named_like_a_video_is_refused_without_waiting(tmp_path: Path) -> None:
    # Opened blocking, a FIFO would wait for a writer that never comes: the scan hangs.
    path = tmp_path / "pipe.mkv"
    os.mkfifo(path)
    with pytest.raises(ProbeError, match="not a regular file"):
        audio_of(path)


def test_reads_go_on_after_empty_and_junk_files(tmp_path: Path, media: MediaFactory) -> None:
    # libmediainfo, fed no byte in its every-parser mode, broke the thread's handle:
    # the next read crashed the process.
    good = media.template(layout("jpn", "eng"))
    for kind in ("empty", "junk", "empty", "truncated"):
        with pytest.raises(ProbeError):
            audio_of(make_corrupt(tmp_path / f"{kind}.mkv", kind))
        assert [track.language for track in audio_of(good)] == ["jpn", "eng"]


@pytest.mark.parametrize(("content", "named"), [("mp4", "mkv"), ("mkv", "mp4"), ("ts", "avi")])
def test_a_file_whose_extension_lies_is_read_by_its_content(
    media: MediaFactory, tmp_path: Path, content: str, named: str
) -> None:
    path = tmp_path / f"episode.{named}"
    path.write_bytes(media.template(layout("jpn", "eng"), content).read_bytes())
    assert [track.language for track in audio_of(path)] == ["jpn", "eng"]


def test_probe_opens_a_file_once(media: MediaFactory, tmp_path: Path) -> None:
    # On a share each open is a round trip; by name libmediainfo opens a file 3 times.
    path = media.make_video(tmp_path / "Show" / "S01E01.mkv", layout("jpn", "eng"))
    audio_of(path)  # the first read loads pycountry's tables
    with INotify() as watcher:
        # Closes and reads watched too: the kernel merges an event into the same
        # event just before it, so opens in a row would count as one.
        watcher.add_watch(path, flags.OPEN | flags.CLOSE_NOWRITE | flags.ACCESS)
        tracks = audio_of(path)
        events = watcher.read(timeout=0)
    assert [track.language for track in tracks] == ["jpn", "eng"]
    assert sum(1 for event in events if event.mask & flags.OPEN) == 1


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.binary(max_size=2048), extension=st.sampled_from([".mkv", ".mp4", ".ts", ".avi"]))
def test_any_bytes_give_tracks_or_probe_error(
    tmp_path: Path, content: bytes, extension: str
) -> None:
    path = tmp_path / f"random{extension}"
    path.write_bytes(content)
    try:
        tracks = audio_of(path)
    except ProbeError as error:
        assert error.reason
    else:
        assert all(isinstance(track, AudioTrack) for track in tracks)


def test_a_download_cut_short_is_no_read_though_its_header_is_whole(
    media: MediaFactory, tmp_path: Path
) -> None:
    # Issue 67: even with every track header there, a file shorter than its container
    # says is read again next time, not judged (it may still be being copied).
    source = media.template(layout("jpn", "eng"))
    path = tmp_path / "partial.mkv"
    data = source.read_bytes()
    path.write_bytes(data[: len(data) * 3 // 4])
    with pytest.raises(ProbeError, match="cut short"):
        audio_of(path)


def test_tracks_survive_json_storage(media: MediaFactory) -> None:
    tracks = audio_of(media.template([AudioSpec("en-US", title="Commentary", forced=True)]))
    stored = json.loads(json.dumps([track.to_dict() for track in tracks]))
    assert tuple(AudioTrack.from_dict(data) for data in stored) == tracks


def test_probe_from_threads_agrees(media: MediaFactory) -> None:
    # The pipeline may probe from a thread pool: same options, same answers.
    paths = [media.template(layout(*languages)) for languages in (("jpn", "eng"), ("fre",))]
    expected = {path: audio_of(path) for path in paths}
    results: list[bool] = []

    def work() -> None:
        results.extend(audio_of(path) == expected[path] for path in paths * 10)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [True] * 80


def test_a_parse_with_other_options_between_two_reads_changes_nothing(
    media: MediaFactory,
) -> None:
    """Most of MediaInfo's options are the library's, not a handle's: each read sets
    its own again, also on the thread's handle it keeps."""
    path = media.template(MIXED_LAYOUT)
    before = audio_of(path)
    assert MediaInfo.parse(path, output="XML").startswith("<?xml")  # XML, in between
    assert audio_of(path) == before


def test_probe_accepts_str_and_pathlike(media: MediaFactory) -> None:
    path = media.template(layout("ita"))
    assert audio_of(os.fspath(path)) == audio_of(path)


def _bytes_read_by_this_process() -> int:
    # rchar: bytes this process got from read() calls, cached or not.
    with open("/proc/self/io") as counters:
        for line in counters:
            if line.startswith("rchar:"):
                return int(line.split()[1])
    raise AssertionError("no rchar in /proc/self/io")


def test_probe_reads_only_the_headers_of_a_long_file(media: MediaFactory) -> None:
    # parse_speed=0: the track headers are all we need. A 30 s, 1.5 MB Matroska
    # file costs MediaInfo's default parse ~700 KB of reads and audio_of() ~70 KB.
    path = media.template(layout("jpn", "eng"), seconds=30)
    audio_of(path)  # first call loads pycountry's tables; keep them out of the count
    before = _bytes_read_by_this_process()
    tracks = audio_of(path)
    probe_bytes = _bytes_read_by_this_process() - before
    before = _bytes_read_by_this_process()
    MediaInfo.parse(path)
    default_bytes = _bytes_read_by_this_process() - before
    assert [track.language for track in tracks] == ["jpn", "eng"]
    assert probe_bytes * 4 < default_bytes
    assert probe_bytes < path.stat().st_size / 10


MIXED_LAYOUT = [
    AudioSpec("jpn", default=True),
    AudioSpec("en-US", title="English Commentary", forced=True),
    AudioSpec("fre", title="Français"),
    AudioSpec(None),
]


@pytest.mark.parametrize("container", CONTAINERS)
def test_probe_agrees_with_a_full_default_parse(media: MediaFactory, container: str) -> None:
    # The fast options (template output, parse_speed=0) must lose nothing that
    # MediaInfo's default, complete XML parse finds.
    path = media.template(MIXED_LAYOUT, container)
    full = MediaInfo.parse(path)
    assert [
        (track.raw_language, track.title, track.default, track.forced, track.codec)
        for track in audio_of(path)
    ] == [
        (
            track.language,
            track.title,
            track.default == "Yes",
            track.forced == "Yes",
            mediainfo_codec(track.format),
        )
        for track in full.audio_tracks
    ]


@pytest.mark.parametrize("container", CONTAINERS)
def test_probe_reads_what_mediainfo_reads_by_name(media: MediaFactory, container: str) -> None:
    # probe() hands libmediainfo the file's bytes with the parser forced; by name,
    # libmediainfo opens the file and picks the parser itself. Same tracks.
    subtitles = FIELD_SUBTITLES.get(container, ())
    path = media.template(MIXED_LAYOUT, container, subtitles=subtitles)
    by_name = MediaInfo.parse(path, output=_TEMPLATE, full=False, parse_speed=0)
    assert probe(path) == _parse_output(str(path), by_name)
    assert len(probe(path).audio) == len(MIXED_LAYOUT)


def test_once_a_file_was_probed_mediainfo_composes_no_human_readable_fields(
    media: MediaFactory,
) -> None:
    path = media.template(layout("jpn"))
    probe(path)
    sizes = MediaInfo.parse(path, output="General;%FileSize%|%FileSize/String%", full=False)
    assert sizes == f"{path.stat().st_size}|"  # the number, and no "5.86 KiB" beside it


# The subtitle formats of test_subtitle_tracks_from_real_files, beside the mixed audio.
FIELD_SUBTITLES = {
    "mkv": [SubtitleSpec("ger", codec="ass"), SubtitleSpec("fre", title="Forced", forced=True)],
    "mp4": [SubtitleSpec("eng", title="Signs & Songs", codec="mov_text")],
}


@pytest.mark.parametrize("container", CONTAINERS)
def test_the_fields_probe_reads_are_the_same_without_human_readable_fields(
    media: MediaFactory, container: str
) -> None:
    path = media.template(MIXED_LAYOUT, container, subtitles=FIELD_SUBTITLES.get(container, ()))
    probe(path)  # sets the process-wide options; probe() sets them only once
    read = {}
    try:
        for human in (True, False):
            human_readable_fields(human)
            read[human] = MediaInfo.parse(path, output=_TEMPLATE, full=False, parse_speed=0)
    finally:
        human_readable_fields(False)  # as probe() left it
    assert read[True] == read[False]
    records = [record.lstrip("\r\n") for record in read[False].split("\x1e")]
    assert sum(record.startswith("A\x1f") for record in records) == len(MIXED_LAYOUT)


def test_a_file_name_that_is_not_utf8_is_probed(media: MediaFactory, tmp_path: Path) -> None:
    name = os.fsdecode(b"Bad\xff\xfe - S01E04.mkv")
    path = tmp_path / name
    media.make_video(path, layout("jpn", "eng"))
    assert [track.language for track in audio_of(path)] == ["jpn", "eng"]


def test_an_unreadable_file_with_a_name_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / os.fsdecode(b"Gone\xff.mkv")
    with pytest.raises(ProbeError) as raised:
        audio_of(path)
    assert "file not found" in raised.value.reason
    assert "Gone\ufffd.mkv" in str(raised.value)  # the message shows it readably


def test_a_locked_file_with_a_name_that_is_not_utf8(media: MediaFactory, tmp_path: Path) -> None:
    path = tmp_path / os.fsdecode(b"Locked\xff.mkv")
    make_unreadable(media.make_video(path, layout("eng")))
    with denied_file_access(), pytest.raises(ProbeError, match="permission denied"):
        audio_of(path)


@pytest.mark.parametrize("container", ["mkv", "mp4", "ts"])
def test_a_language_only_in_the_bcp47_element(media: MediaFactory, container: str) -> None:
    spec = AudioSpec("zh-Hant", bcp47_only=True) if container == "mkv" else AudioSpec("chi")
    (first, track) = audio_of(media.template([AudioSpec("jpn"), spec], container))
    assert (first.language, track.language) == ("jpn", "zho")


# Subtitles come in the same read: MP4 mov_text, Matroska SRT, ASS and PGS.
@pytest.mark.parametrize(
    ("container", "codec", "format"),
    [("mp4", "mov_text", "Timed Text"), ("mkv", "srt", "UTF-8"), ("mkv", "ass", "ASS"),
     ("mkv", "pgs", "PGS")],
)  # fmt: skip
def test_subtitle_tracks_from_real_files(
    media: MediaFactory, container: str, codec: str, format: str
) -> None:
    subtitles = [
        SubtitleSpec("ger", codec=codec),
        SubtitleSpec("fre", title="Forced", forced=True, codec=codec),
        SubtitleSpec("eng", title="Signs & Songs", codec=codec),
    ]
    read = probe(media.template(layout("jpn", "eng"), container, subtitles=subtitles))
    assert [track.language for track in read.audio] == ["jpn", "eng"]
    assert [(s.position, s.language, s.format) for s in read.subtitles] == [
        (1, "deu", format), (2, "fra", format), (3, "eng", format)
    ]  # fmt: skip
    assert [s.full for s in read.subtitles] == [True, False, False]
    if container == "mkv":  # MP4 keeps no forced flag: the title tells
        assert read.subtitles[1].forced


def test_a_file_without_subtitles_has_none(media: MediaFactory) -> None:
    assert probe(media.template(layout("jpn"))).subtitles == ()


# Issue 67: a file cut short (still being copied, or cut off) is no read. Cut between
# its Tracks entries, MediaInfo lists (and counts) one audio track fewer and says so
# only in General's IsTruncated; read as it is, the German track would seem lost.
def test_a_file_cut_between_its_track_entries_is_no_read(
    media: MediaFactory, tmp_path: Path
) -> None:
    from tests.matroska import SEGMENT, TRACK_ENTRY, TRACKS, elements

    whole = media.template([AudioSpec("jpn"), AudioSpec("deu"), AudioSpec("eng")], "mkv")
    data = whole.read_bytes()
    segment = next(e for e in elements(data, 0, len(data)) if e.id == SEGMENT)
    tracks = next(e for e in elements(data, segment.data_start, segment.data_end) if e.id == TRACKS)
    entries = [e for e in elements(data, tracks.data_start, tracks.data_end) if e.id == TRACK_ENTRY]
    cut = tmp_path / "cut.mkv"
    cut.write_bytes(data[: entries[-1].start])  # the last (English) entry missing
    # Guard: MediaInfo itself reads the cut file as fewer tracks, and as truncated.
    general = MediaInfo.parse(cut).general_tracks[0]
    assert general.istruncated == "Yes"
    assert len(MediaInfo.parse(cut).audio_tracks) < 3
    with pytest.raises(ProbeError, match="cut short"):
        probe(cut)
    assert [track.language for track in probe(whole).audio] == ["jpn", "deu", "eng"]
