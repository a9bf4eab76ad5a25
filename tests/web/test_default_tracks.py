"""The default tracks' page (issue 81): every file's default audio and subtitle track now
and planned, named as the pages name languages, each refusal said with what it would take
(the mkvpropedit command to copy for a header without room), its filters and search, and
Apply / Undo asked first on a page that lists the files, then queued for a worker."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from scanner.models import DefaultTrackChange, DefaultTrackLease
from tests.default_track_rows import COMMAND, quebec_plan

pytestmark = pytest.mark.django_db

LIST = "/admin/scanner/defaulttrackchange/"
State = DefaultTrackChange.State


def _rows(html: str) -> list[str]:
    return re.findall(r"<tr[^>]*>.*?</tr>", html, flags=re.S)[1:]


def test_the_page_lists_each_file_with_its_default_tracks_before_and_after(
    admin_client: Client,
) -> None:
    plan = quebec_plan()
    html = admin_client.get(LIST).content.decode()
    assert "<h1>Default tracks</h1>" in html
    for row in plan.rows:
        assert row.path.rsplit("/", 1)[-1] in html
    # The VFQ planned over the English, named as the pages name a variety (CLDR's).
    assert "track 1 (English)" in html
    assert "track 3 (Canadian French)" in html
    # The subtitle's default before (French) and after (none: a dub needs none).
    assert "track 1 (French)" in html
    assert f'href="/admin/scanner/media/{plan.media.pk}/change/"' in html


def test_a_file_refused_before_its_header_was_read_shows_no_default(
    admin_client: Client,
) -> None:
    plan = quebec_plan()
    html = admin_client.get(LIST, {"refusal": "mp4"}).content.decode()
    row = next(row for row in _rows(html) if "S01E05.mp4" in row)
    assert re.findall(r'<td class="field-(audio|subtitle)">([^<]*)</td>', row) == [
        ("audio", "-"),
        ("subtitle", "-"),
    ]
    assert plan.mp4.audio_before is None


def test_the_page_speaks_the_readers_language(admin_client: Client) -> None:
    quebec_plan()
    html = admin_client.get(LIST, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "français canadien" in html
    html = admin_client.get(LIST, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "kanadisches Französisch" in html or "Französisch (Kanada)" in html


def test_each_refusal_says_what_it_would_take(admin_client: Client) -> None:
    plan = quebec_plan()
    html = admin_client.get(LIST).content.decode()
    # Hard links: the option that would change it, and its consequence for the torrent.
    assert "The file has 2 hard links" in html
    assert "also in hardlinked files" in html and "recheck" in html
    # No room: the command, in a field to copy, and what mkvpropedit does to the file.
    assert "rewrites the header and may move it to the end of the file" in html
    assert f'value="{COMMAND}"'.replace("'", "&#x27;") in html
    assert f'data-copy-target="command-{plan.no_room.pk}"' in html
    assert "An MP4 file: it has no default flag." in html


def test_a_change_planned_again_is_said_so(admin_client: Client) -> None:
    plan = quebec_plan()
    DefaultTrackChange.objects.filter(pk=plan.hardlinked.pk).update(refusal="importing")
    DefaultTrackChange.objects.filter(pk=plan.no_room.pk).update(refusal="changed", detail={})
    html = admin_client.get(LIST).content.decode()
    assert html.count("planned again at the next scan") == 2


def test_filters_and_search(admin_client: Client) -> None:
    plan = quebec_plan()
    planned = admin_client.get(LIST, {"state__exact": "planned"}).content.decode()
    assert "S01E01.mkv" in planned and "S01E02.mkv" not in planned
    refused = admin_client.get(LIST, {"refusal": "no-room"}).content.decode()
    assert "S01E03.mkv" in refused and "S01E01.mkv" not in refused
    by_run = admin_client.get(LIST, {"run": plan.run.pk}).content.decode()
    assert "S01E01.mkv" in by_run and "S01E06.mkv" not in by_run
    by_instance = admin_client.get(LIST, {"instance__id__exact": plan.instance.pk})
    assert "S01E01.mkv" in by_instance.content.decode()
    assert "S01E01.mkv" not in admin_client.get(LIST, {"q": "Akira"}).content.decode()
    assert "S01E01.mkv" in admin_client.get(LIST, {"q": "boys"}).content.decode()
    # The refusal filter names each refusal in words, not its code.
    assert "hard links" in planned and "no room in the header" in planned


def test_apply_asks_first_listing_only_the_planned_files(admin_client: Client) -> None:
    plan = quebec_plan()
    everything = [str(row.pk) for row in plan.rows]
    page = admin_client.post(LIST, {"action": "apply_planned", "_selected_action": everything})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Apply the planned default tracks?" in html
    listed = re.findall(r'data-change="(\d+)"', html)
    assert listed == [str(plan.planned.pk)]
    assert "5 other selected files are left out" in html
    assert 'name="post" value="yes"' in html
    # Asked, nothing was queued yet.
    assert DefaultTrackChange.objects.get(pk=plan.planned.pk).state == State.PLANNED


def test_apply_confirmed_queues_the_planned_files_and_says_how_many(
    admin_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    plan = quebec_plan()
    with django_capture_on_commit_callbacks() as sent:
        answer = admin_client.post(
            LIST,
            {"action": "apply_planned", "_selected_action": [plan.planned.pk], "post": "yes"},
            follow=True,
        )
    assert len(sent) == 1  # one task for the item's files, sent once the request commits
    text = [str(m) for m in answer.context["messages"]]
    assert text == [
        "Queued 1 file for its default tracks: a worker writes it, and its line says how it went."
    ]


def test_undo_takes_the_written_files(admin_client: Client) -> None:
    plan = quebec_plan()
    everything = [str(row.pk) for row in plan.rows]
    page = admin_client.post(LIST, {"action": "undo_written", "_selected_action": everything})
    html = page.content.decode()
    assert "Undo the default tracks written?" in html
    assert re.findall(r'data-change="(\d+)"', html) == [str(plan.written.pk)]
    answer = admin_client.post(
        LIST,
        {"action": "undo_written", "_selected_action": everything, "post": "yes"},
        follow=True,
    )
    assert [str(m) for m in answer.context["messages"]] == [
        "Queued 1 file to undo its default tracks: a worker writes the old bytes back, and "
        "its line says how it went."
    ]


def test_nothing_to_apply_is_said_and_nothing_is_queued(admin_client: Client) -> None:
    plan = quebec_plan()
    answer = admin_client.post(
        LIST,
        {"action": "apply_planned", "_selected_action": [plan.written.pk], "post": "yes"},
        follow=True,
    )
    assert [str(m) for m in answer.context["messages"]] == [
        "None of the selected files has a planned change: nothing was queued."
    ]


def test_a_viewer_reads_the_plan_but_has_no_action(client: Client) -> None:
    quebec_plan()
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_defaulttrackchange"))
    client.force_login(viewer)
    html = client.get(LIST).content.decode()
    assert "S01E01.mkv" in html
    assert "apply_planned" not in html and "undo_written" not in html


def test_a_row_whose_file_and_item_are_gone_still_reads(admin_client: Client) -> None:
    plan = quebec_plan()
    plan.media.delete()  # the journal keeps the path (SET_NULL)
    html = admin_client.get(LIST).content.decode()
    assert "Les Boys - S01E04.mkv" in html


def test_the_lists_of_pages_name_it_next_to_the_household(admin_client: Client) -> None:
    main = admin_client.get("/admin/all/").content.decode().split('id="content-main"', 1)[1]
    rows = re.findall(r'<th scope="row"[^>]*>\s*<a href="([^"]+)"[^>]*>([^<]+)</a>', main)
    pages = [href for href, _name in rows]
    assert pages.index(LIST) == pages.index("/admin/scanner/seerrconnection/") + 1
    assert (LIST, "Default tracks") in rows


def test_the_items_page_shows_each_files_default_tracks_and_leads_to_them(
    admin_client: Client,
) -> None:
    plan = quebec_plan()
    other = quebec_plan("Dark")
    html = admin_client.get(f"/admin/scanner/media/{plan.media.pk}/change/").content.decode()
    section = html.split('id="default-tracks"', 1)[1].split("</section>", 1)[0]
    # Each file once, with its latest change (the stale plan of E06 is not one).
    assert section.count("<tr>") == 1 + 5
    assert "track 3 (Canadian French)" in section and "The file has 2 hard links" in section
    link = f"/admin/scanner/defaulttrackchange/?media={plan.media.pk}"
    assert f'href="{link}"' in section
    listed = admin_client.get(link).content.decode()
    assert "Les Boys - S01E01.mkv" in listed and "Dark - S01E01.mkv" not in listed
    table = listed.split('id="result_list"', 1)[1].split("</table>", 1)[0]
    assert other.media.title not in table


def test_an_item_without_a_plan_has_no_such_section(admin_client: Client) -> None:
    plan = quebec_plan()
    DefaultTrackChange.objects.all().delete()
    html = admin_client.get(f"/admin/scanner/media/{plan.media.pk}/change/").content.decode()
    assert 'id="default-tracks"' not in html


def test_a_changes_own_page_shows_no_byte_of_the_patch(admin_client: Client) -> None:
    plan = quebec_plan()
    answer = admin_client.get(f"{LIST}{plan.written.pk}/change/")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Les Boys - S01E04.mkv" in html
    assert "bytes before" not in html.lower() and "\\x88" not in html


def test_the_item_leases_are_an_internal_table_opened_by_its_address(
    admin_client: Client,
) -> None:
    plan = quebec_plan()
    DefaultTrackLease.objects.create(media=plan.media, token=7)
    html = admin_client.get("/admin/scanner/defaulttracklease/").content.decode()
    assert "Les Boys" in html
    assert (
        "/admin/scanner/defaulttracklease/" not in admin_client.get("/admin/all/").content.decode()
    )


def test_apply_with_the_broker_down_answers_and_keeps_the_rows_planned(
    admin_client: Client,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A broker that refuses the task (kombu's OperationalError, as a Redis that is down
    raises it) is one log line (scanner.runtime.journal_work.send), never a 500: the row stays
    planned for the next ask."""
    from celery import current_app
    from kombu.exceptions import OperationalError

    def down(name: str, args: list[Any]) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(current_app, "send_task", down)
    plan = quebec_plan()
    with django_capture_on_commit_callbacks(execute=True):
        answer = admin_client.post(
            LIST,
            {"action": "apply_planned", "_selected_action": [plan.planned.pk], "post": "yes"},
            follow=True,
        )
    assert answer.status_code == 200
    assert DefaultTrackChange.objects.get(pk=plan.planned.pk).state == State.PLANNED
    assert "the broker is unreachable" in caplog.text
    assert "scanner.tasks.apply_default_tracks not sent" in caplog.text


# --- issue 93: one review in front of the user ------------------------------------------


def test_the_undo_button_and_action_read_as_undo_in_french_never_cancel(
    admin_client: Client,
) -> None:
    """French "Annuler" is Cancel (Sonarr's word for it): undo reads "Défaire"."""
    plan = quebec_plan()
    listed = admin_client.get(LIST, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Défaire les pistes par défaut écrites" in listed
    assert "Annuler" not in listed
    page = admin_client.post(
        LIST,
        {"action": "undo_written", "_selected_action": [plan.written.pk]},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    html = page.content.decode()
    button = re.search(r'id="confirm-action">([^<]*)<', html)
    assert button is not None and button.group(1) == "Défaire"
    assert "Annuler" not in html
    page = admin_client.post(
        LIST,
        {"action": "apply_planned", "_selected_action": [plan.planned.pk]},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    button = re.search(r'id="confirm-action">([^<]*)<', page.content.decode())
    assert button is not None and button.group(1) == "Appliquer"


def test_undone_and_refused_files_are_queued_to_be_planned_again(
    admin_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    plan = quebec_plan()
    DefaultTrackChange.objects.filter(pk=plan.written.pk).update(state=State.UNDONE)
    assert "plan_again" in admin_client.get(LIST).content.decode()
    everything = [str(row.pk) for row in plan.rows]
    with django_capture_on_commit_callbacks() as sent:
        answer = admin_client.post(
            LIST, {"action": "plan_again", "_selected_action": everything}, follow=True
        )
    assert len(sent) == 1  # one task for the item's files, plan only
    assert [str(m) for m in answer.context["messages"]] == [
        "Queued 4 files to be planned again: a worker reads them and plans their default "
        "tracks, and nothing is written until you apply their lines."
    ]
    nothing = admin_client.post(
        LIST, {"action": "plan_again", "_selected_action": [plan.planned.pk]}, follow=True
    )
    assert [str(m) for m in nothing.context["messages"]] == [
        "None of the selected files was undone or refused: nothing was planned."
    ]


def test_a_viewer_cannot_plan_again(client: Client) -> None:
    quebec_plan()
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_defaulttrackchange"))
    client.force_login(viewer)
    assert "plan_again" not in client.get(LIST).content.decode()
