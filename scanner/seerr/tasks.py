"""Seerr's tasks: after a run, the asks of its items answered; the webhook's asks
answered once its request commits (scanner.seerr.follow). Ids only: no secret in a task."""

from __future__ import annotations

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

from scanner.errors import ConfigError
from scanner.notify import dispatch
from scanner.searches.send import ask_reserved
from scanner.seerr import answering as seerr_follow
from scanner.seerr.client import SeerrError
from scanner.tasking import kinds
from scanner.tasking.base import task

logger = logging.getLogger(__name__)


def send_seerr_answers(ask_ids: tuple[int, ...]) -> None:
    """The Seerr webhook's asks, answered by a worker once the request commits (ids only:
    no secret in a task). A broker that is down leaves them for the next run's end."""

    def publish() -> None:
        try:
            answer_seerr_asks.delay(sorted(set(ask_ids)))
        except OperationalError as exc:
            logger.warning("the broker is unreachable (%s): Seerr is answered later", exc)

    if ask_ids:
        transaction.on_commit(publish)


def after_run(run_id: int) -> None:
    """A run ended: its Seerr asks followed, when any household follows one (one query)."""
    if seerr_follow.due():
        follow_seerr_run.delay(run_id)


@task(kinds.SEERR)
def follow_seerr_run(run_id: int) -> int:
    """After a run, the Seerr asks of its items answered (scanner.seerr.follow)."""
    asks = seerr_follow.follow_run(run_id)
    return answer_seerr_asks(asks)


@task(kinds.SEERR)
def answer_seerr_asks(ask_ids: list[int]) -> int:
    """Tell Seerr where each ask's item stands, and ask the *arr for the searches that
    reserved; the asks told. Not retried: a change Seerr did not take is told again at
    the next run's end (its ``said`` was given back); run again, it tells nothing twice."""
    told = 0
    news: list[dispatch.SeerrNews] = []
    for ask_id in ask_ids:
        try:
            answered = seerr_follow.answer(ask_id)
        except (SeerrError, ConfigError) as exc:
            logger.warning("Seerr ask %s not answered: %s", ask_id, exc)
            continue
        told += answered.outcome in ("commented", "resolved")
        if answered.news is not None:
            news.append(answered.news)
        if answered.reserved:
            ask_reserved(answered.reserved)
    if news:  # one message per notifier for the batch (its rate limit holds one)
        dispatch.notify_seerr(news)
    return told
