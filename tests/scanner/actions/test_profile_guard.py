"""The guard at the *arr (issue 62, Deliver 2): the connection test reads the fake
*arr's quality profiles and custom formats (served as Sonarr's and Radarr's sources
define them, fakes/arr/profiles.py) and says, per target language, whether an upgrade
can drop the dub; the dashboard shows what the last test found without asking the *arr."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from fakes.arr import RADARR_V6, SONARR_V3, FakeArr, FakeArrOptions, build_movie, build_series
from fakes.arr.profiles import custom_format, language_format, quality_profile
from scanner.actions import check_instance
from scanner.actions import profile_guard as guard_action
from scanner.actions.check_instance import CONNECTION_TEST, connection_report
from scanner.arr.profile_guard import Budget
from scanner.arr.profiles import MAX_PROFILES
from scanner.connect.sentences import said
from scanner.history.event_text import data_lines
from scanner.models import Event, Instance
from scanner.reports.profile_guard_text import kept_test_lines
from scanner.reports.stats import last_connection_tests
from tests.factories import InstanceFactory
from tests.helpers import ARR_KEY

pytestmark = pytest.mark.django_db

GERMAN_DL = language_format(5, "German DL", [("German", False, True), ("Original", False, True)])
MAY_DROP_GERMAN = (
    "Sonarr's profile HD-1080p scores no format with German: an upgrade may drop the German dub."
)


def _fake(options: FakeArrOptions) -> Iterator[FakeArr]:
    items = (
        [build_series(1), build_series(2)]
        if options.app == "sonarr"
        else [build_movie(1), build_movie(2)]
    )
    with FakeArr(options, items=items) as fake:
        yield fake


@pytest.fixture
def sonarr() -> Iterator[FakeArr]:
    yield from _fake(FakeArrOptions(app="sonarr", api_key=ARR_KEY))


@pytest.fixture
def radarr() -> Iterator[FakeArr]:
    yield from _fake(FakeArrOptions(app="radarr", api_key=ARR_KEY))


def _instance(fake: FakeArr, tmp_path: Path, targets: list[str]) -> Instance:
    kind = Instance.Kind.SONARR if fake.state.options.app == "sonarr" else Instance.Kind.RADARR
    return InstanceFactory(
        kind=kind,
        url=fake.url,
        api_key=ARR_KEY,
        root_folders=[str(tmp_path)],
        target_languages=targets,
        audio_source=Instance.AudioSource.FILES,
    )


def test_a_profile_that_scores_german_dl_protects_german(sonarr: FakeArr, tmp_path: Path) -> None:
    sonarr.state.set_custom_formats([GERMAN_DL])
    sonarr.state.set_profiles([quality_profile(1, "HD-1080p", scores={5: 11000})])
    lines = connection_report(_instance(sonarr, tmp_path, ["de"])).lines
    assert "Sonarr's profiles keep the German dub through an upgrade (German DL)." in lines
    assert not any("may drop" in line for line in lines)


def test_no_language_format_warns_with_the_trash_names(sonarr: FakeArr, tmp_path: Path) -> None:
    report = connection_report(_instance(sonarr, tmp_path, ["de", "fr"]))
    assert report.ok  # a warning, not a failed connection
    assert MAY_DROP_GERMAN in report.lines
    assert (
        "What to add: one of the TRaSH guides' custom formats German DL / German, with a "
        "positive score." in report.lines
    )
    assert (
        "What to add: the TRaSH guides' custom format Language: Original + French, with a "
        "positive score." in report.lines
    )


def test_a_language_format_left_unscored_is_named(sonarr: FakeArr, tmp_path: Path) -> None:
    sonarr.state.set_custom_formats([GERMAN_DL])  # the profile scores it 0
    lines = connection_report(_instance(sonarr, tmp_path, ["de"])).lines
    assert MAY_DROP_GERMAN in lines
    assert "Give German DL a positive score in that profile." in lines


def test_a_profile_without_upgrades_is_safe(sonarr: FakeArr, tmp_path: Path) -> None:
    sonarr.state.set_profiles([quality_profile(1, "HD-1080p", upgrade_allowed=False)])
    lines = connection_report(_instance(sonarr, tmp_path, ["de"])).lines
    assert "Sonarr's profiles allow no upgrade: none can drop the German dub." in lines
    assert not any("may drop" in line for line in lines)


def test_only_the_profiles_the_series_use_count(sonarr: FakeArr, tmp_path: Path) -> None:
    sonarr.state.set_custom_formats([GERMAN_DL])
    sonarr.state.set_profiles(
        [
            quality_profile(1, "HD-1080p", scores={5: 11000}),
            quality_profile(2, "Ultra-HD"),  # no series uses it
        ]
    )
    lines = connection_report(_instance(sonarr, tmp_path, ["de"])).lines
    assert not any("Ultra-HD" in line for line in lines)
    assert "Sonarr's profiles keep the German dub through an upgrade (German DL)." in lines


def test_regional_targets_at_radarr(radarr: FakeArr, tmp_path: Path) -> None:
    """Radarr's ids (Portuguese (Brazil) is 30 there, 33 in Sonarr): a format on plain
    Portuguese does not keep a Brazilian dub; Language.cs has no Canadian French, so a
    French format keeps fr-CA's language only: the guard says so and names TRaSH's VFQ
    formats. Radarr v5's new profiles want English (QualityProfileService.cs)."""
    radarr.state.set_custom_formats(
        [
            language_format(1, "Language: Prefer Portuguese", [("Portuguese", False, False)]),
            language_format(2, "Language: Original + French", [("French", False, True)]),
        ]
    )
    radarr.state.set_profiles([quality_profile(1, "HD-1080p", scores={1: 10, 2: 10})])
    lines = connection_report(_instance(radarr, tmp_path, ["pt-BR", "fr-CA"])).lines
    assert (
        "Radarr's profile HD-1080p scores no format with Brazilian Portuguese: an upgrade may "
        "drop the Brazilian Portuguese dub." in lines
    )
    assert (
        "What to add: the TRaSH guides' custom format Language: Prefer Portuguese (Brazil), "
        "with a positive score." in lines
    )
    assert not any(line.startswith("Radarr's profiles keep") for line in lines)
    assert (
        "Radarr's profile HD-1080p scores no format with Canadian French: an upgrade may "
        "drop the Canadian French dub." in lines
    )
    assert (
        "Language: Original + French matches every French release, whatever its variety: it "
        "does not keep the Canadian French dub." in lines
    )
    assert (
        "What to add: one of the TRaSH guides' custom formats VFQ / VQ / VF2, with a positive "
        "score." in lines
    )
    assert (
        "Radarr's languages do not tell Canadian French from the other varieties of its "
        "language: only a custom format on the release title keeps it." in lines
    )
    assert (
        "Radarr's profile HD-1080p wants another language than Canadian French: it rejects "
        "every release dubbed in Canadian French only. Set its language to Any or French." in lines
    )


# TRaSH's VFQ, verbatim (TRaSH-Guides/Guides docs/json/sonarr/cf/french-vfq.json, the
# same in docs/json/radarr/cf/): "VFQ" or "CAN" after a resolution or MULTi, not VF2.
VFQ_TITLE = r"\b(VFQ|\d{3,4}p[ .]CAN?|(?<=MULTi[ .])(FR(A|ENCH)|CAN?))\b"
NOT_VF2 = r"\b(VF2|(VF(F|Q)[ .]VF(F|Q)))\b"
QUEBEC = custom_format(8, "Québec", titles=[(VFQ_TITLE, False, True), (NOT_VF2, True, True)])
FRENCH = language_format(9, "French", [("French", False, False)])
MAY_DROP_VFQ = (
    "Sonarr's profile HD-1080p scores no format with Canadian French: an upgrade may drop "
    "the Canadian French dub."
)
ADD_VFQ = (
    "What to add: one of the TRaSH guides' custom formats VFQ / VQ / VF2, with a positive score."
)


def test_a_quebec_target_is_told_trashs_vfq_formats(sonarr: FakeArr, tmp_path: Path) -> None:
    report = connection_report(_instance(sonarr, tmp_path, ["fr-CA"]))
    assert MAY_DROP_VFQ in report.lines and ADD_VFQ in report.lines
    assert not any("Language: Original + French" in line for line in report.lines)
    assert MAY_DROP_VFQ in report.warnings and ADD_VFQ in report.warnings


def test_a_format_is_recognized_by_its_vfq_condition(sonarr: FakeArr, tmp_path: Path) -> None:
    """Named "Québec", not "VFQ": what its conditions match tells."""
    sonarr.state.set_custom_formats([QUEBEC])
    instance = _instance(sonarr, tmp_path, ["fr-CA"])
    lines = connection_report(instance).lines
    assert MAY_DROP_VFQ in lines
    assert "Give Québec a positive score in that profile." in lines
    sonarr.state.set_profiles([quality_profile(1, "HD-1080p", scores={8: 100})])
    report = connection_report(instance)
    assert (
        "Sonarr's profiles keep the Canadian French dub through an upgrade (Québec)."
        in report.lines
    )
    assert report.warnings == ()


def test_a_plain_french_format_does_not_keep_vfq(sonarr: FakeArr, tmp_path: Path) -> None:
    sonarr.state.set_custom_formats([FRENCH])
    sonarr.state.set_profiles([quality_profile(1, "HD-1080p", scores={9: 100})])
    lines = connection_report(_instance(sonarr, tmp_path, ["fr-CA"])).lines
    assert MAY_DROP_VFQ in lines and ADD_VFQ in lines
    assert (
        "French matches every French release, whatever its variety: it does not keep the "
        "Canadian French dub." in lines
    )
    french = connection_report(_instance(sonarr, tmp_path, ["fr"])).lines
    assert "Sonarr's profiles keep the French dub through an upgrade (French)." in french


@pytest.fixture
def radarr_v6() -> Iterator[FakeArr]:
    yield from _fake(FakeArrOptions(app="radarr", version=RADARR_V6, api_key=ARR_KEY))


ORIGINAL_REJECTS = (
    "Radarr's profile HD-1080p has the language Original: it rejects every release dubbed "
    "in German only. Set its language to Any or German."
)


def test_radarr_v6s_original_language_is_told_with_the_fix(
    radarr_v6: FakeArr, tmp_path: Path
) -> None:
    """Radarr v6 makes profiles with the language Original (the fake's default for v6):
    a release dubbed in German only is rejected, whatever the custom formats."""
    radarr_v6.state.set_custom_formats([GERMAN_DL])
    radarr_v6.state.set_profiles([quality_profile(1, "HD-1080p", scores={5: 11000})])
    instance = _instance(radarr_v6, tmp_path, ["de"])
    report = connection_report(instance)
    assert ORIGINAL_REJECTS in report.lines and ORIGINAL_REJECTS in report.warnings
    assert "Radarr's profiles keep the German dub through an upgrade (German DL)." in report.lines
    radarr_v6.state.set_profiles(
        [quality_profile(1, "HD-1080p", scores={5: 11000}, language="Any")]
    )
    assert not any("Original" in line for line in connection_report(instance).lines)


@pytest.mark.parametrize(
    ("language", "warning"),
    [
        (
            "fr",
            "Le profil HD-1080p de Radarr a la langue Original\u00a0: il rejette toute version "
            "doublée uniquement en allemand. Réglez sa langue sur Tous ou German.",
        ),
        (
            "de",
            "Das Profil HD-1080p von Radarr hat die Sprache Original: Es lehnt jedes Release "
            "ab, das nur auf Deutsch synchronisiert ist. Stellen Sie seine Sprache auf "
            "Beliebig oder German.",
        ),
    ],
)
def test_a_warning_is_shown_as_a_warning(
    admin_client: Client, radarr_v6: FakeArr, tmp_path: Path, language: str, warning: str
) -> None:
    """On the dashboard and in the connection test's message: the warning class and mark,
    in the reader's language; never a success."""
    instance = _instance(radarr_v6, tmp_path, ["de"])
    admin_client.cookies["django_language"] = language
    with translation.override("en"):  # the middleware's language ends with the request
        answer = admin_client.post(
            f"/admin/scanner/instance/{instance.pk}/test-connection/", follow=True
        )
        html = answer.content.decode()
        dashboard = admin_client.get("/admin/dashboard/").content.decode()
    escaped = warning.replace("'", "&#x27;")
    assert f'<li class="taggarr-warn"><span aria-hidden="true">⚠ </span>{escaped}</li>' in html
    assert 'class="taggarr-toast warning"' in html and "taggarr-toast success" not in html
    assert escaped in dashboard
    section = dashboard[dashboard.index('id="profile-guard"') :]
    assert '<li class="taggarr-warn"><span aria-hidden="true">⚠ </span>' in section
    assert section.index("taggarr-warn") < section.index(escaped)


def test_a_brazilian_format_keeps_a_brazilian_dub(radarr: FakeArr, tmp_path: Path) -> None:
    radarr.state.set_custom_formats(
        [language_format(7, "Dublado", [("Portuguese (Brazil)", False, True)])]
    )
    radarr.state.set_profiles([quality_profile(1, "HD-1080p", scores={7: 100})])
    lines = connection_report(_instance(radarr, tmp_path, ["pt-BR"])).lines
    assert (
        "Radarr's profiles keep the Brazilian Portuguese dub through an upgrade (Dublado)."
    ) in lines


def test_garbage_from_customformat_is_said_not_raised(sonarr: FakeArr, tmp_path: Path) -> None:
    sonarr.state.set_custom_formats_answer(b"<html>502 Bad Gateway</html>")
    instance = _instance(sonarr, tmp_path, ["de"])
    report = check_instance.test_and_record(instance, user="admin", via="test")
    assert report.ok
    said = [line for line in report.lines if line.startswith("could not check")]
    assert len(said) == 1 and "Sonarr's quality profiles and custom formats" in said[0]
    assert not any("may drop" in line for line in report.lines)
    stored = Event.objects.get(instance=instance).data[CONNECTION_TEST]["profile_guard"]
    assert stored["error"]


def test_sonarr_v3_has_no_custom_formats(tmp_path: Path) -> None:
    """Sonarr v3 answers 404 for /api/v3/customformat: the test says so and goes on."""
    for fake in _fake(FakeArrOptions(app="sonarr", version=SONARR_V3, api_key=ARR_KEY)):
        report = connection_report(_instance(fake, tmp_path, ["de"]))
        assert any(line.startswith("could not check Sonarr's quality") for line in report.lines)
        assert report.version is not None


def test_the_api_connection_test_answers_200_for_garbage(
    admin_user, sonarr: FakeArr, tmp_path: Path
) -> None:
    api = APIClient()
    api.force_login(admin_user)
    sonarr.state.set_custom_formats_answer(b'{"not": "a list"}')
    instance = _instance(sonarr, tmp_path, ["de"])
    response = api.post(f"/api/instances/{instance.pk}/test/")
    assert response.status_code == 200
    assert any(line.startswith("could not check") for line in response.json()["lines"])


def test_the_dashboard_shows_the_last_guard_without_asking(
    admin_client: Client, sonarr: FakeArr, tmp_path: Path
) -> None:
    instance = _instance(sonarr, tmp_path, ["de"])
    assert 'id="profile-guard"' not in admin_client.get("/admin/dashboard/").content.decode()
    check_instance.test_and_record(instance, user="admin", via="test")
    sonarr.state.reset_counters()
    html = admin_client.get("/admin/dashboard/").content.decode()
    assert sonarr.state.total_requests() == 0
    assert 'id="profile-guard"' in html
    assert "Sonarr&#x27;s profile HD-1080p scores no format with German" in html
    admin_client.cookies["django_language"] = "de"
    with translation.override("en"):  # the middleware's German ends with the block
        html = admin_client.get("/admin/dashboard/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Deutsch" in html  # the language named in the reader's language


@pytest.fixture
def crowded_sonarr() -> Iterator[FakeArr]:
    """More profiles than a real Sonarr holds, each with a 300-character name, and no
    series (so that every profile is judged)."""
    with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY), items=[]) as fake:
        fake.state.set_profiles(
            [quality_profile(i, f"{i:03d}" + "x" * 297) for i in range(1, MAX_PROFILES + 6)]
        )
        yield fake


def test_a_crowded_arr_is_told_in_a_few_names(
    admin_client: Client, crowded_sonarr: FakeArr, tmp_path: Path
) -> None:
    """Before: 20,000 such profiles made a 36 MB event and an 18 MB dashboard."""
    instance = _instance(crowded_sonarr, tmp_path, ["de"])
    report = check_instance.test_and_record(instance, user="admin", via="test")
    exposed = next(line for line in report.lines if "may drop" in line)
    assert exposed.startswith("Sonarr's profiles 001" + "x" * 96 + "\u2026, 002")
    assert f" and {MAX_PROFILES - 10} more score no format with German" in exposed
    assert (
        "Sonarr lists more quality profiles, custom formats or languages than Taggarr reads: "
        "5 of them were not checked." in report.lines
    )
    event = Event.objects.get(instance=instance)
    assert len(json.dumps(event.data)) < 20_000
    html = admin_client.get("/admin/dashboard/").content.decode()
    assert f"and {MAX_PROFILES - 10} more" in html and "5 of them were not checked" in html


def test_a_judgement_past_its_budget_is_said_not_a_500(
    admin_user, sonarr: FakeArr, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticks = itertools.count()
    monkeypatch.setattr(
        guard_action, "Budget", lambda: Budget(seconds=0, clock=lambda: float(next(ticks)))
    )
    api = APIClient()
    api.force_login(admin_user)
    instance = _instance(sonarr, tmp_path, ["de"])
    response = api.post(f"/api/instances/{instance.pk}/test/")
    assert response.status_code == 200
    assert (
        "could not check Sonarr's quality profiles and custom formats: the check took longer "
        "than 0 s" in response.json()["lines"]
    )
    with translation.override("de"):
        german = api.post(f"/api/instances/{instance.pk}/test/", HTTP_ACCEPT_LANGUAGE="de")
    assert not any(line.startswith("could not") for line in german.json()["lines"])


def test_a_kept_tests_guard_is_told_in_each_readers_words(sonarr: FakeArr, tmp_path: Path) -> None:
    """Before: the guard's sentences were kept as said when the test ran (English for a
    scheduled test, the tester's language otherwise) and shown so to every reader; now
    they are made again from the guard's kept result, in the reader's words."""
    instance = _instance(sonarr, tmp_path, ["de"])
    with translation.override("en"):
        check_instance.test_and_record(instance, user="admin", via="test")
    kept = Event.objects.get(data__has_key=CONNECTION_TEST).data[CONNECTION_TEST]
    assert MAY_DROP_GERMAN in kept["lines"]  # as said when it ran
    with translation.override("fr"):
        now = [said(line) for line in connection_report(instance).lines]
        told = kept_test_lines(kept)
        shown = [line for label, line in data_lines({CONNECTION_TEST: kept}) if not label]
        last = last_connection_tests([instance.pk])[instance.pk]["lines"]
    assert told == shown == last == now
    assert MAY_DROP_GERMAN not in told and any("allemand" in line for line in told)
