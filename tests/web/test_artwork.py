"""Posters served from Taggarr's own origin (web.artwork): staff only, the thumbnail's
own content type, an ETag answered with 304, cache headers; and the media list as a
poster grid or a table, neither of which ever carries the *arr's address or key."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.utils import timezone
from django.utils.http import http_date

from fakes.arr import FakeArr, FakeArrOptions, build_series
from scanner.arr.payloads import parse_item
from scanner.artwork.refresh import refresh_artwork
from scanner.artwork.thumbnails import thumbnail
from scanner.models import Artwork, Instance, Media
from tests.factories import InstanceFactory, MediaFactory
from tests.helpers import ARR_KEY
from tests.scanner.artwork.images import jpeg

pytestmark = pytest.mark.django_db
IMG = re.compile(r'<img src="(/admin/artwork/\d+/poster\?v=[0-9a-f]{16})"')


def _with_poster(media: Media) -> Artwork:
    made = thumbnail(jpeg(170, 250), "poster")
    return Artwork.objects.create(
        media=media,
        kind="poster",
        data=made.data,
        width=made.width,
        height=made.height,
        digest=made.digest,
        source="/MediaCover/1/poster.jpg?lastWrite=1",
        fetched_at=timezone.now(),
    )


def test_the_image_is_served_with_its_type_cache_headers_and_etag(admin_client: Client) -> None:
    art = _with_poster(MediaFactory())
    address = f"/admin/artwork/{art.media_id}/poster"
    response = admin_client.get(address)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response.content == bytes(art.data)
    assert response["ETag"] == f'"{art.digest}"'
    # Asked again each time: a signed-out browser shows none from its cache (issue 59).
    cache = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache == {"private", "no-cache"}
    assert response["Last-Modified"] == http_date(int(art.fetched_at.timestamp()))
    assert response["X-Content-Type-Options"] == "nosniff"

    again = admin_client.get(address, HTTP_IF_NONE_MATCH=f'W/"x", "{art.digest}"')
    assert again.status_code == 304 and again.content == b""
    other = admin_client.get(address, HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200
    by_date = admin_client.get(address, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert by_date.status_code == 304 and by_date["Cache-Control"] == response["Cache-Control"]
    stale = admin_client.get(address, HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2024 00:00:00 GMT")
    assert stale.status_code == 200


@pytest.mark.parametrize(
    "address",
    [
        "/admin/artwork/{id}/banner",
        "/admin/artwork/{id}/fanart",
        "/admin/artwork/999999/poster",
        "/admin/artwork/99999999999999999999999/poster",
    ],
)
def test_no_such_image_is_a_404(admin_client: Client, address: str) -> None:
    art = _with_poster(MediaFactory())
    assert admin_client.get(address.format(id=art.media_id)).status_code == 404


def test_only_a_signed_in_person_allowed_to_see_media_gets_an_image(client: Client) -> None:
    art = _with_poster(MediaFactory())
    address = f"/admin/artwork/{art.media_id}/poster"
    anonymous = client.get(address)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    staff = User.objects.create_user("helper", password="pw-helper-123", is_staff=True)
    client.force_login(staff)
    assert client.get(address).status_code == 404  # no view permission: nothing told
    staff.user_permissions.add(Permission.objects.get(codename="view_media"))
    staff = User.objects.get(pk=staff.pk)
    client.force_login(staff)
    assert client.get(address).status_code == 200
    assert client.post(address).status_code == 405


@pytest.fixture
def fake() -> Iterator[FakeArr]:
    options = FakeArrOptions(app="sonarr", api_key=ARR_KEY)
    with FakeArr(options, items=[build_series(1), build_series(2)]) as server:
        yield server


def test_the_poster_grid_shows_stored_posters_and_a_placeholder_and_no_arr_address(
    admin_client: Client, fake: FakeArr
) -> None:
    instance = InstanceFactory(kind=Instance.Kind.SONARR, url=fake.url, api_key=ARR_KEY)
    with_poster = MediaFactory(instance=instance, arr_id=1, title="Akira", applied_tag="dub")
    MediaFactory(instance=instance, arr_id=2, title="Bleach")
    fake.state.covers.remove(2, "poster")
    for media in instance.media.all():  # as the scan's listing stores them
        served = fake.state.served(fake.state.item(media.arr_id))
        media.arr_covers = dict(parse_item(served, kind="sonarr").covers)
        media.save(update_fields=["arr_covers"])
    refresh_artwork(instance)

    admin_client.cookies["taggarr_media_view"] = "grid"
    html = admin_client.get("/admin/scanner/media/").content.decode()
    assert 'data-view="grid"' in html
    (src,) = IMG.findall(html)
    assert src.startswith(f"/admin/artwork/{with_poster.pk}/poster?v=")
    assert 'class="taggarr-art-letter" aria-hidden="true">B<' in html  # Bleach: none
    assert '<span class="tag-badge tag-dub">dub</span>' in html
    assert ARR_KEY not in html and fake.url not in html and "MediaCover" not in html
    assert admin_client.get(src).status_code == 200


@pytest.mark.parametrize("cookie", ["", "table", "grid<script>", "posters"])
def test_the_table_is_the_default_and_an_odd_cookie_is_the_table(
    admin_client: Client, cookie: str
) -> None:
    MediaFactory()
    admin_client.cookies["taggarr_media_view"] = cookie
    response = admin_client.get("/admin/scanner/media/")
    assert response.status_code == 200
    assert 'data-view="table"' in response.content.decode()


def test_the_stored_images_have_a_read_only_admin_page(admin_client: Client) -> None:
    art = _with_poster(MediaFactory(title="Akira"))
    html = admin_client.get("/admin/scanner/artwork/").content.decode()
    assert f'src="/admin/artwork/{art.media_id}/poster?v={art.digest[:16]}"' in html
    assert "170 by 250 pixels" in html and "Akira" in html
    page = admin_client.get(f"/admin/scanner/artwork/{art.pk}/change/")
    assert page.status_code == 200 and "Akira" in page.content.decode()
