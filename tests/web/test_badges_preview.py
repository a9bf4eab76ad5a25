"""The dub badges previewed on an item's poster (web.badges_preview, issue 95): drawn
from the poster Taggarr keeps with the item's dubs, staff who may view items only, a new
address and ETag when a dub or the poster changes, 304 for the same, and no 5xx for a
poster that cannot be drawn on; the item's page shows it only when there is a dub."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from PIL import Image, ImageChops, ImageStat

from scanner.artwork.thumbnails import thumbnail
from scanner.models import Artwork, Media
from tests.factories import MediaFactory
from tests.scanner.artwork.images import jpeg

pytestmark = pytest.mark.django_db
PREVIEW = re.compile(r'<img src="(/admin/badges/\d+/preview\?v=[0-9a-f]{16})" alt="([^"]*)"')


def _with_poster(media: Media, data: bytes | None = None) -> Artwork:
    made = thumbnail(jpeg(170, 250), "poster")
    return Artwork.objects.create(
        media=media, kind="poster", data=made.data if data is None else data, width=made.width,
        height=made.height, digest=made.digest, source="poster.jpg", fetched_at=timezone.now(),
    )  # fmt: skip


def _page(client: Client, media: Media) -> str:
    answer = client.get(f"/admin/scanner/media/{media.pk}/change/")
    assert answer.status_code == 200
    return answer.content.decode()


def test_the_poster_is_drawn_with_the_items_dubs(admin_client: Client) -> None:
    # The item's targets say the order (PostgreSQL keeps a JSON object's keys sorted its way).
    media = MediaFactory(
        language_verdicts={"fr-CA": "dub", "deu": "semi-dub"},
        verdict_reasons={"targets": ["fr-CA", "deu"]},
    )
    art = _with_poster(media)
    url, alt = PREVIEW.search(_page(admin_client, media)).groups()  # type: ignore[union-attr]
    assert alt.endswith("VFQ, DE")

    answer = admin_client.get(url)
    assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"
    drawn, stored = Image.open(io.BytesIO(answer.content)), Image.open(io.BytesIO(art.data))
    assert drawn.size == stored.size
    diff = ImageChops.difference(drawn.convert("L"), stored.convert("L"))
    assert ImageStat.Stat(diff.crop((6, 6, 28, 18))).mean[0] > 30  # the first badge
    assert ImageStat.Stat(diff.crop((90, 120, 170, 250))).mean[0] < 3  # the rest
    again = admin_client.get(url, HTTP_IF_NONE_MATCH=answer["ETag"])
    assert again.status_code == 304

    # A new dub is a new picture at a new address.
    Media.objects.filter(pk=media.pk).update(language_verdicts={"fr-CA": "dub"})
    media.refresh_from_db()
    new_url, new_alt = PREVIEW.search(_page(admin_client, media)).groups()  # type: ignore[union-attr]
    assert new_url != url and new_alt.endswith("VFQ")
    assert admin_client.get(new_url)["ETag"] != answer["ETag"]


def test_no_dub_no_preview(admin_client: Client) -> None:
    media = MediaFactory(language_verdicts={"fr-CA": "none"})
    _with_poster(media)
    assert 'id="badges-preview"' not in _page(admin_client, media)
    dubbed_without_poster = MediaFactory(language_verdicts={"fr-CA": "dub"})
    assert 'id="badges-preview"' not in _page(admin_client, dubbed_without_poster)
    assert admin_client.get(f"/admin/badges/{dubbed_without_poster.pk}/preview").status_code == 404


def test_a_poster_that_cannot_be_drawn_on_is_a_404_never_a_500(admin_client: Client) -> None:
    media = MediaFactory(language_verdicts={"fr-CA": "dub"})
    _with_poster(media, data=b"\xff\xd8\xff not a jpeg")
    assert admin_client.get(f"/admin/badges/{media.pk}/preview").status_code == 404
    assert admin_client.get(f"/admin/badges/{2**40}/preview").status_code == 404


def test_only_who_may_view_items_sees_it(client: Client) -> None:
    media = MediaFactory(language_verdicts={"fr-CA": "dub"})
    _with_poster(media)
    address = f"/admin/badges/{media.pk}/preview"
    assert client.get(address).status_code == 302  # to the login page
    User.objects.create_user("helper", password="pw-helper-1234", is_staff=True)
    client.login(username="helper", password="pw-helper-1234")
    assert client.get(address).status_code == 404  # one answer for "not yours" and "none"
