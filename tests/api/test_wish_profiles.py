"""The quality profiles by wish in the API (issue 82): ``/api/instances/{id}/wish-profiles/``
gives the wishes offered, the mapping saved and the fake Sonarr's profiles read now, each
judged per wish, and saves a mapping checked as the admin's page checks it (400 per wish,
nothing saved); ``/api/profile-changes/`` lists the journal and applies or undoes;
``/api/media/{id}/profile/`` says where an item stands and releases the hand. Reads need
the view permission, writes the permission to change instances; no input is a 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from rest_framework.test import APIClient

from fakes.arr import FakeArr, FakeArrOptions
from scanner.models import Event, Instance, ItemProfile, WishProfile
from tests.helpers import ARR_KEY
from tests.wish_profile_rows import (
    HD,
    VFF_1080,
    VFQ_1080,
    quebec_changes,
    quebec_instance,
    serve_quebec_profiles,
)

pytestmark = pytest.mark.django_db

CHANGES = "/api/profile-changes/"


@pytest.fixture
def sonarr() -> Iterator[FakeArr]:
    with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY)) as fake:
        serve_quebec_profiles(fake)
        yield fake


@pytest.fixture
def instance(sonarr: FakeArr) -> Instance:
    return quebec_instance(sonarr)


def _url(instance: Instance) -> str:
    return f"/api/instances/{instance.pk}/wish-profiles/"


def test_get_gives_the_wishes_the_mapping_and_each_profiles_judgement(
    api: APIClient, instance: Instance
) -> None:
    WishProfile.objects.create(
        instance=instance, wish="fr-CA", profile_id=VFQ_1080, profile_name="VFQ-1080p"
    )
    body = api.get(_url(instance)).json()
    assert body["read"] is True and body["problem"] == ""
    assert body["wish_profiles"] == "off" and body["wish_profiles_return"] is False
    wishes = {row["wish"]: row for row in body["wishes"]}
    assert {"original", "fr-CA", "original+fr-CA"} <= set(wishes)
    assert wishes["fr-CA"]["wish_label"] == "Canadian French (VFQ)"
    assert (wishes["fr-CA"]["profile_id"], wishes["fr-CA"]["profile_name"]) == (
        VFQ_1080,
        "VFQ-1080p",
    )
    assert wishes["original"]["profile_id"] is None
    profiles = {row["id"]: row for row in body["profiles"]}
    assert [row["name"] for row in body["profiles"]] == ["HD-1080p", "VFQ-1080p", "VFF-1080p"]
    vfq = profiles[VFQ_1080]["judgements"]["fr-CA"]
    assert vfq["ok"] is True and vfq["code"] == "ok"
    assert vfq["values"]["wanted"] == "Movie.2019.MULTi.VFQ.1080p.WEB.H264-GRP"
    assert vfq["text"].startswith("At the same quality this profile grabs")
    vff = profiles[VFF_1080]["judgements"]["fr-CA"]
    assert vff["ok"] is False and vff["code"] == "other-first"
    assert profiles[HD]["judgements"]["fr-CA"]["code"] == "no-scores"
    # Each profile's samples scored once; each wish's wanted samples once.
    samples = {row["title"]: row for row in profiles[VFQ_1080]["samples"]}
    assert samples["Movie.2019.MULTi.VFQ.1080p.WEB.H264-GRP"] == {
        "title": "Movie.2019.MULTi.VFQ.1080p.WEB.H264-GRP",
        "score": 1100,
        "formats": ["VFQ", "Multi-Audio"],
        "rejected": "",
    }
    assert "Movie.2019.VFQ.1080p.WEB.H264-GRP" in wishes["fr-CA"]["wanted_samples"]
    assert "Movie.2019.VFQ.1080p.WEB.H264-GRP" not in wishes["original+fr-CA"]["wanted_samples"]


def test_get_speaks_the_readers_language(api: APIClient, instance: Instance) -> None:
    body = api.get(_url(instance), HTTP_ACCEPT_LANGUAGE="fr").json()
    labels = {row["wish"]: row["wish_label"] for row in body["wishes"]}
    assert labels["fr-CA"] == "Français canadien (VFQ)"
    assert labels["original"] == "La version originale seule"


def test_put_saves_a_mapping_with_one_event(api: APIClient, instance: Instance) -> None:
    answer = api.put(_url(instance), {"mapping": {"fr-CA": VFQ_1080, "original": None}})
    assert answer.status_code == 200, answer.content
    assert answer.json()["changed"] == {"fr-CA": [None, VFQ_1080]}
    row = WishProfile.objects.get()
    assert (row.wish, row.profile_id, row.profile_name) == ("fr-CA", VFQ_1080, "VFQ-1080p")
    [event] = Event.objects.filter(kind=Event.Kind.PROFILE)
    assert event.data["via"] == "api"
    # A wish left out keeps its profile; null unmaps.
    api.put(_url(instance), {"mapping": {"original+fr-CA": VFF_1080}})
    assert WishProfile.objects.count() == 2
    api.put(_url(instance), {"mapping": {"fr-CA": None}})
    assert list(WishProfile.objects.values_list("wish", flat=True)) == ["original+fr-CA"]


@pytest.mark.parametrize(
    "body",
    [
        {"mapping": {"fr-CA": 99}},  # not a profile of the *arr
        {"mapping": {"deu": HD}},  # not a wish of this instance
        {"mapping": {"no wish": HD}},
        {"mapping": {"fr-CA": "x"}},
        {"mapping": {"fr-CA": 0}},
        {"mapping": {"fr-CA": 2**40}},
        {"mapping": {"x" * 51: HD}},
        {"mapping": {f"w{i}": None for i in range(61)}},
        {"mapping": ["fr-CA"]},
        {"mapping": None},
        {},
        [],
        "fr-CA",
    ],
)
def test_put_refuses_what_is_not_a_mapping_and_saves_nothing(
    api: APIClient, instance: Instance, body: Any
) -> None:
    answer = api.put(_url(instance), body, format="json")
    assert answer.status_code == 400, answer.content
    assert not WishProfile.objects.exists()
    assert not Event.objects.filter(kind=Event.Kind.PROFILE).exists()


def test_put_names_the_wrong_wish(api: APIClient, instance: Instance) -> None:
    answer = api.put(_url(instance), {"mapping": {"fr-CA": VFQ_1080, "original": 99}})
    assert answer.json() == {
        "mapping": {"original": ["The *arr does not list this quality profile."]}
    }


def test_an_arr_that_does_not_answer(api: APIClient, sonarr: FakeArr, instance: Instance) -> None:
    WishProfile.objects.create(instance=instance, wish="fr-CA", profile_id=VFQ_1080)
    sonarr.stop()
    body = api.get(_url(instance)).json()
    assert body["read"] is False and "Could not read the quality profiles of tv" in body["problem"]
    assert body["profiles"] == []
    assert {row["wish"]: row["profile_id"] for row in body["wishes"]}["fr-CA"] == VFQ_1080
    refused = api.put(_url(instance), {"mapping": {"original": HD}})
    assert refused.status_code == 400
    assert "Could not read" in refused.json()["mapping"]["original"][0]
    # Unchanged and "not managed" need no *arr.
    assert api.put(_url(instance), {"mapping": {"fr-CA": VFQ_1080}}).status_code == 200
    assert api.put(_url(instance), {"mapping": {"fr-CA": None}}).status_code == 200
    assert not WishProfile.objects.exists()


def test_unknown_instances_and_library_folders(api: APIClient) -> None:
    assert api.get("/api/instances/999999/wish-profiles/").status_code == 404
    folder = Instance.objects.create(name="folder", kind=Instance.Kind.LIBRARY)
    body = api.get(_url(folder)).json()
    assert body["read"] is False and body["profiles"] == []
    assert api.put(_url(folder), {"mapping": {"original": 1}}).status_code == 400


def test_permissions(staff_user: User, instance: Instance) -> None:
    client = APIClient()
    assert client.get(_url(instance)).status_code in (401, 403)
    client.force_login(staff_user)
    staff_user.user_permissions.clear()
    assert client.get(_url(instance)).status_code == 403
    staff_user.user_permissions.add(Permission.objects.get(codename="view_instance"))
    staff = User.objects.get(pk=staff_user.pk)  # permissions are cached per object
    client.force_login(staff)
    assert client.get(_url(instance)).status_code == 200
    assert client.put(_url(instance), {"mapping": {}}, format="json").status_code == 403


# --- the journal ----------------------------------------------------------------------


def test_the_changes_list_and_filters(api: APIClient, instance: Instance) -> None:
    rows = quebec_changes(instance)
    body = api.get(CHANGES).json()
    found = {row["id"]: row for row in body["results"]}
    assert set(found) == {change.pk for change in rows.rows}
    planned = found[rows.planned.pk]
    assert planned["wish"] == "fr-CA" and planned["wish_label"] == "Canadian French (VFQ)"
    assert (planned["profile_before"], planned["profile_after"]) == (HD, VFQ_1080)
    assert planned["refusal_text"] == ""
    assert found[rows.refused.pk]["refusal"] == "changed"
    assert found[rows.refused.pk]["refusal_text"]
    only = api.get(CHANGES, {"state": "written"}).json()["results"]
    assert [row["id"] for row in only] == [rows.written.pk]
    by_item = api.get(CHANGES, {"media": rows.planned.media_id}).json()["results"]
    assert [row["id"] for row in by_item] == [rows.planned.pk]
    for bad in ({"state": "nope"}, {"media": "x"}, {"instance": str(2**70)}, {"refusal": "x" * 40}):
        assert api.get(CHANGES, bad).status_code == 400


def test_apply_and_undo_take_only_what_they_can(
    api: APIClient, instance: Instance, django_capture_on_commit_callbacks: Any
) -> None:
    rows = quebec_changes(instance)
    everything = [change.pk for change in rows.rows]
    with django_capture_on_commit_callbacks() as sent:
        applied = api.post(f"{CHANGES}apply/", {"ids": everything})
    assert applied.status_code == 202
    assert applied.json()["ids"] == [rows.planned.pk] and applied.json()["left_out"] == 3
    assert len(sent) == 1
    nothing = api.post(f"{CHANGES}apply/", {"ids": [rows.written.pk]})
    assert nothing.status_code == 200 and nothing.json()["queued"] == 0
    for bad in ({}, {"ids": []}, {"ids": ["x"]}, {"ids": [0]}, {"ids": list(range(1, 1100))}):
        assert api.post(f"{CHANGES}apply/", bad, format="json").status_code == 400


# --- one item ------------------------------------------------------------------------


def test_an_items_profile_and_its_hand_released(api: APIClient, instance: Instance) -> None:
    rows = quebec_changes(instance)
    url = f"/api/media/{rows.held.pk}/profile/"
    body = api.get(url).json()
    assert body["hand"] is True and body["hand_profile_id"] == VFF_1080
    assert body["wish"] == "fr-CA" and body["mapped_profile_id"] == VFQ_1080
    assert body["quality_profile_id"] == VFF_1080 and body["earlier_profile_id"] == HD
    released = api.post(url)
    assert released.status_code == 200 and released.json()["released"] is True
    assert not ItemProfile.objects.get(media=rows.held).hand
    again = api.post(url)
    assert again.json()["released"] is False
    planned = api.get(f"/api/media/{rows.planned.media_id}/profile/").json()
    assert [change["id"] for change in planned["changes"]] == [rows.planned.pk]
    assert planned["changes"][0]["wish_label"] == "Canadian French (VFQ)"
    assert planned["hand"] is False and planned["earlier_profile_id"] is None
    assert api.get("/api/media/999999/profile/").status_code == 404


def test_releasing_needs_the_permission_to_change_instances(
    staff_user: User, instance: Instance
) -> None:
    rows = quebec_changes(instance)
    staff_user.user_permissions.clear()
    staff_user.user_permissions.add(Permission.objects.get(codename="view_media"))
    client = APIClient()
    client.force_login(User.objects.get(pk=staff_user.pk))
    url = f"/api/media/{rows.held.pk}/profile/"
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 403
    assert ItemProfile.objects.get(media=rows.held).hand


def test_plan_again_plans_the_undone_and_refused_items(api: APIClient, instance: Instance) -> None:
    """Issue 93: an undone item planned again, here (plan only: no task, nothing written)."""
    from scanner.models import ProfileChange

    rows = quebec_changes(instance)
    Instance.objects.filter(pk=instance.pk).update(wish_profiles=Instance.WishProfiles.PLAN)
    answer = api.post(f"{CHANGES}plan-again/", {"ids": [rows.undone.pk, rows.planned.pk]})
    assert answer.status_code == 200
    again = ProfileChange.objects.filter(media=rows.undone.media).latest("pk")
    assert again.state == "planned" and again.pk != rows.undone.pk
    assert answer.json() == {
        "queued": 1,
        "ids": [again.pk],
        "left_out": 1,
        "detail": "Planned 1 item again: nothing is written until its change is applied.",
    }
