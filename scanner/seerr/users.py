"""A Seerr user stored as Seerr gives them (its user list, or a request's or an issue's
user), known by their Seerr id: the connection test lists them all
(scanner.seerr.connection_test), a request names its asker
(scanner.seerr.asker)."""

from __future__ import annotations

from scanner.models import SeerrConnection, SeerrUser
from scanner.seerr.client import SeerrUser as GivenUser


def store_user(connection: SeerrConnection, user: GivenUser, row: SeerrUser | None) -> SeerrUser:
    """One Seerr user as Seerr gives them now, their link kept. Their ``email``, name
    and account kind may change in Seerr (a local user who signs in with Plex becomes a
    Plex user there, with Plex's e-mail: server/routes/auth.ts); their id does not."""
    row = row or SeerrUser(connection=connection, seerr_id=user.id)
    row.email, row.display_name = user.email, user.display_name
    row.may_report_issues = user.may_report_issues
    row.user_type = user.user_type
    row.save()
    return row
