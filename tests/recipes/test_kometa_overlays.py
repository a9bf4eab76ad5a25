"""The Kometa recipe (docs/recipes/README.md, "Dub flags on posters"): its overlay file
and its ``config.yml`` snippet are valid for Kometa's own JSON schemas (pinned copies:
kometa_schema/README.md), the overlay file keeps the
rules Kometa's code adds on groups and queues (Kometa-Team/Kometa ``modules/overlay.py``,
``Overlay.__init__``), and filters on exactly the labels Taggarr writes on defaults."""

from __future__ import annotations

import copy
import json
import re
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from scanner.engine.labels import LabelSet
from scanner.engine.verdict import Tag
from scanner.models import Instance

ROOT = Path(__file__).resolve().parents[2]
RECIPE = ROOT / "docs" / "recipes" / "kometa" / "taggarr-dub-flags.yml"
SCHEMAS = Path(__file__).resolve().parent / "kometa_schema"
README = ROOT / "docs" / "recipes" / "README.md"
SUMMARY_GROUP = "taggarr_dub_state"
LANGUAGE_QUEUE = "taggarr_languages"
EXAMPLE_TARGETS = ("fr-CA", "fr", "de")  # the targets the recipe's per-language flags show


def _recipe() -> dict[str, Any]:
    data = yaml.safe_load(RECIPE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _errors(document: Any, schema_name: str = "overlay-schema.json") -> list[str]:
    schema = json.loads((SCHEMAS / schema_name).read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def _config_snippet() -> dict[str, Any]:
    """The README's ``config.yml`` block (the only YAML block of the Kometa section)."""
    section = README.read_text(encoding="utf-8").split("## Subtitles where")[0]
    blocks = re.findall(r"```yaml\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 1, blocks
    data = yaml.safe_load(textwrap.dedent(blocks[0]))
    assert isinstance(data, dict)
    return data


def _labels(overlay: dict[str, Any]) -> list[str]:
    """The labels an overlay's ``plex_search`` asks for (one search, under ``all``)."""
    search = overlay["plex_search"]
    value = search["all"]["label"]
    return [value] if isinstance(value, str) else list(value)


def _by_place(data: dict[str, Any]) -> dict[str, set[str]]:
    """Labels per overlay group or queue."""
    places: dict[str, set[str]] = {}
    for overlay in data["overlays"].values():
        spec = overlay["overlay"]
        place = spec.get("group") or spec.get("queue")
        places.setdefault(place, set()).update(_labels(overlay))
    return places


def test_the_overlay_file_is_valid_for_kometas_schema() -> None:
    assert _errors(_recipe()) == []


def test_the_config_snippet_is_valid_for_kometas_config_schema() -> None:
    """A snippet: only the ``plex`` and ``tmdb`` sections Kometa requires are missing (they
    are the user's own)."""
    data = _config_snippet()
    missing = [f"[]: '{name}' is a required property" for name in ("plex", "tmdb")]
    assert _errors(data, "config-schema.json") == missing
    data["libraries"]["Movies"]["overlay_files"] = [{"fil": "config/taggarr-dub-flags.yml"}]
    assert len(_errors(data, "config-schema.json")) > len(missing)


def test_the_config_snippet_names_the_recipes_file() -> None:
    for library in _config_snippet()["libraries"].values():
        assert library["overlay_files"] == [{"file": f"config/{RECIPE.name}"}]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("overlays", "taggarr_dub", "overlay", "horizontal_align"), "middle"),
        (("overlays", "taggarr_dub", "plex_search", "everything"), {"label": "dub"}),
        (("overlays", "taggarr_dub_fr", "overlay", "back_color"), "black"),
        (("overlays", "taggarr_dub", "filter"), {"label": "dub"}),
    ],
)
def test_the_schema_refuses_a_broken_overlay(path: tuple[str, ...], value: object) -> None:
    """The pinned schema is not one that takes anything."""
    data = copy.deepcopy(_recipe())
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    assert _errors(data)


def test_groups_and_queues_as_kometas_code_wants_them() -> None:
    """modules/overlay.py: ``group`` and ``queue`` each need ``weight``, never together; a
    queue must be declared under ``queues``; a text overlay outside a queue needs both
    offsets; within a group, the weights differ (the highest wins)."""
    data = _recipe()
    queues = set(data.get("queues", {}))
    weights: dict[str, list[int]] = {}
    for name, overlay in data["overlays"].items():
        spec = overlay["overlay"]
        assert not (spec.get("group") and spec.get("queue")), name
        if spec.get("group") or spec.get("queue"):
            assert isinstance(spec.get("weight"), int), name
            weights.setdefault(spec.get("group") or spec["queue"], []).append(spec["weight"])
        if spec.get("queue"):
            assert spec["queue"] in queues, name
        elif spec["name"].startswith("text("):
            assert "horizontal_offset" in spec and "vertical_offset" in spec, name
    for place, found in weights.items():
        assert len(found) == len(set(found)), place


def test_the_summary_flags_are_the_tags_taggarr_writes_on_defaults() -> None:
    """Renaming a default tag in Taggarr breaks this test until the recipe follows."""
    defaults = Instance()
    assert _by_place(_recipe())[SUMMARY_GROUP] == set(defaults.tag_labels().values())


def test_the_language_flags_are_tags_taggarr_writes_on_defaults() -> None:
    """The per-language example: each label is what Taggarr's default templates give for
    the example targets, and the example shows a dub and a semi-dub."""
    labels = Instance().label_set()
    on = LabelSet(
        summary=labels.summary,
        language_on=True,
        language_dub=labels.language_dub,
        language_semi_dub=labels.language_semi_dub,
    )

    def written(tag: str) -> set[str]:
        return {label for code in EXAMPLE_TARGETS for label in on.language_labels({code: tag}, {})}

    asked = _by_place(_recipe())[LANGUAGE_QUEUE]
    assert asked <= written(Tag.DUB) | written(Tag.SEMI_DUB)
    assert asked & written(Tag.DUB)
    assert asked & written(Tag.SEMI_DUB)
