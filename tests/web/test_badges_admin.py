"""The dub badges' page (web.admin.badges): its rows said in the reader's words, and its
two actions asked first, each listing only the posters it takes, then handing them to a
worker once the request commits; the one review of every act's changes links to it."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from PIL import Image

from scanner.badges import posters
from scanner.badges.lease import ITEM
from scanner.models import BadgeChange, Media
from tests.factories import InstanceFactory, MediaFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/scanner/badgechange/"
State = BadgeChange.State


def _item(root: Path, name: str) -> Media:
    folder = root / name
    folder.mkdir(parents=True)
    image = Image.linear_gradient("L").resize((200, 300)).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG")
    (folder / "poster.jpg").write_bytes(out.getvalue())
    instance = InstanceFactory(target_languages=["es-419"], root_folders=[str(root)])
    return MediaFactory(
        instance=instance,
        title=name,
        path=str(folder),
        language_verdicts={"es-419": "dub"},
        verdict_reasons={"targets": ["es-419"]},
    )


@pytest.fixture
def rows(tmp_path: Path) -> dict[str, BadgeChange]:
    """One poster planned, one drawn."""
    planned = _item(tmp_path / "tv", "Planned")
    drawn = _item(tmp_path / "tv2", "Drawn")
    for media in (planned, drawn):
        posters.plan_item(media.pk)
    assert ITEM.take(drawn.pk, 7)
    posters.apply_item(drawn.pk, token=7)
    ITEM.let_go(drawn.pk, 7)
    return {
        "planned": BadgeChange.objects.get(media=planned),
        "drawn": BadgeChange.objects.get(media=drawn),
    }


def test_the_rows_say_the_badges_in_the_households_words(
    admin_client: Client, rows: dict[str, BadgeChange]
) -> None:
    html = admin_client.get(LIST).content.decode()
    assert rows["drawn"].state == State.WRITTEN
    assert "Latino" in html and "poster.jpg" in html


def test_apply_asks_first_and_sends_only_the_planned(
    admin_client: Client, rows: dict[str, BadgeChange], django_capture_on_commit_callbacks: Any
) -> None:
    everything = [str(row.pk) for row in rows.values()]
    page = admin_client.post(LIST, {"action": "apply_planned", "_selected_action": everything})
    html = page.content.decode()
    assert "Draw the planned badges?" in html
    assert re.findall(r'data-change="(\d+)"', html) == [str(rows["planned"].pk)]
    assert "1 other selected poster is left out" in html
    with django_capture_on_commit_callbacks() as sent:
        answer = admin_client.post(
            LIST,
            {"action": "apply_planned", "_selected_action": everything, "post": "yes"},
            follow=True,
        )
    assert len(sent) == 1  # the item's task, once the request commits
    assert [str(m) for m in answer.context["messages"]] == ["A worker draws the badges of 1 item."]
    assert BadgeChange.objects.get(pk=rows["planned"].pk).state == State.PLANNED


def test_undo_asks_first_listing_only_the_drawn(
    admin_client: Client, rows: dict[str, BadgeChange]
) -> None:
    everything = [str(row.pk) for row in rows.values()]
    page = admin_client.post(LIST, {"action": "undo_written", "_selected_action": everything})
    html = page.content.decode()
    assert "Put the original posters back?" in html
    assert re.findall(r'data-change="(\d+)"', html) == [str(rows["drawn"].pk)]


def test_the_changes_page_lists_the_poster_and_leads_to_its_page(
    admin_client: Client, rows: dict[str, BadgeChange]
) -> None:
    html = admin_client.get("/admin/changes/", {"act": "badges"}).content.decode()
    assert "Dub badges" in html and LIST in html


def test_a_viewer_may_not_draw(client: Client, rows: dict[str, BadgeChange]) -> None:
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_badgechange"))
    client.force_login(viewer)
    page = client.get(LIST).content.decode()
    assert "apply_planned" not in page
    answer = client.post(
        LIST,
        {"action": "apply_planned", "_selected_action": [rows["planned"].pk], "post": "yes"},
    )
    assert BadgeChange.objects.get(pk=rows["planned"].pk).state == State.PLANNED
    assert answer.status_code in (200, 302, 403)


def test_the_pages_title_keeps_the_translators_capitals(
    admin_client: Client, rows: dict[str, BadgeChange]
) -> None:
    """A list's title takes a capital first letter and changes no other (str.capitalize
    made German's "Synchron-Badges" "Synchron-badges")."""
    html = admin_client.get(LIST, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "<h1>Synchron-Badges</h1>" in html
