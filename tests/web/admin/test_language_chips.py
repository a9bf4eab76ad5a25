"""Issue 61, the per-language answer first: each target language's state as a chip in
the media table and the poster grid, a filter per target language, and the dashboard's
counts each linking to exactly the items they count."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from fakes.arr import FakeArr, FakeArrOptions
from fakes.arr.samples import build_series
from scanner.models import Instance, Media, ScanRun
from tests.factories import InstanceFactory, MediaFactory
from tests.helpers import ARR_KEY, scan_inline
from tests.media import MediaFactory as VideoFactory
from tests.media import layout
from web import language_chips

pytestmark = pytest.mark.django_db

LIST = "/admin/scanner/media/"


def _two_targets(**options: object) -> Instance:
    values: dict[str, object] = {"name": "tv", "target_languages": ["deu", "fra"]}
    return InstanceFactory(**{**values, "language_tags": True, **options})


def _chips(html: str, title: str) -> str:
    """The table row of ``title``: its chips' list."""
    row = re.search(rf"<tr>(?:(?!</tr>).)*>{re.escape(title)}</a>(?:(?!</tr>).)*</tr>", html, re.S)
    assert row, title
    return row.group(0)


def _titles(admin_client: Client, query: str) -> list[str]:
    response = admin_client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert "e=1" not in response.get("Location", "")
    return sorted(media.title for media in response.context["cl"].result_list)


@pytest.fixture
def library() -> list[Media]:
    tv = _two_targets()
    return [
        MediaFactory(
            instance=tv, title="German Everywhere", applied_tag="semi-dub", planned_tag="semi-dub",
            language_verdicts={"deu": "dub", "fra": "none"},
            coverage={"deu": [4, 4], "fra": [0, 4]},
        ),
        MediaFactory(
            instance=tv, title="French Sometimes", applied_tag="semi-dub", planned_tag="semi-dub",
            language_verdicts={"deu": "none", "fra": "semi-dub"},
            coverage={"deu": [0, 2], "fra": [1, 2]},
        ),
        MediaFactory(
            instance=tv, title="Both Dubbed", applied_tag="dub", planned_tag="dub",
            language_verdicts={"deu": "dub", "fra": "dub"},
            coverage={"deu": [3, 3], "fra": [3, 3]},
        ),
        MediaFactory(instance=tv, title="Not Scanned Yet"),
    ]  # fmt: skip


def test_the_table_and_the_posters_show_each_target_as_a_chip(
    admin_client: Client, library: list[Media]
) -> None:
    html = admin_client.get(LIST).content.decode()
    row = _chips(html, "German Everywhere")
    dub = 'class="tag-badge tag-dub taggarr-chip" title="German: in every file (tag dub-de)"'
    assert dub in row
    assert 'German <span class="taggarr-chip-state">dub-de</span>' in row
    assert 'class="tag-badge tag-none taggarr-chip" title="French: in no file"' in row
    assert 'French <span class="taggarr-chip-state">—</span>' in row
    semi = _chips(html, "French Sometimes")
    assert 'title="French: in some files (tag semi-dub-fr)"' in semi
    assert "no verdict yet" in _chips(html, "Not Scanned Yet")
    # The poster grid: the same chips under each poster.
    grid = html[html.index('class="taggarr-poster-grid"') :]
    assert grid.count('title="German: in every file (tag dub-de)"') == 2
    assert grid.count('title="French: in no file"') == 1
    # No tag is never the word "none", in the table or on a poster.
    assert ">none<" not in html
    assert 'href="?applied_tag__exact=none">no tag</a>' in html  # the tag filter too


def test_an_items_chips_are_made_once_per_language_and_shown_in_both_places(
    admin_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table and the poster grid show each row's chips: made once (issue 83, the
    list's 50 rows), and again in another language."""
    tv = _two_targets()
    item = MediaFactory(instance=tv, title="Once", language_verdicts={"deu": "dub"})
    made: list[int] = []
    real = language_chips.chips
    monkeypatch.setattr(language_chips, "chips", lambda media: made.append(media.pk) or real(media))
    html = admin_client.get(LIST).content.decode()
    assert made == [item.pk]
    assert html.count('title="German: in every file (tag dub-de)"') == 2  # table and grid
    media = Media.objects.select_related("instance").get(pk=item.pk)
    english = language_chips.render(media)
    with translation.override("de"):
        german = language_chips.render(media)
    assert "German" in english and "Deutsch" in german
    assert language_chips.render(media) == english
    assert made == [item.pk, item.pk, item.pk]


def test_without_per_language_tags_a_chip_says_the_state(admin_client: Client) -> None:
    tv = InstanceFactory(target_languages=["deu", "fr-CA"], language_tags=False)
    MediaFactory(instance=tv, title="Quebec", language_verdicts={"fr-CA": "dub", "deu": "none"})
    html = admin_client.get(LIST).content.decode()
    row = _chips(html, "Quebec")
    # The instance's order of targets; the variety named as CLDR names it.
    assert row.index("German") < row.index("Canadian French")
    assert 'title="Canadian French: in every file"' in row
    assert 'Canadian French <span class="taggarr-chip-state">dub</span>' in row


def test_the_chips_speak_the_readers_language(admin_client: Client, library: list[Media]) -> None:
    html = admin_client.get(LIST, headers={"accept-language": "de"}).content.decode()
    row = _chips(html, "German Everywhere")
    assert 'Deutsch <span class="taggarr-chip-state">dub-de</span>' in row
    assert 'Französisch <span class="taggarr-chip-state">—</span>' in row
    french = admin_client.get(LIST, headers={"accept-language": "fr"}).content.decode()
    assert 'allemand <span class="taggarr-chip-state">dub-de</span>' in french


def test_a_filter_per_target_language(admin_client: Client, library: list[Media]) -> None:
    html = admin_client.get(LIST).content.decode()
    assert "<summary> German (audio) </summary>" in html
    assert "<summary> French (audio) </summary>" in html
    assert 'href="?lang_deu=dub"' in html and ">in every file</a>" in html
    assert _titles(admin_client, "lang_deu=dub") == ["Both Dubbed", "German Everywhere"]
    assert _titles(admin_client, "lang_deu=semi-dub") == []
    assert _titles(admin_client, "lang_deu=none") == ["French Sometimes"]
    assert _titles(admin_client, "lang_fra=none") == ["German Everywhere"]
    assert _titles(admin_client, "lang_fra=semi-dub") == ["French Sometimes"]
    assert _titles(admin_client, "lang_deu=dub&lang_fra=dub") == ["Both Dubbed"]
    # A value no filter offers leaves the list whole; it is never an error page.
    assert len(_titles(admin_client, "lang_deu=%3Cb%3E")) == 4


def test_a_link_to_a_target_no_instance_has_any_more_lists_its_items(
    admin_client: Client, library: list[Media]
) -> None:
    """The dashboard counts the stored verdicts: a target removed since the last scan
    still has its items until the next scan decides them again."""
    old = library[0].instance
    MediaFactory(instance=old, title="Italian Before", language_verdicts={"ita": "dub"})
    assert _titles(admin_client, "lang_ita=dub") == ["Italian Before"]
    html = admin_client.get(f"{LIST}?lang_ita=dub").content.decode()
    assert "<summary> Italian (audio) </summary>" in html
    for hostile in ("lang_%3Cb%3E=dub", "lang_deu__x=dub", "lang_=dub", f"lang_{'a' * 3000}=dub"):
        response = admin_client.get(f"{LIST}?{hostile}")
        assert response.status_code in (200, 302), hostile  # Django's ?e=1 for a bad one


def test_a_regional_targets_filter(admin_client: Client) -> None:
    tv = InstanceFactory(target_languages=["fr-CA"])
    MediaFactory(instance=tv, title="VFQ", language_verdicts={"fr-CA": "dub"})
    MediaFactory(instance=tv, title="VFF", language_verdicts={"fr-CA": "none"})
    assert _titles(admin_client, "lang_fr-CA=dub") == ["VFQ"]
    assert _titles(admin_client, "lang_fr-CA=none") == ["VFF"]


def test_the_list_queries_stay_the_same_with_chips_and_filters(admin_client: Client) -> None:
    tv = _two_targets()
    verdicts = {"deu": "dub", "fra": "semi-dub"}
    MediaFactory.create_batch(3, instance=tv, language_verdicts=verdicts)
    admin_client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(f"{LIST}?lang_deu=dub")
    for n in range(60):
        other = _two_targets(name=f"tv{n}", target_languages=["deu", "ita"])
        MediaFactory(instance=other, language_verdicts={"deu": "dub", "ita": "none"})
    with CaptureQueriesContext(connection) as many:
        admin_client.get(f"{LIST}?lang_deu=dub")
    assert len(many) == len(few)


# --- the dashboard: every count links to exactly the items it counts ---------------

COUNT_LINK = re.compile(r'<a href="([^"]+)"[^>]*>\s*(?:Review the )?(\d+)\b')


def _listed(admin_client: Client, url: str) -> int:
    response = admin_client.get(unescape(url))
    assert response.status_code == 200, url
    if "cl" in response.context:
        return int(response.context["cl"].result_count)
    return int(response.context["page"].paginator.count)  # the guesses' review page


def test_every_dashboard_count_links_to_the_items_it_counts(
    admin_client: Client, library: list[Media]
) -> None:
    other = InstanceFactory(name="films", target_languages=["deu"])
    for n in range(3):
        MediaFactory(
            instance=other, title=f"Film {n}", language_verdicts={"deu": "dub"},
            planned_tag="dub", applied_tag="none" if n else "dub",
        )  # fmt: skip
    MediaFactory(instance=other, title="Labels only", planned_labels=["dub-de"])
    MediaFactory(instance=other, title="Guess", needs_review=True)
    MediaFactory(instance=other, title="Doubt", original_language="eng", original_suggestion="jpn")
    html = admin_client.get("/admin/dashboard/").content.decode()
    sections = ["dashboard-totals", "needs-review", "doubtful-originals", "language-coverage"]
    found = []
    for section in sections:
        start = html.index(f'id="{section}"')
        end = html.index("</table>", start) if section == "language-coverage" else None
        part = html[start : end or html.index("</p>", start)]
        found += COUNT_LINK.findall(part)
    primary = re.search(r'<a href="([^"]+)" class="taggarr-primary"[^>]*>Review the (\d+)', html)
    assert primary
    found.append(primary.groups())
    # 2 totals, 1 + 1 questions, 3 per language row (tv: 2 languages, films: 1), primary.
    assert len(found) == 2 + 2 + 3 * 3 + 1
    for url, shown in found:
        assert _listed(admin_client, url) == int(shown), (url, shown)
    # The language table's numbers are all links: none left as plain text.
    start = html.index('id="language-coverage"')
    table = html[start : html.index("</table>", start)]
    assert not re.search(r"<td>\d+</td>", table)


# --- end to end: a real scan's stored verdicts, shown in the list ----------------------

REMOTE = "/data/tv"


@pytest.fixture
def scanned_fake(tmp_path: Path, media: VideoFactory) -> Iterator[tuple[FakeArr, Path]]:
    root = tmp_path / "tv"
    folder = root / "German Everywhere"
    for episode in (1, 2):
        name = f"German Everywhere - S01E{episode:02d}.mkv"
        media.make_video(folder / "Season 01" / name, layout("jpn", "ger"))
    item = build_series(
        1, title="German Everywhere", path=f"{REMOTE}/German Everywhere",
        original_language="Japanese", seasons=1,
    )  # fmt: skip
    with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY), items=[item]) as server:
        yield server, root


@pytest.mark.django_db(transaction=True)
def test_a_scanned_two_target_library_shows_dub_de_and_no_french(
    admin_client: Client, scanned_fake: tuple[FakeArr, Path]
) -> None:
    fake, root = scanned_fake
    instance = InstanceFactory(
        name="multi", url=fake.url, api_key=ARR_KEY, root_folders=[str(root)],
        path_mappings=[{"remote": REMOTE, "local": str(root)}],
        target_languages=["deu", "fra"], language_tags=True,
    )  # fmt: skip
    run = scan_inline(instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    html = admin_client.get(LIST).content.decode()
    row = _chips(html, "German Everywhere")
    assert 'German <span class="taggarr-chip-state">dub-de</span>' in row
    assert 'title="French: in no file"' in row
    assert _titles(admin_client, "lang_deu=dub") == ["German Everywhere"]
    assert _titles(admin_client, "lang_fra=none") == ["German Everywhere"]
