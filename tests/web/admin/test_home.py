"""The admin home: the guide until the first tags are applied, then the library; the
lists of pages show what a person uses, never the scanner's internal tables."""

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


INTERNAL_TABLES = (
    "Media files",
    "Scan items",
    "Scan requests",
    "Seasons",
    "Notification rate limits",
    "Missing-dub searches",
    "Feed identity",
    "Posters and fanart",
    "Image fetches",
)
INTERNAL_PATHS = (
    "mediafile", "scanitem", "scanrequest", "season", "notifierthrottle", "missingsearch",
    "feednamespace", "artwork", "artworkfetch",
)  # fmt: skip


def _applied() -> None:
    """An instance whose first tags were applied: set up."""
    from tests.factories import InstanceFactory, ScanRunFactory

    ScanRunFactory(instance=InstanceFactory(), mode="apply", status="succeeded")


def test_home_lists_the_product_and_no_internal_table(admin_client: Client) -> None:
    html = admin_client.get("/admin/").content.decode()
    order = _order(html)
    assert order[:14] == [
        "Taggarr",
        "Instances",
        "Media servers",
        "Household members",
        "Seerr connections",
        "Default tracks",
        "Quality profiles",
        "Dub badges",
        "Changes",  # every act's changes together (web.admin.changes)
        "Items",
        "Scans",
        "Dashboard",
        "Events",
        "Notifiers",
    ]
    # A person's own tokens together, with the accounts.
    access = order.index("Your access")
    assert order[access + 1 : access + 3] == ["API tokens", "Feed tokens"]
    assert not set(order) & {"Internals", *INTERNAL_TABLES}
    assert 'href="/admin/dashboard/"' in html


def test_internal_tables_are_in_no_list_but_open_by_their_address(admin_client: Client) -> None:
    app_page = admin_client.get("/admin/scanner/").content.decode()
    assert "Instances" in app_page and "Media servers" in app_page
    assert not [name for name in INTERNAL_TABLES if name in app_page]
    _applied()
    every = admin_client.get("/admin/all/").content.decode()
    assert "Instances" in every and "API tokens" in every and "Users" in every
    assert not [name for name in INTERNAL_TABLES if name in every]
    for model in INTERNAL_PATHS:
        assert admin_client.get(f"/admin/scanner/{model}/").status_code == 200, model


def test_a_viewer_sees_only_what_they_may(client: Client) -> None:
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_media"),
        Permission.objects.get(codename="view_season"),
    )
    client.force_login(viewer)
    order = _order(client.get("/admin/").content.decode())
    assert order == ["Taggarr", "Items", "Dashboard"]


def test_after_setup_home_is_the_library(admin_client: Client) -> None:
    assert admin_client.get("/").url == "/admin/"
    assert admin_client.get("/admin/").status_code == 200  # the guide, before setup
    _applied()
    response = admin_client.get("/", follow=True)
    assert response.redirect_chain[-1] == ("/admin/scanner/media/", 302)
    # The view last chosen (the toggle's cookie) is the one drawn.
    admin_client.cookies["taggarr_media_view"] = "grid"
    page = admin_client.get("/admin/", follow=True).content.decode()
    assert 'class="taggarr-media-views" data-view="grid"' in page


def test_without_the_library_home_stays_the_list_of_pages(client: Client) -> None:
    _applied()
    staff = User.objects.create_user("tokens", password="pw", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_event"))
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 200 and "Events" in _order(response.content.decode())
    assert 'id="taggarr-search"' not in response.content.decode()  # nothing to search in


def test_the_menu_has_the_search_and_its_key(admin_client: Client) -> None:
    html = admin_client.get("/admin/scanner/event/").content.decode()
    nav = html.split('class="taggarr-nav"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/admin/all/"' in nav
    assert not [model for model in INTERNAL_PATHS if f"/admin/scanner/{model}/" in nav]
    form = html.split('class="taggarr-search"', 1)[1].split("</form>", 1)[0]
    assert 'action="/admin/scanner/media/"' in form and 'name="q"' in form
    assert 'for="taggarr-search"' in form and 'maxlength="200"' in form
    assert '<script src="/static/taggarr/search-key.js" defer></script>' in html
    script = b"".join(admin_client.get("/static/taggarr/search-key.js").streaming_content)
    assert b'getElementById("taggarr-search")' in script and b'event.key !== "s"' in script


def test_the_header_menu_opens_without_a_script(admin_client: Client, client: Client) -> None:
    """On a phone the main menu, the user's links, the language and the theme are behind
    one button (issue 61): a <details>, which opens with a tap, Enter or Space in a
    browser without scripts too; menu.js only closes it on Escape or a tap beside it."""
    html = admin_client.get("/admin/scanner/event/").content.decode()
    menu = html.split('<details class="taggarr-menu" id="taggarr-menu">', 1)[1]
    menu = menu.split("</details>", 1)[0]
    summary = menu.split("<summary", 1)[1].split("</summary>", 1)[0]
    assert '<span class="visually-hidden">Menu</span>' in summary  # its name
    body = menu.split("</summary>", 1)[1]
    for part in ('class="taggarr-nav"', 'id="user-tools"', 'id="logout-form"',
                 'id="taggarr-language-choice"', 'class="theme-toggle"'):  # fmt: skip
        assert part in body, part
    assert 'class="taggarr-search"' not in menu  # the search stays in the header's row
    assert '<script src="/static/taggarr/menu.js" defer></script>' in html
    assert "taggarr-menu" not in client.get("/admin/login/").content.decode()


def test_the_header_search_finds_a_title(admin_client: Client) -> None:
    from tests.factories import MediaFactory

    MediaFactory(title="Dark Matter")
    MediaFactory(title="Breaking Bad")
    html = admin_client.get("/admin/scanner/media/", {"q": "matter"}).content.decode()
    assert "Dark Matter" in html and "Breaking Bad" not in html


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
        'taggarr-primary" href="/admin/dashboard/"'
        in admin_client.get("/admin/all/").content.decode()
    )


@pytest.mark.django_db
def test_the_language_menu_names_each_language_in_itself(admin_client: Client) -> None:
    """Every entry names itself, English too, whatever the page's language (Django's
    get_available_languages tag translates the names: a German page read "Englisch")."""
    html = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    menu = html[html.index('id="taggarr-language-choice"') : html.index("</select>")]
    options = dict(re.findall(r'<option value="([^"]+)" lang="[^"]+"[^>]*>([^<]+)</option>', menu))
    assert options["en"] == "English"
    assert options["de"] == "Deutsch"
    assert options["fr-ca"] == "Français (Canada)"
    assert 'value="de" lang="de" selected' in menu
