"""The guided setup, /admin/setup/ (web.admin.setup): each step saves what it says, a
step left is resumed at the next one, nothing is saved before the connection test
passed, and the address finder offers only what answered."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.test import Client

from fakes.arr import FakeArr, FakeArrOptions
from scanner.actions import find_arr
from scanner.arr.profiles import QualityProfile
from scanner.changes import planning
from scanner.models import (
    ActPlanning,
    Event,
    Instance,
    Person,
    ProfileChange,
    ScanRun,
    WishProfile,
)  # fmt: skip
from scanner.wish_profiles import first_mapping
from scanner.wish_profiles.judge import Judgement
from scanner.wish_profiles.offer import Offer
from tests.factories import MediaFactory
from tests.helpers import ARR_KEY
from tests.wish_profile_rows import (
    HD,
    PROFILES,
    VFF_1080,
    VFQ_1080,
    change,
    serve_quebec_profiles,
)  # fmt: skip
from web.admin import setup_profiles

pytestmark = pytest.mark.django_db

URL = "/admin/setup/"


def _page(client: Client, **query: str) -> str:
    answer = client.get(URL, query)
    assert answer.status_code == 200
    return answer.content.decode()


def _current(html: str) -> str:
    return html.split('id="setup-current"', 1)[1].split("</h2>", 1)[0]


def _languages(client: Client, *targets: str, original: bool = False) -> None:
    data = {"step": "1", "targets": list(targets)}
    if original:
        data["also_original"] = "on"
    answer = client.post(URL, data)
    assert answer.status_code == 302, answer.content.decode()[-2000:]


def _arr(client: Client, fake: FakeArr, key: str = ARR_KEY) -> str:
    answer = client.post(URL, {"step": "2", "kind": "sonarr", "url": fake.url, "api_key": key})
    return answer.content.decode() if answer.status_code == 200 else ""


@pytest.fixture
def silent() -> Iterator[str]:
    """An address that accepts a connection and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(4)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


def test_a_new_install_starts_with_the_languages_and_the_home_leads_here(
    admin_client: Client,
) -> None:
    home = admin_client.get("/admin/").content.decode()
    guide = home.split('id="first-run"', 1)[1]
    assert f'taggarr-primary" href="{URL}"' in guide
    assert 'href="/admin/scanner/instance/add/" id="first-run-other"' in guide  # the skip
    html = _page(admin_client)
    assert "The household&#x27;s languages" in _current(html)
    # Varieties named as people name them, picked, not typed.
    assert 'value="fr-CA"' in html and "(VFQ)" in html and "(Latino)" in html


def test_the_languages_step_saves_the_household(admin_client: Client) -> None:
    _languages(admin_client, "fr-CA", "en", original=True)

    dub = Person.objects.get(series_want=Person.Want.DUB)
    assert dub.languages == ["fr-CA", "en"]
    original = Person.objects.get(series_want=Person.Want.ORIGINAL_SUBTITLED)
    assert original.movie_want == Person.Want.ORIGINAL_SUBTITLED
    # Resumed at the next step: the *arr.
    assert "Sonarr, Radarr" in _current(_page(admin_client))

    _languages(admin_client, "es-419")  # unticked: who watches originals is gone
    assert list(Person.objects.values_list("languages", flat=True)) == [["es-419"]]


def test_an_unreadable_language_is_refused(admin_client: Client) -> None:
    answer = admin_client.post(URL, {"step": "1", "targets": ["klingon"]})
    assert answer.status_code == 200
    assert 'class="errorlist"' in answer.content.decode()
    assert not Person.objects.exists()


def test_a_wrong_key_is_refused_with_the_tests_sentence_and_nothing_saved(
    admin_client: Client, empty_sonarr: FakeArr
) -> None:
    _languages(admin_client, "fr-CA")
    html = _arr(admin_client, empty_sonarr, key="wrong-key-0123456789abcdef")

    assert 'id="setup-test"' in html
    assert "nothing was saved" in html
    assert "API key" in html.split('id="setup-test"', 1)[1].split("</ul>", 1)[0]
    assert "wrong-key-0123456789abcdef" not in html
    assert not Instance.objects.exists()


def test_the_arr_step_saves_the_instance_tested_with_the_households_languages(
    admin_client: Client, empty_sonarr: FakeArr
) -> None:
    _languages(admin_client, "fr-CA")
    assert _arr(admin_client, empty_sonarr) == ""  # redirected: saved

    instance = Instance.objects.get()
    assert (instance.kind, instance.url, instance.target_languages) == (
        "sonarr",
        empty_sonarr.url,
        ["fr-CA"],
    )
    assert instance.get_api_key() == ARR_KEY
    assert Event.objects.filter(instance=instance, data__connection_test__ok=True).exists()
    html = _page(admin_client)
    assert "What Taggarr should do" in _current(html)
    assert 'name="wish_profiles"' in html


def test_the_acts_step_plans_only_and_the_dry_run_starts(
    admin_client: Client, empty_sonarr: FakeArr
) -> None:
    _languages(admin_client, "fr-CA")
    _arr(admin_client, empty_sonarr)
    answer = admin_client.post(URL, {"step": "3", "default_tracks": "on", "wish_profiles": "on"})
    assert answer.status_code == 302

    instance = Instance.objects.get()
    assert (instance.default_tracks, instance.wish_profiles) == ("plan", "plan")
    assert "The first scan, dry" in _current(_page(admin_client))

    answer = admin_client.post(URL, {"step": "4"})
    run = ScanRun.objects.get()
    assert (run.instance, run.dry_run) == (instance, True)
    assert answer["Location"] == f"/admin/scanner/scanrun/{run.pk}/change/"


def test_the_acts_unticked_stay_off_and_the_step_is_done(
    admin_client: Client, empty_sonarr: FakeArr
) -> None:
    _languages(admin_client, "de")
    _arr(admin_client, empty_sonarr)
    admin_client.post(URL, {"step": "3"})

    instance = Instance.objects.get()
    assert (instance.default_tracks, instance.wish_profiles) == ("off", "off")
    assert "The first scan, dry" in _current(_page(admin_client))


def test_a_library_folder_is_never_offered_the_quality_profiles(
    admin_client: Client, tmp_path: Path
) -> None:
    _languages(admin_client, "fr-CA")
    missing = admin_client.post(
        URL, {"step": "2", "kind": "library", "folder": str(tmp_path / "nowhere")}
    )
    assert "does not exist" in missing.content.decode()
    assert not Instance.objects.exists()

    admin_client.post(URL, {"step": "2", "kind": "library", "folder": str(tmp_path)})
    instance = Instance.objects.get()
    assert (instance.kind, instance.root_folders) == ("library", [str(tmp_path)])
    html = _page(admin_client)
    assert 'name="default_tracks"' in html and 'name="wish_profiles"' not in html
    admin_client.post(URL, {"step": "3", "default_tracks": "on", "wish_profiles": "on"})
    instance.refresh_from_db()
    assert (instance.default_tracks, instance.wish_profiles) == ("plan", "off")


def test_a_relative_library_folder_is_refused_by_the_models_own_checks(
    admin_client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder that exists relative to where Taggarr runs is no library: the instance's
    own checks (scanner.validators.clean_folders, as the instance form runs them) refuse
    it, and nothing is saved."""
    (tmp_path / "films").mkdir()
    monkeypatch.chdir(tmp_path)
    _languages(admin_client, "fr-CA")
    answer = admin_client.post(URL, {"step": "2", "kind": "library", "folder": "films"})
    assert "must be an absolute path" in answer.content.decode()
    assert not Instance.objects.exists()


def test_a_later_step_cannot_be_skipped_to(admin_client: Client) -> None:
    assert "The household&#x27;s languages" in _current(_page(admin_client, step="4"))
    admin_client.post(URL, {"step": "4"})
    assert not ScanRun.objects.exists()


def test_changing_the_languages_after_the_arr_changes_its_targets(
    admin_client: Client, empty_sonarr: FakeArr
) -> None:
    _languages(admin_client, "fr-CA")
    _arr(admin_client, empty_sonarr)
    assert "The household&#x27;s languages" in _current(_page(admin_client, step="1"))
    _languages(admin_client, "fr-FR", "en")
    assert Instance.objects.get().target_languages == ["fr-FR", "en"]


def test_find_offers_only_what_answered(
    admin_client: Client, empty_sonarr: FakeArr, silent: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(find_arr, "candidates", lambda kind: [silent, empty_sonarr.url])
    monkeypatch.setattr(find_arr, "PROBE_SECONDS", 0.5)
    _languages(admin_client, "fr-CA")

    html = admin_client.post(URL, {"step": "2", "find": "sonarr"}).content.decode()
    found = html.split('id="setup-found"', 1)[1].split("</p>", 1)[0]
    assert f'value="{empty_sonarr.url}"' in found
    assert silent not in found
    assert not Instance.objects.exists()  # finding saves nothing

    picked = admin_client.post(URL, {"step": "2", "kind": "sonarr", "pick": empty_sonarr.url})
    assert f'value="{empty_sonarr.url}"' in picked.content.decode().split('id="setup-arr"', 1)[1]


def test_find_says_when_nothing_answered(
    admin_client: Client, silent: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(find_arr, "candidates", lambda kind: [silent])
    monkeypatch.setattr(find_arr, "PROBE_SECONDS", 0.3)
    _languages(admin_client, "fr-CA")
    html = admin_client.post(URL, {"step": "2", "find": "radarr"}).content.decode()
    assert 'id="setup-not-found"' in html and 'id="setup-found"' not in html


def test_a_redirect_is_not_followed(empty_sonarr: FakeArr) -> None:
    assert find_arr.answers(empty_sonarr.url, 2.0)
    assert not find_arr.answers(f"{empty_sonarr.url}/nowhere", 2.0)


def test_who_may_not_add_an_instance_gets_403_and_a_stranger_the_login(client: Client) -> None:
    answer = client.get(URL)
    assert answer.status_code == 302 and "/admin/login/" in answer["Location"]
    user = User.objects.create_user("viewer", password="pw-0123456789", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_instance"))
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"step": "1", "targets": ["fr-CA"]}).status_code == 403
    # Adding instances alone is not enough: step 1 makes and changes the household's people.
    user.user_permissions.add(Permission.objects.get(codename="add_instance"))
    client.force_login(User.objects.get(pk=user.pk))  # its permissions read afresh
    assert client.get(URL).status_code == 403
    assert 'id="setup-link"' not in client.get("/admin/").content.decode()
    assert not Person.objects.exists()


def test_the_hosts_gateway_is_one_of_the_usual_addresses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    routes = tmp_path / "route"
    routes.write_text(
        "Iface\tDestination\tGateway\tFlags\n"
        "eth0\t0011A8C0\t00000000\t0001\n"
        "eth0\t00000000\t0111A8C0\t0003\n",
        encoding="ascii",
    )
    monkeypatch.setattr(find_arr, "ROUTE_TABLE", routes)
    assert find_arr.candidates("radarr") == [
        "http://localhost:7878", "http://radarr:7878", "http://192.168.17.1:7878",
    ]  # fmt: skip
    monkeypatch.setattr(find_arr, "ROUTE_TABLE", tmp_path / "none")
    assert find_arr.candidates("sonarr") == ["http://localhost:8989", "http://sonarr:8989"]
    assert find_arr.candidates("library") == []


# The quality profiles mapped by step 3 (web.admin.setup_profiles, issue 94).

VFQ_LINE = "Canadian French (VFQ) → VFQ-1080p"
VFQ_RECIPE = (
    "Canadian French (VFQ): no quality profile of yours grabs it; the Recyclarr recipe "
    "docs/recipes/recyclarr/sonarr-french-vfq.yml makes one."
)


@pytest.fixture
def quebec_sonarr() -> Iterator[FakeArr]:
    """A Sonarr whose VFQ-1080p profile grabs the VFQ (tests/wish_profile_rows.py)."""
    with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY)) as fake:
        serve_quebec_profiles(fake)
        yield fake


def _to_acts(client: Client, fake: FakeArr, *, original: bool = False) -> Instance:
    _languages(client, "fr-CA", original=original)
    assert _arr(client, fake) == ""
    return Instance.objects.get()


def _mapping(instance: Instance) -> dict[str, tuple[int, str, str]]:
    return {
        row.wish: (row.profile_id, row.profile_name, row.saved_by)
        for row in WishProfile.objects.filter(instance=instance)
    }


def _summary(html: str) -> str:
    return html.split('id="setup-acts-done"', 1)[1].split("</div>", 1)[0]


def test_the_acts_step_maps_each_wish_to_the_profile_that_grabs_it(
    admin_client: Client, quebec_sonarr: FakeArr
) -> None:
    instance = _to_acts(admin_client, quebec_sonarr, original=True)
    shown = _page(admin_client).split('id="setup-profiles-preview"', 1)[1].split("</div>", 1)[0]
    assert VFQ_LINE in shown and "The original and Canadian French (VFQ) → VFQ-1080p" in shown
    assert not WishProfile.objects.exists()  # the preview saves nothing

    answer = admin_client.post(URL, {"step": "3", "default_tracks": "on", "wish_profiles": "on"})
    assert answer.status_code == 302

    # The original: VFQ-1080p and VFF-1080p lead by as much; the first in Sonarr's order.
    assert _mapping(instance) == {
        "original": (VFQ_1080, "VFQ-1080p", "admin"),
        "fr-CA": (VFQ_1080, "VFQ-1080p", "admin"),
        "original+fr-CA": (VFQ_1080, "VFQ-1080p", "admin"),
    }
    event = Event.objects.get(instance=instance, kind=Event.Kind.PROFILE)
    assert (event.data["user"], event.data["via"]) == ("admin", "admin")
    instance.refresh_from_db()
    assert instance.wish_profiles == "plan"
    html = _page(admin_client)
    assert "The first scan, dry" in _current(html)
    assert VFQ_LINE in _summary(html)


def test_a_household_without_originals_maps_its_dub_alone(
    admin_client: Client, quebec_sonarr: FakeArr
) -> None:
    # Nobody watches originals (step 1): the original's wishes are not the household's,
    # and a profile judged to keep the original (a MULTi.VFQ holds it) is not offered.
    instance = _to_acts(admin_client, quebec_sonarr)
    shown = _page(admin_client).split('id="setup-profiles-preview"', 1)[1].split("</div>", 1)[0]
    assert VFQ_LINE in shown and "The original" not in shown

    admin_client.post(URL, {"step": "3", "wish_profiles": "on"})

    assert _mapping(instance) == {"fr-CA": (VFQ_1080, "VFQ-1080p", "admin")}


def test_a_mapping_saved_before_is_kept(admin_client: Client, quebec_sonarr: FakeArr) -> None:
    instance = _to_acts(admin_client, quebec_sonarr, original=True)
    WishProfile.objects.create(
        instance=instance, wish="fr-CA", profile_id=VFF_1080, profile_name="VFF-1080p",
        saved_by="alice",
    )  # fmt: skip
    WishProfile.objects.create(instance=instance, wish="original", profile_id=HD)

    admin_client.post(URL, {"step": "3", "wish_profiles": "on"})

    assert _mapping(instance) == {
        "fr-CA": (VFF_1080, "VFF-1080p", "alice"),
        "original": (HD, "", ""),
        "original+fr-CA": (VFQ_1080, "VFQ-1080p", "admin"),
    }
    summary = _summary(_page(admin_client))
    assert "Canadian French (VFQ) → VFF-1080p: your earlier choice, kept." in summary
    assert "The original and Canadian French (VFQ) → VFQ-1080p" in summary


def test_a_wish_no_profile_grabs_is_left_unmapped_with_its_recipe(
    admin_client: Client, quebec_sonarr: FakeArr
) -> None:
    quebec_sonarr.state.set_profiles([p for p in PROFILES if p["id"] != VFQ_1080])
    instance = _to_acts(admin_client, quebec_sonarr, original=True)
    assert VFQ_RECIPE in _page(admin_client).split('id="setup-profiles-preview"', 1)[1]

    admin_client.post(URL, {"step": "3", "wish_profiles": "on"})

    # The original is grabbed by the VFF profile (a MULTi.VFF holds it); the VFQ by none.
    assert _mapping(instance) == {"original": (VFF_1080, "VFF-1080p", "admin")}
    summary = _summary(_page(admin_client))
    assert VFQ_RECIPE in summary
    assert (
        "docs/recipes/recyclarr/sonarr-french-vfq.yml"
        in summary.split('data-wish="original+fr-CA"', 1)[1]
    )


def test_an_arr_that_does_not_answer_maps_nothing_and_says_so(
    admin_client: Client, quebec_sonarr: FakeArr
) -> None:
    instance = _to_acts(admin_client, quebec_sonarr)
    quebec_sonarr.stop()
    preview = _page(admin_client).split('id="setup-profiles-preview"', 1)[1]
    assert "Could not read the quality profiles of Sonarr" in preview

    answer = admin_client.post(URL, {"step": "3", "wish_profiles": "on"})
    assert answer.status_code == 302

    assert not WishProfile.objects.exists()
    instance.refresh_from_db()
    assert instance.wish_profiles == "plan"
    summary = _summary(_page(admin_client))
    assert (
        "No wish was mapped, as the quality profiles of Sonarr could not be read and judged: "
        "choose them on the mapping page once it answers."
    ) in summary
    assert f'href="/admin/scanner/profilechange/mapping/{instance.pk}/"' in summary


def test_a_wish_without_a_recipe_names_the_mapping_page(db: None) -> None:
    """No recipe makes a profile for an Italian dub (scanner.wish_profiles.recipes: the
    guides hold no format for it, nor does Taggarr), so the sentence sends to the mapping
    page."""
    instance = Instance(name="tv", kind=Instance.Kind.SONARR)
    said = setup_profiles.lines(first_mapping.Proposal(ungrabbed=["ita"]), instance)
    text = "Italian: no quality profile of yours grabs it; choose one on the mapping page."
    assert [(line.text, line.link) for line in said] == [(text, True)]


def test_the_profile_judged_best_is_chosen(db: None) -> None:
    """A profile that rejects every other release first, then the widest lead of the
    wanted release's score; of equals, the first in the *arr's order; never one judged
    not to grab the wish."""

    def judged(ok: bool, code: str, wanted: int = 0, other: int = 0) -> Judgement:
        return Judgement(ok, code, {"wanted_score": wanted, "other_score": other})

    def best(*judgements: Judgement) -> int | None:
        profiles = tuple(QualityProfile(n, f"P{n}", True, {}) for n in range(len(judgements)))
        offer = Offer(
            Instance(name="tv", kind=Instance.Kind.SONARR),
            ["fr-CA"],
            profiles,
            {"fr-CA": dict(enumerate(judgements))},
            read=True,
        )
        found = first_mapping.grabbing(offer, "fr-CA")
        return None if found is None else found.id

    assert best(judged(False, "other-first", 100, 1100), judged(False, "no-scores")) is None
    assert best(judged(True, "ok", 5000, 0), judged(True, "only-wanted", 10)) == 1
    assert best(judged(True, "ok", 1100, 1000), judged(True, "ok", 1100, 100)) == 1
    assert best(judged(True, "ok", 1100, 100), judged(True, "ok", 1100, 100)) == 0
    assert best(judged(False, "tie", 100, 100), judged(True, "ok", 100, 0)) == 1


# --- step 5: what the dry run planned, every act applied at once ------------------------


def _dry_run_ended(client: Client, fake: FakeArr) -> ScanRun:
    """Steps 1 to 4 done: the dry run ended, a tag and a quality profile planned."""
    _to_acts(client, fake)
    client.post(URL, {"step": "3", "default_tracks": "on", "wish_profiles": "on"})
    client.post(URL, {"step": "4"})
    run = ScanRun.objects.get()
    ScanRun.objects.filter(pk=run.pk).update(status=ScanRun.Status.SUCCEEDED)
    media = MediaFactory(instance=run.instance, title="Les Boys", planned_tag="dub")
    change(media, ProfileChange.State.PLANNED, run=run)
    return run


def test_the_last_step_lists_each_acts_plan_once_every_act_has_planned(
    admin_client: Client, quebec_sonarr: FakeArr
) -> None:
    run = _dry_run_ended(admin_client, quebec_sonarr)
    planning.sent(run.pk, "default_tracks")  # its task is on its way to a worker

    html = _page(admin_client)
    assert "Apply what it planned" in _current(html)
    assert 'id="setup-planning"' in html and 'http-equiv="refresh"' in html
    assert 'id="setup-apply-all"' not in html  # nothing is applied before every plan is in
    admin_client.post(URL, {"step": "5"})
    assert ProfileChange.objects.get().state == ProfileChange.State.PLANNED
    assert not ScanRun.objects.filter(mode=ScanRun.Mode.APPLY).exists()

    planning.counted(run.pk, "default_tracks", 1)
    assert 'id="setup-planning"' in _page(admin_client)  # 0 of 1 item
    # A planning that stopped moving for the stall window (a message lost) is not waited on.
    rows = ActPlanning.objects.filter(run=run)
    moved = rows.get().updated_at
    rows.update(updated_at=moved - timedelta(seconds=settings.SCAN_STALL_SECONDS + 1))
    assert 'id="setup-planning"' not in _page(admin_client)
    rows.update(updated_at=moved)
    planning.ticked(run.pk, "default_tracks")
    html = _page(admin_client)
    assert 'id="setup-planning"' not in html and 'http-equiv="refresh"' not in html
    step = html.split('id="setup-current"', 1)[1]
    assert "1 item gets its tag." in step
    assert "1 item gets the quality profile that grabs its dub." in step
    assert 'id="setup-plan-default_tracks"' not in step  # it planned nothing
    assert 'id="setup-apply-all"' in step


def test_the_last_step_applies_the_tags_and_every_act(
    admin_client: Client, quebec_sonarr: FakeArr
) -> None:
    run = _dry_run_ended(admin_client, quebec_sonarr)

    answer = admin_client.post(URL, {"step": "5"}, follow=True)

    assert answer.redirect_chain[-1][0] == "/admin/changes/"
    applying = ScanRun.objects.get(mode=ScanRun.Mode.APPLY)  # the tags, no file read
    assert (applying.instance, applying.dry_run) == (run.instance, False)
    said = [str(message) for message in answer.context["messages"]]
    assert any("Queued 1 item" in text for text in said), said


def test_the_run_page_leads_back_to_the_last_step(
    admin_client: Client, quebec_sonarr: FakeArr
) -> None:
    run = _dry_run_ended(admin_client, quebec_sonarr)
    review = f"/admin/scanner/scanrun/{run.pk}/review/"
    assert 'id="setup-next"' in admin_client.get(review).content.decode()
    # Another run's page (one that wrote) does not lead there.
    other = ScanRun.objects.create(
        instance=run.instance, trigger="manual", status=ScanRun.Status.SUCCEEDED
    )
    assert (
        'id="setup-next"'
        not in admin_client.get(f"/admin/scanner/scanrun/{other.pk}/review/").content.decode()
    )
