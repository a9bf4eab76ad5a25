"""Each item's quality profile by its wish (issue 82), in the API:

- ``/api/instances/{id}/wish-profiles/``: GET the wishes Taggarr offers for the instance,
  the mapping saved, and the *arr's quality profiles read now, each with its judgement
  per wish (scanner.wish_profiles.judge); PUT a mapping (``{"mapping": {wish: profile id
  or null}}``: checked as the admin's page checks it, scanner.wish_profiles.mapping).
- ``/api/profile-changes/``: the journal, read only, filtered; ``POST apply/``,
  ``POST undo/`` and ``POST plan-again/`` (the undone or refused ones planned again,
  plan only).
- ``/api/media/{id}/profile/``: GET where an item's profile stands; POST releases the
  user's hand ("follow its wish again").

An *arr that does not answer is no server error of Taggarr's: the GET says so
(``problem``) with what is saved, a PUT that needs it is refused (400) and nothing is
written."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.filters import IdFilter
from api.language import ReaderLanguageMixin
from scanner.arr.profiles import QualityProfile
from scanner.models import Event, Instance, ItemProfile, Media, ProfileChange
from scanner.wish_profiles import apply as apply_step
from scanner.wish_profiles import plan_again as again
from scanner.wish_profiles import refusals
from scanner.wish_profiles import undo as undo_step
from scanner.wish_profiles.hand import release_hand
from scanner.wish_profiles.mapping import (
    MAX_WISHES,
    UNCHECKED_PROFILE,
    UNKNOWN_PROFILE,
    MappingError,
    current,
    save_mapping,
)
from scanner.wish_profiles.offer import Offer, read_offer
from scanner.wish_profiles.wishes import wish_of_media
from scanner.wish_profiles.words import judgement_text, wish_label

State = ProfileChange.State
MAX_IDS = 1000
BIG_ID = 2**63 - 1
MAX_PROFILE_ID = 2**31 - 1  # the *arr's ids are 32-bit
CHANGES_SHOWN = 20


class MethodActions:
    """An APIView's permissions per HTTP method (api.permissions reads ``action``)."""

    action: str  # set per request, before the permissions are checked (no class default:
    # drf-spectacular reads the method's name where a view has no action)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.action = (request.method or "").lower()
        super().initial(request, *args, **kwargs)  # type: ignore[misc]


# --- the mapping -----------------------------------------------------------------------


class JudgementSerializer(serializers.Serializer[Any]):
    ok = serializers.BooleanField(help_text=_("Whether the profile grabs what the wish wants."))
    code = serializers.CharField(
        help_text=_(
            "ok, only-wanted, other-first, tie, no-scores, below-minimum, language-original, "
            "language-other, unknown-wish."
        )
    )
    text = serializers.CharField(
        help_text=_("The judgement as a sentence, in the reader's language.")
    )
    values = serializers.DictField(
        child=serializers.JSONField(),
        help_text=_("The release names, scores, minimum and language the sentence names."),
    )


class SampleSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(help_text=_("A sample release name, as groups name them."))
    score = serializers.IntegerField(help_text=_("Its custom format score in this profile."))
    formats = serializers.ListField(
        child=serializers.CharField(), help_text=_("The custom formats it matches that score.")
    )
    rejected = serializers.CharField(
        allow_blank=True,
        help_text=_("Why the profile rejects it: minimum, language; empty when it does not."),
    )


class OfferedProfileSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    samples = SampleSerializer(
        many=True, help_text=_("Each sample release as the profile scores it.")
    )
    judgements = serializers.DictField(
        child=JudgementSerializer(), help_text=_("Per wish, the profile's judgement.")
    )


class WishRowSerializer(serializers.Serializer[Any]):
    wish = serializers.CharField(
        help_text=_("original, a target (deu, fr-CA), or original+target.")
    )
    wish_label = serializers.CharField(help_text=_("The wish in the reader's language."))
    offered = serializers.BooleanField(
        help_text=_("False: mapped before, no longer offered (it can be set to null).")
    )
    profile_id = serializers.IntegerField(allow_null=True, help_text=_("null: not managed."))
    profile_name = serializers.CharField(allow_blank=True)
    wanted_samples = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("The sample releases that have what the wish wants."),
    )


class MappingAnswerSerializer(serializers.Serializer[Any]):
    instance = serializers.IntegerField()
    read = serializers.BooleanField(help_text=_("Whether the *arr's quality profiles were read."))
    problem = serializers.CharField(
        allow_blank=True, help_text=_("Why something is missing, as a sentence; empty when none.")
    )
    wish_profiles = serializers.CharField(help_text=_("The instance's option: off, plan or set."))
    wish_profiles_return = serializers.BooleanField()
    wishes = WishRowSerializer(many=True)
    profiles = OfferedProfileSerializer(many=True)


class MappingSerializer(serializers.Serializer[Any]):
    mapping = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_PROFILE_ID, allow_null=True),
        help_text=_(
            "Wish -> the *arr's quality profile id, or null for not managed; a wish left "
            "out keeps its mapping."
        ),
    )

    def validate_mapping(self, value: dict[str, int | None]) -> dict[str, int | None]:
        if len(value) > MAX_WISHES:
            raise ValidationError(
                ngettext(
                    "Give at most %(count)d wish.", "Give at most %(count)d wishes.", MAX_WISHES
                )
                % {"count": MAX_WISHES}
            )
        if any(len(wish) > 50 for wish in value):
            raise ValidationError(gettext("A wish has at most 50 characters."))
        return value


class MappingSavedSerializer(serializers.Serializer[Any]):
    changed = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField(allow_null=True)),
        help_text=_("Per wish changed: [profile before, profile after]; null is not managed."),
    )
    detail = serializers.CharField()


class WishProfilesView(MethodActions, ReaderLanguageMixin, APIView):
    queryset = Instance.objects.none()
    action_permissions = {
        "get": ["scanner.view_instance"],
        "head": ["scanner.view_instance"],
        "options": ["scanner.view_instance"],
        "put": ["scanner.change_instance"],
    }

    @extend_schema(responses={200: MappingAnswerSerializer, 404: None})
    def get(self, request: Request, pk: int) -> Response:
        """The wishes offered, the mapping saved and the *arr's quality profiles, each
        judged per wish. The *arr is asked now; when it does not answer, ``read`` is
        false, ``problem`` says why, and the mapping saved is still given."""
        instance = get_object_or_404(Instance, pk=pk)
        offer = read_offer(instance)
        saved = current(instance)
        wishes = list(offer.wishes) + [wish for wish in saved if wish not in offer.wishes]
        body = {
            "instance": instance.pk,
            "read": offer.read,
            "problem": offer.problem,
            "wish_profiles": instance.wish_profiles,
            "wish_profiles_return": instance.wish_profiles_return,
            "wishes": [
                {
                    "wish": wish,
                    "wish_label": wish_label(wish),
                    "offered": wish in offer.wishes,
                    "profile_id": saved[wish].profile_id if wish in saved else None,
                    "profile_name": saved[wish].profile_name if wish in saved else "",
                    "wanted_samples": _wanted_samples(offer, wish),
                }
                for wish in wishes
            ],
            "profiles": [_profile_body(offer, profile, wishes) for profile in offer.profiles],
        }
        return Response(body)

    @extend_schema(
        request=MappingSerializer, responses={200: MappingSavedSerializer, 400: None, 404: None}
    )
    def put(self, request: Request, pk: int) -> Response:
        """Save a mapping: each wish one Taggarr offers (or already mapped), each
        profile one the *arr lists now (checked there; an unchanged one or null needs
        no *arr). One event; nothing written on any error (400, per wish)."""
        instance = get_object_or_404(Instance, pk=pk)
        given = MappingSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        asked: dict[str, int | None] = given.validated_data["mapping"]
        if not instance.is_arr:
            raise ValidationError({"mapping": [gettext("A library folder has no *arr.")]})
        offer = read_offer(instance, judge=False)
        try:
            saved = save_mapping(
                instance,
                asked,
                offer.profiles if offer.read else None,
                by=request.user.get_username(),
                via=Event.Via.API,
                offered=offer.wishes,
            )
        except MappingError as exc:
            raise ValidationError(
                {
                    "mapping": {
                        wish: [_problem(code, offer.problem)] for wish, code in exc.problems.items()
                    }
                }
            ) from None
        changed = {wish: list(pair) for wish, pair in saved.changes.items()}
        detail = ngettext(
            "Saved %(count)d wish's quality profile.",
            "Saved %(count)d wishes' quality profiles.",
            len(changed),
        ) % {"count": len(changed)}
        return Response({"changed": changed, "detail": detail})


def _wanted_samples(offer: Offer, wish: str) -> list[str]:
    """The samples a wish wants (the same whatever the profile)."""
    judged = next(iter(offer.judged.get(wish, {}).values()), None)
    return [s.title for s in judged.samples if s.wanted] if judged is not None else []


def _profile_body(offer: Offer, profile: QualityProfile, wishes: list[str]) -> dict[str, Any]:
    """A profile with its samples' scores (once: they are the same for every wish) and
    its judgement per wish."""
    judged = {
        wish: found for wish in wishes if (found := offer.judgement(wish, profile.id)) is not None
    }
    first = next(iter(judged.values()), None)
    return {
        "id": profile.id,
        "name": profile.name,
        "samples": [
            {"title": s.title, "score": s.score, "formats": list(s.formats), "rejected": s.rejected}
            for s in (first.samples if first is not None else ())
        ],
        "judgements": {
            wish: {
                "ok": found.ok,
                "code": found.code,
                "text": judgement_text(found),
                "values": dict(found.values),
            }
            for wish, found in judged.items()
        },
    }


def _problem(code: str, problem: str) -> str:
    if code == UNKNOWN_PROFILE:
        return gettext("The *arr does not list this quality profile.")
    if code == UNCHECKED_PROFILE:
        return problem or gettext("The *arr did not answer: the quality profile was not checked.")
    return gettext("Taggarr does not offer this wish for this instance.")


# --- the journal ---------------------------------------------------------------------


class ProfileChangeSerializer(serializers.ModelSerializer[ProfileChange]):
    wish_label = serializers.SerializerMethodField(
        help_text=_("The wish in the reader's language.")
    )
    refusal_text = serializers.SerializerMethodField(
        help_text=_("The refusal as a sentence, in the reader's language; empty when none.")
    )
    detail = serializers.JSONField(read_only=True)

    class Meta:
        model = ProfileChange
        fields = (
            "id", "instance", "media", "run", "arr_id", "title", "wish", "wish_label", "reason",
            "state", "refusal", "refusal_text", "detail", "profile_before",
            "profile_before_name", "profile_after", "profile_after_name", "asked_by",
            "search_sent", "created_at", "updated_at", "written_at", "undone_at", "undone_by",
        )  # fmt: skip
        read_only_fields = fields

    def get_wish_label(self, change: ProfileChange) -> str:
        return wish_label(change.wish)

    def get_refusal_text(self, change: ProfileChange) -> str:
        if not change.refusal:
            return ""
        return refusals.refusal_text(change.refusal, change.detail or {})


class ProfileChangeFilter(filters.FilterSet):
    run = IdFilter(field_name="run_id")
    media = IdFilter(field_name="media_id")
    instance = IdFilter(field_name="instance_id")
    state = filters.ChoiceFilter(choices=State.choices)
    reason = filters.ChoiceFilter(choices=ProfileChange.Reason.choices)
    refusal = filters.CharFilter(field_name="refusal", max_length=30)
    wish = filters.CharFilter(field_name="wish", max_length=50)

    class Meta:
        model = ProfileChange
        fields: list[str] = []


class ChangeIdsSerializer(serializers.Serializer[Any]):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=BIG_ID),
        min_length=1,
        max_length=MAX_IDS,
        help_text=_("Change ids (GET /api/profile-changes/)."),
    )


class ChangesDoneSerializer(serializers.Serializer[Any]):
    queued = serializers.IntegerField(help_text=_("How many changes were taken."))
    ids = serializers.ListField(child=serializers.IntegerField())
    left_out = serializers.IntegerField(
        help_text=_(
            "Changes asked for that were not taken: not planned (apply), not written (undo)."
        )
    )
    detail = serializers.CharField()


_DONE = {202: ChangesDoneSerializer, 200: ChangesDoneSerializer}


class ProfileChangeViewSet(ReaderLanguageMixin, viewsets.ReadOnlyModelViewSet[ProfileChange]):
    """Each item's planned quality profile change and what became of it: planned,
    refused (and why), written, failed, undone. ``POST apply/`` writes planned changes,
    ``POST undo/`` gives written ones their earlier profile back."""

    queryset = ProfileChange.objects.select_related("media")
    serializer_class = ProfileChangeSerializer
    filterset_class = ProfileChangeFilter
    search_fields = ("title",)
    ordering_fields = ("created_at", "updated_at", "id")
    ordering = ("-created_at", "-id")
    action_permissions = {
        "apply": ["scanner.change_instance"],
        "undo": ["scanner.change_instance"],
        "plan_again": ["scanner.change_instance"],
    }

    @extend_schema(request=ChangeIdsSerializer, responses=_DONE)
    @action(detail=False, methods=["post"], url_path="plan-again")
    def plan_again(self, request: Request) -> Response:
        """Plan again the items of the undone or refused changes asked for (their wish
        followed again; nothing is written: apply what was planned): 200 with the rows
        planned (``ids``); an item another task holds is left as it was."""
        given = ChangeIdsSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        asked = ProfileChange.objects.filter(pk__in=given.validated_data["ids"])
        ids = list(asked.filter(state__in=again.AGAIN).order_by("pk").values_list("pk", flat=True))
        user = request.user.get_username()
        done = again.plan_again(ids, by=user, via=Event.Via.API) if ids else again.Again()
        body = {
            "queued": len(done.planned),
            "ids": done.planned,
            "left_out": asked.count() - len(ids),
            "detail": _planned_again_text(done, bool(ids)),
        }
        return Response(ChangesDoneSerializer(body).data)

    @extend_schema(request=ChangeIdsSerializer, responses=_DONE)
    @action(detail=False, methods=["post"])
    def apply(self, request: Request) -> Response:
        """Write the planned changes asked for: 202 with those given to a worker; 200
        when none of them is planned."""
        return self._take(request, applying=True)

    @extend_schema(request=ChangeIdsSerializer, responses=_DONE)
    @action(detail=False, methods=["post"])
    def undo(self, request: Request) -> Response:
        """Give the written changes asked for their earlier profile back: 202 with
        those taken; 200 when none of them is written. An item whose profile changed
        since is left as it is (its change says so)."""
        return self._take(request, applying=False)

    def _take(self, request: Request, *, applying: bool) -> Response:
        given = ChangeIdsSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        asked = ProfileChange.objects.filter(pk__in=given.validated_data["ids"])
        states = (State.PLANNED,) if applying else (State.WRITTEN,)
        ids = list(
            asked.filter(state__in=states, media__isnull=False)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        user = request.user.get_username()
        taken = 0
        if ids and applying:
            taken = apply_step.queue(change_ids=ids, by=user, via=Event.Via.API)
        elif ids:
            taken = undo_step.queue(ids, by=user, via=Event.Via.API)
        body = {
            "queued": taken,
            "ids": ids if taken else [],
            "left_out": asked.count() - len(ids),
            "detail": _taken_text(applying, taken),
        }
        code = status.HTTP_202_ACCEPTED if taken else status.HTTP_200_OK
        return Response(ChangesDoneSerializer(body).data, status=code)


def _planned_again_text(done: again.Again, asked: bool) -> str:
    if not asked:
        return gettext("Nothing was done: none of these changes was undone or refused.")
    if done.busy and not done.planned:
        return gettext(
            "Nothing was planned: another task holds these items; try again in a moment."
        )
    return ngettext(
        "Planned %(count)d item again: nothing is written until its change is applied.",
        "Planned %(count)d items again: nothing is written until their changes are applied.",
        len(done.planned),
    ) % {"count": len(done.planned)}


def _taken_text(applying: bool, count: int) -> str:
    if not count and applying:
        return gettext("Nothing was done: none of these changes is planned.")
    if not count:
        return gettext("Nothing was done: none of these changes is written.")
    if applying:
        return ngettext(
            "Queued %(count)d item for a worker to set its quality profile.",
            "Queued %(count)d items for a worker to set their quality profiles.",
            count,
        ) % {"count": count}
    return ngettext(
        "Queued %(count)d item to get its earlier quality profile back.",
        "Queued %(count)d items to get their earlier quality profiles back.",
        count,
    ) % {"count": count}


# --- one item ------------------------------------------------------------------------


class ItemProfileSerializer(serializers.Serializer[Any]):
    media = serializers.IntegerField()
    title = serializers.CharField()
    wish = serializers.CharField(allow_blank=True, help_text=_("The item's wish now."))
    wish_label = serializers.CharField(allow_blank=True)
    mapped_profile_id = serializers.IntegerField(
        allow_null=True,
        help_text=_("The profile the instance maps its wish to; null: not managed."),
    )
    quality_profile_id = serializers.IntegerField(
        allow_null=True, help_text=_("The item's profile in the *arr, as the last scan read it.")
    )
    hand = serializers.BooleanField(
        help_text=_("Changed by hand in the *arr: left alone until released (POST).")
    )
    hand_profile_id = serializers.IntegerField(allow_null=True)
    hand_at = serializers.DateTimeField(allow_null=True)
    set_profile_id = serializers.IntegerField(
        allow_null=True, help_text=_("What Taggarr last wrote.")
    )
    earlier_profile_id = serializers.IntegerField(
        allow_null=True, help_text=_("The profile before Taggarr's first change.")
    )
    earlier_profile_name = serializers.CharField(allow_blank=True)
    changes = ProfileChangeSerializer(many=True)


class ReleasedSerializer(serializers.Serializer[Any]):
    released = serializers.BooleanField(help_text=_("False: the item was not held by hand."))
    detail = serializers.CharField()


class MediaProfileView(MethodActions, ReaderLanguageMixin, APIView):
    queryset = Media.objects.none()
    action_permissions = {
        "get": ["scanner.view_media"],
        "head": ["scanner.view_media"],
        "options": ["scanner.view_media"],
        "post": ["scanner.change_instance"],
    }

    @extend_schema(responses={200: ItemProfileSerializer, 404: None})
    def get(self, request: Request, pk: int) -> Response:
        """Where the item's quality profile stands: its wish, the profile mapped to it,
        the profile it has, the user's hand, and its latest changes."""
        media = get_object_or_404(Media.objects.select_related("instance"), pk=pk)
        state = ItemProfile.objects.filter(media=media).first()
        wish = wish_of_media(media, media.instance)
        mapped = current(media.instance).get(wish) if wish else None
        changes = ProfileChange.objects.filter(media=media).order_by("-created_at", "-pk")
        body = {
            "media": media.pk,
            "title": media.title,
            "wish": wish,
            "wish_label": wish_label(wish) if wish else "",
            "mapped_profile_id": mapped.profile_id if mapped is not None else None,
            "quality_profile_id": media.quality_profile_id,
            "hand": state is not None and state.hand,
            "hand_profile_id": state.hand_profile_id if state is not None else None,
            "hand_at": state.hand_at if state is not None else None,
            "set_profile_id": state.set_profile_id if state is not None else None,
            "earlier_profile_id": state.earlier_profile_id if state is not None else None,
            "earlier_profile_name": state.earlier_profile_name if state is not None else "",
            "changes": list(changes[:CHANGES_SHOWN]),
        }
        return Response(ItemProfileSerializer(body).data)

    @extend_schema(request=None, responses={200: ReleasedSerializer, 404: None})
    def post(self, request: Request, pk: int) -> Response:
        """Follow its wish again: the user's hand released, the item planned again (and
        on "set" written by a worker)."""
        media = get_object_or_404(Media, pk=pk)
        released = release_hand(media, request.user.get_username(), via=Event.Via.API)
        if released:
            detail = gettext("The item follows its wish again: its quality profile is planned.")
        else:
            detail = gettext("The item was not held by hand: nothing to release.")
        return Response({"released": released, "detail": detail})
