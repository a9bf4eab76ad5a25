"""A connection test passed in the instance form, before saving, counts after saving:
the form's answer is remembered as a fingerprint of exactly what was tested (the kind,
the address as it is stored, and an HMAC of the key: never the key), and saving those
same values records the connection as tested, as "Test connection" does. Any other
kind, address or key is not what was tested, and is asked again."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from scanner.actions.check_instance import CONNECTION_TEST
from scanner.errors import ConfigError
from scanner.models import Event, Instance
from scanner.models.choices import Via
from scanner.validators import same_address_key

SESSION_KEY = "taggarr_form_tests"
FRESH_SECONDS = 3600  # a test older than this is asked again
KEPT = 5  # the last few tests (several tabs, several *arrs)
SALT = "taggarr.form-connection-test"


def fingerprint(kind: str, url: str, api_key: str) -> str:
    """What a test asked: the key enters only through an HMAC under the secret key."""
    value = "\n".join((kind, same_address_key(url), api_key))
    return salted_hmac(SALT, value, algorithm="sha256").hexdigest()


def remember_passed(session: MutableMapping[str, Any], kind: str, url: str, api_key: str) -> None:
    now = timezone.now().timestamp()
    kept = _fresh(session, now)
    kept.append({"fingerprint": fingerprint(kind, url, api_key), "at": now})
    session[SESSION_KEY] = kept[-KEPT:]


def record_if_passed(
    session: MutableMapping[str, Any], instance: Instance, *, user: str, via: Via
) -> bool:
    """Records the saved ``instance`` as tested when the form's test asked exactly its
    kind, address and key (that test is then used up); False when it did not."""
    if not instance.is_arr or SESSION_KEY not in session:
        return False
    try:
        key = instance.get_api_key()
    except ConfigError:  # saved under another TAGGARR_ENCRYPTION_KEY: not what was tested
        return False
    wanted = fingerprint(instance.kind, instance.url, key)
    now = timezone.now().timestamp()
    entries = _fresh(session, now)
    found = next(
        (e for e in entries if constant_time_compare(str(e.get("fingerprint", "")), wanted)),
        None,
    )
    if found is None:
        session[SESSION_KEY] = entries
        return False
    session[SESSION_KEY] = [entry for entry in entries if entry is not found]
    Event.objects.create(
        instance=instance,
        kind=Event.Kind.CONFIG,
        message=f"connection test OK ({user}, {via}): passed in the form before saving",
        data={
            CONNECTION_TEST: {"ok": True, "version": None, "lines": [], "in_form": True},
            "user": user,
            "via": via,
        },
    )
    return True


def _fresh(session: MutableMapping[str, Any], now: float) -> list[dict[str, Any]]:
    entries = session.get(SESSION_KEY)
    if not isinstance(entries, list):
        return []
    return [
        entry
        for entry in entries
        if isinstance(entry, dict)
        and isinstance(entry.get("at"), int | float)
        and 0 <= now - entry["at"] <= FRESH_SECONDS
    ]
