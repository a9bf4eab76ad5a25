"""The admin home: what a person uses first, the scanner's internals grouped apart."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

pytestmark = pytest.mark.django_db


def _captions(html: str) -> list[str]:
    """The app captions and their model rows, in page order."""
    return re.findall(
        r'<caption>\s*<a [^>]*>([^<]+)</a>|<th scope="row"[^>]*>\s*<a [^>]*>([^<]+)</a>', html
    )


def _order(html: str) -> list[str]:
    main = html.split('id="content-main"', 1)[1]
    return [caption or row for caption, row in _captions(main)]


def test_home_lists_the_product_first_and_internals_last(admin_client: Client) -> None:
    html = admin_client.get("/admin/").content.decode()
    order = _order(html)
    assert order[:8] == [
        "Taggarr",
        "Instances",
        "Media servers",
        "Media",
        "Scans",
        "Dashboard",
        "Events",
        "Notifiers",
    ]
    internals = order.index("Internals")
    # A person's own tokens together, not among the internal tables.
    access = order.index("Your access")
    assert order[access + 1 : access + 3] == ["API tokens", "Feed tokens"]
    assert internals > access
    assert set(order[internals + 1 :]) == {
        "Media files",
        "Scan items",
        "Scan requests",
        "Seasons",
        "Notification rate limits",
        "Missing-dub searches",
        "Feed identity",
        "Posters and fanart",
        "Image fetches",
    }
    assert 'href="/admin/dashboard/"' in html


def test_internals_stay_reachable_from_the_app_page(admin_client: Client) -> None:
    html = admin_client.get("/admin/scanner/").content.decode()
    for name in ("Media files", "Scan items", "Seasons", "Instances"):
        assert name in html
    assert "Internals" not in html


def test_a_viewer_sees_only_what_they_may(client: Client) -> None:
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_media"),
        Permission.objects.get(codename="view_season"),
    )
    client.force_login(viewer)
    order = _order(client.get("/admin/").content.decode())
    assert order == ["Taggarr", "Media", "Dashboard", "Internals", "Seasons"]


def test_a_new_install_is_guided_step_by_step(admin_client: Client) -> None:
    from tests.factories import InstanceFactory, ScanRunFactory

    def guide() -> str:
        html = admin_client.get("/admin/").content.decode()
        return (
            html.split('id="first-run"', 1)[1].split("</ol>", 1)[0] if "first-run" in html else ""
        )

    assert 'class="current"' in guide() and "Add an instance" in guide()
    instance = InstanceFactory(first_scan_at=None)
    assert "Open the instance to test it" in guide()
    from scanner.models import Event

    Event.objects.create(instance=instance, kind="config", message="tested",
                         data={"connection_test": {"ok": True, "lines": []}})  # fmt: skip
    assert "Open the instance to start a dry run" in guide()
    dry = ScanRunFactory(instance=instance, dry_run=True, status="succeeded")
    assert f'href="/admin/scanner/scanrun/{dry.pk}/change/">Review the planned tags' in guide()
    ScanRunFactory(instance=instance, mode="apply", status="succeeded")
    assert guide() == ""  # tags applied: the guide's work is done
    assert (
        'taggarr-primary" href="/admin/dashboard/"' in admin_client.get("/admin/").content.decode()
    )
