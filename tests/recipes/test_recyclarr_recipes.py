"""The Recyclarr recipes (docs/recipes/recyclarr/): each file is a config Recyclarr
accepts, by rules written here from Recyclarr's config schema (schemas/config-schema.json
in recyclarr/recyclarr, with the files it refers to: schemas/config/quality-profiles.json,
custom-formats.json, profile-reference.json) and its validators
(src/Recyclarr.Core/Config/Parsing/ConfigYamlDataObjectsValidation.cs); each names only
trash_ids read from the TRaSH guides (TRaSH-Guides/Guides docs/json/{sonarr,radarr}/cf/
and quality-profiles/); every wish Taggarr names by a release word has a recipe profile
or is listed as left out in the README; scanner.wish_profiles.recipes, which the mapping
page reads, names files and profiles that exist."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from scanner.engine.wishes import ORIGINAL_WISH
from scanner.wish_profiles import recipes
from scanner.wish_profiles.samples import BY_LANGUAGE, ORIGINAL

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / recipes.FOLDER
README = FOLDER / "README.md"
RECIPES = sorted(FOLDER.glob("*.yml"))

# config-schema.json: the top level holds ``sonarr`` and ``radarr`` only
# (additionalProperties false), each a map of instance names to an instance whose keys
# are these (sonarr_instance, radarr_instance: additionalProperties false).
INSTANCE_KEYS = frozenset(
    {
        "base_url",
        "api_key",
        "quality_definition",
        "quality_profiles",
        "delete_old_custom_formats",
        "custom_formats",
        "custom_format_groups",
        "include",
        "media_naming",
        "media_management",
    }
)
# quality-profiles.json: an entry's keys (additionalProperties false); anyOf name/trash_id.
PROFILE_KEYS = frozenset(
    {
        "trash_id",
        "name",
        "reset_unmatched_scores",
        "score_set",
        "upgrade",
        "min_format_score",
        "min_upgrade_format_score",
        "quality_sort",
        "qualities",
    }
)
# custom-formats.json: an entry's keys (additionalProperties false), trash_ids required
# (uniqueItems); assign_scores_to's items: profile-reference.json (oneOf trash_id, name)
# and an integer ``score``.
FORMAT_KEYS = frozenset({"trash_ids", "score", "assign_scores_to"})
ASSIGN_KEYS = frozenset({"trash_id", "name", "score"})
TRASH_ID = re.compile(r"[0-9a-f]{32}")
ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]*")

# The trash_ids the recipes may name, read from the TRaSH guides' JSON (commit
# b14aa70 of TRaSH-Guides/Guides): a typo, or an id not checked there, fails.
TRASH_IDS: dict[str, dict[str, str]] = {
    "sonarr": {
        # docs/json/sonarr/quality-profiles/
        "58e8dc75731040612dd6f4ac0676bfd7": "[French MULTi.VF] HD Bluray + WEB (1080p)",
        "4c48f506c1116a3a57ae33f12346bd15": "[French MULTi.VO] HD Bluray + WEB (1080p)",
        "dca7e5e9e99c703bcbdaaa471dd40e98": "[German] HD Bluray + WEB",
        "72dae194fc92bf828f32cde7744e51a1": "WEB-1080p",
        # docs/json/sonarr/cf/: french-vfq, french-vff, french-vf2, language-not-original
        "7a7f4e4f58bd1058440236d033a90b67": "VFQ",
        "2c29a39a4fdfd6d258799bc4c09731b9": "VFF",
        "34789ec3caa819f087e23bbf9999daf7": "VF2",
        "ae575f95ab639ba5d15f663bf019e3e8": "Language: Not Original",
    },
    "radarr": {
        # docs/json/radarr/quality-profiles/
        "500ecc23572575511fd81893777d1e06": "[French MULTi.VF] HD Bluray + WEB",
        "2572ce3ea4eef1c19d59e0e20ed1cea7": "[French MULTi.VO] HD Bluray + WEB",
        "2b90e905c99490edc7c7a5787443748b": "[German] HD Bluray + WEB",
        "d1d67249d3890e49bc12e275d989a7e9": "HD Bluray + WEB",
        # docs/json/radarr/cf/: french-vfq, french-vff, french-vf2, language-not-original
        "b6ace47331a1d3b77942fc18156f6df6": "VFQ",
        "404c08fd0bd67f39b4d8e5709319094e": "VFF",
        "29b5f7b1a5f20f64228786c3ab1bdc7d": "VF2",
        "d6e9318c875905d6cfb5bee961afcea9": "Language: Not Original",
    },
}


@dataclass(frozen=True)
class Placeholder:
    """A value Recyclarr fills in when it reads the file: ``!env_var NAME [default]``
    (src/Recyclarr.Core/Config/EnvironmentVariables/) or ``!secret key``
    (src/Recyclarr.Core/Config/Secrets/)."""

    tag: str
    value: str


class RecipeLoader(yaml.SafeLoader):
    """YAML as Recyclarr reads it: its two tags; any other tag is an error."""


def _placeholder(loader: yaml.SafeLoader, node: yaml.Node) -> Placeholder:
    assert isinstance(node, yaml.ScalarNode), f"{node.tag} takes one scalar"
    return Placeholder(str(node.tag), str(loader.construct_scalar(node)))


for _tag in ("!env_var", "!secret"):
    RecipeLoader.add_constructor(_tag, _placeholder)


def _load(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=RecipeLoader)  # noqa: S506


def _placeholder_problems(where: str, value: Any) -> list[str]:
    """base_url and api_key: never a value written in the file, a placeholder."""
    if not isinstance(value, Placeholder):
        return [f"{where}: not !env_var or !secret"]
    name = value.value.split(" ", 1)[0]
    if value.tag == "!env_var" and not ENV_NAME.fullmatch(name):
        return [f"{where}: {name!r} is no environment variable's name"]
    if not name:
        return [f"{where}: empty"]
    return []


def _profiles_problems(kind: str, where: str, entries: Any) -> tuple[list[str], set[str]]:
    if not isinstance(entries, list) or not entries:
        return [f"{where}: quality_profiles is no list of profiles"], set()
    problems: list[str] = []
    names: set[str] = set()
    for index, entry in enumerate(entries):
        at = f"{where}.quality_profiles[{index}]"
        if not isinstance(entry, dict):
            problems.append(f"{at}: not a map")
            continue
        problems += [f"{at}: unknown key {key!r}" for key in set(entry) - PROFILE_KEYS]
        name = entry.get("name")
        if not isinstance(name, str) or not name:
            problems.append(f"{at}: no name (Taggarr maps a wish to a profile by its name)")
            continue
        if name.casefold() in {n.casefold() for n in names}:
            problems.append(f"{at}: the name {name!r} twice")
        names.add(name)
        trash_id = entry.get("trash_id")
        if trash_id is not None and trash_id not in TRASH_IDS[kind]:
            problems.append(f"{at}: trash_id {trash_id!r} is no {kind} profile of the guides")
    return problems, names


def _formats_problems(kind: str, where: str, entries: Any, names: set[str]) -> list[str]:
    if entries is None:
        return []
    if not isinstance(entries, list):
        return [f"{where}: custom_formats is no list"]
    problems: list[str] = []
    for index, entry in enumerate(entries):
        at = f"{where}.custom_formats[{index}]"
        if not isinstance(entry, dict):
            problems.append(f"{at}: not a map")
            continue
        problems += [f"{at}: unknown key {key!r}" for key in set(entry) - FORMAT_KEYS]
        ids = entry.get("trash_ids")
        if not isinstance(ids, list) or not ids:
            problems.append(f"{at}: no trash_ids")
            ids = []
        if len(set(map(str, ids))) != len(ids):
            problems.append(f"{at}: a trash_id twice")
        for trash_id in ids:
            if not isinstance(trash_id, str) or not TRASH_ID.fullmatch(trash_id):
                problems.append(f"{at}: {trash_id!r} is no trash_id (32 hex digits)")
            elif trash_id not in TRASH_IDS[kind]:
                problems.append(f"{at}: {trash_id} is no {kind} custom format of the guides")
        assigned = entry.get("assign_scores_to")
        if not isinstance(assigned, list) or not assigned:
            problems.append(f"{at}: no assign_scores_to")
            continue
        for target in assigned:
            if not isinstance(target, dict) or set(target) - ASSIGN_KEYS:
                problems.append(f"{at}: assign_scores_to {target!r}")
                continue
            if ("name" in target) == ("trash_id" in target):
                problems.append(f"{at}: assign_scores_to needs name or trash_id, not both")
            if target.get("name") not in names:
                problems.append(f"{at}: {target.get('name')!r} is no profile of this file")
            score = target.get("score", entry.get("score"))
            if not isinstance(score, int) or isinstance(score, bool):
                problems.append(f"{at}: {target.get('name')!r} has no integer score")
    return problems


def recipe_problems(kind: str, data: Any) -> tuple[list[str], set[str]]:
    """What Recyclarr would refuse in one recipe of ``kind``, and the profiles it makes."""
    if not isinstance(data, dict) or set(data) != {kind}:
        return [f"the top level must hold {kind!r} alone, not {list(data or {})}"], set()
    instances = data[kind]
    if not isinstance(instances, dict) or len(instances) != 1:
        return [f"{kind}: one instance expected"], set()
    ((name, instance),) = instances.items()
    where = f"{kind}.{name}"
    if not isinstance(instance, dict):
        return [f"{where}: not a map"], set()
    problems = [f"{where}: unknown key {key!r}" for key in set(instance) - INSTANCE_KEYS]
    for key in ("base_url", "api_key"):
        problems += _placeholder_problems(f"{where}.{key}", instance.get(key))
    found, names = _profiles_problems(kind, where, instance.get("quality_profiles"))
    problems += found
    problems += _formats_problems(kind, where, instance.get("custom_formats"), names)
    return problems, names


def _kind(path: Path) -> str:
    return path.name.split("-", 1)[0]


def _profiles(path: Path) -> set[str]:
    problems, names = recipe_problems(_kind(path), _load(path))
    assert problems == [], problems
    return names


def _named_wishes() -> list[str]:
    """The wishes Taggarr judges by their own release words (scanner.wish_profiles.samples:
    each language of its table, and each variety or language a sample holds), alone and
    with the original, and the original only."""
    dubs = set(BY_LANGUAGE)
    for table in BY_LANGUAGE.values():
        dubs |= {voice for sample in table for voice in sample.holds if voice != ORIGINAL}
    wishes = [ORIGINAL_WISH]
    for dub in sorted(dubs):
        wishes += [dub, f"{ORIGINAL_WISH}+{dub}"]
    return wishes


def _readme_section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    return text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def _table_rows(section: str) -> list[list[str]]:
    return [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("| `")
    ]


def test_there_is_a_recipe_per_arr_and_need() -> None:
    needs = {need for need, _profile in recipes.NEEDS.values()}
    expected = {f"{kind}-{need}.yml" for kind in recipes.KINDS for need in needs}
    assert {path.name for path in RECIPES} == expected


@pytest.mark.parametrize("path", RECIPES, ids=lambda path: path.name)
def test_each_recipe_keeps_recyclarrs_schema(path: Path) -> None:
    problems, names = recipe_problems(_kind(path), _load(path))
    assert problems == []
    assert names


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda i: i.update(api_key="0123456789abcdef"), "api_key: not !env_var or !secret"),
        (lambda i: i.update(base_url=None), "base_url: not !env_var or !secret"),
        (lambda i: i.update(quality_definitions={}), "unknown key 'quality_definitions'"),
        (lambda i: i["quality_profiles"][0].pop("name"), "no name"),
        (lambda i: i["quality_profiles"].append({"name": "vfq"}), "the name 'vfq' twice"),
        (
            lambda i: i["custom_formats"][0]["trash_ids"].append("7a7f4e4f58bd1058440236d033a9"),
            "is no trash_id (32 hex digits)",
        ),
        (
            lambda i: i["custom_formats"][0]["trash_ids"].append("0" * 32),
            "is no sonarr custom format of the guides",
        ),
        (
            lambda i: i["custom_formats"][0]["assign_scores_to"][0].update(name="Latino"),
            "'Latino' is no profile of this file",
        ),
        (
            lambda i: i["custom_formats"][0]["assign_scores_to"][0].update(trash_id="0" * 32),
            "needs name or trash_id, not both",
        ),
        (
            lambda i: i["custom_formats"][0]["assign_scores_to"][0].update(score="101"),
            "has no integer score",
        ),
    ],
)
def test_the_rules_refuse_what_recyclarr_refuses(change: Any, problem: str) -> None:
    data = copy.deepcopy(_load(FOLDER / "sonarr-french-vfq.yml"))
    change(data["sonarr"]["taggarr_sonarr"])
    problems, _names = recipe_problems("sonarr", data)
    assert any(problem in found for found in problems), problems


def test_a_recipe_for_the_other_arr_is_refused() -> None:
    problems, _names = recipe_problems("radarr", _load(FOLDER / "sonarr-original.yml"))
    assert problems and "top level" in problems[0]


def test_only_recyclarrs_tags_are_read() -> None:
    with pytest.raises(yaml.constructor.ConstructorError):
        yaml.load("api_key: !include secrets.yml\n", Loader=RecipeLoader)  # noqa: S506


@pytest.mark.parametrize("kind", recipes.KINDS)
def test_each_wish_of_a_recipe_has_its_profile_in_its_file(kind: str) -> None:
    for wish, (_need, profile) in recipes.NEEDS.items():
        file = recipes.recipe_file(wish, kind)
        assert file is not None
        assert profile in _profiles(FOLDER / file), (wish, file)
        assert recipes.recipe_profile(wish) == profile


def test_the_readme_lists_each_wish_with_its_profile_and_files() -> None:
    section = _readme_section("What each profile grabs")
    rows = {row[0].strip("`"): row for row in _table_rows(section)}
    assert set(rows) == set(recipes.NEEDS)
    for wish, (_need, profile) in recipes.NEEDS.items():
        row = rows[wish]
        assert row[1] == profile
        for kind, cell in zip(recipes.KINDS, row[2:4], strict=True):
            file = recipes.recipe_file(wish, kind)
            assert cell == f"[`{file}`]({file})"


def test_every_wish_taggarr_names_has_a_recipe_or_is_left_out() -> None:
    left_out: set[str] = set()
    for row in _table_rows(_readme_section("Left out")):
        left_out |= {wish.strip().strip("`") for wish in row[0].split(",")}
    wishes = _named_wishes()
    assert {"fr-CA", "original+fr-CA", "es-419", "pt-BR", "deu"} <= set(wishes)
    missing = [wish for wish in wishes if wish not in recipes.NEEDS and wish not in left_out]
    assert missing == []
    assert not left_out & set(recipes.NEEDS)  # a wish is made or left out, not both


def test_no_recipe_for_a_wish_left_out() -> None:
    assert recipes.recipe_file("es-419", "sonarr") is None
    assert recipes.recipe_file("fr-CA", "library") is None
    assert recipes.recipe_file("fr-CA", "radarr") == "radarr-french-vfq.yml"
