"""The judgement agrees with the *arr's own choice: the fake Sonarr scores the sample
releases (scanner.wish_profiles.samples) with each quality profile as
CustomFormatCalculationService does and prioritizes them as DownloadDecisionComparer
does (fakes/arr/scoring.py); the judgement, made from the same profiles and formats read
through the client (scanner.arr.profiles), gives every release the same score and names
the release the fake would grab. The indexer's "Multi Languages" setting names French and
the original, as the judgement assumes of a MULTi release (AggregateLanguages.cs)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

import pytest

from fakes.arr import RADARR_V6, FakeArr, FakeArrOptions, build_movie, build_series
from fakes.arr.profiles import custom_format, quality_profile
from scanner.arr.profiles import fetch_profile_settings
from scanner.connect.arr import arr_client
from scanner.wish_profiles import judge
from scanner.wish_profiles.samples import samples
from tests.helpers import ARR_KEY
from tests.wish_profile_rows import HD, VFF_1080, VFQ_1080, quebec_instance, serve_quebec_profiles

pytestmark = pytest.mark.django_db

PROFILES = (HD, VFQ_1080, VFF_1080)
WISHES = ("original", "fr-CA", "original+fr-CA", "fr-FR")
VFQ_ALONE = "Movie.2019.VFQ.1080p.WEB.H264-GRP"


@pytest.fixture(params=["sonarr", "radarr"])
def sonarr(request: pytest.FixtureRequest) -> Iterator[FakeArr]:
    """A Sonarr v4, or a Radarr v6 (its profiles' language Original, its default: a
    release without the original is rejected, LanguageSpecification.cs). One item per
    profile, each offered every sample release."""
    app = request.param
    build = build_series if app == "sonarr" else build_movie
    items = [{**build(index + 1), "qualityProfileId": pid} for index, pid in enumerate(PROFILES)]
    version = RADARR_V6 if app == "radarr" else ""
    options = FakeArrOptions(app=app, version=version, api_key=ARR_KEY)
    with FakeArr(options, items=items) as fake:
        serve_quebec_profiles(fake)
        fake.state.set_multi_languages(["French", "Original"])
        titles = [sample.title for sample in samples(["fr-CA"])]
        for index in range(len(PROFILES)):
            fake.state.set_releases(index + 1, titles)
        yield fake


def test_each_release_scores_as_the_arr_scores_it_and_the_grab_is_named(sonarr: FakeArr) -> None:
    with arr_client(quebec_instance(sonarr)) as client:
        settings = fetch_profile_settings(client)
    judged = judge.judge_all(settings, WISHES)
    named = 0
    for index, profile_id in enumerate(PROFILES):
        decisions = sonarr.state.release_decisions(index + 1) or []
        scores = {decision.title: decision.score for decision in decisions}
        grabbed = sonarr.state.best_release(index + 1)
        assert grabbed is not None
        for wish in WISHES:
            found = judged[wish][profile_id]
            assert {s.title: s.score for s in found.samples} == scores, (wish, profile_id)
            rejected = {d.title for d in decisions if not d.approved}
            assert {s.title for s in found.samples if s.rejected} == rejected, (wish, profile_id)
            if found.code == judge.OK:
                assert grabbed.title == found.values["wanted"], (wish, profile_id)
                named += 1
            elif found.code == judge.OTHER_FIRST:
                assert grabbed.title == found.values["other"], (wish, profile_id)
                named += 1
    if sonarr.state.options.app == "radarr":  # Original: the VFQ alone is rejected
        vfq = next(s for s in judged["fr-CA"][VFQ_1080].samples if s.title == VFQ_ALONE)
        assert vfq.rejected == judge.LANGUAGE
    # The Quebec profile keeps the Quebec wishes, the France one the France wish, and the
    # France one would grab the VFF for a Quebec family: each said, each the fake's grab.
    assert judged["fr-CA"][VFQ_1080].code == judge.OK
    assert judged["original+fr-CA"][VFQ_1080].code == judge.OK
    assert judged["fr-FR"][VFF_1080].code == judge.OK
    assert judged["fr-CA"][VFF_1080].code == judge.OTHER_FIRST
    assert named >= 4


@pytest.mark.parametrize("app", ["sonarr", "radarr"])
def test_a_dual_latino_is_scored_as_the_arr_reads_it(app: Literal["sonarr", "radarr"]) -> None:
    """Issue 92 finding 4: a DUAL.LATINO holds the original, but the *arr reads Spanish
    (Latino) alone in its name (LanguageParser.cs has no DUAL rule): a format on the
    original's language does not match it, and a minimum only that format would reach
    rejects it. The judgement scores and rejects each release as the fake does, and
    does not say ✓ for a profile that grabs nothing at all."""
    formats = [
        custom_format(1, "Latino", titles=[(r"\bLATINO\b", False, False)]),
        custom_format(2, "Original Language", languages=[("Original", False, False)]),
    ]
    profile_id = 9
    language = "Any" if app == "radarr" else None  # the minimum alone decides
    profiles = [
        quality_profile(
            profile_id,
            "Latino-DUAL",
            scores={1: 500, 2: 500},
            min_format_score=1000,
            language=language,
        )
    ]
    build = build_series if app == "sonarr" else build_movie
    options = FakeArrOptions(app=app, version=RADARR_V6 if app == "radarr" else "", api_key=ARR_KEY)
    item = {**build(1), "qualityProfileId": profile_id}
    with FakeArr(options, items=[item]) as fake:
        fake.state.set_custom_formats(formats)
        fake.state.set_profiles(profiles)
        pool = samples(["es-419"], app)
        fake.state.set_releases(1, [sample.title for sample in pool])
        with arr_client(quebec_instance(fake, target_languages=["es-419"])) as client:
            settings = fetch_profile_settings(client)
        decisions = fake.state.release_decisions(1) or []
        grabbed = fake.state.best_release(1)
    found = judge.judge_all(settings, ("es-419",), app=app)["es-419"][profile_id]
    assert {s.title: s.score for s in found.samples} == {d.title: d.score for d in decisions}
    rejected = {d.title for d in decisions if not d.approved}
    assert {s.title for s in found.samples if s.rejected} == rejected
    assert "Movie.2019.DUAL.LATINO.1080p.WEB.H264-GRP" in rejected
    assert grabbed is None  # every release is below the minimum: the profile grabs nothing
    assert not found.ok and found.code == judge.BELOW_MINIMUM
