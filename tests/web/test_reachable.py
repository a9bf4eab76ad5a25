"""Every page of the admin is reached by following links from its home page (issue 84,
part 6): a superuser signs in, opens /admin/ and follows the links of each page, as a
person would click; a registered page that no link reaches fails, named.

The pages that must be reached: each registered ModelAdmin's list (the scanner's
internal tables, web.admin_site.INTERNAL_MODELS, are opened by their address only), every
page under /admin/ that takes no argument and shows HTML (the dashboard, the review
queue, the logs, "All pages"...), and every page a ModelAdmin adds for one object of a
seeded row (a scan's review, a person's page). New pages are found in the URLconf and
the admin's registry: nothing here lists them, so a page added without a link fails.

Bounded: each URL pattern is opened once (the first link to it), its add, history and
delete pages only noted; links are ``<a href>`` of the same origin under /admin/."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from scanner.models import Media, ScanRun, SeerrAsk, SeerrConnection, SeerrDelivery, SeerrUser
from tests.api.conftest import PASSWORD, unique_address
from tests.browser.seed import seed
from tests.factories import ScanRunFactory, doubtful_anime
from tests.helpers import CHECKOUT
from web.admin_site import INTERNAL_MODELS

pytestmark = pytest.mark.django_db

# Pages reached only by doing something (signing in or out, a password changed), and
# what a page loads rather than shows (the scripts' catalogs, the autocomplete's JSON).
NOT_PAGES = {
    "admin:login", "admin:logout", "admin:password_change_done", "admin:jsi18n",
    "admin:autocomplete", "admin:index", "taggarr-admin-login", "taggarr-js-catalog",
}  # fmt: skip
# Django's own pages of a model, noted when linked but not opened: they link to nothing
# the list and the change page do not.
NOTED_ONLY = ("_add", "_history", "_delete")
MAX_PAGES = 400  # a bound on the walk, far above the patterns there are


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def _admin_path(base: str, href: str) -> str | None:
    """The path (and query) a link opens, if it is one of the admin's on this site."""
    if href.startswith(("#", "mailto:", "javascript:", "tel:")):
        return None
    parts = urlsplit(urljoin(f"http://testserver{base}", href))
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    if not parts.path.startswith("/admin/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _view_name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name if match.url_name else None


def walk(client: Client) -> set[str]:
    """The view names of every page a link reaches from /admin/ (redirects followed)."""
    reached: set[str] = set()
    opened: set[str] = set()
    queue = deque(["/admin/"])
    pages = 0
    while queue and pages < MAX_PAGES:
        path = queue.popleft()
        response = client.get(path, follow=True)
        pages += 1
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        here = path
        for target, _status in response.redirect_chain:
            here = urljoin(f"http://testserver{here}", target).removeprefix("http://testserver")
            name = _view_name(here)
            if name:
                reached.add(name)
                opened.add(name)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for href in _links(response.content.decode()):
            linked = _admin_path(here, href)
            name = _view_name(linked) if linked else None
            if linked is None or name is None:
                continue
            reached.add(name)
            if name in opened or name.endswith(NOTED_ONLY) or name in NOT_PAGES:
                continue
            opened.add(name)
            queue.append(linked)
    assert not queue, f"more than {MAX_PAGES} pages: the walk is not bounded"
    return reached


def _patterns(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    """(route, view name, pattern) of every named pattern of the URLconf."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif pattern.name:
            name = f"{namespace.strip(':')}:{pattern.name}" if namespace else pattern.name
            yield prefix + str(pattern.pattern), name, pattern


def _is_page(client: Client, url: str) -> bool:
    """A whole page (not a panel a script fetches into one, nor a form's POST target)."""
    response = client.get(url)
    return (
        response.status_code == 200 and response.content.lstrip()[:15].lower() == b"<!doctype html>"
    )


def registered_pages(client: Client) -> dict[str, str]:
    """Every page a person must be able to reach: view name -> what to call it."""
    internal = {label.lower() for label in INTERNAL_MODELS}
    pages: dict[str, str] = {}
    of_model: dict[str, type[models.Model]] = {}
    for model in admin.site._registry:
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}_"
        of_model[prefix] = model
        if opts.label_lower not in internal:
            pages[f"{prefix}changelist"] = f"the list of {opts.verbose_name_plural}"
    for route, name, pattern in _patterns(get_resolver().url_patterns):
        if not route.startswith("admin/") or name in NOT_PAGES or name in pages:
            continue
        if name.endswith(("_changelist", "_change", *NOTED_ONLY)):
            continue  # Django's own pages of a model: its list is above
        model = next((m for prefix, m in of_model.items() if name.startswith(prefix)), None)
        if model is not None and model._meta.label_lower in internal:
            continue
        arguments = set(getattr(pattern.pattern, "converters", {})) | set(
            pattern.pattern.regex.groupindex
        )
        if not arguments:
            url = reverse(name)
        elif arguments == {"object_id"} and model is not None:
            row = model._default_manager.order_by("pk").first()  # a page of one seeded row
            if row is None:
                continue
            url = reverse(name, kwargs={"object_id": row.pk})
        else:
            continue  # reached from a page of its own (a person's page's outcomes)
        if _is_page(client, url):
            pages[name] = url
    return pages


def _signed_in() -> Client:
    User.objects.create_superuser("owner", "owner@example.org", PASSWORD)
    client = Client()
    address = unique_address()
    client.get("/admin/login/", REMOTE_ADDR=address)
    signed = client.post(
        "/admin/login/",
        {"username": "owner", "password": PASSWORD, "next": "/admin/"},
        REMOTE_ADDR=address,
    )
    assert signed.status_code == 302, signed.content[:500]
    return client


def _seeded(log_dir: Path) -> None:
    """The browser tests' evening of use (tests/browser/seed.py), with its first tags
    applied (home is the library), and a request Seerr sent."""
    seeded = seed(log_dir)
    guessed = doubtful_anime()  # the review queue is linked while an item rests on a guess
    Media.objects.filter(pk=guessed.pk).update(needs_review=True)
    ScanRunFactory(instance=seeded.tv, mode="apply", status=ScanRun.Status.SUCCEEDED,
                   finished_at=timezone.now())  # fmt: skip
    connection = SeerrConnection.objects.get()
    asker = SeerrUser.objects.filter(person__isnull=False).get()
    SeerrAsk.objects.create(
        connection=connection, kind=SeerrAsk.Kind.REQUEST, media_type="tv", tvdb_id=1,
        media=seeded.show, asker=asker, asker_email=asker.email, language="fr-CA",
        request_id=7,
    )  # fmt: skip
    SeerrDelivery.objects.create(
        connection=connection, digest="0" * 64, notification_type="MEDIA_APPROVED"
    )


def test_every_registered_page_is_reached_from_the_home_page(tmp_path: Path, settings) -> None:
    settings.LOG_DIR = tmp_path / "logs"
    _seeded(settings.LOG_DIR)
    client = _signed_in()
    pages = registered_pages(client)
    reached = walk(client)
    missing = sorted(f"{name} ({label})" for name, label in pages.items() if name not in reached)
    assert not missing, "no link reaches: " + ", ".join(missing)


class _NamedLinks(HTMLParser):
    """Each link's address and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.href: str | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.href, self.text = dict(attrs).get("href") or "", ""

    def handle_data(self, data: str) -> None:
        if self.href is not None:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.href is not None:
            self.links.append((self.href, " ".join(self.text.split())))
            self.href = None


def _docs_path(page: str, last: str) -> list[str]:
    """The steps a docs page names to reach ``last``: "*All pages* → *Seerr connections*"."""
    text = " ".join((CHECKOUT / "docs" / page).read_text().split())
    found = re.search(r"((?:\*[^*]+\* → )+\*" + re.escape(last) + r"\*)", text)
    assert found, f"docs/{page} names no path to {last}"
    return [step.strip("* ") for step in found.group(1).split(" → ")]


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_docs_path_to_the_seerr_connections_is_the_one_the_pages_show(
    language: str,
) -> None:
    """docs/using-seerr.md sends a person through the menu to the Seerr connections (the
    README sends them to that page): each step is a link of the page before, named as
    the reader's language names it, from the home page of a set-up library."""
    ScanRunFactory(mode="apply", status=ScanRun.Status.SUCCEEDED)  # home is the library
    client = _signed_in()
    headers = {"accept-language": language}
    page = client.get("/admin/", headers=headers, follow=True)
    for step in _docs_path("using-seerr.md", "Seerr connections"):
        with translation.override(language):
            name = capfirst(gettext(step))
        parser = _NamedLinks()
        parser.feed(page.content.decode())
        href = next((href for href, text in parser.links if text == name), None)
        assert href, f"{language}: no link named {name!r} ({step}) on {page.request['PATH_INFO']}"
        page = client.get(href, headers=headers, follow=True)
    assert page.request["PATH_INFO"] == reverse("admin:scanner_seerrconnection_changelist")
