"""The Bazarr recipe (docs/recipes/README.md, "Subtitles where there is no dub"): the
settings it names are Bazarr's (bazarr_settings.json: a pinned extract of Bazarr's
``bazarr/app/config.py`` validators, its source and commit inside), with the types
Bazarr's validators accept, and the tags it names are the ones Taggarr writes on
defaults and Bazarr takes (``validate_tags``'s pattern)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from scanner.engine.verdict import Tag
from scanner.models import Instance

ROOT = Path(__file__).resolve().parents[2]
RECIPES = ROOT / "docs" / "recipes"
CONFIG = RECIPES / "bazarr" / "config.yaml"
EXTRACT = Path(__file__).resolve().parent / "bazarr_settings.json"
TYPES: dict[str, type] = {"bool": bool, "int": int, "str": str, "list": list}


def _extract() -> dict[str, Any]:
    data = json.loads(EXTRACT.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _settings() -> dict[str, Any]:
    """The recipe's config.yaml as Bazarr's dotted names (Dynaconf's ``general.x``)."""
    data = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    return {
        f"{section}.{name}": value
        for section, values in data.items()
        for name, value in values.items()
    }


def _profile_tag() -> str:
    """The Tag the README gives the subtitle profile (step "Languages Profile")."""
    text = (RECIPES / "README.md").read_text(encoding="utf-8")
    found = re.findall(r"\*\*Tag\*\*\s+`([^`]+)`", text)
    assert len(found) == 1, found
    return found[0]


def test_every_setting_is_one_bazarr_declares_with_a_type_it_takes() -> None:
    validators = _extract()["validators"]
    settings = _settings()
    assert set(settings) <= set(validators), set(settings) - set(validators)
    for name, value in settings.items():
        accepted = tuple(TYPES[kind] for kind in validators[name]["types"])
        # Bazarr's is_type_of is isinstance: a bool is an int there too, so compare exactly.
        assert type(value) in accepted, (name, value)


def test_the_recipe_turns_on_what_it_relies_on() -> None:
    """Tag-based selection is what reads remove_profile_tags (bazarr/sonarr/sync/parser.py,
    seriesParser; radarr's movieParser likewise)."""
    settings = _settings()
    assert settings["general.serie_tag_enabled"] is True
    assert settings["general.movie_tag_enabled"] is True
    assert settings["general.serie_default_enabled"] is True
    assert settings["general.movie_default_enabled"] is True
    assert settings["general.remove_profile_tags"]


def test_the_tags_are_taggarrs_defaults_and_bazarr_takes_them() -> None:
    """Renaming Taggarr's default dub or semi-dub tag breaks this test until the recipe
    follows."""
    labels = Instance().tag_labels()
    pattern = re.compile(_extract()["tag_pattern"])
    removed = _settings()["general.remove_profile_tags"]
    assert removed == [labels[Tag.DUB]]
    assert _profile_tag() == labels[Tag.SEMI_DUB]
    for tag in [*removed, _profile_tag()]:
        assert pattern.match(tag), tag


def test_the_extract_names_its_source() -> None:
    source = _extract()["source"]
    assert source["repository"] == "morpheus65535/bazarr"
    assert source["path"] == "bazarr/app/config.py"
    assert re.fullmatch(r"[0-9a-f]{40}", source["commit"])
