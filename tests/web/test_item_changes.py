"""The item's page shows all its changes in one place (issue 93): a section "Changes"
after the acts' own sections, the item's newest changes of every act the person may read,
each row as on the Changes page, the Changes page filtered by the item past the first ten,
and a sentence when Taggarr planned nothing for it."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from scanner.models import DefaultTrackChange, Media
from tests.default_track_rows import Plan
from tests.default_track_rows import change as track_change
from tests.web.test_changes_page import _keys, profiles, sonarr, tracks  # noqa: F401
from tests.wish_profile_rows import Changes

pytestmark = pytest.mark.django_db


def _page(client: Client, media: Media, language: str = "en") -> str:
    answer = client.get(f"/admin/scanner/media/{media.pk}/change/", HTTP_ACCEPT_LANGUAGE=language)
    assert answer.status_code == 200
    return answer.content.decode()


def _section(html: str) -> str:
    found = re.search(r'<section class="[^"]*" id="item-changes">(.*?)</section>', html, re.S)
    assert found is not None, "no Changes section"
    return found.group(1)


def _item(profiles: Changes) -> Media:  # noqa: F811
    """Les Boys in the Sonarr of the profiles: its planned profile and one file's tracks."""
    item = profiles.planned.media
    assert item is not None
    return item


def test_the_item_page_lists_its_changes_of_every_act(
    admin_client: Client,
    tracks: Plan,  # noqa: F811  (another item, its own changes)
    profiles: Changes,  # noqa: F811
) -> None:
    item = _item(profiles)
    file_change = track_change(
        item, None, "Les Boys - S01E09.mkv", DefaultTrackChange.State.PLANNED
    )
    html = _page(admin_client, item)
    section = _section(html)
    assert "<h2>Changes</h2>" in section
    assert sorted(_keys(section)) == sorted(
        [("default_tracks", file_change.pk), ("wish_profiles", profiles.planned.pk)]
    )
    assert "Les Boys - S01E09.mkv" in section and "VFQ-1080p" in section
    # After the acts' own sections, which stay.
    assert html.index('id="quality-profile"') < html.index('id="item-changes"')
    assert 'id="item-changes-all"' not in section and 'id="item-changes-none"' not in section


def test_past_ten_lines_it_leads_to_the_changes_page_of_the_item(
    admin_client: Client,
    tracks: Plan,  # noqa: F811
    profiles: Changes,  # noqa: F811
) -> None:
    media = tracks.media
    DefaultTrackChange.objects.bulk_create(
        DefaultTrackChange(
            instance=tracks.instance, media=media, path=f"{media.path}/x{n}.mkv", state="refused",
            refusal="gone",
        )
        for n in range(5)
    )  # fmt: skip
    section = _section(_page(admin_client, media))
    assert len(_keys(section)) == 10
    link = re.search(
        r'<a href="([^"]+)" id="item-changes-all">See all changes of this item</a>', section
    )
    assert link is not None
    assert link.group(1) == f"/admin/changes/?media={media.pk}"
    whole = admin_client.get(link.group(1).replace("&amp;", "&")).content.decode()
    keys = _keys(whole)
    assert len(keys) == 11
    assert {pk for _act, pk in keys} == set(
        DefaultTrackChange.objects.filter(media=media).values_list("pk", flat=True)
    )
    # Ten or fewer: no link.
    DefaultTrackChange.objects.filter(media=media, refusal="gone").first().delete()  # type: ignore[union-attr]
    assert 'id="item-changes-all"' not in _section(_page(admin_client, media))


def test_a_person_sees_only_the_acts_they_may_read(
    client: Client,
    profiles: Changes,  # noqa: F811
) -> None:
    item = _item(profiles)
    file_change = track_change(
        item, None, "Les Boys - S01E09.mkv", DefaultTrackChange.State.PLANNED
    )
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_media"),
        Permission.objects.get(codename="view_defaulttrackchange"),
    )
    client.force_login(viewer)
    section = _section(_page(client, item))
    assert _keys(section) == [("default_tracks", file_change.pk)]
    assert "apply_planned" not in section  # reading is not operating
    # Reading no act's changes: no section.
    viewer.user_permissions.remove(Permission.objects.get(codename="view_defaulttrackchange"))
    viewer = User.objects.get(pk=viewer.pk)
    client.force_login(viewer)
    assert 'id="item-changes"' not in _page(client, item)


def test_an_item_without_changes_says_so(
    admin_client: Client,
    profiles: Changes,  # noqa: F811  (La Petite Vie: held by hand, never changed)
) -> None:
    section = _section(_page(admin_client, profiles.held))
    assert _keys(section) == []
    assert "Taggarr has planned no change for this item." in section


def test_the_section_reads_in_french(
    admin_client: Client,
    tracks: Plan,  # noqa: F811
    profiles: Changes,  # noqa: F811
) -> None:
    media = tracks.media
    DefaultTrackChange.objects.bulk_create(
        DefaultTrackChange(
            instance=tracks.instance, media=media, path=f"{media.path}/x{n}.mkv", state="refused",
            refusal="gone",
        )
        for n in range(5)
    )  # fmt: skip
    section = _section(_page(admin_client, media, "fr"))
    assert "<h2>Changements</h2>" in section
    assert "Voir tous les changements de cet élément" in section
    empty = _section(_page(admin_client, profiles.held, "fr"))
    assert "Taggarr n'a prévu aucun changement pour cet élément." in empty
