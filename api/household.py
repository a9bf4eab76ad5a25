"""The household's endpoint (``/api/persons/``, issue 70): a person's languages in
order (checked as the instances' target languages are: scanner.validators.clean_targets),
what they want per kind and per item, and their accounts on the media servers (read
only here: the admin picks them from the lists the servers give)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework import serializers, viewsets

from scanner.household.count_requests import recount
from scanner.models import Media, Person, PersonAccount, PersonItemWant
from scanner.models.household import MAX_LANGUAGES, clean_person_languages

MAX_ITEM_WANTS = 1000  # a person's items with their own want, in one request


class PersonAccountSerializer(serializers.ModelSerializer[PersonAccount]):
    class Meta:
        model = PersonAccount
        fields = ("media_server", "account_id", "account_name", "account_kind")
        read_only_fields = fields


class PersonItemWantSerializer(serializers.ModelSerializer[PersonItemWant]):
    media = serializers.PrimaryKeyRelatedField(queryset=Media.objects.all())

    class Meta:
        model = PersonItemWant
        fields = ("media", "want")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # A PATCH makes the nested fields optional too (DRF hands ``partial`` down), but a
        # want names its item: the list given replaces the person's whole.
        if "media" not in attrs:
            raise serializers.ValidationError(
                {"media": [self.fields["media"].error_messages["required"]]}
            )
        return attrs


class PersonSerializer(serializers.ModelSerializer[Person]):
    languages = serializers.ListField(
        child=serializers.CharField(max_length=50),
        max_length=MAX_LANGUAGES,
        help_text=_(
            "In the order they are preferred: a variety (fr-CA, es-419, or as people call it: "
            "VFQ, Latino) before its language (fr); stored as target languages are (fr-CA, fra)."
        ),
    )
    item_wants = PersonItemWantSerializer(
        many=True,
        required=False,
        help_text=_("Items where the person wants something else; given, it replaces the list."),
    )
    accounts = PersonAccountSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = (
            "id", "name", "languages", "series_want", "movie_want", "item_wants", "accounts",
            "created_at", "updated_at",
        )  # fmt: skip
        read_only_fields = ("created_at", "updated_at")

    def validate_languages(self, value: list[str]) -> list[str]:
        try:
            return clean_person_languages(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None

    def validate_item_wants(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if len(value) > MAX_ITEM_WANTS:
            raise serializers.ValidationError(
                ngettext(
                    "give at most %(count)d item", "give at most %(count)d items", MAX_ITEM_WANTS
                )
                % {"count": MAX_ITEM_WANTS}
            )
        media = [want["media"].pk for want in value]
        if len(set(media)) != len(media):
            raise serializers.ValidationError(_("give each item once"))
        return value

    @transaction.atomic
    def create(self, validated_data: dict[str, Any]) -> Person:
        wants = validated_data.pop("item_wants", None)
        person = Person.objects.create(**validated_data)
        if wants:
            _replace_wants(person, wants)
        recount(person.pk)  # their page's first count
        return person

    @transaction.atomic
    def update(self, instance: Person, validated_data: dict[str, Any]) -> Person:
        wants = validated_data.pop("item_wants", None)
        before = _heard(instance)
        person = super().update(instance, validated_data)
        if wants is not None:
            _replace_wants(person, wants)
        if wants is not None or _heard(person) != before:
            recount(person.pk)  # what will play changed: their page counts again
        return person


def _heard(person: Person) -> tuple[Any, ...]:
    return (list(person.languages), person.series_want, person.movie_want)


def _replace_wants(person: Person, wants: list[dict[str, Any]]) -> None:
    person.item_wants.all().delete()
    PersonItemWant.objects.bulk_create(
        # A want left out is the model's default.
        PersonItemWant(person=person, **want)
        for want in wants
    )


class PersonViewSet(viewsets.ModelViewSet[Person]):
    """The people of the household: their languages in order, what they want to hear per
    kind and per item, and their accounts on the media servers."""

    queryset = Person.objects.prefetch_related("accounts", "item_wants")
    serializer_class = PersonSerializer
    search_fields = ("name",)
    ordering_fields = ("name", "id", "created_at")
