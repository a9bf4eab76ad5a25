"""An answer posted in Seerr (issue 72, docs/seerr.md): a comment on the ask's issue, or,
for a request, an Audio issue opened as the requester; each message carries Taggarr's
marker (marker.py), and the issue's comments are read before one is posted, so that a
message whose answer never came (a timeout, a killed worker) is not posted twice; when
the item's standing changed since, that message is kept as said before the next one is
decided and worded (``catch_up``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.utils import timezone

from scanner.models import SeerrAsk
from scanner.models import event_data as codes
from scanner.seerr.client import (
    SeerrClient,
    SeerrError,
    SeerrIssue,
    SeerrKeyRefused,
    SeerrUnreachable,
)
from scanner.seerr.connect import seerr_client
from scanner.seerr.events import record
from scanner.seerr.marker import marked, taken

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Posted:
    issue_id: int  # the issue found or opened
    tellings: int  # the ask's messages it holds


def tell(ask: SeerrAsk, text: str, state: str, *, resolve: bool) -> Posted:
    """Post ``text``, marked as the ask's next message, unless Seerr already holds it:
    the issue's comments are read first. A message of the ask numbered past
    ``tellings`` is one whose answer never came (a timeout, a killed worker); it said
    ``telling_state``, stored before it was posted: the same state is not posted again,
    another is posted after it. The issue (found, opened) and the messages it holds."""
    number = ask.tellings + 1
    with seerr_client(ask.connection) as client:
        issue_id = ask.issue_id
        if issue_id is None and ask.opening_since is not None:
            issue_id = _own_issue(client, ask)  # an opening whose answer never came
        if issue_id is None:
            media_id = _seerr_media_id(client, ask)
            _posting(ask, state)
            return Posted(_open_issue(client, ask, media_id, marked(text, ask.pk, number)), number)
        held = taken(_taggarrs(client.issue(issue_id), ask), ask.pk)
        if held >= number and ask.telling_state in ("", state):
            logger.info("Seerr issue %s already holds message %s of ask %s", issue_id, held, ask.pk)
            number = held
        else:
            if held >= number:  # it said another state: kept as said, this one follows it
                SeerrAsk.objects.filter(pk=ask.pk).update(tellings=held, said=ask.telling_state)
            number = max(number, held + 1)
            _posting(ask, state)
            client.comment(issue_id, marked(text, ask.pk, number))
        if resolve:
            client.resolve(issue_id)  # a status already resolved stays so (issue.ts)
    return Posted(issue_id, number)


def catch_up(ask: SeerrAsk, state: str) -> None:
    """A message of the ask whose answer never came (its standing kept in
    ``telling_state``) that said another standing than ``state``: when Seerr holds it (its
    marker on the issue), it is what Seerr was told last. Kept as said (``said``,
    ``tellings``; ``ask`` too), so that the change is decided and worded after it: the
    dub arrived after "only the VFF" is told as arrived, and the issue resolved. Called
    before the decision; the same standing is ``tell``'s (its marker found, nothing
    posted again). Raises SeerrError when Seerr could not be asked."""
    lost = ask.telling_state
    if lost in ("", state):
        return
    with seerr_client(ask.connection) as client:
        issue_id = ask.issue_id
        if issue_id is None and ask.opening_since is not None:
            issue_id = _own_issue(client, ask)  # an opening whose answer never came
        if issue_id is None:
            return  # no issue: nothing was taken
        ask.issue_id, ask.opening_since = issue_id, None
        held = taken(_taggarrs(client.issue(issue_id), ask), ask.pk)
    if held <= ask.tellings:
        return  # not taken: told as if it had never been sent
    kept = SeerrAsk.objects.filter(pk=ask.pk, tellings=ask.tellings, telling_state=lost)
    if kept.update(said=lost, tellings=held, telling_state=""):
        ask.said, ask.tellings, ask.telling_state = lost, held, ""


def _taggarrs(issue: SeerrIssue, ask: SeerrAsk) -> list[str]:
    """The messages Taggarr may have posted on the issue: the key's user's, and, on an
    issue it opens for a request, the requester's (opened as them: its first comment)."""
    authors = [ask.connection.key_user_email]
    if ask.kind == SeerrAsk.Kind.REQUEST and ask.asker is not None:
        authors.append(ask.asker.email)
    return issue.by(*authors)


def _posting(ask: SeerrAsk, state: str) -> None:
    """The state of the message about to be posted, kept until Seerr's answer came."""
    SeerrAsk.objects.filter(pk=ask.pk).update(telling_state=state)


def _own_issue(client: SeerrClient, ask: SeerrAsk) -> int | None:
    """The Audio issue Taggarr opened for the ask when the POST's answer never came: the
    newest Audio issues on its media, read for the ask's marker; stored on the ask."""
    media_id = _seerr_media_id(client, ask)
    for issue_id in client.recent_audio_issues(media_id)[:5]:
        if taken(_taggarrs(client.issue(issue_id), ask), ask.pk):
            SeerrAsk.objects.filter(pk=ask.pk).update(issue_id=issue_id, opening_since=None)
            return issue_id
    return None


def _seerr_media_id(client: SeerrClient, ask: SeerrAsk) -> int:
    """Seerr's own id of the ask's media: from its request (no TMDb needed), else from
    the movie's or series' page (which needs Seerr to reach TMDb)."""
    if ask.request_id is not None:
        try:
            found = client.request_media_id(ask.request_id)
        except (SeerrKeyRefused, SeerrUnreachable):
            raise
        except SeerrError as exc:  # the request deleted in Seerr: its media may remain
            logger.info("Seerr request %s not read (%s): its media looked up", ask.request_id, exc)
            found = None
        if found is not None:
            return found
    tmdb_id = ask.tmdb_id or (ask.media.tmdb_id if ask.media else None)
    media_id = client.media_id(ask.media_type, tmdb_id) if tmdb_id else None
    if media_id is None:
        raise SeerrError(f"Seerr has no media for TMDb {tmdb_id}")
    return media_id


def _open_issue(client: SeerrClient, ask: SeerrAsk, media_id: int, text: str) -> int:
    """Open the Audio issue as the asker (X-API-User), so that Seerr itself tells them of
    Taggarr's later comments and of the issue resolved (IssueCommentSubscriber.ts and
    IssueSubscriber.ts notify the issue's creator, not its commenters); as the key's user
    when the asker may not open issues (Seerr's default permissions: REQUEST only).
    ``opening_since`` is stored before each POST: Seerr's ISSUE_CREATED for the issue
    may reach the webhook before the answer does, and is then known as Taggarr's own
    (scanner.actions.seerr_asks). ``text`` carries its marker."""
    asker = ask.asker
    as_asker = asker is not None and asker.email != ask.connection.key_user_email
    issue_id: int | None = None
    if as_asker and asker is not None:
        SeerrAsk.objects.filter(pk=ask.pk).update(opening_since=timezone.now())
        try:
            issue_id = client.open_issue(media_id, text, as_user=asker.seerr_id)
        except SeerrKeyRefused:
            # Seerr will not tell them of the answers (they did not open the issue): the
            # admin is told what to give them, and their own notifier still tells them.
            title = ask.media.title if ask.media is not None else ""
            record(
                ask.media,
                f"Seerr {ask.connection.name}: {asker.display_name} may not report issues: "
                f"the issue on {title} is opened by the API key's user",
                {
                    "what": codes.SEERR_OPENED_BY_KEY,
                    "seerr": ask.connection.name,
                    "title": title,
                    "user": asker.display_name,
                },
            )
        except SeerrError as exc:
            _opening_failed(ask, exc)
            raise
    if issue_id is None:
        SeerrAsk.objects.filter(pk=ask.pk).update(opening_since=timezone.now())
        try:
            issue_id = client.open_issue(media_id, text)
        except SeerrError as exc:
            _opening_failed(ask, exc)
            raise
    SeerrAsk.objects.filter(pk=ask.pk).update(issue_id=issue_id, opening_since=None)
    return issue_id


def _opening_failed(ask: SeerrAsk, exc: SeerrError) -> None:
    """A refusal opened nothing: the mark goes. Without an answer (a timeout, the
    connection lost) Seerr may have opened it: the mark stays, and the next telling looks
    for the issue before it opens one (``_own_issue``)."""
    if not isinstance(exc, SeerrUnreachable):
        SeerrAsk.objects.filter(pk=ask.pk).update(opening_since=None)
