"""A Seerr connection tested (issue 72), as an *arr's is: its version read, its key proven
by the key's user (whose comments Taggarr's are), and its users listed to be linked to
the household's people. The feature stays off until this passed once (``tested_at``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import hashed_tokens
from scanner.errors import ConfigError
from scanner.http.bounds import overall_deadline
from scanner.models import Event, SeerrConnection
from scanner.models.event_data import SEERR_NEW_TOKEN, SEERR_TEST_FAILED, SEERR_TESTED
from scanner.seerr.client import SeerrError, SeerrTooOld
from scanner.seerr.client import SeerrUser as ListedUser
from scanner.seerr.connect import seerr_client
from scanner.seerr.users import store_user

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SeerrTest:
    ok: bool
    text: str  # in the reader's language
    users: int = 0


def test_connection(connection: SeerrConnection) -> SeerrTest:
    """Read Seerr's version, prove the key, list its users (within a web request's
    deadline); stores what it learnt and an event either way."""
    try:
        with overall_deadline(settings.WEB_DEADLINE_SECONDS), seerr_client(connection) as client:
            version = client.version()
            client.check_version(client.app(), version)
            me = client.me()
            users = list(client.users())
    except (SeerrError, ConfigError) as exc:
        reason = getattr(exc, "reason", "config")
        logger.warning("Seerr %s: connection test failed: %s", connection.name, exc)
        Event.objects.create(
            kind=Event.Kind.SEERR,
            message=f"Seerr {connection.name}: connection test failed ({exc})"[:2000],
            data={"what": SEERR_TEST_FAILED, "seerr": connection.name, "reason": reason},
        )
        if isinstance(exc, SeerrTooOld):
            return SeerrTest(False, too_old_text(exc))
        return SeerrTest(False, failure_text(reason))
    with transaction.atomic():
        connection.version = version
        connection.key_user_email = me.email
        connection.tested_at = timezone.now()
        connection.save(update_fields=["version", "key_user_email", "tested_at", "updated_at"])
        store_users(connection, users)
    Event.objects.create(
        kind=Event.Kind.SEERR,
        message=f"Seerr {connection.name} {version}: connection test passed, {len(users)} users",
        data={
            "what": SEERR_TESTED,
            "seerr": connection.name,
            "version": version,
            "count": len(users),
        },
    )
    return SeerrTest(
        True,
        ngettext(
            "Connection test passed: Seerr %(version)s, %(count)d user listed.",
            "Connection test passed: Seerr %(version)s, %(count)d users listed.",
            len(users),
        )
        % {"version": version, "count": len(users)},
        len(users),
    )


def new_webhook_token(connection: SeerrConnection, *, user: str) -> str:
    """Makes the connection a new webhook token and returns it, for the one answer that
    shows it (README, "Security": a token is shown once, when made). The Authorization
    Header Seerr had stops working; an event names who made it, never the token."""
    with transaction.atomic():
        token = hashed_tokens.new_token()
        connection.set_webhook_token(token)
        connection.save(
            update_fields=["webhook_token_encrypted", "webhook_token_hash", "updated_at"]
        )
        Event.objects.create(
            kind=Event.Kind.SEERR,
            message=f"Seerr {connection.name}: new webhook token made by {user}",
            data={"what": SEERR_NEW_TOKEN, "seerr": connection.name, "user": user},
        )
    return token


def store_users(connection: SeerrConnection, users: list[ListedUser]) -> None:
    """Seerr's users as listed now; a user's link to a person is kept, one gone is
    removed (its link with it)."""
    listed = {user.id: user for user in users}
    connection.users.exclude(seerr_id__in=listed).delete()
    known = {row.seerr_id: row for row in connection.users.all()}
    for user_id, user in listed.items():
        store_user(connection, user, known.get(user_id))


def failure_text(reason: str) -> str:
    texts = {
        "refused": _("Connection test failed: Seerr refused the API key."),
        "unreachable": _("Connection test failed: Seerr could not be reached."),
        "not_seerr": _("Connection test failed: the address does not answer as Seerr does."),
        "answered": _("Connection test failed: Seerr refused a request."),
        "config": _("Connection test failed: the saved API key cannot be read; enter it again."),
    }
    return texts.get(reason, texts["answered"])


def too_old_text(exc: SeerrTooOld) -> str:
    return _(
        "Connection test failed: %(app)s %(version)s is too old; Taggarr needs "
        "%(app)s %(minimum)s or later."
    ) % {"app": exc.app, "version": exc.version[:50], "minimum": exc.minimum}
