"""Following a Seerr request or Audio issue (issue 72, docs/seerr.md) after the webhook
took it (scanner.actions.seerr_asks.receive): the item matched by its TMDb/TVDB id, the
requester's languages given to it, and, on a worker (scanner.tasks), Seerr told where
the item stands for the asker's language — a comment on the issue, or for a request an
Audio issue opened as the requester —, the bounded missing-dub search reserved when the
instance allows it, and when the language arrives a comment that says so and the issue
resolved. ``said`` keeps the last standing Seerr took; a change is claimed before Seerr is
asked (``telling_since``, a lease a killed worker's claim runs out of): one comment per
change, whoever runs it."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation

from scanner.engine.targets import OWN_LIST
from scanner.engine.tracks import AudioTrack
from scanner.errors import ConfigError
from scanner.language_names import ui_language_of
from scanner.leases import SEERR_TELLING
from scanner.models import (
    Event,
    Media,
    MissingSearch,
    Person,
    ScanRun,
    SeerrAsk,
    SeerrConnection,
    SeerrUser,
)
from scanner.models import event_data as codes
from scanner.notify.dispatch import SeerrNews
from scanner.pipeline.scanning.decide import redecide
from scanner.searches.send import free_reserved, reserve_searches
from scanner.seerr import heard
from scanner.seerr.client import (
    SeerrClient,
    SeerrError,
    SeerrIssue,
    SeerrKeyRefused,
    SeerrUnreachable,
)
from scanner.seerr.client import SeerrUser as GivenUser
from scanner.seerr.connect import seerr_client
from scanner.seerr.marker import marked, taken
from scanner.seerr.sentences import arrived_text, asked_title, standing_text
from scanner.seerr.users import store_user
from scanner.validators import clean_targets

logger = logging.getLogger(__name__)

SEERR_BY = "Seerr"  # wanted_by of languages a request set: "Seerr (alice)"
MISSING = frozenset({heard.PARTIAL, heard.OTHER, heard.ABSENT, heard.UNKNOWN, heard.NO_FILES})
SEARCHED_FOR = frozenset({heard.PARTIAL, heard.OTHER, heard.ABSENT})  # what a search may bring
# An ask Seerr refused (an answer, not a silence: a request or issue it does not have, a
# permission) this many times in a row, over at least this long, is given up: said once,
# never tried again. A Seerr that does not answer is waited for.
MAX_REFUSALS = 5
REFUSING_FOR = timedelta(days=1)


def match(
    media_type: str,
    tmdb_id: int | None,
    tvdb_id: int | None,
    served: SeerrConnection | None = None,
) -> Media | None:
    """The item of an enabled instance with this id: a movie by its TMDb id, a series by
    its TVDB id (Sonarr's), else its TMDb id; among the instances ``served`` serves when
    given. None when no instance has it."""
    items = Media.objects.filter(instance__enabled=True).select_related("instance")
    if served is not None:
        items = items.filter(instance__seerr_connections=served)
    if media_type == "movie":
        found = items.filter(kind=Media.Kind.MOVIE, tmdb_id=tmdb_id) if tmdb_id else items.none()
    elif tvdb_id:
        found = items.filter(kind=Media.Kind.SERIES, tvdb_id=tvdb_id)
    else:
        found = items.filter(kind=Media.Kind.SERIES, tmdb_id=tmdb_id) if tmdb_id else items.none()
    return found.order_by("pk").first()


def give_languages(
    media: Media, person: Person, user: SeerrUser | None, *, issue: bool = False
) -> None:
    """The asker's languages become the item's, unless a person chose them; ``issue``:
    asked by an Audio issue, not a request (its events say so)."""
    if media.wanted and not media.wanted_by.startswith(SEERR_BY):
        record(
            media,
            f"Seerr: {media.title}'s wanted languages were chosen by {media.wanted_by}: kept",
            {
                "what": codes.SEERR_WANTED_KEPT_ISSUE if issue else codes.SEERR_WANTED_KEPT,
                "title": media.title,
                "user": media.wanted_by,
            },
        )
        return
    name = user.display_name if user is not None else person.name
    own = clean_targets(person.languages)
    if media.wanted == OWN_LIST and list(media.targets_own) == own:
        return
    # As scanner.actions.wanted_languages.set_wanted stores a person's choice (that module
    # sends work, which this one, run by a task, may not import).
    media.wanted, media.wanted_targets = OWN_LIST, own
    media.wanted_by, media.wanted_at = f"{SEERR_BY} ({name})"[:150], timezone.now()
    media.save(update_fields=["wanted", "wanted_targets", "wanted_by", "wanted_at", "updated_at"])
    redecide(media)
    asked = "reported an Audio issue on" if issue else "requested"
    record(
        media,
        f"Seerr: {name} {asked} {media.title}: its wanted languages are {person.name}'s",
        {
            "what": codes.SEERR_WANTED_ISSUE if issue else codes.SEERR_WANTED,
            "title": media.title,
            "person": person.name,
        },
    )


# --- after a scan ---------------------------------------------------------------------


def due() -> bool:
    """Whether any ask waits (one query): after a run, only then is a task sent."""
    return SeerrAsk.objects.filter(done=False, connection__enabled=True).exists()


def follow_run(run_id: int) -> list[int]:
    """The asks to answer after a run: the open ones of its instance's items (a few: an
    unchanged one costs no request), and the ones waiting for an item the run may have
    brought (matched now). The asks' ids."""
    instance_id = ScanRun.objects.filter(pk=run_id).values_list("instance_id", flat=True).first()
    if instance_id is None:
        return []
    waiting = SeerrAsk.objects.filter(media__isnull=True, done=False).select_related("connection")
    for ask in waiting.order_by("pk")[:500]:
        media = match(ask.media_type, ask.tmdb_id, ask.tvdb_id, ask.connection)
        if media is None or media.instance_id != instance_id:
            continue
        SeerrAsk.objects.filter(pk=ask.pk, media__isnull=True).update(media=media)
        person = ask.asker.person if ask.asker is not None else None
        if ask.kind == SeerrAsk.Kind.REQUEST and person is not None:
            give_languages(media, person, ask.asker)
    asks = SeerrAsk.objects.filter(media__instance_id=instance_id, done=False)
    return list(asks.order_by("pk").values_list("pk", flat=True))


# --- answering (a worker) ---------------------------------------------------------------


@dataclass(frozen=True)
class Answered:
    outcome: str  # for the log: "commented", "resolved", "unchanged" ...
    reserved: tuple[int, ...] = ()  # searches reserved: the task asks the *arr for them
    news: SeerrNews | None = None  # what Taggarr's notifiers are told (the task batches)


def answer(ask_id: int) -> Answered:
    """Tell Seerr where the ask's item stands, when that changed; what was done. Raises
    SeerrError (or ConfigError: a key saved with another encryption key) when Seerr did
    not take it: the change is told again after the next run."""
    ask = (
        SeerrAsk.objects.select_related("connection", "media__instance", "asker__person")
        .filter(pk=ask_id, done=False)
        .first()
    )
    if ask is None or not ask.connection.active:
        return Answered("nothing")
    if ask.seasons is None or ask.asker is None:
        unfollowed = read_asker(ask)
        if unfollowed:
            return Answered(unfollowed)
    if ask.media is None:
        return Answered("nothing")
    media = ask.media
    if ask.kind == SeerrAsk.Kind.REQUEST and not (ask.available or in_library(media)):
        return Answered("not available yet")
    standing = item_standing(media, ask.language, ask.seasons or ())
    before = ask.said
    if standing.state == before:
        return Answered("unchanged")
    if standing.state == heard.PRESENT and ask.kind == SeerrAsk.Kind.REQUEST and not before:
        SeerrAsk.objects.filter(pk=ask.pk).update(said=heard.PRESENT, done=True)
        return Answered("present")
    done = standing.state == heard.PRESENT
    # Claimed for the telling (a lease, scanner.leases.SEERR_TELLING: a worker killed while
    # it tells leaves the change to the answer after it); ``said`` moves only once Seerr
    # took it. The state
    # of the message posted is kept (``telling_state``) while Seerr's answer is unknown:
    # its marker read back then says it was taken (``_tell``).
    claimed = timezone.now()
    telling = Q(pk=ask.pk, said=before, tellings=ask.tellings)
    if not SEERR_TELLING.take(claimed, telling, now=claimed):
        return Answered("answered elsewhere")  # another worker is telling this change
    reserved = _search(ask, media, standing.state)
    searching = bool(reserved)
    person = ask.asker.person if ask.asker is not None else None
    arrived = done and before in MISSING

    def told() -> str:
        title = asked_title(media.title, ask.seasons or ())
        if arrived:
            return arrived_text(title=title, wanted=ask.language)
        return standing_text(standing, title=title, wanted=ask.language, searching=searching)

    with translation.override(reader_language(person)):
        text = told()
    try:
        issue_id, tellings = _tell(ask, text, standing.state, resolve=arrived)
    except (SeerrError, ConfigError) as exc:
        # Told again at the next run's end: the claim given back, and the search too
        # (it was reserved for this answer; nothing will ask the *arr for it now).
        SEERR_TELLING.release(claimed, Q(pk=ask.pk))
        if reserved:
            free_reserved(reserved)
            SeerrAsk.objects.filter(pk=ask.pk).update(searched=False)
        _not_taken(ask, media, exc)
        raise
    SEERR_TELLING.release(
        claimed,
        Q(pk=ask.pk),
        said=standing.state,
        done=done,
        telling_state="",
        tellings=tellings,
        told_at=timezone.now(),
        refusals=0,
        refused_since=None,
    )
    if reserved:  # said only now: a search given back with an answer Seerr refused is not
        record(
            media,
            f"Seerr: a search for {ask.language} on {media.title} was queued",
            {"what": codes.SEERR_SEARCHED, "title": media.title, "asked_language": ask.language},
        )
    record(
        media,
        f"Seerr {ask.connection.name}: issue {issue_id} on {media.title} told "
        f"{standing.state} for {ask.language}" + (" and resolved" if arrived else ""),
        {
            "what": codes.SEERR_RESOLVED if arrived else codes.SEERR_COMMENTED,
            "seerr": ask.connection.name,
            "title": media.title,
            "issue": issue_id,
            "asked_language": ask.language,
        },
    )
    news = SeerrNews(
        instance_id=media.instance_id,
        title=media.title,
        language=ask.language,
        person_id=person.pk if person is not None else None,
        sentence=told,
        in_dub_news=arrived and _in_dub_news(ask, media),
    )
    return Answered("resolved" if arrived else "commented", reserved, news)


def read_asker(ask: SeerrAsk) -> str:
    """Who asked and for what, from Seerr, once: a request's ``requestedBy`` and, for a
    series, its seasons (GET /request/:id: its SeasonRequest rows); an issue's
    ``createdBy`` and the season it is about (GET /issue/:id: ``problemSeason``). The asker is
    known by Seerr's user id — the webhook names them only by their ``email`` column,
    which a person may change and Jellyseerr fills with a Jellyfin user's name — and
    their row takes what Seerr holds now. Raises SeerrError when Seerr could not be
    asked (read again at the next answer); returns why the ask is not followed, or ""."""
    given, seasons = _read_seerr(ask)
    before = ask.asker_id
    changes: dict[str, Any] = {"seasons": seasons}
    if given is not None:
        row = ask.connection.users.filter(seerr_id=given.id).first()
        changes.update(asker=store_user(ask.connection, given, row), asker_email=given.email)
    SeerrAsk.objects.filter(pk=ask.pk).update(**changes)
    ask.refresh_from_db()
    asker = ask.asker
    person = asker.person if asker is not None else None
    if person is None or not person.languages:
        SeerrAsk.objects.filter(pk=ask.pk).update(done=True)
        record(
            ask.media,
            f"Seerr {ask.connection.name}: the {ask.kind} of "
            f"{asker.display_name if asker else ask.asker_email}, linked to no person "
            "with languages: nothing followed",
            {"what": codes.SEERR_NO_PERSON, "seerr": ask.connection.name, "event_type": ask.kind},
        )
        return "no person"
    if asker is not None and asker.pk != before:  # not whom the webhook's name said
        SeerrAsk.objects.filter(pk=ask.pk).update(language=clean_targets(person.languages)[0])
        ask.refresh_from_db()
        if ask.media is not None:
            give_languages(ask.media, person, asker, issue=ask.kind == SeerrAsk.Kind.ISSUE)
    return ""


def _read_seerr(ask: SeerrAsk) -> tuple[GivenUser | None, list[int]]:
    """The asker Seerr names (None when it was not read) and the seasons asked ([] the
    whole item)."""
    series = ask.media_type == "tv"
    try:
        with seerr_client(ask.connection) as client:
            if ask.kind == SeerrAsk.Kind.REQUEST and ask.request_id is not None:
                request = client.request(ask.request_id)
                return request.requested_by, list(request.seasons) if series else []
            if ask.kind == SeerrAsk.Kind.ISSUE and ask.issue_id is not None:
                issue = client.issue(ask.issue_id)
                seasons = [issue.season] if series and issue.season else []
                return issue.reported_by, seasons
    except (SeerrKeyRefused, SeerrUnreachable) as exc:
        title = ask.media.title if ask.media is not None else ""
        record(
            ask.media,
            f"Seerr {ask.connection.name}: the {ask.kind} on {title} was not read: {exc}",
            {"what": codes.SEERR_FAILED, "seerr": ask.connection.name, "title": title},
        )
        raise
    except SeerrError as exc:  # the request or the issue deleted in Seerr
        logger.info("Seerr ask %s: its request or issue not read (%s)", ask.pk, exc)
    return None, []


def _not_taken(ask: SeerrAsk, media: Media, exc: Exception) -> None:
    """Seerr did not take the message: said the first time in a row (the log says each);
    a refusal (not a silence) counted, and past MAX_REFUSALS over REFUSING_FOR the ask is
    given up, said once."""
    now = timezone.now()
    refused = isinstance(exc, SeerrError) and not isinstance(exc, SeerrUnreachable)
    if ask.refusals == 0 or not refused:
        record(
            media,
            f"Seerr {ask.connection.name}: the comment on {media.title} was not taken: {exc}",
            {"what": codes.SEERR_FAILED, "seerr": ask.connection.name, "title": media.title},
        )
    else:
        logger.warning("Seerr %s: ask %s refused again: %s", ask.connection.name, ask.pk, exc)
    if not refused:
        return
    since = ask.refused_since or now
    refusals = ask.refusals + 1
    gives_up = refusals >= MAX_REFUSALS and since <= now - REFUSING_FOR
    SeerrAsk.objects.filter(pk=ask.pk, done=False).update(
        refusals=refusals, refused_since=since, done=gives_up
    )
    if gives_up:
        record(
            media,
            f"Seerr {ask.connection.name}: the answer on {media.title} was refused "
            f"{refusals} times since {since:%Y-%m-%d %H:%M}: given up",
            {
                "what": codes.SEERR_GAVE_UP,
                "seerr": ask.connection.name,
                "title": media.title,
                "count": refusals,
            },
        )


def _in_dub_news(ask: SeerrAsk, media: Media) -> bool:
    """Whether the arrival is among the dub news of the item's runs since the ask
    (scanner.notify: a notifier that takes them is told by them, once)."""
    return Event.objects.filter(
        media=media,
        kind=Event.Kind.DUB_ARRIVED,
        data__language=ask.language,
        created_at__gte=ask.created_at,
    ).exists()


def _tell(ask: SeerrAsk, text: str, state: str, *, resolve: bool) -> tuple[int, int]:
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
            return _open_issue(client, ask, media_id, marked(text, ask.pk, number)), number
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
    return issue_id, number


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


def _search(ask: SeerrAsk, media: Media, state: str) -> tuple[int, ...]:
    """The bounded missing-dub search (scanner.searches: the daily bound, the interval),
    once per ask, when the language is missing and the instance searches (an *arr with a
    daily bound above 0): the searches reserved. A series request's: of the episodes of
    the seasons asked for only."""
    if state not in SEARCHED_FOR or ask.searched:
        return ()
    instance = media.instance
    if not instance.is_arr or instance.search_daily_limit <= 0:
        return ()
    if not SeerrAsk.objects.filter(pk=ask.pk, searched=False).update(searched=True):
        return ()
    who = f"{SEERR_BY} ({ask.asker.display_name if ask.asker else ask.asker_email})"[:150]
    _plan, reserved = reserve_searches(
        [media.pk],
        trigger=MissingSearch.Trigger.WEBHOOK,
        user=who,
        episodes=_episodes_of(media, ask.seasons) if ask.seasons else None,
    )
    return tuple(reserved)


def _episodes_of(media: Media, seasons: list[int]) -> set[tuple[int, int]]:
    """The (season, episode) pairs of the item's files in these seasons."""
    files = media.files.filter(season__number__in=seasons)
    return {
        (number, episode)
        for number, episodes in files.values_list("season__number", "episodes")
        for episode in episodes or []
        if isinstance(episode, int)
    }


def in_library(media: Media) -> bool:
    """Whether a requested movie is in the library whatever Seerr said: its file scanned.
    Seerr sends MEDIA_AVAILABLE only once TMDB answered it (the notification's title), so
    a Seerr that cannot reach TMDB never says so; a movie's one file is its availability.
    A series waits for Seerr's word: its first episodes are not the seasons asked for."""
    return media.kind == Media.Kind.MOVIE and media.files.exists()


def item_standing(media: Media, language: str, seasons: Sequence[int] = ()) -> heard.Standing:
    """Where the item stands for ``language``; a series asked for some ``seasons``: in
    their episode files only (a request is per season in Seerr: SeasonRequest)."""
    files = []
    stored = media.files.order_by("path")
    if seasons:
        stored = stored.filter(season__number__in=seasons)
    for path, tracks in stored.values_list("path", "audio_tracks"):
        voices = frozenset(
            track.variety or track.language
            for track in (AudioTrack.from_dict(row) for row in tracks or [])
            if track.language and not track.is_commentary
        )
        files.append((path, voices))
    return heard.standing(language, files, every_file=media.kind == Media.Kind.SERIES)


def reader_language(person: Person | None) -> str:
    """The first of the person's languages Taggarr speaks (pt-BR for Portuguese), else
    the site's."""
    found = ui_language_of(person.languages) if person is not None else None
    return found or settings.LANGUAGE_CODE


def record(media: Media | None, message: str, data: dict[str, Any]) -> None:
    logger.info("%s", message)
    Event.objects.create(
        instance=media.instance if media is not None else None,
        media=media,
        kind=Event.Kind.SEERR,
        message=message[:2000],
        data=data,
    )
