"""Following a Seerr request or Audio issue (issue 72, docs/seerr.md) after the webhook
took it (scanner.seerr.asks.receive), on a worker (scanner.tasks): after a run, the asks
of its items found, those waiting for an item matched and given its asker's languages;
then each ask answered — a message whose answer never came and that Seerr holds kept as
said first (scanner.seerr.posting.catch_up), Seerr told where the item stands for the
asker's language (a comment on the issue, or for a request an Audio issue opened as the
requester), the bounded missing-dub search reserved when the instance allows it (unless
the quality profile set for the ask searches: scanner.seerr.profiles, issue 82), the
profile set told once, and when the language arrives a comment that says so and the
issue resolved. Each step is a module of its own; ``answer`` calls them in turn."""

from __future__ import annotations

from dataclasses import dataclass

from scanner.errors import ConfigError
from scanner.models import ScanRun, SeerrAsk
from scanner.notify.dispatch import SeerrNews
from scanner.seerr.client import SeerrError
from scanner.seerr.decision import Outcome, decide, end_present, open_ask, ready
from scanner.seerr.follow import claim_telling, give_back, settle
from scanner.seerr.items import give_languages, match
from scanner.seerr.message import compose
from scanner.seerr.missing_search import give_back_search, reserve_search
from scanner.seerr.news import news_of, record_told
from scanner.seerr.posting import catch_up, tell
from scanner.seerr.profiles import profile_step, write_waiting
from scanner.seerr.refusals import not_taken
from scanner.seerr.standing import item_standing
from scanner.seerr.waiting import due as due  # scanner.seerr.tasks asks it here

# --- after a scan ---------------------------------------------------------------------


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
    outcome: Outcome  # for the log: "commented", "resolved", "unchanged" ...
    reserved: tuple[int, ...] = ()  # searches reserved: the task asks the *arr for them
    news: SeerrNews | None = None  # what Taggarr's notifiers are told (the task batches)


def answer(ask_id: int) -> Answered:
    """Tell Seerr where the ask's item stands, when that changed; what was done. Raises
    SeerrError (or ConfigError: a key saved with another encryption key) when Seerr did
    not take it: the change is told again after the next run."""
    ask = open_ask(ask_id)
    if ask is None:
        return Answered(Outcome.NOTHING)
    media = ready(ask)
    if isinstance(media, Outcome):
        return Answered(media)
    write_waiting(media)  # the profile set (and its search sent) before it is told
    profile = profile_step(ask, media)
    standing = item_standing(media, ask.language, ask.seasons or ())
    try:
        catch_up(ask, standing.state)  # a message whose answer never came, held by Seerr
    except (SeerrError, ConfigError) as exc:
        not_taken(ask, media, exc)
        raise
    change = decide(ask, standing, untold=profile.untold is not None)
    if change is Outcome.PRESENT:
        end_present(ask)
    if isinstance(change, Outcome):
        return Answered(change)
    mine = claim_telling(ask, change.before)
    if mine is None:
        return Answered(Outcome.ELSEWHERE)
    reserved = reserve_search(
        ask, media, change.standing.state, profile_searches=profile.takes_search
    )
    searching = bool(reserved) or profile.searching
    message = compose(ask, media, change, searching=searching, profile=profile.untold)
    try:
        posted = tell(ask, message.text, change.standing.state, resolve=change.arrived)
    except (SeerrError, ConfigError) as exc:
        # Told again at the next run's end: the claim given back, and the search too
        # (it was reserved for this answer; nothing will ask the *arr for it now).
        give_back(mine)
        give_back_search(ask, reserved)
        not_taken(ask, media, exc)
        raise
    settle(mine, change.standing, change.done, posted.tellings)
    record_told(ask, media, change, posted, reserved, profile.untold)
    outcome = Outcome.RESOLVED if change.arrived else Outcome.COMMENTED
    return Answered(outcome, reserved, news_of(ask, media, change, message))
