"""Review, then apply: a dry run lists what it would write; Apply writes all or the
selected changes without reading a file; "Read the files again" is the item page's (it
writes unless the instance is in dry-run mode); the
wording never calls a planned change applied."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from fakes.arr import FakeArr
from scanner.models import Instance, Media, ScanRun
from scanner.pipeline.runtime.inline import run_inline
from scanner.pipeline.work import Plan
from tests.helpers import arr_tags, arr_writes, has_nested_forms, scan_inline
from tests.library import Library

pytestmark = pytest.mark.django_db


def _page(client: Client, run: ScanRun) -> str:
    return client.get(f"/admin/scanner/scanrun/{run.pk}/change/").content.decode()


def _row(html: str, media: Media) -> str:
    row = html[html.index(f'data-media="{media.pk}"') :]
    return row[: row.index("</tr>")]


def _run_queued(response: Any) -> ScanRun:
    """The run an admin button queued (the redirect's target), run here to its end."""
    run_id = int(response["Location"].rstrip("/").split("/")[-2])
    run_inline((Plan(run_id),))
    return ScanRun.objects.get(pk=run_id)


@pytest.fixture
def dry_run(sonarr_instance: Instance, sonarr: FakeArr) -> ScanRun:
    run = scan_inline(sonarr_instance, dry_run=True)
    assert run.status == ScanRun.Status.SUCCEEDED
    assert arr_writes(sonarr) == 0
    return run


def test_a_dry_run_lists_what_it_would_write_and_says_nothing_was(
    admin_client: Client, dry_run: ScanRun, tv_library: Library
) -> None:
    tagged = {title: tag for title, tag in tv_library.expected.items() if tag != "none"}
    html = _page(admin_client, dry_run)
    assert f"Planned tag changes, not written yet ({len(tagged)})" in html
    for title, tag in tagged.items():
        badges = (
            '<span class="tag-badge tag-none">no tag</span> → '
            f'<span class="tag-badge tag-{tag}">{tag}</span>'
        )
        assert badges in _row(html, Media.objects.get(title=title))
    row = _row(html, Media.objects.get(title="Anime Half"))
    assert "2 files lack at least one of the targets" in row  # why
    assert f"{len(tagged)} planned, nothing written (dry run)" in html
    assert '<th scope="row">Tag semi-dub to set</th><td>Anime Half' in html
    assert "Tag semi-dub set<" not in html
    assert 'id="apply-all"' in html
    assert not has_nested_forms(html)  # the review's buttons post the review's form


def test_apply_selected_writes_only_those_and_reads_no_file(
    admin_client: Client, dry_run: ScanRun, sonarr: FakeArr, tv_library: Library
) -> None:
    anime = Media.objects.get(title="Anime Half")
    response = admin_client.post(
        f"/admin/scanner/scanrun/{dry_run.pk}/apply/", {"which": "selected", "media": [anime.pk]}
    )
    applied = _run_queued(response)
    assert (applied.mode, applied.dry_run, applied.scope) == ("apply", False, [anime.arr_id])
    assert applied.status == ScanRun.Status.SUCCEEDED
    assert applied.files_probed == 0 and applied.items_total == 0
    tags = arr_tags(sonarr)
    assert tags["Anime Half"] == "semi-dub"
    assert [t for title, t in tags.items() if title != "Anime Half"] == ["none"] * (len(tags) - 1)
    # The review of the dry run now lists the others only.
    html = _page(admin_client, dry_run)
    assert f'data-media="{anime.pk}"' not in html
    pending = Media.objects.filter(Media.PENDING_CHANGE).count()
    assert f"not written yet ({pending})" in html


def test_apply_all_writes_every_planned_change(
    admin_client: Client, dry_run: ScanRun, sonarr: FakeArr, tv_library: Library
) -> None:
    planned = sorted(Media.objects.filter(Media.PENDING_CHANGE).values_list("arr_id", flat=True))
    response = admin_client.post(f"/admin/scanner/scanrun/{dry_run.pk}/apply/", {"which": "all"})
    applied = _run_queued(response)
    assert applied.scope == planned  # what was reviewed, not what may have changed since
    assert arr_tags(sonarr) == tv_library.expected
    assert not Media.objects.filter(Media.PENDING_CHANGE).exists()
    assert "Every change this run planned has been written since." in _page(admin_client, dry_run)
    assert "written" in _page(admin_client, applied)


def test_apply_with_nothing_selected_writes_nothing(
    admin_client: Client, dry_run: ScanRun, sonarr: FakeArr
) -> None:
    url = f"/admin/scanner/scanrun/{dry_run.pk}/apply/"
    for form in ({"which": "selected"}, {"which": "selected", "media": ["x", "99999999999"]}):
        response = admin_client.post(url, form, follow=True)
        assert "Select the changes to apply." in response.content.decode()
    assert ScanRun.objects.count() == 1 and arr_writes(sonarr) == 0


@pytest.mark.parametrize("instance_dry_run", [False, True])
def test_read_again_from_the_review_is_the_item_pages(
    admin_client: Client, dry_run: ScanRun, sonarr: FakeArr, instance_dry_run: bool
) -> None:
    """As the item page's "Read the files again" (issue 68): every file read again, then
    written unless the instance is in dry-run mode."""
    Instance.objects.filter(pk=dry_run.instance_id).update(dry_run=instance_dry_run)
    anime = Media.objects.get(title="Anime Half")
    response = admin_client.post(
        f"/admin/scanner/scanrun/{dry_run.pk}/rescan/", {"rescan": str(anime.pk)}
    )
    assert response["Location"] == f"/admin/scanner/scanrun/{dry_run.pk}/change/"
    rescan = ScanRun.objects.exclude(pk=dry_run.pk).get()
    assert (rescan.mode, rescan.dry_run, rescan.scope) == (
        "rewrite", instance_dry_run, [anime.arr_id],
    )  # fmt: skip
    run_inline((Plan(rescan.pk),))
    rescan.refresh_from_db()
    assert rescan.files_probed == anime.file_count > 0  # every file read again
    assert arr_tags(sonarr)["Anime Half"] == ("none" if instance_dry_run else "semi-dub")
    assert (arr_writes(sonarr) == 0) is instance_dry_run


def test_the_review_panel_alone_for_the_live_page(
    admin_client: Client, client: Client, dry_run: ScanRun
) -> None:
    url = f"/admin/scanner/scanrun/{dry_run.pk}/review/"
    fragment = admin_client.get(url).content.decode()
    assert fragment.lstrip().startswith('<fieldset class="module taggarr-review"')
    assert "csrfmiddlewaretoken" in fragment
    assert client.get(url).status_code == 302  # to the login page


def test_viewers_see_the_review_but_cannot_apply(
    client: Client, dry_run: ScanRun, sonarr: FakeArr
) -> None:
    viewer = User.objects.create_user("viewer", password="pw-viewer-123", is_staff=True)
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_scanrun", "view_media"])
    )
    client.force_login(viewer)
    html = _page(client, dry_run)
    assert "Planned tag changes" in html and 'id="apply-all"' not in html
    response = client.post(f"/admin/scanner/scanrun/{dry_run.pk}/apply/", {"which": "all"})
    assert response.status_code == 403
    assert ScanRun.objects.count() == 1 and arr_writes(sonarr) == 0


def test_media_list_action_applies_the_selected_items(
    admin_client: Client, dry_run: ScanRun, sonarr: FakeArr
) -> None:
    anime = Media.objects.get(title="Anime Half")
    unchanged = Media.objects.exclude(Media.PENDING_CHANGE).first()
    response = admin_client.post(
        "/admin/scanner/media/",
        {"action": "apply_planned_tags", "_selected_action": [anime.pk, unchanged.pk]},
    )
    assert response.status_code == 302
    applied = ScanRun.objects.get(mode=ScanRun.Mode.APPLY)
    assert applied.scope == [anime.arr_id]  # the unchanged one is not in it
    run_inline((Plan(applied.pk),))
    assert arr_tags(sonarr)["Anime Half"] == "semi-dub"


def test_rescan_button_on_the_media_page(admin_client: Client, dry_run: ScanRun) -> None:
    anime = Media.objects.get(title="Anime Half")
    page = admin_client.get(f"/admin/scanner/media/{anime.pk}/change/").content.decode()
    assert 'id="rescan"' in page
    assert 'id="original-override"' in page and not has_nested_forms(page)
    response = admin_client.post(f"/admin/scanner/media/{anime.pk}/rescan/")
    rescan = ScanRun.objects.exclude(pk=dry_run.pk).get()
    assert response["Location"] == f"/admin/scanner/scanrun/{rescan.pk}/change/"
    # The instance's own setting decides (not a dry-run instance: it writes).
    assert (rescan.mode, rescan.dry_run, rescan.scope) == ("rewrite", False, [anime.arr_id])


def test_a_run_with_nothing_planned_has_no_review(
    admin_client: Client, sonarr_instance: Instance
) -> None:
    scan_inline(sonarr_instance)
    again = scan_inline(sonarr_instance)
    html = _page(admin_client, again)
    assert "Planned tag changes" not in html
    assert f"{again.items_skipped} unchanged, nothing to scan" in html
    assert "no file read" in html and "none needed" in html
