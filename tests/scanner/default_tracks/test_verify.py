"""verify.same_but_flags: two real MediaInfo reads (scanner.engine.probe) of files that
differ in one thing each, and of one file whose flags alone changed."""

from __future__ import annotations

import shutil
from dataclasses import replace

from scanner.default_tracks.verify import Reading, read_again, same_but_flags
from scanner.engine.probe import probe
from tests.media import AudioSpec, SubtitleSpec
from tests.mkv_files import mkvmerge_file, mkvpropedit

AUDIO = [AudioSpec("fre", title="VFF", default=True), AudioSpec("fre", title="VFQ")]
SUBTITLES = [SubtitleSpec("fre")]


def _reading(tmp_path, name, audio=AUDIO, subtitles=SUBTITLES):
    # One name for every file: the variety a file's name says is the same in each.
    folder = tmp_path / name
    return read_again(mkvmerge_file(folder / "Film (2020).mkv", audio, subtitles))


def test_only_the_flags_changed(tmp_path):
    path = mkvmerge_file(tmp_path / "Film (2020).mkv", AUDIO, SUBTITLES)
    before = read_again(path)
    mkvpropedit(path, {("audio", 1): False, ("audio", 2): True})
    after = read_again(path)
    assert [t.default for t in after.tracks.audio] == [False, True]
    assert same_but_flags(before, after) is None
    assert same_but_flags(before.tracks, after.tracks) is None  # FileTracks alone


def test_each_difference_named(tmp_path):
    before = _reading(tmp_path, "a")
    assert same_but_flags(before, _reading(tmp_path, "b", audio=AUDIO[:1])) == "audio-count"
    retitled = [AUDIO[0], replace(AUDIO[1], title="VFI")]
    assert same_but_flags(before, _reading(tmp_path, "c", audio=retitled)) == "audio"
    assert same_but_flags(before, _reading(tmp_path, "d", subtitles=())) == "subtitle-count"
    forced = [SubtitleSpec("fre", forced=True)]
    assert same_but_flags(before, _reading(tmp_path, "e", subtitles=forced)) == "subtitles"


def test_size_and_duration(tmp_path):
    before = _reading(tmp_path, "a")
    assert before.size is not None and before.duration is not None
    assert same_but_flags(before, replace(before, size=before.size + 1)) == "size"
    assert same_but_flags(before, replace(before, duration=before.duration + 1)) == "duration"
    assert same_but_flags(before, Reading(before.tracks)) is None  # not known: not compared


def test_a_file_replaced_by_another_with_other_tracks(tmp_path):
    path = mkvmerge_file(tmp_path / "x" / "Film (2020).mkv", AUDIO, SUBTITLES)
    before = probe(path)
    other = mkvmerge_file(tmp_path / "y" / "Film (2020).mkv", [AudioSpec("eng")])
    shutil.copyfile(other, path)
    assert same_but_flags(before, probe(path)) == "audio-count"
