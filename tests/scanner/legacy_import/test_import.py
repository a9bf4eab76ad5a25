"""import_config / import_state with files in the original Taggarr formats."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from fakes.arr import FakeArr, FakeArrOptions
from fakes.arr.samples import build_series
from scanner.models import Instance, Media
from tests.helpers import arr_tags, scan_inline
from tests.media import MediaFactory, layout

UPSTREAM_YAML = """\
defaults:
  target_languages: [en]
  tags:
    dub: "dub"
    semi: "semi-dub"
    wrong: "wrong-dub"
  dry_run: false
  quick_mode: false
  run_interval_seconds: 7200
  log_level: INFO

instances:
  sonarr-a:
    type: sonarr
    url: ${SONARR_URL}
    api_key: ${SONARR_API_KEY}
    root_path: ROOT_A
  sonarr-b:
    type: sonarr
    url: ${SONARR_URL}
    api_key: ${SONARR_API_KEY}
    root_path: ROOT_B
    target_languages: [ja, en]
    tags:
      dub: "dubbed"
    target_genre: Anime
"""


def _write(tmp_path: Path, text: str, **roots: str) -> Path:
    for name, value in roots.items():
        text = text.replace(name, value)
    path = tmp_path / "taggarr.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _import(path: Path) -> str:
    out = StringIO()
    call_command("import_config", str(path), stdout=out)
    return out.getvalue()


@pytest.fixture
def env(monkeypatch) -> None:
    monkeypatch.setenv("SONARR_URL", "http://sonarr:8989")
    monkeypatch.setenv("SONARR_API_KEY", "original-key-0123456789")


@pytest.mark.django_db
def test_import_creates_then_is_idempotent_then_updates(tmp_path: Path, env) -> None:
    path = _write(tmp_path, UPSTREAM_YAML, ROOT_A="/tv/a", ROOT_B="/tv/b")
    output = _import(path)
    assert "created: instance 'sonarr-a'" in output
    assert "defaults.log_level is ignored" in output
    a, b = Instance.objects.get(name="sonarr-a"), Instance.objects.get(name="sonarr-b")
    assert (a.kind, a.url, a.root_folders, a.target_languages) == (
        "sonarr",
        "http://sonarr:8989",
        ["/tv/a"],
        ["eng"],
    )
    assert a.scan_interval_minutes == 120
    assert a.get_api_key() == "original-key-0123456789"
    assert (b.target_languages, b.tag_dub, b.tag_semi_dub, b.genre_filter) == (
        ["jpn", "eng"],
        "dubbed",
        "semi-dub",
        ["Anime"],
    )
    encrypted = a.api_key_encrypted

    assert "unchanged: instance 'sonarr-a'" in _import(path)
    a.refresh_from_db()
    assert a.api_key_encrypted == encrypted  # not even re-encrypted

    path.write_text(path.read_text().replace("root_path: /tv/a", "root_path: /tv/a2"))
    assert "updated: instance 'sonarr-a'" in _import(path)
    assert Instance.objects.get(name="sonarr-a").root_folders == ["/tv/a2"]
    assert Instance.objects.count() == 2


@pytest.mark.django_db
def test_the_import_reads_languages_as_the_api_and_the_admin_do(tmp_path: Path, env) -> None:
    """Issue 79, finding 5: one reader everywhere. A language's own name, a variety's
    word and its name in its own language are read as the API reads them."""
    text = UPSTREAM_YAML.replace("target_languages: [ja, en]", (
        "target_languages: [Deutsch, Latino, français canadien, 日本語]"
    ))  # fmt: skip
    _import(_write(tmp_path, text, ROOT_A="/tv/a", ROOT_B="/tv/b"))
    assert Instance.objects.get(name="sonarr-b").target_languages == [
        "deu", "es-419", "fr-CA", "jpn",
    ]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("api_key: ${SONARR_API_KEY}", "api_key: ${NOT_SET_ANYWHERE}"),
            r"taggarr.yaml:16: instances.sonarr-a.api_key: environment variable NOT_SET_ANYWHERE",
        ),
        (
            ("    root_path: /tv/a\n", ""),
            r"taggarr.yaml:13: instances.sonarr-a: 'root_path' is missing",
        ),
        (
            ("target_languages: [ja, en]", "target_languages: [ja, klingonish]"),
            r"taggarr.yaml:23: instances.sonarr-b.target_languages: "
            r"unknown language or region 'klingonish'",
        ),
        (
            ('dub: "dubbed"', 'dub: "Dubbed Now!"'),
            r"taggarr.yaml:25: instances.sonarr-b.tags.dub: Use only lowercase",
        ),
        (
            ("sonarr-b:\n    type: sonarr", "sonarr-b:\n    type: lidarr"),
            r"taggarr.yaml:19: instances.sonarr-b.type: must be sonarr or radarr",
        ),
        (("dry_run: false", "dry_run: [oops"), r"taggarr.yaml:\d+: not valid YAML"),
        (
            ("url: ${SONARR_URL}", "url: ftp://nope"),
            r"instances.sonarr-a.url: 'ftp://nope' must start",
        ),
        (
            ("api_key: ${SONARR_API_KEY}", "api_key: abcde"),
            r"taggarr.yaml:16: instances.sonarr-a.api_key: an API key has at least 20 characters",
        ),
    ],
    ids=[
        "missing-env",
        "missing-key",
        "bad-language",
        "bad-tag",
        "bad-type",
        "bad-yaml",
        "bad-url",
        "short-key",
    ],
)
def test_bad_file_names_line_and_key_and_saves_nothing(tmp_path, env, change, message) -> None:
    text = UPSTREAM_YAML.replace("ROOT_A", "/tv/a").replace("ROOT_B", "/tv/b")
    assert change[0] in text
    path = _write(tmp_path, text.replace(change[0], change[1], 1))
    with pytest.raises(CommandError, match=message):
        _import(path)
    assert Instance.objects.count() == 0


def _alias_bomb(levels: int) -> str:
    """The "billion laughs": each level names the one before nine times."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    return "\n".join(lines) + f"\ninstances: {{bomb: {{type: sonarr, url: *l{levels - 1}}}}}\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_alias_bomb(9), r"taggarr.yaml:2: not valid YAML: aliases \(\*name\) are not allowed"),
        ("instances: &all\n  a:\n    <<: *all\n", r"taggarr.yaml:3: not valid YAML: aliases"),
        ("instances: &all\n  a: *all\n", r"taggarr.yaml:2: not valid YAML: aliases"),
        (
            UPSTREAM_YAML.replace("  sonarr-a:", '  "sonarr\\0a":'),
            r"taggarr.yaml:13: instances: 'sonarr\\x00a' holds a NUL character",
        ),
        (
            UPSTREAM_YAML.replace("target_genre: Anime", 'target_genre: "Ani\\0me"'),
            r"taggarr.yaml:26: instances.sonarr-b.target_genre: 'Ani\\x00me' holds a NUL",
        ),
        ("instances: " + "[" * 5_000 + "]" * 5_000, r"taggarr.yaml: not valid YAML: nested too"),
    ],
    ids=["alias-bomb", "merge-alias-loop", "alias-loop", "nul-in-name", "nul-in-value", "deep"],
)
def test_a_file_that_would_run_away_is_refused_with_its_line(tmp_path, env, text, message) -> None:
    """Aliases are refused (a few lines expand to billions of values, or to a loop), as are
    NUL characters (PostgreSQL cannot store them) and nesting deeper than the parser goes."""
    with pytest.raises(CommandError, match=message):
        _import(_write(tmp_path, text, ROOT_A="/tv/a", ROOT_B="/tv/b"))
    assert Instance.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_instances_on_one_sonarr_handle_each_show_once(
    tmp_path: Path, env, monkeypatch
) -> None:
    media = MediaFactory(tmp_path / "templates")
    root_a, root_b = tmp_path / "tv-a", tmp_path / "tv-b"
    shows = {"Alpha": root_a, "Bravo": root_a, "Charlie": root_b, "Delta": root_b}
    items = []
    for number, (title, root) in enumerate(shows.items(), start=1):
        media.make_video(root / title / "Season 01" / f"{title} - S01E01.mkv", layout("jpn", "eng"))
        item = build_series(
            number, title=title, path=str(root / title), original_language="Japanese"
        )
        item["genres"] = ["Anime"]
        items.append(item)
    with FakeArr(FakeArrOptions(api_key="original-key-0123456789"), items=items) as sonarr:
        monkeypatch.setenv("SONARR_URL", sonarr.url)
        _import(_write(tmp_path, UPSTREAM_YAML, ROOT_A=str(root_a), ROOT_B=str(root_b)))
        for instance in Instance.objects.all():
            assert scan_inline(instance).status == "succeeded"
        tags = arr_tags(sonarr)
    owners = {m.title: m.instance.name for m in Media.objects.select_related("instance")}
    assert owners == {
        "Alpha": "sonarr-a",
        "Bravo": "sonarr-a",
        "Charlie": "sonarr-b",
        "Delta": "sonarr-b",
    }
    # sonarr-a wants English (present): dub; sonarr-b wants ja+en on Japanese originals: dubbed
    assert tags == {"Alpha": "dub", "Bravo": "dub", "Charlie": "none", "Delta": "none"}
    labels = {t["label"] for t in sonarr.state.tags()}
    assert "dubbed" in labels


@pytest.mark.django_db
def test_import_state_records_what_was_applied(tmp_path: Path, env) -> None:
    _import(_write(tmp_path, UPSTREAM_YAML, ROOT_A="/tv/a", ROOT_B="/tv/b"))
    state = {
        "version": "0.7.0",
        "series": {
            "/tv/a/Alpha": {"display_name": "Alpha", "tag": "dub", "original_language": "japanese"},
            "/tv/b/Charlie": {"display_name": "Charlie", "tag": "dubbed"},
            "/tv/b/Delta": {"display_name": "Delta", "tag": "none"},
            "/elsewhere/Echo": {"display_name": "Echo", "tag": "dub"},
            "/tv/a/Foxtrot": {"display_name": "Foxtrot", "tag": "mystery-tag"},
        },
    }
    path = tmp_path / "taggarr.json"
    path.write_text(json.dumps(state), encoding="utf-8")
    out = StringIO()
    call_command("import_state", str(path), stdout=out)
    assert "3 created" in out.getvalue()
    assert "skipped 1: no instance has this folder" in out.getvalue()
    assert "skipped 1: tag 'mystery-tag'" in out.getvalue()
    applied = {m.title: (m.instance.name, m.applied_tag) for m in Media.objects.all()}
    assert applied == {
        "Alpha": ("sonarr-a", "dub"),
        "Charlie": ("sonarr-b", "dub"),
        "Delta": ("sonarr-b", "none"),
    }
    assert Media.objects.get(title="Alpha").original_language == "jpn"
    again = StringIO()
    call_command("import_state", str(path), stdout=again)
    assert "0 created, 0 updated, 3 unchanged" in again.getvalue()


@pytest.mark.django_db
def test_import_state_bad_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "taggarr.json"
    path.write_text('{\n  "series": {\n    "/tv/a": {"tag": "dub",}\n  }\n}\n', encoding="utf-8")
    with pytest.raises(CommandError, match=r"taggarr.json:3: not valid JSON"):
        call_command("import_state", str(path))


@pytest.mark.django_db
def test_import_state_skips_an_entry_holding_a_nul_character(tmp_path: Path, env) -> None:
    """PostgreSQL cannot store U+0000 (a DataError); no folder or title holds one."""
    _import(_write(tmp_path, UPSTREAM_YAML, ROOT_A="/tv/a", ROOT_B="/tv/b"))
    state = {
        "series": {
            "/tv/a/Al\u0000pha": {"display_name": "Alpha", "tag": "dub"},
            "/tv/a/Bravo": {"display_name": "Bra\u0000vo", "tag": "dub"},
            "/tv/a/Charlie": {"display_name": "Charlie", "tag": "dub"},
        }
    }
    path = tmp_path / "taggarr.json"
    path.write_text(json.dumps(state), encoding="utf-8")
    out = StringIO()
    call_command("import_state", str(path), stdout=out)
    assert "skipped 2: the folder or the title holds a NUL character" in out.getvalue()
    assert list(Media.objects.values_list("title", flat=True)) == ["Charlie"]


@pytest.mark.django_db
def test_the_listening_mode_is_read_per_instance_or_from_the_defaults(tmp_path, env) -> None:
    text = UPSTREAM_YAML.replace("ROOT_A", "/tv/a").replace("ROOT_B", "/tv/b")
    text = text.replace(
        "  log_level: INFO\n", "  log_level: INFO\n  identify_audio_language: all\n"
    )
    text = text.replace("    target_genre: Anime\n", "    identify_audio_language: unlabelled\n")
    _import(_write(tmp_path, text))
    modes = dict(Instance.objects.values_list("name", "identify_audio_language"))
    assert modes == {"sonarr-a": "all", "sonarr-b": "unlabelled"}
    with pytest.raises(CommandError, match="must be off, unlabelled or all, got 'loud'"):
        _import(_write(tmp_path, text.replace("unlabelled", "loud")))
