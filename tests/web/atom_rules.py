"""What an Atom feed must be, as RFC 4287 says and as W3C's feed validator checks it
(w3c/feedvalidator, not on PyPI, so applied here): the feed's and each entry's required
elements, ids that are absolute IRIs and unique, RFC 3339 dates, and a self link to where
the feed was read. Each rule names its RFC section and the validator's source file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime

ATOM = "{http://www.w3.org/2005/Atom}"
# RFC 3986 section 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ":".
ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")
# RFC 4287 section 3.3: an RFC 3339 date-time, with an uppercase T and Z.
DATE_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")
# Required exactly once: RFC 4287 section 4.1.1 (feed) and 4.1.2 (entry); the validator's
# src/feedvalidator/feed.py (validate_metadata) and entry.py (MissingElement).
ONCE = ("id", "title", "updated")


def problems(document: bytes, read_from: str) -> list[str]:
    """What is wrong with the Atom feed ``document``, read from the URL ``read_from``."""
    feed = ET.fromstring(document)  # noqa: S314 - our own feed, in a test
    if feed.tag != f"{ATOM}feed":
        return [f"the root is {feed.tag}, not atom:feed"]
    found = _once(feed, "feed")
    entries = feed.findall(f"{ATOM}entry")
    # 4.1.1: a feed has an author unless every entry has one (entry.py: MissingElement).
    if feed.find(f"{ATOM}author") is None and any(
        entry.find(f"{ATOM}author") is None for entry in entries
    ):
        found.append("no atom:author on the feed nor on every entry")
    for author in feed.iter(f"{ATOM}author"):
        if not (author.findtext(f"{ATOM}name") or "").strip():  # 3.2: atom:name, once
            found.append("an atom:author without a name")
    found += _self_link(feed, read_from)
    ids = [feed.findtext(f"{ATOM}id") or ""]
    for n, entry in enumerate(entries):
        found += _once(entry, f"entry {n}")
        # 4.1.2: no atom:content, so at least one rel="alternate" link.
        if entry.find(f"{ATOM}content") is None and not [
            link
            for link in entry.findall(f"{ATOM}link")
            if link.get("rel", "alternate") == "alternate"
        ]:
            found.append(f"entry {n}: neither atom:content nor a rel=alternate link")
        ids.append(entry.findtext(f"{ATOM}id") or "")
    # 4.2.6: an id is an absolute IRI (validators.py canonicaluri: a full URI, stripped).
    found += [f"id {value!r} is not an absolute IRI" for value in ids if not _absolute(value)]
    # 4.1.1: no two entries with the same id (entry.py: unique('id', ...) DuplicateEntries),
    # and the feed's id is not an entry's.
    if len(set(ids)) != len(ids):
        found.append(f"ids are not unique: {ids}")
    for element in (*feed.iter(f"{ATOM}updated"), *feed.iter(f"{ATOM}published")):
        if not _date_time(element.text or ""):  # 3.3 (validators.py rfc3339)
            found.append(f"{element.tag} {element.text!r} is not an RFC 3339 date-time")
    return found


def _once(element: ET.Element, what: str) -> list[str]:
    return [
        f"{what}: {len(element.findall(f'{ATOM}{name}'))} atom:{name}, not one"
        for name in ONCE
        if len(element.findall(f"{ATOM}{name}")) != 1
    ]


def _self_link(feed: ET.Element, read_from: str) -> list[str]:
    """4.1.1: a feed SHOULD have one rel="self" link; 4.2.7.2: it identifies a resource
    equivalent to the feed, i.e. where it was read (link.py: MissingSelf in feed.py,
    RelativeSelf, SelfDoesntMatchLocation)."""
    hrefs = [link.get("href") for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
    if len(hrefs) != 1:
        return [f"{len(hrefs)} rel=self links, not one"]
    if hrefs[0] != read_from:
        return [f"the self link {hrefs[0]!r} is not where the feed was read ({read_from!r})"]
    return []


def _absolute(value: str) -> bool:
    return value == value.strip() and ABSOLUTE_IRI.fullmatch(value) is not None


def _date_time(value: str) -> bool:
    if not DATE_TIME.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:  # a 30th of February, a 25th hour
        return False
    return True
