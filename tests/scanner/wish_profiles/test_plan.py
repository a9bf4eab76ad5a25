"""The dry run (scanner.wish_profiles.plan): from the database alone, nothing sent to the
*arr (the instances here point at an address nothing answers)."""

from __future__ import annotations

from typing import Any

import pytest
from kombu.exceptions import OperationalError

from scanner.leases import new_token
from scanner.models import (
    Event,
    Instance,
    ItemProfile,
    Media,
    Person,
    PersonItemWant,
    ProfileChange,
    ProfileLease,
    ScanRun,
)
from scanner.models.choices import WantedLanguages
from scanner.wish_profiles import hand, plan
from scanner.wish_profiles.act import ACT, items_of_run
from scanner.wish_profiles.requests import follow
from scanner.wish_profiles.wishes import offered_wishes, wish_of_media
from tests.factories import ScanRunFactory
from tests.scanner.wish_profiles.helpers import (
    ANY,
    MULTI_VFQ,
    ORIGINAL,
    VFQ,
    listed,
    mapped_instance,
    stored_item,
)

State = ProfileChange.State
Reason = ProfileChange.Reason
pytestmark = pytest.mark.django_db

# Nothing listens there: a request to the *arr would fail the test.
NOBODY = "http://127.0.0.1:9"


def _plan(media: Media) -> plan.ItemPlan:
    return ACT.run_item(media.pk).plans[0]


def test_a_quebec_item_is_planned_for_the_vfq_profile_and_nothing_is_written() -> None:
    instance = mapped_instance(NOBODY, mode=Instance.WishProfiles.PLAN)
    media = stored_item(instance)
    planned = _plan(media)
    assert planned.outcome == plan.PLANNED
    change = ProfileChange.objects.get()
    assert (change.state, change.reason, change.wish) == (State.PLANNED, Reason.WISH, "fr-CA")
    assert (change.profile_before, change.profile_after) == (ANY, VFQ)
    assert change.profile_after_name == "VFQ"
    assert not ItemProfile.objects.exists()
    media.refresh_from_db()
    assert media.quality_profile_id == ANY


def test_the_option_off_or_no_mapping_plans_nothing() -> None:
    off = mapped_instance(NOBODY, mode=Instance.WishProfiles.OFF)
    assert _plan(stored_item(off)).outcome == plan.OFF
    unmapped = mapped_instance(NOBODY, mode=Instance.WishProfiles.PLAN, mapping={"deu": VFQ})
    assert _plan(stored_item(unmapped)).outcome == plan.NOTHING
    assert not ProfileChange.objects.exists()


def test_an_item_with_the_mapped_profile_plans_nothing() -> None:
    instance = mapped_instance(NOBODY, mode=Instance.WishProfiles.PLAN)
    assert _plan(stored_item(instance, profile=VFQ)).outcome == plan.NOTHING
    assert not ProfileChange.objects.exists()


def test_planned_again_unchanged_keeps_its_row_and_a_new_plan_makes_it_stale() -> None:
    instance = mapped_instance(NOBODY, mode=Instance.WishProfiles.PLAN)
    media = stored_item(instance)
    first = _plan(media).change_id
    again = _plan(media)
    assert (again.outcome, again.change_id) == (plan.KEPT, first)
    assert ProfileChange.objects.count() == 1
    # A person changes the mapping: the open plan is replaced.
    instance.mapped_profiles.filter(wish="fr-CA").update(profile_id=MULTI_VFQ)
    replaced = _plan(media)
    assert replaced.outcome == plan.PLANNED
    assert ProfileChange.objects.get(pk=first).state == State.STALE
    assert ProfileChange.objects.get(pk=replaced.change_id).profile_after == MULTI_VFQ


def test_original_only_and_dual_audio_wishes() -> None:
    instance = mapped_instance(
        NOBODY,
        mode=Instance.WishProfiles.PLAN,
        mapping={"original": ORIGINAL, "original+fr-CA": MULTI_VFQ},
    )
    anime = stored_item(instance, arr_id=1, wanted=WantedLanguages.ORIGINAL_ONLY)
    assert wish_of_media(anime, instance) == "original"
    assert ProfileChange.objects.get(pk=_plan(anime).change_id).profile_after == ORIGINAL
    # Someone of the household wants the original of this film: the dub and the original.
    film = stored_item(instance, arr_id=2)
    person = Person.objects.create(name="Ana", languages=["fr-CA"])
    PersonItemWant.objects.create(person=person, media=film, want=Person.Want.ORIGINAL_SUBTITLED)
    assert wish_of_media(film, instance) == "original+fr-CA"
    assert ProfileChange.objects.get(pk=_plan(film).change_id).profile_after == MULTI_VFQ


def test_an_item_whose_original_is_the_target_wishes_the_original() -> None:
    """The instance's targets minus the item's original (engine.targets.item_targets): a
    French-Canadian film's target is its original."""
    instance = mapped_instance(NOBODY, mode=Instance.WishProfiles.PLAN)
    film = stored_item(instance, original_language="fra")
    assert wish_of_media(film, instance) == "original"


def test_a_profile_changed_in_the_arr_after_taggarr_set_it_is_the_users_hand() -> None:
    instance = mapped_instance(NOBODY, mode=Instance.WishProfiles.PLAN)
    media = stored_item(instance, profile=ORIGINAL)  # the scan listed ORIGINAL
    ItemProfile.objects.create(
        media=media, wish="fr-CA", set_profile_id=VFQ, earlier_profile_id=ANY
    )
    # No listing began since Taggarr wrote: the stored profile may be older than the
    # write (a run listed the library while it was written): no hand, nothing planned.
    assert _plan(media).outcome == plan.NOTHING
    assert not ItemProfile.objects.get(media=media).hand
    listed(instance)
    assert _plan(media).outcome == plan.HAND
    item = ItemProfile.objects.get(media=media)
    assert (item.hand, item.hand_profile_id) == (True, ORIGINAL)
    assert Event.objects.filter(kind=Event.Kind.PROFILE, data__what="hand").count() == 1
    # Left alone from then on: planned again, nothing, and no second event.
    assert _plan(media).outcome == plan.HAND
    assert not ProfileChange.objects.exists()
    assert Event.objects.filter(kind=Event.Kind.PROFILE).count() == 1


def test_back_to_the_earlier_profile_once_the_dub_arrived() -> None:
    instance = mapped_instance(NOBODY, mode=Instance.WishProfiles.PLAN, wish_profiles_return=True)
    media = stored_item(instance, profile=VFQ, language_verdicts={"fr-CA": "dub"})
    ItemProfile.objects.create(
        media=media, wish="fr-CA", set_profile_id=VFQ, earlier_profile_id=ANY
    )
    change = ProfileChange.objects.get(pk=_plan(media).change_id)
    assert (change.reason, change.profile_before, change.profile_after) == (
        Reason.ARRIVED,
        VFQ,
        ANY,
    )
    # Without the option, the dub's arrival changes nothing.
    instance.wish_profiles_return = False
    instance.save()
    assert _plan(media).outcome == plan.NOTHING


def test_with_the_dub_there_and_the_earlier_profile_back_nothing_more_is_planned() -> None:
    instance = mapped_instance(NOBODY, mode=Instance.WishProfiles.PLAN, wish_profiles_return=True)
    media = stored_item(instance, profile=ANY, language_verdicts={"fr-CA": "dub"})
    ItemProfile.objects.create(
        media=media, wish="fr-CA", set_profile_id=ANY, earlier_profile_id=ANY
    )
    assert _plan(media).outcome == plan.NOTHING


def test_a_seerr_request_is_planned_at_once_with_who_asked() -> None:
    instance = mapped_instance(NOBODY, mode=Instance.WishProfiles.PLAN)
    media = stored_item(instance)
    follow(media.pk, reason="seerr", asked_by="Seerr (léa)", inline=True)
    change = ProfileChange.objects.get()
    assert (change.reason, change.asked_by, change.state) == (
        Reason.SEERR,
        "Seerr (léa)",
        State.PLANNED,
    )
    # The ask was taken by that plan: the next run's plan keeps the row as it is.
    _plan(media)
    change.refresh_from_db()
    assert (change.reason, change.state) == (Reason.SEERR, State.PLANNED)
    with pytest.raises(ValueError):
        follow(media.pk, reason="nonsense", inline=True)


def test_a_dry_plan_records_nothing() -> None:
    instance = mapped_instance(NOBODY, mode=Instance.WishProfiles.PLAN)
    media = stored_item(instance)
    result = plan.plan_item(media.pk, run_id=None, token=new_token(), dry=True)
    assert result.outcome == plan.PLANNED
    assert not ProfileChange.objects.exists()


def test_the_offered_wishes() -> None:
    instance = mapped_instance(NOBODY, targets=("fr-CA", "eng"))
    Person.objects.create(name="Hans", languages=["de", "eng"])
    stored_item(instance, wanted=WantedLanguages.OWN_LIST, wanted_targets=["es-419"])
    assert offered_wishes(instance) == [
        "original",
        "fr-CA",
        "original+fr-CA",
        "eng",
        "original+eng",
        "deu",
        "original+deu",
        "es-419",
        "original+es-419",
    ]


def test_the_items_of_a_run_are_its_scopes_when_the_option_is_on() -> None:
    instance = mapped_instance(NOBODY, mode=Instance.WishProfiles.PLAN)
    first, second = stored_item(instance, arr_id=1), stored_item(instance, arr_id=2)
    stored_item(instance, arr_id=3, profile=VFQ)  # has its wish's profile: no task for it
    run = ScanRunFactory(instance=instance, status=ScanRun.Status.SUCCEEDED)
    assert items_of_run(run.pk) == [first.pk, second.pk]
    scoped = ScanRunFactory(instance=instance, status=ScanRun.Status.SUCCEEDED, scope=[2])
    assert items_of_run(scoped.pk) == [second.pk]
    failed = ScanRunFactory(instance=instance, status=ScanRun.Status.FAILED)
    removing = ScanRunFactory(
        instance=instance, status=ScanRun.Status.SUCCEEDED, mode=ScanRun.Mode.REMOVE
    )
    assert items_of_run(failed.pk) == items_of_run(removing.pk) == []
    Instance.objects.filter(pk=instance.pk).update(wish_profiles=Instance.WishProfiles.OFF)
    assert items_of_run(run.pk) == []


def test_released_on_a_worker_and_a_broker_that_is_down_is_one_log_line(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    instance = mapped_instance(NOBODY, mode=Instance.WishProfiles.PLAN)
    media = stored_item(instance)
    ItemProfile.objects.create(media=media, set_profile_id=ORIGINAL, hand=True)
    sent: list[tuple[str, list[int]]] = []
    monkeypatch.setattr(hand.current_app, "send_task", lambda name, args: sent.append((name, args)))
    with django_capture_on_commit_callbacks(execute=True):
        assert hand.release_hand(media, "alice")
    assert sent == [("scanner.tasks.follow_wish_profile", [media.pk])]
    item = ItemProfile.objects.get(media=media)
    assert (item.hand, item.set_profile_id) == (False, None)
    assert not hand.release_hand(media, "alice")  # not the user's any more: nothing sent

    def down(name: str, args: list[int]) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(hand.current_app, "send_task", down)
    with django_capture_on_commit_callbacks(execute=True):
        follow(media.pk, reason="seerr", asked_by="Seerr (léa)")  # the webhook's answer
    # Not lost: the ask waits on the item's lease for the next run's end.
    assert ProfileLease.objects.get(media=media).asked_reason == "seerr"


def test_a_later_run_that_did_not_list_the_item_shows_no_hand() -> None:
    instance = mapped_instance(NOBODY, mode=Instance.WishProfiles.PLAN)
    media = stored_item(instance, arr_id=4, profile=ORIGINAL)
    ItemProfile.objects.create(media=media, set_profile_id=VFQ, earlier_profile_id=ANY)
    run = listed(instance)
    ScanRun.objects.filter(pk=run.pk).update(scope=[9])  # a webhook's run of another item
    assert _plan(media).outcome == plan.NOTHING
    ScanRun.objects.filter(pk=run.pk).update(scope=[4, 9])
    assert _plan(media).outcome == plan.HAND
