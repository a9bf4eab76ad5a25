"""Issue 60, item 2: targets may name a variety (tagging-rules.md, "Varieties"). The
tracks are built as ``probe`` builds them (``make_track``: the variety from the
language tag and the title); the scans of real files are in
tests/scanner/pipeline/test_regional_targets.py."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from scanner.engine.file_varieties import latin_as_latino, with_file_varieties
from scanner.engine.labels import TAG_LABEL, LabelSet, label_errors
from scanner.engine.per_language import (
    SubtitleTag,
    coverage,
    language_tags,
    render_label,
    subtitle_tags,
)
from scanner.engine.targets import item_targets, meets, target_code, validate_targets
from scanner.engine.tracks import FileTracks, make_subtitle, make_track
from scanner.engine.verdict import FileResult, Policy, Tag, file_result, item_verdict
from scanner.errors import ConfigError

Track = tuple[str | None, str | None]  # language tag, title


def _file(
    audio: Sequence[Track],
    targets: Sequence[str],
    *,
    original: str = "eng",
    unknown_counts: bool = False,
    subs: Sequence[str] = (),
    episode: int = 1,
) -> FileResult:
    tracks = FileTracks(
        tuple(make_track(i, tag, title) for i, (tag, title) in enumerate(audio, start=1)),
        tuple(make_subtitle(i, tag) for i, tag in enumerate(subs, start=1)),
    )
    tracks = latin_as_latino(tracks)  # the instance option's default
    return file_result(
        tracks.audio, original, validate_targets(targets),
        Policy(unknown_variety_counts=unknown_counts), path=f"E{episode:02d}.mkv", season=1,
        episodes=(episode,), subtitles=tracks.subtitles,
    )  # fmt: skip


ENGLISH: Track = ("eng", None)
VFF: Track = ("fre", "VFF")
VFQ: Track = ("fre", "VFQ")
FRENCH: Track = ("fre", None)  # no source names its variety


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("fr-CA", "fr-CA"), ("fr-ca", "fr-CA"), ("fra_CA", "fr-CA"), ("FR-fr", "fr-FR"),
        ("es-419", "es-419"), ("es-ES", "es-ES"), ("pt-BR", "pt-BR"), ("pt-PT", "pt-PT"),
        ("yue", "yue"), ("zh-yue", "yue"), ("cmn", "cmn"), ("zh-Hant", "zh-Hant"),
        # Plain targets stay as they were stored: any French, any Chinese, Bokmål.
        ("fr", "fra"), ("French", "fra"), ("zh", "zho"), ("nb", "nob"), ("id", "ind"),
    ],
)  # fmt: skip
def test_a_target_is_stored_as_its_variety_or_its_language(value: str, stored: str) -> None:
    assert target_code(value) == stored


@pytest.mark.parametrize("value", ["xx-CA", "fr-XX", "und-CA", "fr-CA-", ""])
def test_a_target_that_names_no_language_is_refused(value: str) -> None:
    with pytest.raises(ConfigError):
        validate_targets([value])


def test_a_quebec_library_wants_the_vfq() -> None:
    """Target fr-CA: a VFF-only film is no dub-fr-ca, but not wrong either (French is
    the right language); a VFQ film is. Its tag is dub-fr-ca."""
    vff = _file([ENGLISH, VFF], ["fr-CA"])
    assert (vff.missing, vff.unexpected, vff.wrong) == ({"fr-CA"}, frozenset(), False)
    assert item_verdict([vff]).tag == Tag.NONE
    assert language_tags([vff]) == {"fr-CA": Tag.NONE}

    vfq = _file([ENGLISH, VFQ], ["fr-CA"])
    assert vfq.has_all and item_verdict([vfq]).tag == Tag.DUB
    assert "French (fr-CA)" in item_verdict([vfq]).reasons["summary"]
    labels = LabelSet(summary={}, language_on=True).language_labels(
        {code: str(tag) for code, tag in language_tags([vfq]).items()}, {}
    )
    assert labels == ["dub-fr-ca"]
    # The BCP-47 element (MediaInfo reports it as the language) says it as well.
    assert _file([ENGLISH, ("fr-CA", None)], ["fr-CA"]).has_all
    # A series with the VFQ in one of two episodes: semi-dub-fr-ca, half covered.
    episodes = [_file([ENGLISH, VFQ], ["fr-CA"]), _file([ENGLISH, VFF], ["fr-CA"], episode=2)]
    assert language_tags(episodes) == {"fr-CA": Tag.SEMI_DUB}
    assert coverage(episodes) == {"fr-CA": (1, 2)}


def test_a_latin_american_library_with_lat_tracks() -> None:
    """Target es-419: a ``lat`` track (Latin-American Spanish by the default option),
    a Latino title, or a country of Latin America meets it; Castilian does not."""
    met = [
        [ENGLISH, ("lat", None)],
        [ENGLISH, ("spa", "Latino")],
        [ENGLISH, ("es-MX", None)],  # Mexico is in region 419
        [ENGLISH, ("es-419", None)],
    ]
    for audio in met:
        assert _file(audio, ["es-419"]).has_all, audio
    castilian = _file([ENGLISH, ("spa", "Castellano")], ["es-419"])
    assert not castilian.has_some and not castilian.wrong
    assert not _file([ENGLISH, ("es-419", None)], ["es-MX"]).has_some  # 419 is not Mexico


def test_a_mixed_library_any_french_and_brazilian_portuguese() -> None:
    targets = ["fr", "pt-BR"]
    both = _file([ENGLISH, VFF, ("por", "Brasileiro")], targets)
    assert both.has_all and item_verdict([both]).tag == Tag.DUB
    european = _file([ENGLISH, VFQ, ("pt-PT", None)], targets)
    assert european.missing == {"pt-BR"} and not european.wrong
    assert item_verdict([european]).tag == Tag.SEMI_DUB  # one of the two targets
    assert language_tags([both, european]) == {"fra": Tag.DUB, "pt-BR": Tag.SEMI_DUB}
    labels = LabelSet(summary={}, language_on=True).language_labels(
        {code: str(tag) for code, tag in language_tags([both, european]).items()}, {}
    )
    assert labels == ["dub-fr", "semi-dub-pt-br"]


def test_a_track_of_unknown_variety_counts_as_the_option_says() -> None:
    """Off (the default): an untitled French track does not meet fr-CA; on: it does.
    Either way the answer rests on it, and the verdict says so."""
    off = _file([ENGLISH, FRENCH], ["fr-CA"])
    on = _file([ENGLISH, FRENCH], ["fr-CA"], unknown_counts=True)
    assert (off.has_all, on.has_all) == (False, True)
    assert off.unsure == on.unsure == {"fr-CA"}
    assert item_verdict([off]).reasons["variety_unknown"] == ["fr-CA"]
    assert item_verdict([on]).reasons["seasons"][0]["files"][0]["variety_unknown"] == ["fr-CA"]
    # A track known to be another variety is no unknown one: the option changes nothing.
    assert not _file([ENGLISH, VFF], ["fr-CA"], unknown_counts=True).has_some
    # A known VFQ beside an untitled French track: the VFQ decides, not the unknown.
    decided = _file([ENGLISH, VFQ, FRENCH], ["fr-CA"])
    assert decided.has_all and not decided.unsure
    assert "variety_unknown" not in item_verdict([decided]).reasons


def test_cantonese_means_cantonese_and_chinese_any_chinese() -> None:
    mandarin, cantonese, chinese = ("chi", "Mandarin"), ("chi", "粵語"), ("chi", None)
    for audio in (mandarin, cantonese, chinese, ("yue", None), ("zh-yue", None)):
        assert _file([ENGLISH, audio], ["zh"]).has_all, audio  # plain: as before
    assert _file([ENGLISH, cantonese], ["yue"]).has_all
    assert _file([ENGLISH, ("yue", None)], ["yue"]).has_all
    assert not _file([ENGLISH, mandarin], ["yue"]).has_some
    assert not _file([ENGLISH, chinese], ["yue"]).has_some  # Chinese, variety unknown
    assert _file([ENGLISH, chinese], ["yue"]).unsure == {"yue"}
    assert _file([ENGLISH, mandarin], ["cmn"]).has_all
    # A Chinese original leaves out a Cantonese target, as it leaves out a Chinese one.
    assert item_targets(["yue", "de"], "zho").wanted == {"deu"}


def test_a_regional_target_of_the_original_language_is_left_out() -> None:
    """A French film for a Quebec user: its original is French, as with a plain fr."""
    film = _file([VFF], ["fr-CA"], original="fra")
    assert not film.targets and item_verdict([film]).tag == Tag.NONE


def test_regional_subtitles() -> None:
    """sub-pt-br from a pt-BR subtitle; a plain Portuguese one is of unknown variety."""
    brazilian = _file([ENGLISH], ["pt-BR"], subs=["pt-BR"])
    plain = _file([ENGLISH], ["pt-BR"], subs=["por"], episode=2)
    assert subtitle_tags([brazilian], ["pt-BR"]) == {"pt-BR": SubtitleTag.SUB}
    assert subtitle_tags([brazilian, plain], ["pt-BR"]) == {"pt-BR": SubtitleTag.SEMI_SUB}
    assert plain.unsure == {"pt-BR"}
    counted = subtitle_tags([brazilian, plain], ["pt-BR"], unknown_variety_counts=True)
    assert counted == {"pt-BR": SubtitleTag.SUB}


@pytest.mark.parametrize(
    ("template", "target", "label"),
    [
        ("dub-{lang}", "fr-CA", "dub-fr-ca"),
        ("semi-dub-{lang}", "es-419", "semi-dub-es-419"),
        ("sub-{lang}", "pt-BR", "sub-pt-br"),
        ("dub-{lang}", "yue", "dub-yue"),
        ("dub-{lang}", "zh-Hant", "dub-zh-hant"),
        ("dub-{lang}", "fra", "dub-fr"),  # plain, as before
    ],
)
def test_a_regional_targets_tag_is_its_tag_in_lower_case(
    template: str, target: str, label: str
) -> None:
    """Sonarr takes a tag label of a-z, 0-9 and - (src/Sonarr.Api.V3/Tags/TagController.cs:
    ``Matches("^[a-z0-9-]+$", RegexOptions.IgnoreCase)``, "Allowed characters a-z, 0-9
    and -") and stores it lower-cased (src/NzbDrone.Core/Tags/TagService.cs:
    ``tag.Label.ToLowerInvariant()``); Radarr v6 the same, in lower case only."""
    assert render_label(template, target) == label
    assert TAG_LABEL.match(label)


def test_labels_of_regional_targets_are_valid_and_distinct() -> None:
    labels = LabelSet(summary={"dub": "dub", "semi-dub": "semi-dub", "wrong-dub": "wrong-dub"})
    targets = validate_targets(["fr", "fr-CA", "fr-FR", "es-419", "pt-BR", "yue", "cmn"])
    assert label_errors(labels, targets) == {}
    assert {"dub-fr", "dub-fr-ca", "dub-fr-fr", "sub-es-419"} <= labels.every_label(targets)


def test_plain_targets_are_met_by_any_variety_as_before() -> None:
    for audio in (VFF, VFQ, FRENCH, ("fr-CA", None), ("fr-FR", None)):
        assert _file([ENGLISH, audio], ["fr"]).has_all, audio
    assert meets("fra", ["fr-CA"]) and meets("fra", ["fra"])
    assert not meets("fr-CA", ["fra"]) and meets("fr-CA", ["fra"], unknown_counts=True)


def test_another_variety_is_the_right_language_never_wrong() -> None:
    """Issue 68, item 4: a track of a target's language, of another or unknown variety,
    never makes a file wrong, whatever other languages stand beside it."""
    latino = ("spa", "Latino")
    # Coco: English original, English + VFF + Latin-American Spanish, for fr-CA.
    coco = _file([ENGLISH, VFF, latino], ["fr-CA"])
    assert (coco.missing, coco.unexpected, coco.wrong) == ({"fr-CA"}, {"spa"}, False)
    assert item_verdict([coco]).tag == Tag.NONE
    assert language_tags([coco]) == {"fr-CA": Tag.NONE}
    # French of unknown variety beside Spanish: the same.
    assert not _file([ENGLISH, FRENCH, latino], ["fr-CA"]).wrong
    assert not _file([("jpn", None), FRENCH, ("ger", None)], ["fr-CA"], original="jpn").wrong
    # Mandarin for a Cantonese target, beside German: Chinese, of another variety.
    mandarin = _file([ENGLISH, ("cmn", None), ("ger", None)], ["yue"])
    assert (mandarin.unexpected, mandarin.wrong) == ({"deu"}, False)
    assert not _file([ENGLISH, ("chi", "國語")], ["yue"]).wrong
    # With no French at all, Spanish alone is still another language: wrong-dub.
    spanish = _file([latino], ["fr-CA"])
    assert spanish.wrong and item_verdict([spanish]).tag == Tag.WRONG_DUB
    assert _file([("ger", None)], ["yue"]).wrong


def test_plain_targets_decide_wrong_as_before() -> None:
    """A plain target's language is itself: Nynorsk is not Bokmål, Spanish not French."""
    assert _file([("nno", None)], ["nb"]).wrong
    assert _file([("spa", None)], ["fr"]).wrong
    assert _file([ENGLISH, ("spa", None)], ["fr"]).wrong  # the original and Spanish only
    assert not _file([ENGLISH, FRENCH, ("spa", None)], ["fr"]).wrong  # French meets it


def test_a_release_holding_both_french_dubs_meets_fr_ca() -> None:
    """Squid Game: Korean original, ``MULTi.VF2``, Korean + English + two untitled French
    tracks: the release holds both French dubs, so it holds the VFQ (item 3)."""
    audio = [("kor", None), ("eng", None), FRENCH, FRENCH]
    tracks = with_file_varieties(
        FileTracks(tuple(make_track(i, tag, title) for i, (tag, title) in enumerate(audio, 1))),
        "Squid.Game.S01E01.MULTi.VF2.1080p.NF.WEB-DL.DDP5.1.x264-GRP.mkv",
    )
    squid = file_result(tracks.audio, "kor", ["fr-CA"], Policy())
    assert squid.has_all and not squid.unsure
    assert {"fr-CA", "fr-FR"} <= squid.voices
    assert item_verdict([squid]).tag == Tag.DUB
    assert language_tags([squid]) == {"fr-CA": Tag.DUB}
    # A fr-FR target is met by the same file; a plain fr target as before.
    assert file_result(tracks.audio, "kor", ["fr-FR"], Policy()).has_all
    assert file_result(tracks.audio, "kor", ["fr"], Policy()).has_all
