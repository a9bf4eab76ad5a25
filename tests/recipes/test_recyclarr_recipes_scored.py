"""Taggarr's own Recyclarr recipes (Latino, Castellano, Dublado: docs/recipes/recyclarr/)
scored as the *arr scores releases: each recipe's custom formats (its own JSON files and
TRaSH's "Language: Not Original") and profiles are set on a fake Sonarr v4 and a fake
Radarr v6 as Recyclarr would sync them (every format of ``custom_formats``, each
profile's score per ``assign_scores_to``, its ``min_format_score``); on Radarr the dub's
profiles have the Language *Any* the README has the user set by hand, the guide's
profile the Original of TRaSH's ``hd-bluray-web.json``. The fake scores every sample
release (scanner.wish_profiles.samples) as CustomFormatCalculationService does and grabs
as DownloadDecisionComparer orders (fakes/arr/scoring.py); then for each wish the recipe
makes:

- the *arr grabs a release that holds the wish (the dub, or the dub with the original);
- Taggarr's judgement, read through the client, says ✓ for that profile (the wanted
  release scores highest, or every other one is rejected) and names that release, with
  the same score for every release as the fake's.

A profile's own guide formats (TRaSH's WEB tiers, repacks) are left out: the samples
are one group's WEB release each, which those formats score alike."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from fakes.arr import RADARR_V6, FakeArr, FakeArrOptions, build_movie, build_series
from fakes.arr.languages import language_ids
from fakes.arr.profiles import custom_format, quality_profile
from fakes.arr.scoring import ORIGINAL_ID
from scanner.arr.profiles import fetch_profile_settings
from scanner.connect.arr import arr_client
from scanner.engine.wishes import parse_wish
from scanner.wish_profiles import judge, recipes
from scanner.wish_profiles.samples import ORIGINAL, language_of, samples
from tests.helpers import ARR_KEY
from tests.wish_profile_rows import quebec_instance

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / recipes.FOLDER
VERSIONS = {"sonarr": (4, 0, 19), "radarr": (6, 0)}
# TRaSH's language-not-original.json (docs/json/{sonarr,radarr}/cf/), the one guide
# format these recipes name: the original's language, negated, not required.
NOT_ORIGINAL = {
    "ae575f95ab639ba5d15f663bf019e3e8": "sonarr",
    "d6e9318c875905d6cfb5bee961afcea9": "radarr",
}
# The recipes made from Taggarr's own formats, and the target of each.
OWN = {
    need: parse_wish(wish)[0]
    for wish, (need, _profile) in recipes.NEEDS.items()
    if need in {"spanish-latino", "spanish-castellano", "portuguese-brazil"}
}


class RecipeLoader(yaml.SafeLoader):
    """Recyclarr's ``!env_var``, read as the name it stands for."""


RecipeLoader.add_constructor("!env_var", lambda loader, node: loader.construct_scalar(node))


def _as_fake(format_id: int, data: dict[str, Any], app: str) -> dict[str, Any]:
    """A custom format JSON (TRaSH's shape: ``fields`` an object) as the fake stores it."""
    names = {number: name for name, number in language_ids(app, VERSIONS[app]).items()}
    names[ORIGINAL_ID] = "Original"
    languages, titles = [], []
    for spec in data["specifications"]:
        value = spec["fields"]["value"]
        condition = (spec["negate"], spec["required"])
        if spec["implementation"] == "LanguageSpecification":
            languages.append((names[value], *condition))
        else:
            titles.append((value, *condition))
    return custom_format(format_id, data["name"], languages=languages, titles=titles)


@dataclass(frozen=True)
class Synced:
    """What Recyclarr would leave in the *arr for one recipe."""

    formats: list[dict[str, Any]]
    profiles: list[dict[str, Any]]

    def profile_id(self, name: str) -> int:
        return next(profile["id"] for profile in self.profiles if profile["name"] == name)


def synced(app: str, need: str) -> Synced:
    """The recipe ``<app>-<need>.yml`` synced: its formats numbered in order, each
    profile scored as ``assign_scores_to`` says."""
    recipe = yaml.load((FOLDER / f"{app}-{need}.yml").read_text(), Loader=RecipeLoader)  # noqa: S506
    (instance,) = recipe[app].values()
    own = {}
    for path in sorted((FOLDER / "custom-formats" / app).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        own[data["trash_id"]] = data
    formats: list[dict[str, Any]] = []
    scores: dict[str, dict[int, int]] = {}
    for entry in instance["custom_formats"]:
        for trash_id in entry["trash_ids"]:
            format_id = len(formats) + 1
            if trash_id in own:
                formats.append(_as_fake(format_id, own[trash_id], app))
            else:
                assert NOT_ORIGINAL[trash_id] == app
                not_original = [("Original", True, False)]  # negated, not required
                name = "Language: Not Original"
                formats.append(custom_format(format_id, name, languages=not_original))
            for target in entry["assign_scores_to"]:
                scores.setdefault(target["name"], {})[format_id] = target["score"]
    profiles = []
    for index, entry in enumerate(instance["quality_profiles"]):
        by_hand = "trash_id" not in entry  # Radarr's dub profiles, Language Any (README)
        language = None if app == "sonarr" else ("Any" if by_hand else "Original")
        profile = quality_profile(
            index + 1,
            entry["name"],
            scores=scores.get(entry["name"], {}),
            min_format_score=entry.get("min_format_score", 0),
            language=language,
        )
        profiles.append(profile)
    return Synced(formats, profiles)


@pytest.fixture(params=["sonarr", "radarr"])
def app(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=sorted(OWN))
def need(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def arr(app: str, need: str) -> Iterator[tuple[FakeArr, Synced]]:
    """The fake *arr after the sync: one item per profile, each offered every sample
    release of the recipe's language."""
    sync = synced(app, need)
    build = build_series if app == "sonarr" else build_movie
    items = [{**build(p["id"]), "qualityProfileId": p["id"]} for p in sync.profiles]
    options = FakeArrOptions(app=app, version=RADARR_V6 if app == "radarr" else "", api_key=ARR_KEY)
    with FakeArr(options, items=items) as fake:
        fake.state.set_custom_formats(sync.formats)
        fake.state.set_profiles(sync.profiles)
        titles = [sample.title for sample in samples([OWN[need]], app)]
        for profile in sync.profiles:
            fake.state.set_releases(profile["id"], titles)
        yield fake, sync


def test_each_wish_of_the_recipe_is_grabbed_and_judged_kept(
    arr: tuple[FakeArr, Synced], app: str, need: str
) -> None:
    fake, sync = arr
    wishes = [wish for wish, (made, _profile) in recipes.NEEDS.items() if made == need]
    wishes.append("original")
    instance = quebec_instance(fake, target_languages=[OWN[need]])
    with arr_client(instance) as client:
        settings = fetch_profile_settings(client)
    judged = judge.judge_all(settings, wishes, app=app)
    pool = {sample.title: sample for sample in samples([OWN[need]], app)}
    for wish in wishes:
        name = recipes.recipe_profile(wish) or "Original"
        profile_id = sync.profile_id(name)
        decisions = fake.state.release_decisions(profile_id) or []
        grabbed = fake.state.best_release(profile_id)
        found = judged[wish][profile_id]
        assert {s.title: s.score for s in found.samples} == {d.title: d.score for d in decisions}
        assert grabbed is not None, (wish, name)
        target, with_original = parse_wish(wish)
        holds = pool[grabbed.title].holds
        assert (target is None or target in holds) and (
            ORIGINAL in holds or (not with_original and target is not None)
        ), (wish, grabbed.title)
        # ✓: the wanted release scores highest (OK) or every other one is rejected
        assert found.ok and found.code in {judge.OK, judge.ONLY_WANTED}, (wish, name, found.code)
        assert found.values["wanted"] == grabbed.title


def test_the_dubs_profile_never_takes_the_original_alone(
    arr: tuple[FakeArr, Synced], need: str
) -> None:
    """The dub's profile rejects every release without a dub in the dub's language (its
    minimum): the original alone, another variety (a LATINO for Castellano); a plain
    SPANISH may pass for Castellano, below a CASTELLANO. The profile that wants the
    original with the dub rejects the dub alone."""
    fake, sync = arr
    dub_wish = next(w for w, (made, _p) in recipes.NEEDS.items() if made == need and "+" not in w)
    dual_wish = f"original+{dub_wish}"
    pool = {sample.title: sample for sample in samples([OWN[need]], fake.state.options.app)}
    dub = sync.profile_id(recipes.recipe_profile(dub_wish) or "")
    approved = {d.title for d in fake.state.release_decisions(dub) or [] if d.approved}
    language = language_of(OWN[need])
    for title in approved:
        dubs = pool[title].holds - {ORIGINAL}
        assert dubs and all(language_of(dub) == language for dub in dubs), title
        assert OWN[need] in dubs or need == "spanish-castellano", title
    assert any(OWN[need] in pool[title].holds for title in approved)
    dual = sync.profile_id(recipes.recipe_profile(dual_wish) or "")
    approved = {d.title for d in fake.state.release_decisions(dual) or [] if d.approved}
    assert approved and all(ORIGINAL in pool[title].holds for title in approved)
