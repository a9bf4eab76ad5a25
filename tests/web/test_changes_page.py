"""Changes (issue 93, item 3: one review in front of the user): every act's changes on
one page, newest first, each said as its act's own page says it (a file's default
tracks, an item's quality profiles by the *arr's names), filtered by act, instance, item
and state, a bounded page at a time; a planned row leads to its act's Apply, a written
one to its act's Undo, each asked first on the act's own confirmation page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from fakes.arr import FakeArr, FakeArrOptions
from scanner.changes import registry
from scanner.changes.review import MAX_DEPTH
from scanner.default_tracks import review as track_review
from scanner.models import DefaultTrackChange, Instance, ProfileChange
from scanner.wish_profiles import review as profile_review
from tests.default_track_rows import Plan, quebec_plan
from tests.helpers import ARR_KEY
from tests.wish_profile_rows import (
    HD,
    VFQ_1080,
    Changes,
    change,
    quebec_changes,
    quebec_instance,
    serve_quebec_profiles,
)
from web.admin import default_tracks as default_tracks_page
from web.admin import wish_profiles as wish_profiles_page

pytestmark = pytest.mark.django_db

PAGE = "/admin/changes/"


@pytest.fixture
def sonarr() -> Iterator[FakeArr]:
    with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY)) as fake:
        serve_quebec_profiles(fake)
        yield fake


@pytest.fixture
def profiles(sonarr: FakeArr) -> Changes:
    return quebec_changes(quebec_instance(sonarr))


@pytest.fixture
def tracks() -> Plan:
    return quebec_plan()


def _rows(html: str) -> list[str]:
    body = html.split('id="changes"', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr data-act=.*?</tr>", body, flags=re.S)


def _keys(html: str) -> list[tuple[str, int]]:
    return [
        (act, int(pk))
        for act, pk in re.findall(r'<tr data-act="([^"]+)" data-change="(\d+)"', html)
    ]


def _row(html: str, act: str, pk: int) -> str:
    return next(row for row in _rows(html) if f'data-act="{act}" data-change="{pk}"' in row)


def test_both_acts_rows_are_on_one_page(
    admin_client: Client, tracks: Plan, profiles: Changes
) -> None:
    html = admin_client.get(PAGE).content.decode()
    assert "<h1>Changes</h1>" in html
    keys = set(_keys(html))
    assert {("default_tracks", row.pk) for row in tracks.rows} <= keys
    assert {("wish_profiles", row.pk) for row in profiles.rows} <= keys
    assert len(keys) == len(tracks.rows) + len(profiles.rows)
    # Each act named as its own page is titled, linking to it.
    row = _row(html, "default_tracks", tracks.planned.pk)
    assert '<a href="/admin/scanner/defaulttrackchange/">Default tracks</a>' in row
    row = _row(html, "wish_profiles", profiles.planned.pk)
    assert '<a href="/admin/scanner/profilechange/">Quality profiles</a>' in row


def test_a_file_reads_as_its_acts_page_says_it(admin_client: Client, tracks: Plan) -> None:
    html = admin_client.get(PAGE).content.decode()
    row = _row(html, "default_tracks", tracks.planned.pk)
    assert "Les Boys - S01E01.mkv" in row  # the file, under its item
    assert f'href="/admin/scanner/media/{tracks.media.pk}/change/">Les Boys</a>' in row
    assert str(default_tracks_page.audio_change(tracks.planned)) in row
    assert str(default_tracks_page.subtitle_change(tracks.planned)) in row
    assert "track 1 (English)" in row and "track 3 (Canadian French)" in row
    assert default_tracks_page.state_word(tracks.planned) in row
    assert tracks.instance.name in row
    # A file refused before its header was read has nothing before or after.
    mp4 = _row(html, "default_tracks", tracks.mp4.pk)
    assert "track" not in mp4.split("S01E05.mp4", 1)[1].split("</td>", 2)[1]


def test_the_profiles_are_named_as_the_arr_names_them(
    admin_client: Client, profiles: Changes
) -> None:
    # A change planned without the names: the names Taggarr knows now, as on its page.
    unnamed = change(
        profiles.held, ProfileChange.State.PLANNED, profile_before_name="", profile_after_name=""
    )
    html = admin_client.get(PAGE).content.decode()
    row = _row(html, "wish_profiles", profiles.planned.pk)
    assert "HD-1080p" in row and "<strong>VFQ-1080p</strong>" in row
    row = _row(html, "wish_profiles", unnamed.pk)
    assert "HD-1080p" in row and "<strong>VFQ-1080p</strong>" in row
    assert "profile 4" not in row and "profile 1" not in row
    assert unnamed.profile_before == HD and unnamed.profile_after == VFQ_1080


def test_newest_first_across_the_acts(
    admin_client: Client, tracks: Plan, profiles: Changes
) -> None:
    now = timezone.now()
    order = [
        ProfileChange.objects.filter(pk=profiles.refused.pk),
        DefaultTrackChange.objects.filter(pk=tracks.written.pk),
        ProfileChange.objects.filter(pk=profiles.planned.pk),
        DefaultTrackChange.objects.filter(pk=tracks.planned.pk),
    ]
    for minutes, rows in enumerate(order):
        rows.update(updated_at=now + timedelta(minutes=10 - minutes))
    keys = _keys(admin_client.get(PAGE).content.decode())
    assert keys[:4] == [
        ("wish_profiles", profiles.refused.pk),
        ("default_tracks", tracks.written.pk),
        ("wish_profiles", profiles.planned.pk),
        ("default_tracks", tracks.planned.pk),
    ]


def test_filters_by_act_instance_item_and_state(
    admin_client: Client, tracks: Plan, profiles: Changes
) -> None:
    only = _keys(admin_client.get(PAGE, {"act": "wish_profiles"}).content.decode())
    assert sorted(only) == sorted(("wish_profiles", row.pk) for row in profiles.rows)
    only = _keys(admin_client.get(PAGE, {"instance": tracks.instance.pk}).content.decode())
    assert sorted(only) == sorted(("default_tracks", row.pk) for row in tracks.rows)
    item = profiles.planned.media
    assert item is not None
    html = admin_client.get(PAGE, {"media": item.pk}).content.decode()
    assert _keys(html) == [("wish_profiles", profiles.planned.pk)]
    assert "Item: Les Boys" in html
    planned = set(_keys(admin_client.get(PAGE, {"state": "planned"}).content.decode()))
    assert planned == {
        ("default_tracks", tracks.planned.pk),
        ("wish_profiles", profiles.planned.pk),
    }
    both = _keys(
        admin_client.get(PAGE, {"act": "default_tracks", "state": "written"}).content.decode()
    )
    assert both == [("default_tracks", tracks.written.pk)]


@pytest.mark.parametrize(
    "query",
    [
        {"instance": "abc"},
        {"media": "-1"},
        {"media": "9" * 40},
        {"instance": "١٢"},  # Arabic-Indic digits: isdigit, not an id
        {"state": "nonsense"},
        {"act": "nope"},
        {"p": "x"},
        {"p": "0"},
        {"p": "9" * 30},
        {"act": "x" * 500},
    ],
)
def test_bad_filter_values_answer_an_empty_or_first_page_never_an_error(
    admin_client: Client, tracks: Plan, query: dict[str, str]
) -> None:
    answer = admin_client.get(PAGE, query)
    assert answer.status_code == 200
    html = answer.content.decode()
    if "p" in query:
        assert _keys(html)  # a page it can show
    else:
        assert _keys(html) == []
        assert 'id="no-changes"' in html


def test_the_refusals_read_in_french(admin_client: Client, tracks: Plan, profiles: Changes) -> None:
    html = admin_client.get(PAGE, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    with translation.override("fr"):
        hardlinked = track_review.why(tracks.hardlinked)
        changed = profile_review.why(profiles.refused)
        title = str(default_tracks_page.DefaultTrackChangeAdmin.list_title)
    with translation.override("en"):
        assert changed != profile_review.why(profiles.refused)  # French indeed
    assert "lien physique" in hardlinked or "liens physiques" in hardlinked
    assert "<h1>Changements</h1>" in html
    assert hardlinked.replace("'", "&#x27;") in _row(html, "default_tracks", tracks.hardlinked.pk)
    assert changed.replace("'", "&#x27;") in _row(html, "wish_profiles", profiles.refused.pk)
    assert f">{title}</a>" in html
    assert "Annuler" not in html


def test_apply_and_undo_lead_to_the_acts_confirmations(
    admin_client: Client, tracks: Plan, profiles: Changes
) -> None:
    html = admin_client.get(PAGE).content.decode()
    cases = [
        ("default_tracks", tracks.planned, "apply_planned", "Apply the planned default tracks?"),
        ("default_tracks", tracks.written, "undo_written", "Undo the default tracks written?"),
        ("wish_profiles", profiles.planned, "apply_planned", "Apply the planned quality profiles?"),
        ("wish_profiles", profiles.written, "undo_written", "Undo the quality profiles written?"),
    ]
    for act, row, action, question in cases:
        cell = _row(html, act, row.pk)
        form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', cell, flags=re.S)
        assert form is not None, (act, row.pk)
        fields = dict(
            re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(2))
        )
        assert fields["action"] == action and fields["_selected_action"] == str(row.pk)
        confirm = admin_client.post(form.group(1), fields).content.decode()
        assert question in confirm
        assert re.findall(r'data-change="(\d+)"', confirm) == [str(row.pk)]
        assert 'name="post" value="yes"' in confirm  # asked first: nothing done yet
    assert type(tracks.planned).objects.get(pk=tracks.planned.pk).state == "planned"
    # Neither applied nor undone: no button (a refused, an undone, a stale row).
    for act, row in [
        ("default_tracks", tracks.hardlinked),
        ("default_tracks", tracks.stale),
        ("wish_profiles", profiles.undone),
        ("wish_profiles", profiles.refused),
    ]:
        assert "<form" not in _row(html, act, row.pk)


def test_the_acts_lists_have_the_actions_the_page_leads_to() -> None:
    for admin_class in (
        default_tracks_page.DefaultTrackChangeAdmin,
        wish_profiles_page.ProfileChangeAdmin,
    ):
        assert {"apply_planned", "undo_written"} <= set(admin_class.actions or ())
    assert {act.name for act in registry.acts()} >= {"default_tracks", "wish_profiles"}


def test_pages_are_bounded(admin_client: Client, tracks: Plan, profiles: Changes) -> None:
    media = tracks.media
    DefaultTrackChange.objects.bulk_create(
        DefaultTrackChange(
            instance=tracks.instance, media=media, path=f"{media.path}/x{n}.mkv", state="refused",
            refusal="gone",
        )
        for n in range(60)
    )  # fmt: skip
    total = 60 + len(tracks.rows) + len(profiles.rows)
    with CaptureQueriesContext(connection) as queries:
        first = admin_client.get(PAGE).content.decode()
    assert len(_keys(first)) == 50
    assert 'rel="next"' in first and "?p=2" in first
    # Each act's journal read with a limit, never whole.
    reads = [q["sql"] for q in queries.captured_queries if 'AS "updated_at"' in q["sql"]]
    journals = len([act for act in registry.acts() if act.journal is not None])
    assert len(reads) == journals and all(sql.endswith("LIMIT 51") for sql in reads)
    assert len(queries.captured_queries) < 40
    second = admin_client.get(PAGE, {"p": 2}).content.decode()
    assert len(_keys(second)) == total - 50
    assert not set(_keys(first)) & set(_keys(second))
    assert 'rel="prev"' in second and 'rel="next"' not in second
    # Past the newest MAX_DEPTH, the deepest page, and why.
    deep = admin_client.get(PAGE, {"p": 10**6}).content.decode()
    assert 'id="changes-deepest"' in deep
    assert f"{MAX_DEPTH:,}".replace(",", "") in deep.replace(",", "").replace("\u202f", "")


def test_a_viewer_of_one_act_sees_its_rows_and_no_button(
    client: Client, tracks: Plan, profiles: Changes
) -> None:
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_defaulttrackchange"))
    client.force_login(viewer)
    html = client.get(PAGE).content.decode()
    assert {act for act, _pk in _keys(html)} == {"default_tracks"}
    assert "apply_planned" not in html and "undo_written" not in html


def test_refused_to_those_who_may_not_read_it(client: Client, tracks: Plan) -> None:
    answer = client.get(PAGE)
    assert answer.status_code == 302 and "/admin/login/" in answer["Location"]
    nobody = User.objects.create_user("nobody", password="pw", is_staff=True)
    client.force_login(nobody)
    assert client.get(PAGE).status_code == 403


def test_reached_from_the_menu_and_the_lists_of_pages(admin_client: Client) -> None:
    Instance.objects.all()  # no rows needed
    html = admin_client.get("/admin/all/").content.decode()
    assert f'<a href="{PAGE}" id="changes-link"' in html  # the header's menu
    main = html.split('id="content-main"', 1)[1]
    rows = re.findall(r'<th scope="row"[^>]*>\s*<a href="([^"]+)"[^>]*>([^<]+)</a>', main)
    pages = [href for href, _name in rows]
    assert pages.index(PAGE) == pages.index("/admin/scanner/badgechange/") + 1
    current = admin_client.get(PAGE).content.decode()
    assert 'id="changes-link" aria-current="page"' in current
