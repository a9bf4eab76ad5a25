"""Taggarr's notifiers told what Taggarr said in Seerr (issue 72), posted by the real
Apprise to the test's json:// server: one message per notifier for a worker's batch of
answers, each in its notifier's language; a person's own notifier gets only their
answers and is not held back by the rate limit (they answer that person's own asks)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils.translation import gettext

from scanner.engine.dub_news import DubChange, describe
from scanner.models import (
    Event,
    NotifierThrottle,
    Person,
    ScanRun,
    SeerrAsk,
    SeerrConnection,
    SeerrUser,
)
from scanner.notify.dispatch import SeerrNews, notify_run_ended, notify_seerr
from tests.capture import CapturingServer, capturing_server
from tests.factories import InstanceFactory, MediaFactory, NotifierFactory, ScanRunFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _news(instance_id: int, person: Person, title: str, *, arrived: bool = False) -> SeerrNews:
    def sentence() -> str:  # made in the notifier's language, as scanner.seerr.sentences
        return gettext("%(wanted)s audio of %(title)s is now in the library.") % {
            "wanted": "VFQ",
            "title": title,
        }

    return SeerrNews(instance_id, title, "fr-CA", person.pk, sentence, in_dub_news=arrived)


def test_a_batch_is_one_message_and_a_persons_own_is_not_rate_limited(
    inbox: CapturingServer,
) -> None:
    movies = InstanceFactory(name="movies", kind="radarr")
    papa = Person.objects.create(name="Papa", languages=["fr-CA", "fra"])
    nana = Person.objects.create(name="Nana", languages=["fr-FR"])
    NotifierFactory(name="papa", url=inbox.url, person=papa, events=["seerr"])  # 15 min
    with capturing_server() as household, capturing_server() as nanas:
        NotifierFactory(name="salon", url=household.url, events=["seerr"], language="en")
        NotifierFactory(name="nana", url=nanas.url, person=nana, events=["seerr"])
        films = [_news(movies.pk, papa, "Le Film"), _news(movies.pk, papa, "Le Film 2")]
        assert notify_seerr(films) == 2
        (one,) = inbox.wait_for(1)
        assert one["title"] == "Taggarr\u00a0: 2 réponses dans Seerr"
        assert one["message"].splitlines() == [
            "- Le Film\u00a0: l'audio en VFQ est maintenant dans la bibliothèque.",
            "- Le Film 2\u00a0: l'audio en VFQ est maintenant dans la bibliothèque.",
        ]
        (salon,) = household.wait_for(1)
        assert salon["title"] == "Taggarr: 2 answers in Seerr"
        # The next batch, within the window: Papa's own still told, the household's held.
        assert notify_seerr([_news(movies.pk, papa, "Le Film 3")]) == 1
        assert inbox.wait_for(2)[1]["title"] == "Taggarr\u00a0: Le Film 3"
        assert len(household.posts) == 1
        assert nanas.posts == []


def test_an_arrival_the_dub_news_tell_is_told_once(inbox: CapturingServer) -> None:
    """The household's notifier that takes the dub news hears of the arrival by them; the
    asker's own hears it by the answer (its dub news leave it out: tests/scanner/seerr)."""
    movies = InstanceFactory(name="movies", kind="radarr")
    papa = Person.objects.create(name="Papa", languages=["fr-CA"])
    NotifierFactory(name="salon, every kind", url=inbox.url)
    with capturing_server() as seerr_only, capturing_server() as papas:
        NotifierFactory(name="salon, seerr only", url=seerr_only.url, events=["seerr"])
        NotifierFactory(name="papa, every kind", url=papas.url, person=papa)
        assert notify_seerr([_news(movies.pk, papa, "Le Film", arrived=True)]) == 2
        assert len(seerr_only.wait_for(1)) == 1
        assert len(papas.wait_for(1)) == 1
    assert inbox.posts == []  # the run's dub news told it


def test_a_persons_dub_news_leave_out_what_their_answer_tells(inbox: CapturingServer) -> None:
    """notify_run_ended: a person's own notifier that takes Seerr answers hears of an
    arrival they asked for by the answer (not rate-limited), so its dub news leave it out
    while their ask is followed or answered since the run began; one that takes no
    Seerr answer, or an arrival of an ask answered before the run, is told by the news."""
    movies = InstanceFactory(name="movies", kind="radarr", target_languages=["fr-CA"])
    papa = Person.objects.create(name="Papa", languages=["fr-CA"])
    film = MediaFactory(instance=movies, kind="movie", title="Le Film")
    run = ScanRunFactory(instance=movies, status=ScanRun.Status.SUCCEEDED)
    change = DubChange("arrived", "fr-CA", None, (), (), season_complete=False)
    Event.objects.create(
        run=run, instance=movies, media=film, kind=Event.Kind.DUB_ARRIVED,
        message=describe(change, "Le Film"), data=change.to_data(),
    )  # fmt: skip
    connection = SeerrConnection(name="seerr", url="http://seerr:5055")
    connection.set_api_key("k" * 32)
    connection.save()
    user = SeerrUser.objects.create(
        connection=connection, seerr_id=2, email="papa@example.org", display_name="papa",
        person=papa,
    )  # fmt: skip
    ask = SeerrAsk.objects.create(
        connection=connection, kind=SeerrAsk.Kind.REQUEST, media_type="movie", tmdb_id=1,
        media=film, asker=user, asker_email=user.email, language="fr-CA",
    )  # fmt: skip
    NotifierFactory(name="papa, news and answers", url=inbox.url, person=papa)
    with capturing_server() as news_only:
        NotifierFactory(name="papa, news", url=news_only.url, person=papa, events=["dub_arrived"])
        assert notify_run_ended(run.pk) == 1  # the news-only one
        assert len(news_only.wait_for(1)) == 1
        assert inbox.posts == []
        # Answered before this run began (an old ask, the dub lost and back since).
        SeerrAsk.objects.filter(pk=ask.pk).update(
            done=True, told_at=run.created_at - timedelta(days=1)
        )
        NotifierThrottle.objects.all().delete()
        assert notify_run_ended(run.pk) == 2
    assert len(inbox.wait_for(1)) == 1
