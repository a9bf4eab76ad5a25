"""``POST /api/media/{id}/review/``: a person's decision on what an item's verdict
guessed (the review list: ``GET /api/media/?needs_review=true``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.language import ReaderLanguageMixin
from api.serializers.media import MediaDecidedSerializer
from api.serializers.writing import write_and_tell
from scanner import validators
from scanner.actions.original_language import set_original_override
from scanner.actions.review import confirm_guesses, set_unknown_language
from scanner.models import Event, Media

DECISIONS = {
    "confirm": "the verdict stands as guessed",
    "original": "the item's original language is `language` ('' for the *arr's)",
    "unknown_language": "its tracks without a language are `language` ('' for the guess)",
}


class ReviewDecisionSerializer(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(
        choices=list(DECISIONS.items()),
        help_text="; ".join(f"{k}: {v}" for k, v in DECISIONS.items()),
    )
    language = serializers.CharField(
        max_length=50,
        required=False,
        allow_blank=True,
        help_text=_(
            "A language code or name (de, deu, German); for original and unknown_language."
        ),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["decision"] == "confirm":
            return attrs
        if "language" not in attrs:
            raise serializers.ValidationError({"language": ["This field is required."]})
        try:
            attrs["language"] = validators.clean_language(attrs["language"].strip())
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"language": exc.messages}) from None
        return attrs


class ReviewDecisionView(ReaderLanguageMixin, APIView):
    # Deciding on an item is changing it, as the original-language override is.
    queryset = Media.objects.none()
    action_permissions = {None: ["scanner.change_media"]}

    @extend_schema(request=ReviewDecisionSerializer, responses={200: MediaDecidedSerializer})
    def post(self, request: Request, pk: int) -> Response:
        """Decide at once from the stored tracks (nothing is read); kept across scans; a
        changed tag is written at once (``writing``: the run). The answer is the item,
        with its guesses and whether it still needs review."""
        media = get_object_or_404(Media.objects.select_related("instance"), pk=pk)
        given = ReviewDecisionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        decision, user = given.validated_data["decision"], request.user.get_username()
        before = (media.original_override, media.unknown_language)
        if decision == "confirm":
            confirm_guesses(media, user=user, via=Event.Via.API)
        elif decision == "original":
            set_original_override(
                media, given.validated_data["language"], user=user, via=Event.Via.API
            )
        else:
            set_unknown_language(
                media, given.validated_data["language"], user=user, via=Event.Via.API
            )
        changed = (media.original_override, media.unknown_language) != before
        writing = write_and_tell(media) if changed else None
        media.refresh_from_db()
        context = {"request": request, "writing": writing}
        return Response(MediaDecidedSerializer(media, context=context).data)
