"""An *arr whose editor answers 500 every time costs a run one item's retries, not one
per item (issue 92; scanner.wish_profiles.breaker): the first item is retried for the
whole budget, the run's others fail at once with its reason, without a request, and each
is planned again by the next run. The fake Sonarr answers 500 (its "Simulated failure");
the requests are counted, the waits recorded on a clock the test moves (no time passes)."""

from __future__ import annotations

import pytest

from fakes.arr import SONARR_V4, FakeArr
from scanner.models import Event, Instance, ProfileChange
from scanner.wish_profiles import apply, arr_calls, breaker, refusals, undo
from scanner.wish_profiles.act import ACT
from tests.scanner.wish_profiles.helpers import (
    ANY,
    VFQ,
    fake_arr,
    listed,
    mapped_instance,
    stored_item,
)

State = ProfileChange.State
pytestmark = pytest.mark.django_db

ITEMS = 6
BUDGET = 30  # seconds of retries per item (TAGGARR_ARR_RETRY_SECONDS)


@pytest.fixture
def waited(monkeypatch: pytest.MonkeyPatch, settings: object) -> list[float]:
    """The retries' waits, recorded; the calls' clock moved by them."""
    settings.ARR_RETRY_SECONDS = BUDGET  # type: ignore[attr-defined]
    waits: list[float] = []
    now = [0.0]

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    monkeypatch.setattr(arr_calls, "sleep", sleep)
    monkeypatch.setattr(arr_calls, "clock", lambda: now[0])
    return waits


def _failing_sonarr() -> FakeArr:
    """A Sonarr whose editor (and item PUT) answers 500 for every series."""
    return fake_arr("sonarr", SONARR_V4, items=ITEMS, fail_put_ids=frozenset(range(1, ITEMS + 1)))


def _requests(fake: FakeArr, method: str, route: str) -> int:
    return fake.state.counters().get((method, route), 0)


def test_a_runs_items_are_not_each_retried_against_an_editor_that_answers_500(
    waited: list[float],
) -> None:
    with _failing_sonarr() as sonarr:
        instance = mapped_instance(sonarr.url, kind=Instance.Kind.SONARR)
        media = [stored_item(instance, arr_id=arr_id) for arr_id in range(1, ITEMS + 1)]
        run = listed(instance)

        items = ACT.run_inline(run.pk)

        assert [item.applies[0].counts for item in items] == [{apply.FAILED: 1}] * ITEMS
        # One item's budget of tries, not ITEMS of them; the others asked nothing at all.
        puts = _requests(sonarr, "PUT", "/api/v3/series/editor")
        assert puts == len(waited) + 1 > 1
        assert sum(waited) == pytest.approx(BUDGET)
        assert _requests(sonarr, "GET", "/api/v3/series/{id}") == 1
        assert all(item["qualityProfileId"] == ANY for item in sonarr.state.items())

    rows = list(ProfileChange.objects.filter(run=run).order_by("pk"))
    assert len(rows) == ITEMS
    assert {(row.state, row.refusal) for row in rows} == {(State.FAILED, refusals.ARR_UNANSWERED)}
    first, *rest = rows
    assert "Simulated failure" in first.detail["error"]
    assert breaker.NOT_ASKED not in first.detail
    assert [row.detail for row in rest] == [
        {"error": first.detail["error"], breaker.NOT_ASKED: True}
    ] * (ITEMS - 1)
    failed = Event.objects.filter(kind=Event.Kind.PROFILE, data__refusal=refusals.ARR_UNANSWERED)
    assert failed.count() == ITEMS  # each item's failure told, with the one reason

    # Nothing is lost: the breaker is the run's, and the next run asks for every item.
    with fake_arr("sonarr", SONARR_V4, items=ITEMS) as answering:
        Instance.objects.filter(pk=instance.pk).update(url=answering.url)
        again = ACT.run_inline(listed(instance).pk)
        assert sum(item.written for item in again) == ITEMS
        profiles = {answering.state.item(m.arr_id or 0)["qualityProfileId"] for m in media}
        assert profiles == {VFQ}


def test_an_undo_of_many_rows_stops_asking_a_silent_arr(waited: list[float]) -> None:
    """A person's undo of a run: the rows after the first left unanswered are refused so
    at once (one process, one row after another)."""
    with _failing_sonarr() as sonarr:
        instance = mapped_instance(sonarr.url, kind=Instance.Kind.SONARR)
        run = listed(instance)
        for arr_id in range(1, ITEMS + 1):  # written by the run: VFQ then, ANY now
            media = stored_item(instance, arr_id=arr_id)
            ProfileChange.objects.create(
                instance=instance,
                media=media,
                run=run,
                arr_id=arr_id,
                title=media.title,
                wish="fr-CA",
                reason=ProfileChange.Reason.WISH,
                state=State.WRITTEN,
                profile_before=VFQ,
                profile_after=ANY,
            )

        result = undo.undo(run_id=run.pk)

        assert result.counts == {undo.REFUSED: ITEMS}
        assert set(result.refusals.values()) == {refusals.ARR_UNANSWERED}
        assert _requests(sonarr, "PUT", "/api/v3/series/editor") == len(waited) + 1 > 1
        assert _requests(sonarr, "GET", "/api/v3/series/{id}") == 1
