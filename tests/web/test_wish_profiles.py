"""The quality profiles' pages (issue 82): an instance's mapping, each wish to one of the
fake Sonarr's own quality profiles (read when the page opens) with the guard's judgement
beside each choice, saved only on Save (checked: a profile the *arr lists; an *arr that
does not answer loses nothing); the changes' list with Apply and Undo asked first; an
item's section with "Follow its wish again". Reached by links: the instance's page, the
changes' page, the lists of pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from fakes.arr import FakeArr, FakeArrOptions
from scanner.models import Event, Instance, ItemProfile, ProfileChange, WishProfile
from tests.helpers import ARR_KEY
from tests.wish_profile_rows import (
    HD,
    PROFILES,
    VFF_1080,
    VFQ_1080,
    quebec_changes,
    quebec_instance,
    serve_quebec_profiles,
)

pytestmark = pytest.mark.django_db

LIST = "/admin/scanner/profilechange/"
State = ProfileChange.State


@pytest.fixture
def sonarr() -> Iterator[FakeArr]:
    with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY)) as fake:
        serve_quebec_profiles(fake)
        yield fake


@pytest.fixture
def instance(sonarr: FakeArr) -> Instance:
    return quebec_instance(sonarr)


def _mapping_url(instance: Instance) -> str:
    return f"/admin/scanner/profilechange/mapping/{instance.pk}/"


def _row(html: str, wish: str) -> str:
    return html.split(f'data-wish="{wish}"', 1)[1].split('class="taggarr-wish-row', 1)[0]


def _form(instance: Instance, html: str, **chosen: int | None) -> dict[str, Any]:
    """The page's form as posted, with ``chosen`` (by wish) changed."""
    wishes = dict(re.findall(r'name="wish-(\d+)" value="([^"]+)"', html))
    data: dict[str, Any] = {}
    for index, wish in wishes.items():
        data[f"wish-{index}"] = wish
        select = re.search(rf'name="profile-{index}"(.*?)</select>', html, flags=re.S)
        block = select.group(1) if select else ""
        picked = re.search(r'<option value="(\d*)" selected', block)
        value = chosen.get(wish.replace("+", "_"), picked.group(1) if picked else "")
        data[f"profile-{index}"] = "" if value is None else str(value)
    return data


def test_the_mapping_offers_each_wish_and_the_arrs_profiles(
    admin_client: Client, instance: Instance
) -> None:
    html = admin_client.get(_mapping_url(instance)).content.decode()
    assert "Canadian French (VFQ)" in html
    assert "The original only" in html and "The original and Canadian French (VFQ)" in html
    row = _row(html, "fr-CA")
    # The *arr's profiles, read now, each marked by its judgement for the wish.
    assert "HD-1080p ⚠" in row and "VFQ-1080p ✓" in row and "VFF-1080p ⚠" in row
    assert '<option value="" selected' not in row  # nothing chosen: the empty option first
    assert "Not managed: Taggarr leaves the quality profile of these items alone." in row
    # Every profile's judgement in the fold, the VFF profile's naming the VFF it prefers.
    assert (
        "At the same quality this profile would grab Movie.2019.MULTi.VFF.1080p.WEB.H264-GRP "
        "(score 1100) over Movie.2019.MULTi.VFQ.1080p.WEB.H264-GRP (score 100)." in row
    )
    assert "This profile scores no custom format" in row
    # The options, with their help, and where to change them.
    assert "each item&#x27;s quality profile" in html.lower()
    assert f'href="/admin/scanner/instance/{instance.pk}/change/"' in html


def test_the_judgement_of_the_saved_choice_stands_beside_it(
    admin_client: Client, instance: Instance
) -> None:
    WishProfile.objects.create(
        instance=instance, wish="fr-CA", profile_id=VFQ_1080, profile_name="VFQ-1080p"
    )
    html = admin_client.get(_mapping_url(instance)).content.decode()
    row = _row(html, "fr-CA")
    shown = row.split('class="taggarr-judgement', 1)[1].split("</p>", 1)[0]
    assert "taggarr-judgement-ok" in shown
    assert "grabs Movie.2019.MULTi.VFQ.1080p.WEB.H264-GRP (score 1100)" in shown
    assert re.search(rf'<option value="{VFQ_1080}" selected>VFQ-1080p ✓', row)


def test_save_writes_the_mapping_and_one_event(admin_client: Client, instance: Instance) -> None:
    url = _mapping_url(instance)
    html = admin_client.get(url).content.decode()
    data = _form(instance, html, **{"fr-CA": VFQ_1080, "original_fr-CA": VFF_1080})
    answer = admin_client.post(url, data, follow=True)
    assert answer.redirect_chain == [(url, 302)]
    saved = {
        row.wish: (row.profile_id, row.profile_name, row.saved_by)
        for row in WishProfile.objects.all()
    }
    assert saved == {
        "fr-CA": (VFQ_1080, "VFQ-1080p", "admin"),
        "original+fr-CA": (VFF_1080, "VFF-1080p", "admin"),
    }
    [event] = Event.objects.filter(kind=Event.Kind.PROFILE)
    assert event.instance == instance
    assert event.data["mapping"] == {"fr-CA": [None, VFQ_1080], "original+fr-CA": [None, VFF_1080]}
    assert event.data["user"] == "admin" and event.data["via"] == "admin"
    # Told in the reader's words when shown (scanner.wish_profiles.event_text).
    events = admin_client.get("/admin/scanner/event/").content.decode()
    told = (
        "Quality profile of each wish of tv saved by admin: Canadian French "
        "(VFQ): not managed → VFQ-1080p; The original and Canadian French (VFQ): not managed "
        "→ VFF-1080p"
    )
    assert told in events.replace("&#x27;", "'")
    messages = [str(m) for m in answer.context["messages"]]
    assert messages == [
        "Saved the quality profiles of 2 wishes of tv: items are planned at the next scan."
    ]
    # Saved again unchanged: nothing written, no event.
    again = admin_client.post(url, _form(instance, answer.content.decode()), follow=True)
    assert Event.objects.filter(kind=Event.Kind.PROFILE).count() == 1
    assert [str(m) for m in again.context["messages"]] == ["Nothing changed in the mapping of tv."]


def test_not_managed_removes_a_mapping(admin_client: Client, instance: Instance) -> None:
    WishProfile.objects.create(instance=instance, wish="fr-CA", profile_id=VFQ_1080)
    url = _mapping_url(instance)
    data = _form(instance, admin_client.get(url).content.decode(), **{"fr-CA": None})
    admin_client.post(url, data)
    assert not WishProfile.objects.exists()
    [event] = Event.objects.filter(kind=Event.Kind.PROFILE)
    assert event.data["mapping"] == {"fr-CA": [VFQ_1080, None]}


def test_a_profile_the_arr_does_not_list_is_refused_and_nothing_saved(
    admin_client: Client, instance: Instance
) -> None:
    url = _mapping_url(instance)
    html = admin_client.get(url).content.decode()
    for bad in ("99", "4x", "-1", "0", "²", "\u0661", "1" * 40):
        data = _form(instance, html, **{"fr-CA": VFQ_1080})
        index = next(k for k, v in data.items() if v == "original+fr-CA").removeprefix("wish-")
        data[f"profile-{index}"] = bad
        answer = admin_client.post(url, data)
        assert answer.status_code == 200
        page = answer.content.decode()
        assert "Nothing was saved: see the choices marked below." in page
        assert "errornote" in _row(page, "original+fr-CA")
        # The other choice, as posted, is still chosen on the page: nothing is lost.
        assert re.search(rf'<option value="{VFQ_1080}" selected', _row(page, "fr-CA"))
    assert not WishProfile.objects.exists()
    assert not Event.objects.filter(kind=Event.Kind.PROFILE).exists()


def test_a_wish_not_offered_is_refused(admin_client: Client, instance: Instance) -> None:
    url = _mapping_url(instance)
    answer = admin_client.post(url, {"wish-0": "deu", "profile-0": str(HD)})
    assert answer.status_code == 200
    assert "Taggarr does not offer this wish for this instance." in answer.content.decode()
    assert not WishProfile.objects.exists()


def test_an_arr_that_does_not_answer_loses_nothing(
    admin_client: Client, sonarr: FakeArr, instance: Instance
) -> None:
    WishProfile.objects.create(
        instance=instance, wish="fr-CA", profile_id=VFQ_1080, profile_name="VFQ-1080p"
    )
    sonarr.stop()
    url = _mapping_url(instance)
    page = admin_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="wish-profiles-problem"' in html
    assert "Could not read the quality profiles of tv" in html
    # The saved choice is offered, unjudged; the others have nothing but "not managed".
    row = _row(html, "fr-CA")
    assert re.search(rf'<option value="{VFQ_1080}" selected>VFQ-1080p</option>', row)
    assert "Not judged: the *arr's custom formats could not be read." in row
    # Saving the same choice and "not managed" works; a new profile is refused.
    data = _form(instance, html, **{"original_fr-CA": HD})
    answer = admin_client.post(url, data)
    assert "could not be checked" in answer.content.decode()
    assert list(WishProfile.objects.values_list("wish", "profile_id")) == [("fr-CA", VFQ_1080)]
    data = _form(instance, html, **{"fr-CA": None})
    assert admin_client.post(url, data).status_code == 302
    assert not WishProfile.objects.exists()


def test_a_viewer_reads_the_mapping_and_cannot_save(client: Client, instance: Instance) -> None:
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_instance"))
    client.force_login(viewer)
    url = _mapping_url(instance)
    html = client.get(url).content.decode()
    assert "disabled" in _row(html, "fr-CA") and 'id="wish-profiles-save"' not in html
    assert client.post(url, {"wish-0": "fr-CA", "profile-0": str(HD)}).status_code == 403
    stranger = User.objects.create_user("stranger", password="pw", is_staff=True)
    client.force_login(stranger)
    assert client.get(url).status_code == 403


def test_other_methods_are_not_allowed(admin_client: Client, instance: Instance) -> None:
    assert admin_client.delete(_mapping_url(instance)).status_code == 405
    assert admin_client.put(_mapping_url(instance)).status_code == 405


def test_a_library_folder_has_no_mapping(admin_client: Client) -> None:
    folder = Instance.objects.create(name="folder", kind=Instance.Kind.LIBRARY)
    assert admin_client.get(_mapping_url(folder)).status_code == 404
    assert admin_client.get("/admin/scanner/profilechange/mapping/999999/").status_code == 404


def test_every_page_is_reached_by_a_link(admin_client: Client, instance: Instance) -> None:
    url = _mapping_url(instance)
    page = admin_client.get(f"/admin/scanner/instance/{instance.pk}/change/").content.decode()
    assert f'href="{url}"' in page
    changes = admin_client.get(LIST).content.decode()
    assert f'href="{url}"' in changes
    every = admin_client.get("/admin/all/").content.decode()
    assert f'href="{LIST}"' in every and "Quality profiles" in every
    mapping = admin_client.get(url).content.decode()
    assert f'href="{LIST}?instance__id__exact={instance.pk}"' in mapping


# --- the changes ----------------------------------------------------------------------


def test_the_list_shows_each_change(admin_client: Client, instance: Instance) -> None:
    rows = quebec_changes(instance)
    html = admin_client.get(LIST).content.decode()
    assert "<h1>Quality profiles</h1>" in html
    for change in rows.rows:
        assert change.title in html
    assert "HD-1080p" in html and "VFQ-1080p" in html
    assert "Canadian French (VFQ)" in html
    refused = admin_client.get(LIST, {"state__exact": "refused"}).content.decode()
    assert "Bye Bye" in refused and "Les Boys" not in refused
    by_item = admin_client.get(LIST, {"media": rows.planned.media_id}).content.decode()
    assert "Les Boys" in by_item and "Bye Bye" not in by_item
    assert "Les Boys" in admin_client.get(LIST, {"q": "boys"}).content.decode()
    # Bad filter values are no server error.
    for bad in (
        {"media": "x" * 30},
        {"media": "²"},
        {"refusal": "é" * 40},
        {"state__exact": "nope"},
    ):
        assert admin_client.get(LIST, bad).status_code in (200, 302)


def test_apply_asks_first_listing_only_the_planned(
    admin_client: Client, instance: Instance, django_capture_on_commit_callbacks: Any
) -> None:
    rows = quebec_changes(instance)
    everything = [str(change.pk) for change in rows.rows]
    page = admin_client.post(LIST, {"action": "apply_planned", "_selected_action": everything})
    html = page.content.decode()
    assert "Apply the planned quality profiles?" in html
    assert re.findall(r'data-change="(\d+)"', html) == [str(rows.planned.pk)]
    assert "3 other selected items are left out" in html
    assert ProfileChange.objects.get(pk=rows.planned.pk).state == State.PLANNED
    with django_capture_on_commit_callbacks() as sent:
        answer = admin_client.post(
            LIST,
            {"action": "apply_planned", "_selected_action": everything, "post": "yes"},
            follow=True,
        )
    assert len(sent) == 1  # the item's task, sent once the request commits
    assert [str(m) for m in answer.context["messages"]] == [
        "Queued 1 item for its quality profile: a worker gives it the profile in the *arr, "
        "and its line says how it went."
    ]


def test_undo_asks_first_listing_only_the_written(admin_client: Client, instance: Instance) -> None:
    rows = quebec_changes(instance)
    everything = [str(change.pk) for change in rows.rows]
    page = admin_client.post(LIST, {"action": "undo_written", "_selected_action": everything})
    html = page.content.decode()
    assert "Undo the quality profiles written?" in html
    assert re.findall(r'data-change="(\d+)"', html) == [str(rows.written.pk)]


def test_nothing_to_apply_is_said(admin_client: Client, instance: Instance) -> None:
    rows = quebec_changes(instance)
    answer = admin_client.post(
        LIST,
        {"action": "apply_planned", "_selected_action": [rows.written.pk], "post": "yes"},
        follow=True,
    )
    assert [str(m) for m in answer.context["messages"]] == [
        "None of the selected items has a planned change: nothing was done."
    ]


def test_a_viewer_of_the_changes_has_no_action(client: Client, instance: Instance) -> None:
    quebec_changes(instance)
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_profilechange"))
    client.force_login(viewer)
    html = client.get(LIST).content.decode()
    assert "Les Boys" in html
    assert "apply_planned" not in html and "undo_written" not in html


# --- the item's page ------------------------------------------------------------------


def test_the_items_page_says_the_hand_and_releases_it(
    admin_client: Client, instance: Instance
) -> None:
    rows = quebec_changes(instance)
    url = f"/admin/scanner/media/{rows.held.pk}/change/"
    html = admin_client.get(url).content.decode()
    section = html.split('id="quality-profile"', 1)[1].split("</section>", 1)[0]
    assert "Canadian French (VFQ)" in section and "VFQ-1080p" in section
    assert "Its quality profile was chosen by hand" in section
    release = f"/admin/scanner/profilechange/release/{rows.held.pk}/"
    assert f'action="{release}"' in section
    assert f'href="{LIST}?media={rows.held.pk}"' in section
    assert admin_client.get(release).status_code == 405
    answer = admin_client.post(release, follow=True)
    assert not ItemProfile.objects.get(media=rows.held).hand
    assert [str(m) for m in answer.context["messages"]] == [
        "La Petite Vie follows its wish again: its quality profile is planned at once."
    ]
    after = answer.content.decode().split('id="quality-profile"', 1)[1].split("</section>", 1)[0]
    assert "chosen by hand" not in after


def test_an_item_never_touched_without_a_mapping_has_no_section(
    admin_client: Client, instance: Instance
) -> None:
    from tests.factories import MediaFactory

    media = MediaFactory(instance=instance)
    html = admin_client.get(f"/admin/scanner/media/{media.pk}/change/").content.decode()
    assert 'id="quality-profile"' not in html


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("de", ["Qualitätsprofil", "Nur das Original", "Speichern"]),
        ("fr", ["Profil de qualité", "La version originale seule", "Enregistrer"]),
    ],
)
def test_the_mapping_speaks_german_and_french(
    admin_client: Client, instance: Instance, language: str, words: list[str]
) -> None:
    html = admin_client.get(_mapping_url(instance), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for word in words:
        assert word in html
    for english in ("The original only", "Not managed", "What each quality profile", "grabs"):
        assert english not in html


def test_a_judgement_past_its_budget_offers_the_profiles_unjudged(instance: Instance) -> None:
    """The guard's budget (scanner.arr.profile_guard.Budget): past it, the profiles are
    still offered, said without their judgement."""
    from scanner.arr.profile_guard import Budget
    from scanner.wish_profiles.offer import read_offer

    ticks = iter(range(0, 10_000, 10))
    offer = read_offer(instance, budget=Budget(seconds=5, clock=lambda: float(next(ticks))))
    assert offer.read and [p.name for p in offer.profiles] == ["HD-1080p", "VFQ-1080p", "VFF-1080p"]
    assert offer.judged == {}
    assert "judging them took longer than 5 seconds" in offer.problem


# --- issue 93: one review in front of the user ------------------------------------------


def test_the_undo_button_and_action_read_as_undo_in_french_never_cancel(
    admin_client: Client, instance: Instance
) -> None:
    """French "Annuler" is Cancel (Sonarr's word for it): undo reads "Défaire"."""
    rows = quebec_changes(instance)
    listed = admin_client.get(LIST, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Défaire les profils de qualité écrits" in listed
    assert "Annuler" not in listed
    page = admin_client.post(
        LIST,
        {"action": "undo_written", "_selected_action": [rows.written.pk]},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    html = page.content.decode()
    button = re.search(r'id="confirm-action">([^<]*)<', html)
    assert button is not None and button.group(1) == "Défaire"
    assert "Annuler" not in html


def test_a_plan_names_the_profile_as_the_arr_does(admin_client: Client, instance: Instance) -> None:
    """A row planned before Taggarr knew profile 1's name says "HD-1080p" once it knows it
    (here: the written change, whose name the write read from the *arr)."""
    rows = quebec_changes(instance)
    ProfileChange.objects.filter(pk=rows.planned.pk).update(profile_before_name="")
    html = admin_client.get(LIST, {"media": rows.planned.media_id}).content.decode()
    assert "HD-1080p" in html and "profile 1" not in html
    page = admin_client.post(
        LIST, {"action": "apply_planned", "_selected_action": [rows.planned.pk]}
    )
    assert "HD-1080p" in page.content.decode() and "profile 1" not in page.content.decode()
    french = admin_client.get(
        LIST, {"media": rows.planned.media_id}, HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "HD-1080p" in french and "profil 1" not in french
    # A profile no change, mapping or item ever named: by its number.
    ProfileChange.objects.filter(pk=rows.planned.pk).update(profile_before=9)
    html = admin_client.get(LIST, {"media": rows.planned.media_id}).content.decode()
    assert "profile 9" in html


def test_an_undone_item_planned_again_is_planned_and_nothing_is_written(
    admin_client: Client, instance: Instance, django_capture_on_commit_callbacks: Any
) -> None:
    rows = quebec_changes(instance)
    Instance.objects.filter(pk=instance.pk).update(wish_profiles=Instance.WishProfiles.SET)
    ItemProfile.objects.create(
        media=rows.undone.media, set_profile_id=HD, hand=True, hand_profile_id=HD
    )  # an undo leaves the item to the user's hand
    with django_capture_on_commit_callbacks() as sent:
        answer = admin_client.post(
            LIST, {"action": "plan_again", "_selected_action": [rows.undone.pk]}, follow=True
        )
    assert sent == []  # no task: nothing is written, not even on "set"
    assert [str(m) for m in answer.context["messages"]] == [
        "Planned 1 item again: nothing is written until you apply its line."
    ]
    again = ProfileChange.objects.filter(media=rows.undone.media).latest("pk")
    assert again.pk != rows.undone.pk and again.state == State.PLANNED
    assert (again.profile_before, again.profile_after) == (HD, VFQ_1080)
    assert again.profile_before_name == "HD-1080p"
    assert not ItemProfile.objects.get(media=rows.undone.media).hand
    assert ProfileChange.objects.get(pk=rows.undone.pk).state == State.UNDONE


def test_planning_again_leaves_an_item_another_task_holds(
    admin_client: Client, instance: Instance
) -> None:
    from scanner.leases import new_token
    from scanner.wish_profiles import lease as item_lease

    rows = quebec_changes(instance)
    Instance.objects.filter(pk=instance.pk).update(wish_profiles=Instance.WishProfiles.PLAN)
    assert rows.undone.media_id is not None
    assert item_lease.take(rows.undone.media_id, new_token())
    answer = admin_client.post(
        LIST, {"action": "plan_again", "_selected_action": [rows.undone.pk]}, follow=True
    )
    assert [str(m) for m in answer.context["messages"]] == [
        "1 item is held by another task and was not planned: try again in a moment."
    ]
    assert ProfileChange.objects.filter(media=rows.undone.media).latest("pk").pk == rows.undone.pk
    nothing = admin_client.post(
        LIST, {"action": "plan_again", "_selected_action": [rows.planned.pk]}, follow=True
    )
    assert [str(m) for m in nothing.context["messages"]] == [
        "None of the selected items was undone or refused: nothing was planned."
    ]


def test_a_wish_no_profile_grabs_names_the_recyclarr_recipe(admin_client: Client) -> None:
    """No profile of this Sonarr grabs the VFQ (the VFF profile prefers the VFF, the other
    scores nothing): the row names the recipe that makes one; the original, which the VFF
    profile grabs (a MULTi.VFF holds it), names none."""
    with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY)) as fake:
        serve_quebec_profiles(fake)
        fake.state.set_profiles([p for p in PROFILES if p["id"] != VFQ_1080])
        instance = quebec_instance(fake)
        html = admin_client.get(_mapping_url(instance)).content.decode()
    sentence = (
        "Canadian French (VFQ): no quality profile of yours grabs it; the Recyclarr recipe "
        "docs/recipes/recyclarr/sonarr-french-vfq.yml makes one."
    )
    assert sentence in _row(html, "fr-CA")
    assert "docs/recipes/recyclarr/sonarr-french-vfq.yml" in _row(html, "original+fr-CA")
    assert "taggarr-wish-recipe" not in _row(html, "original")


def test_the_recipe_is_not_named_where_a_profile_grabs_the_wish(
    admin_client: Client, instance: Instance
) -> None:
    html = admin_client.get(_mapping_url(instance)).content.decode()
    assert "VFQ-1080p ✓" in _row(html, "fr-CA")
    assert "taggarr-wish-recipe" not in html and "Recyclarr" not in html
