"""The Recyclarr recipes (docs/recipes/recyclarr/): each file is a config Recyclarr
accepts, by rules written here from Recyclarr's config schema (schemas/config-schema.json
in recyclarr/recyclarr, with the files it refers to: schemas/config/quality-profiles.json,
custom-formats.json, profile-reference.json) and its validators
(src/Recyclarr.Core/Config/Parsing/ConfigYamlDataObjectsValidation.cs); each names only
trash_ids read from the TRaSH guides (TRaSH-Guides/Guides docs/json/{sonarr,radarr}/cf/
and quality-profiles/); every wish Taggarr names by a release word has a recipe profile
or is listed as left out in the README; scanner.wish_profiles.recipes, which the mapping
page reads, names files and profiles that exist. Taggarr's own custom formats
(custom-formats/<service>/*.json, for the languages the guides have no format for) are
read as Recyclarr reads a local "custom-formats" resource provider
(src/Recyclarr.Core/ResourceProviders/Infrastructure/CustomFormatsStrategy.cs: every
*.json of the folder; Domain/CustomFormatResource.cs: trash_id, name, specifications;
TrashGuide/CustomFormat/FieldsArrayJsonConverter.cs: ``fields`` an object or a list),
and settings.yml, which names the folders, by schemas/settings/resource-providers.json."""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from fakes.arr.languages import language_ids
from fakes.arr.scoring import ORIGINAL_ID, python_pattern
from scanner.engine.wishes import ORIGINAL_WISH
from scanner.wish_profiles import recipes
from scanner.wish_profiles.samples import BY_LANGUAGE, ORIGINAL

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / recipes.FOLDER
README = FOLDER / "README.md"
SETTINGS = FOLDER / "settings.yml"
RECIPES = sorted(path for path in FOLDER.glob("*.yml") if path != SETTINGS)
OWN_FORMATS = FOLDER / "custom-formats"

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


# CustomFormatResource.cs: the keys Recyclarr reads (System.Text.Json ignores others,
# but a typo would be lost silently), and the TRaSH files' own notes.
OWN_FORMAT_KEYS = frozenset(
    {
        "trash_id",
        "trash_scores",
        "trash_description",
        "trash_regex",
        "name",
        "includeCustomFormatWhenRenaming",
        "specifications",
    }
)
SPECIFICATION_KEYS = frozenset({"name", "implementation", "negate", "required", "fields"})
# The conditions Taggarr's formats use, both played by the fakes (fakes/arr/scoring.py).
IMPLEMENTATIONS = frozenset({"LanguageSpecification", "ReleaseTitleSpecification"})
# resource-providers.json, local_provider: these keys (additionalProperties false).
PROVIDER_KEYS = frozenset({"name", "type", "replace_default", "service", "path"})
PROVIDER_NAME = re.compile(r"[a-zA-Z0-9_-]+")
# The *arr versions whose language ids the formats name (fakes/arr/languages.py).
LANGUAGE_VERSIONS = {"sonarr": (4, 0, 19), "radarr": (6, 0)}


def own_format_problems(kind: str, path: Path) -> list[str]:
    """What Recyclarr or the *arr would refuse in one of Taggarr's custom formats."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        return [f"{path.name}: no JSON ({error})"]
    if not isinstance(data, dict):
        return [f"{path.name}: not an object"]
    problems = [f"{path.name}: unknown key {key!r}" for key in set(data) - OWN_FORMAT_KEYS]
    if not TRASH_ID.fullmatch(str(data.get("trash_id", ""))):
        problems.append(f"{path.name}: trash_id is not 32 hex digits")
    if not isinstance(data.get("name"), str) or not data["name"].strip():
        problems.append(f"{path.name}: no name")
    specifications = data.get("specifications")
    if not isinstance(specifications, list) or not specifications:
        return [*problems, f"{path.name}: no specifications"]
    ids = set(language_ids(kind, LANGUAGE_VERSIONS[kind]).values()) | {ORIGINAL_ID}
    for index, spec in enumerate(specifications):
        at = f"{path.name}.specifications[{index}]"
        if not isinstance(spec, dict):
            problems.append(f"{at}: not an object")
            continue
        problems += [f"{at}: unknown key {key!r}" for key in set(spec) - SPECIFICATION_KEYS]
        if spec.get("implementation") not in IMPLEMENTATIONS:
            problems.append(f"{at}: implementation {spec.get('implementation')!r}")
        fields = spec.get("fields")
        value = fields.get("value") if isinstance(fields, dict) else None
        if spec.get("implementation") == "LanguageSpecification" and value not in ids:
            problems.append(f"{at}: {value!r} is no {kind} language id")
        if spec.get("implementation") == "ReleaseTitleSpecification":
            try:
                re.compile(python_pattern(str(value)))
            except re.error as error:
                problems.append(f"{at}: the pattern does not compile ({error})")
    return problems


def own_formats(kind: str) -> dict[str, dict[str, Any]]:
    """Taggarr's custom formats for ``kind``, by trash_id."""
    found = {}
    for path in sorted((OWN_FORMATS / kind).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        found[data["trash_id"]] = data
    return found


def _known_ids(kind: str) -> dict[str, str]:
    """The trash_ids a recipe may name: the guides' and Taggarr's own formats."""
    own = {trash_id: data["name"] for trash_id, data in own_formats(kind).items()}
    return {**TRASH_IDS[kind], **own}


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
        if trash_id is not None and trash_id not in _known_ids(kind):
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
            elif trash_id not in _known_ids(kind):
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
    assert recipes.recipe_file("ita", "sonarr") is None
    assert recipes.recipe_file("es-419", "radarr") == "radarr-spanish-latino.yml"
    assert recipes.recipe_file("fr-CA", "library") is None
    assert recipes.recipe_file("fr-CA", "radarr") == "radarr-french-vfq.yml"


@pytest.mark.parametrize("kind", recipes.KINDS)
def test_each_own_custom_format_is_one_recyclarr_and_the_arr_read(kind: str) -> None:
    paths = sorted((OWN_FORMATS / kind).glob("*.json"))
    assert paths
    for path in paths:
        assert own_format_problems(kind, path) == []
    formats = own_formats(kind)
    assert len(formats) == len(paths)  # one trash_id each
    assert not set(formats) & set(TRASH_IDS[kind])  # never a guide's id
    names = [data["name"].casefold() for data in formats.values()]
    assert len(set(names)) == len(names)  # the *arr refuses two formats of one name


def test_the_own_format_rules_refuse_what_recyclarr_or_the_arr_refuses(tmp_path: Path) -> None:
    good = json.loads((OWN_FORMATS / "sonarr" / "latino.json").read_text(encoding="utf-8"))
    cases = [
        ({**good, "trash_id": "latino"}, "trash_id is not 32 hex digits"),
        ({**good, "name": " "}, "no name"),
        ({**good, "specifications": []}, "no specifications"),
        ({**good, "trashid": good["trash_id"]}, "unknown key 'trashid'"),
    ]
    spec = good["specifications"][0]
    title = {**spec, "implementation": "ReleaseTitleSpecification", "fields": {"value": "("}}
    cases += [
        ({**good, "specifications": [{**spec, "fields": {"value": 999}}]}, "no sonarr language"),
        (
            {**good, "specifications": [{**spec, "implementation": "SizeSpecification"}]},
            "implementation 'SizeSpecification'",
        ),
        ({**good, "specifications": [title]}, "the pattern does not compile"),
    ]
    for data, problem in cases:
        path = tmp_path / "format.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        problems = own_format_problems("sonarr", path)
        assert any(problem in found for found in problems), (problem, problems)
    path.write_text("{", encoding="utf-8")
    assert "no JSON" in own_format_problems("sonarr", path)[0]


def test_the_settings_name_each_folder_of_own_formats_as_recyclarr_reads_it() -> None:
    data = yaml.safe_load(SETTINGS.read_text(encoding="utf-8"))
    assert set(data) == {"resource_providers"}
    providers = data["resource_providers"]
    names = [provider["name"] for provider in providers]
    assert len(set(names)) == len(names)  # "Repository names must be unique"
    served = {}
    for provider in providers:
        assert set(provider) <= PROVIDER_KEYS
        assert PROVIDER_NAME.fullmatch(provider["name"])
        assert provider["type"] == "custom-formats"
        served[provider["service"]] = provider["path"]
    assert served == {kind: f"custom-formats/{kind}" for kind in recipes.KINDS}
    for kind, folder in served.items():
        assert (FOLDER / folder).is_dir(), kind


@pytest.mark.parametrize("path", RECIPES, ids=lambda path: path.name)
def test_a_recipe_names_own_formats_only_where_its_readme_says_to_add_them(path: Path) -> None:
    """A recipe that names one of Taggarr's own formats says so in its head (Recyclarr
    would stop at an unknown trash_id without settings.yml)."""
    kind = _kind(path)
    text = path.read_text(encoding="utf-8")
    own = [trash_id for trash_id in own_formats(kind) if trash_id in text]
    assert bool(own) == (f"custom-formats/{kind}/" in text.split("\n\n", 1)[0])
