"""The Media admin: both tags in the list, filters, search, and the per-episode table."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from scanner.models import Media, ScanRun
from tests.factories import InstanceFactory, MediaFactory, doubtful_anime
from web.templatetags.taggarr import tag_badge

pytestmark = pytest.mark.django_db


def _rows(admin_client: Client, query: str = "") -> list[str]:
    response = admin_client.get(f"/admin/scanner/media/?{query}")
    assert response.status_code == 200
    return [media.title for media in response.context["cl"].result_list]


def test_list_shows_tags_and_filters(admin_client: Client) -> None:
    tv = InstanceFactory(name="tv")
    MediaFactory(instance=tv, title="Akira", applied_tag="dub", planned_tag="dub")
    MediaFactory(
        instance=tv,
        title="Bleach",
        applied_tag="none",
        planned_tag="semi-dub",
        original_language="jpn",
    )
    MediaFactory(instance=tv, title="Cosmos", error="folder is gone")
    html = admin_client.get("/admin/scanner/media/").content.decode()
    assert '<span class="tag-badge tag-semi-dub">semi-dub</span> (change)' in html
    assert '<span class="tag-badge tag-dub">dub</span>' in html
    assert '<span class="tag-badge tag-none">no tag</span>' in html  # never the word none
    assert ">none<" not in html
    assert "folder is gone" in html
    assert _rows(admin_client, "pending=yes") == ["Bleach"]
    assert _rows(admin_client, "errors=yes") == ["Cosmos"]
    assert _rows(admin_client, "applied_tag__exact=dub") == ["Akira"]
    assert _rows(admin_client, "original_language__exact=jpn") == ["Bleach"]
    assert 'href="?original_language__exact=jpn"' in html
    assert "Japanese (jpn)</a>" in html  # the filter names the language
    assert _rows(admin_client, "q=bleach") == ["Bleach"]
    assert _rows(admin_client, "q=%27%3B%20DROP%20TABLE%20x%3B") == []


def test_a_tag_badge_escapes_and_keeps_unknown_tags_plain() -> None:
    assert tag_badge("<b>x</b>") == '<span class="tag-badge tag-other">&lt;b&gt;x&lt;/b&gt;</span>'
    assert tag_badge("") == '<span class="tag-badge tag-none">no tag</span>'
    assert tag_badge("none") == '<span class="tag-badge tag-none">no tag</span>'


def test_list_queries_do_not_grow_with_rows(admin_client: Client) -> None:
    instance = InstanceFactory()
    MediaFactory.create_batch(3, instance=instance)
    admin_client.get("/admin/scanner/media/")
    with CaptureQueriesContext(connection) as few:
        admin_client.get("/admin/scanner/media/")
    Media.objects.bulk_create(
        Media(instance=InstanceFactory(), kind="series", title=f"T{n}", path=f"/p{n}")
        for n in range(120)
    )
    with CaptureQueriesContext(connection) as many:
        admin_client.get("/admin/scanner/media/")
    assert len(many) == len(few)


def test_the_media_page_offers_the_doubtful_original_and_saves_an_override(
    admin_client: Client,
) -> None:
    media = doubtful_anime()
    page = admin_client.get(f"/admin/scanner/media/{media.pk}/change/").content.decode()
    assert "every counted file" in page and 'value="jpn"' in page
    listed = admin_client.get("/admin/scanner/media/?doubtful=yes").content.decode()
    assert "Unmapped Anime" in listed
    assert "English (eng)? files start with Japanese (jpn)" in listed

    response = admin_client.post(f"/admin/scanner/media/{media.pk}/original/", {"language": "ja"})
    assert response.status_code == 302
    media.refresh_from_db()
    assert (media.original_override, media.planned_tag) == ("jpn", "dub")

    admin_client.post(f"/admin/scanner/media/{media.pk}/original/", {"language": "klingonish"})
    media.refresh_from_db()
    assert media.original_override == "jpn"  # a bad value changes nothing


def test_the_action_takes_the_suggestion_for_the_doubtful_items_only(admin_client: Client) -> None:
    doubtful = doubtful_anime()
    certain = MediaFactory(instance=doubtful.instance, original_language="eng")
    response = admin_client.post(
        "/admin/scanner/media/",
        {"action": "use_suggested_original", "_selected_action": [doubtful.pk, certain.pk]},
    )
    assert response.status_code == 302
    assert Media.objects.get(pk=doubtful.pk).original_override == "jpn"
    assert Media.objects.get(pk=certain.pk).original_override == ""
    # Written at once, as one item's decision is: one run, scoped to the changed item.
    (run,) = ScanRun.objects.filter(instance=doubtful.instance)
    assert (run.mode, run.scope) == (ScanRun.Mode.REDECIDE, [doubtful.arr_id])

    admin_client.post(
        "/admin/scanner/media/",
        {"action": "reset_original", "_selected_action": [doubtful.pk, certain.pk]},
    )
    assert Media.objects.get(pk=doubtful.pk).original_override == ""
    # The queued run is reused (it covers the item), not a second one started.
    assert ScanRun.objects.filter(instance=doubtful.instance).count() == 1


def test_a_viewer_cannot_set_the_original(client: Client) -> None:
    from django.contrib.auth.models import Permission, User

    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_media"))
    client.force_login(viewer)
    media = doubtful_anime()
    response = client.post(f"/admin/scanner/media/{media.pk}/original/", {"language": "ja"})
    assert response.status_code == 403
    assert Media.objects.get(pk=media.pk).original_override == ""


@pytest.mark.parametrize(
    ("count", "shown"), [(1, "1 unreadable file<"), (2, "2 unreadable files<")]
)
def test_the_list_counts_unreadable_files_in_words(
    admin_client: Client, count: int, shown: str
) -> None:
    MediaFactory(error_file_count=count)
    assert shown in admin_client.get("/admin/scanner/media/").content.decode()


def test_the_media_page_and_list_link_to_the_item_in_the_arr(admin_client: Client) -> None:
    sonarr = InstanceFactory(kind="sonarr", url="http://sonarr.lan:8989/")
    series = MediaFactory(instance=sonarr, title="The Office", title_slug="the-office-us")
    radarr = InstanceFactory(kind="radarr", url="https://radarr.lan/radarr")
    movie = MediaFactory(instance=radarr, kind="movie", title="Heat", tmdb_id=949)
    page = admin_client.get(f"/admin/scanner/media/{series.pk}/change/").content.decode()
    assert (
        '<a class="button" href="http://sonarr.lan:8989/series/the-office-us" target="_blank" '
        'rel="noopener noreferrer" id="arr-link">Open in Sonarr ↗</a>'
    ) in page
    assert series.instance.get_api_key() not in page
    listing = admin_client.get("/admin/scanner/media/").content.decode()
    assert 'href="http://sonarr.lan:8989/series/the-office-us"' in listing
    assert 'href="https://radarr.lan/radarr/movie/949"' in listing
    assert listing.count('rel="noopener noreferrer"') >= 2
    assert movie.instance.get_api_key() not in listing


def test_no_link_when_the_address_is_not_known(admin_client: Client) -> None:
    no_slug = MediaFactory(instance=InstanceFactory(kind="sonarr"), tmdb_id=949)
    no_tmdb = MediaFactory(instance=InstanceFactory(kind="radarr"), kind="movie")
    folder = MediaFactory(instance=InstanceFactory(kind="library", url=""), title_slug="x")
    for media in (no_slug, no_tmdb, folder):
        page = admin_client.get(f"/admin/scanner/media/{media.pk}/change/").content.decode()
        assert "taggarr-arr-link" not in page


def test_the_errors_column_comes_early_so_it_stays_in_sight(admin_client: Client) -> None:
    MediaFactory(error_file_count=3)
    html = admin_client.get("/admin/scanner/media/").content.decode()
    columns = re.findall(r'<th scope="col" class="[^"]*column-(\w+)', html)
    assert columns.index("errors") < 5, columns
    assert "kind" not in columns
    css = admin_client.get("/static/taggarr/admin.css")
    body = b"".join(css.streaming_content if css.streaming else [css.content]).decode()
    assert "#result_list td.field-errors" in body


def test_the_link_leaves_out_credentials_in_the_instance_url(admin_client: Client) -> None:
    instance = InstanceFactory(kind="radarr", url="http://me:s3cret@radarr.lan:7878/")
    media = MediaFactory(instance=instance, kind="movie", tmdb_id=603)
    page = admin_client.get(f"/admin/scanner/media/{media.pk}/change/").content.decode()
    assert 'href="http://radarr.lan:7878/movie/603"' in page
    assert "s3cret" not in page


def test_the_lists_scripts_wait_for_the_page(admin_client: Client) -> None:
    """The admin's scripts are deferred (the page shows before they load: Lighthouse's
    first paint on a phone, bench/lighthouse.py), in their order, and the 160 KB of
    prepopulating ones a read-only page has no field for are left out."""
    html = admin_client.get("/admin/scanner/media/").content.decode()
    head = html[: html.index("</head>")]
    scripts = re.findall(r"<script [^>]*>", head)
    admin_scripts = [tag for tag in scripts if "/static/admin/js/" in tag]
    names = [re.search(r"/static/admin/js/([\w/.]+?)(\.min)?\.js", tag)[1] for tag in admin_scripts]
    assert names[:4] == ["theme", "vendor/jquery/jquery", "jquery.init", "core"]
    assert all(" defer" in tag for tag in admin_scripts[1:]), admin_scripts
    assert not any(name in head for name in ("xregexp", "prepopulate", "urlify"))


def test_the_a_to_z_jump_files_accented_titles_under_their_letter(admin_client: Client) -> None:
    for title in ("Ärzte", "Amélie", "alf", "Zorro", "élite", "Łódź", "24", "¡Que viva!", "東京"):
        MediaFactory(title=title)
    assert set(_rows(admin_client, "letter=A")) == {"alf", "Amélie", "Ärzte"}
    assert _rows(admin_client, "letter=E") == ["élite"]
    assert _rows(admin_client, "letter=L") == ["Łódź"]
    assert set(_rows(admin_client, "letter=%23")) == {"24", "¡Que viva!", "東京"}
    assert _rows(admin_client, "letter=zz") != []  # no such letter: nothing filtered
    html = admin_client.get("/admin/scanner/media/?letter=Z&q=zor").content.decode()
    jump = html.split('class="taggarr-letters"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="?letter=Z&amp;q=zor" aria-current="true">Z</a>' in jump
    assert '<a href="?letter=%23&amp;q=zor">#</a>' in jump  # the search kept
    assert '<a href="?q=zor">All</a>' in jump
    drawer = html.split('class="taggarr-filter-drawer"', 1)[1].split("</details>", 1)[0]
    assert ">#</a>" not in drawer  # one row above the list, not in the drawer
