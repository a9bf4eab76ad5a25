"""A library-folder instance holds its tags only in NFO files and on media servers: with
default settings (Create NFOs off) and no NFO in its folders, a scan writes nothing, and
every page says so before and after, in words, never "6 written"."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from scanner.models import Instance, Media, ScanRun
from tests.factories import InstanceFactory
from tests.helpers import nfo_tags, scan_inline
from tests.library import Library

pytestmark = pytest.mark.django_db(transaction=True)

# Each reason a sentence of its own with its count, the advice after it (issue 71: never
# "; not written: ..." appended to another message).
NOTHING = "tag changes not written: no NFO file found and Create NFOs is off."
ADVICE = "Have your media server or a metadata manager save NFO files, or connect a media server."
RAW = ("not_written", "nfo_off", "no_link", "missing (", "nfo_written", "{")


def _library_instance(tv_library: Library) -> Instance:
    return InstanceFactory(
        kind=Instance.Kind.LIBRARY,
        url="",
        root_folders=[str(tv_library.root)],
        original_language="jpn",
        library_content="series",
    )


def _remove_nfos(tv_library: Library) -> None:
    for nfo in tv_library.root.glob("*/tvshow.nfo"):
        nfo.unlink()


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_no_nfo_and_create_off_writes_nothing_and_says_so(
    tv_library: Library, admin_client: Client
) -> None:
    _remove_nfos(tv_library)
    instance = _library_instance(tv_library)
    assert (instance.write_nfo, instance.create_nfo) == (True, False)  # the defaults

    run = scan_inline(instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    planned = run.summary["planned_changes"]
    assert planned == 5  # every show but Never Dubbed (no dub: "none", as it started)
    assert run.tags_changed == 0
    assert run.summary["not_written"] == {"missing": planned}
    assert run.summary["nfo_written"] == 0
    assert not list(tv_library.root.glob("*/*.nfo"))

    page = _text(admin_client.get(f"/admin/scanner/scanrun/{run.pk}/change/").content.decode())
    assert f"{planned} {NOTHING} {ADVICE}" in page
    assert "written;" not in page
    assert f"{planned} written" not in page
    assert not any(raw in page for raw in RAW)


def test_the_next_scan_writes_what_nothing_held_once_an_nfo_is_there(
    tv_library: Library,
) -> None:
    """The changes nothing held stay due: the NFO a person adds later gets its tag."""
    _remove_nfos(tv_library)
    instance = _library_instance(tv_library)
    scan_inline(instance)
    assert Media.objects.filter(nfo_due=True).count() == 5
    nfo = tv_library.folder("Anime Dubbed") / "tvshow.nfo"
    nfo.write_text("<tvshow>\n  <title>Anime Dubbed</title>\n</tvshow>\n")

    again = scan_inline(instance)
    assert again.status == ScanRun.Status.SUCCEEDED, again.error
    assert again.summary["nfo_written"] == 1
    assert nfo_tags(nfo) == ["dub"]
    assert not Media.objects.get(title="Anime Dubbed").nfo_due
    assert Media.objects.filter(nfo_due=True).count() == 4


def test_counts_only_what_an_nfo_holds(tv_library: Library, admin_client: Client) -> None:
    """Two shows keep their NFO: 2 written, the other 3 changes named with their reason."""
    for nfo in tv_library.root.glob("*/tvshow.nfo"):
        if nfo.parent.name not in ("Anime Dubbed", "Anime Wrong"):
            nfo.unlink()
    run = scan_inline(_library_instance(tv_library))
    assert run.tags_changed == 2
    assert run.summary["not_written"] == {"missing": 3}
    page = _text(admin_client.get(f"/admin/scanner/scanrun/{run.pk}/change/").content.decode())
    assert f"2 tag changes written. 3 {NOTHING} {ADVICE}" in page


def test_create_on_without_ids_creates_nothing_and_says_why(tv_library: Library) -> None:
    """A library folder gives no TMDB/TVDB/IMDb id, and an NFO without one would be Kodi's
    whole record of the item (xbmc/xbmc xbmc/NfoFile.cpp: a parsed root is a "full" NFO;
    xbmc/video/VideoInfoScanner.cpp: a full NFO is added as it is, no scraper asked)."""
    _remove_nfos(tv_library)
    instance = _library_instance(tv_library)
    instance.create_nfo = True
    instance.save()
    run = scan_inline(instance)
    assert run.tags_changed == 0
    assert run.summary["not_written"] == {"no_link": 5}
    assert not list(tv_library.root.glob("*/*.nfo"))


def test_the_connection_test_and_the_guide_say_it_before_the_scan(
    tv_library: Library, admin_client: Client
) -> None:
    _remove_nfos(tv_library)
    instance = _library_instance(tv_library)
    # A fact a line, each its own sentence (issue 71: never clauses joined with "; ").
    warning = [
        "no NFO file in the 6 item folders looked at, and Create NFOs is off",
        "Taggarr will tag nothing on disk",
        "have your media server or a metadata manager save NFO files, or connect a media server",
    ]
    response = admin_client.post(f"/admin/scanner/instance/{instance.pk}/test-connection/")
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert all(line in message for line in warning)
    home = _text(admin_client.get("/admin/").content.decode())
    assert all(line[:1].upper() + line[1:] in home for line in warning)
    admin_client.cookies["django_language"] = "de"  # and in the reader's language
    german = _text(admin_client.get("/admin/").content.decode())
    assert "Taggarr schreibt keine Tags auf den Datenträger" in german
    assert "Keine NFO-Datei in den 6 geprüften Ordnern der Einträge" in german
    admin_client.cookies["django_language"] = "en"

    (tv_library.folder("Anime Dubbed") / "tvshow.nfo").write_text("<tvshow/>")
    response = admin_client.post(f"/admin/scanner/instance/{instance.pk}/test-connection/")
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    said = "Taggarr looked at 6 item folders. 1 of them has an NFO file: its tags are written."
    assert said in message
    assert "first-run-warning" not in admin_client.get("/admin/").content.decode()
