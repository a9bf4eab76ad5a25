"""The 400 answers of the fake: FluentValidation failures, as the real servers send
them (a JSON array, one entry per failed rule)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any


class ValidationFailedError(ValueError):
    """The real server would answer 400 with these validation failures."""

    def __init__(self, failures: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(str(failure["errorMessage"]) for failure in failures))
        self.failures = failures


def validation_failure(prop: str, message: str, attempted: Any, code: str) -> dict[str, Any]:
    """One entry of a 400 answer, as FluentValidation's ValidationFailure serialises."""
    return {
        "propertyName": prop,
        "errorMessage": message,
        "attemptedValue": attempted,
        "severity": "error",
        "errorCode": code,
    }


def profile_missing(obj: Mapping[str, Any]) -> dict[str, Any]:
    """What the editor and PUT say of an item whose quality profile is gone."""
    attempted = obj.get("qualityProfileId", 0)
    message = "Quality Profile does not exist"
    return validation_failure(
        "QualityProfileId", message, attempted, "QualityProfileExistsValidator"
    )


def profile_id_failures(profile_id: object, known: Collection[int]) -> list[dict[str, Any]]:
    """``RuleFor(QualityProfileId).Cascade(Stop).ValidId().SetValidator(
    qualityProfileExistsValidator)`` (the editors' validators and SeriesController's /
    MovieController's SharedValidator): above 0 (RuleBuilderExtensions.ValidId, a
    GreaterThanValidator), then QualityProfileExistsValidator
    (src/NzbDrone.Core/Validation/QualityProfileExistsValidator.cs: "Quality Profile
    does not exist", 0 passes it but ValidId stopped that first)."""
    if not isinstance(profile_id, int) or isinstance(profile_id, bool) or profile_id <= 0:
        message = "'Quality Profile Id' must be greater than '0'."
        return [validation_failure("QualityProfileId", message, profile_id, "GreaterThanValidator")]
    if profile_id not in known:
        return [profile_missing({"qualityProfileId": profile_id})]
    return []


def put_failures(
    sent: Mapping[str, Any], invalid: bool, known_profiles: Collection[int] | None = None
) -> list[dict[str, Any]]:
    """What PUT /series|movie/{id} refuses before it looks the item up.

    The PutValidator wants a path, the SharedValidator a quality profile id above 0
    that exists (``known_profiles``, None: any); a field left out binds as null or 0,
    so a partial object fails here. ``invalid``: the item's profile is gone.
    """
    failures = []
    path = sent.get("path")
    if not isinstance(path, str) or not path.strip():
        failures.append(
            validation_failure("Path", "'Path' must not be empty.", path, "NotEmptyValidator")
        )
    profile = sent.get("qualityProfileId", 0)
    if not isinstance(profile, int) or isinstance(profile, bool) or profile <= 0:
        message = "'Quality Profile Id' must be greater than '0'."
        failures.append(
            validation_failure("QualityProfileId", message, profile, "GreaterThanValidator")
        )
    elif invalid or (known_profiles is not None and profile not in known_profiles):
        failures.append(profile_missing(sent))
    return failures
