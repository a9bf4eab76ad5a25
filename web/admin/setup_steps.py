"""The guided setup's steps (web.admin.setup, issue 94 item 1): where a person stands, read
from the database alone, and what each step saves. The household's languages are its
people (scanner.models.Person): one who wants the dub in them, and one who watches the
original with their subtitles when "also the original" is ticked (the quality profiles'
"original and dub" wish, docs/wish-profiles.md); they become the instance's target
languages, said once here. The *arr is an Instance saved only once its connection test
passed (a library folder: once its folder exists); the acts are set to "plan" only."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext, pgettext

from scanner.actions.check_instance import connection_report
from scanner.actions.form_test import record_if_passed, remember_passed
from scanner.actions.instance_edits import save_instance
from scanner.arr.checks import ConnectionReport
from scanner.connect.sentences import said
from scanner.engine.listener import ORIGINAL, ORIGINAL_SUBTITLED
from scanner.engine.varieties import known_varieties
from scanner.language_names import language_name
from scanner.models import Event, Instance, Person, ScanRun
from scanner.models.choices import Via
from scanner.wish_profiles.words import RELEASE_WORDS

# The languages offered besides every variety Taggarr knows, the household's usual ones.
LANGUAGES: Final = ("en", "fr", "de", "es", "it", "pt", "nl", "pl", "ja", "ko", "zh")
ORIGINAL_WANTS: Final = (ORIGINAL, ORIGINAL_SUBTITLED)
# The marker of the acts' step in its history line's data: the step is done.
SETUP_KEY: Final = "setup"
ACTS_DONE: Final = "acts"
# What step 3 mapped, in the same line's data (scanner.wish_profiles.first_mapping.Proposal.data).
PROFILES_KEY: Final = "wish_mapping"
HOUSEHOLD_STEP, ARR_STEP, ACTS_STEP, DRY_RUN_STEP, APPLY_STEP = 1, 2, 3, 4, 5
STEPS: Final = (HOUSEHOLD_STEP, ARR_STEP, ACTS_STEP, DRY_RUN_STEP, APPLY_STEP)
# A dry run that ended with plans to apply (a failed or cancelled one is started again).
ENDED: Final = (ScanRun.Status.SUCCEEDED, ScanRun.Status.PARTIAL)


@dataclass(frozen=True, slots=True)
class Offered:
    code: str
    name: str


def offered_languages() -> list[Offered]:
    """The varieties Taggarr knows and the usual languages, each named in the reader's
    language as people name it ("français québécois (VFQ)"), the varieties first."""
    offered = []
    for code in (*known_varieties(), *LANGUAGES):
        name = language_name(code)
        word = RELEASE_WORDS.get(code)
        if word:
            named = pgettext("a variety, then the word releases name it by", "%(name)s (%(word)s)")
            name = named % {"name": name, "word": word}
        offered.append(Offered(code, name))
    return offered


@dataclass(frozen=True, slots=True)
class State:
    """Where the setup stands: the instance it set up (the first one), the household's
    languages, whether someone watches originals, the step to do now (1 to 5: the last
    once its dry run has ended)."""

    instance: Instance | None
    targets: list[str]
    also_original: bool
    acts_done: bool
    dry_run: ScanRun | None
    mapped: dict[str, Any] | None = None  # what step 3 mapped (PROFILES_KEY), when it did

    @property
    def current(self) -> int:
        if not self.targets:
            return HOUSEHOLD_STEP
        if self.instance is None:
            return ARR_STEP
        if not self.acts_done:
            return ACTS_STEP
        if self.dry_run is None or self.dry_run.status not in ENDED:
            return DRY_RUN_STEP
        return APPLY_STEP


def dub_person() -> Person | None:
    return Person.objects.exclude(series_want__in=ORIGINAL_WANTS).order_by("pk").first()


def original_people() -> list[Person]:
    return list(Person.objects.filter(series_want__in=ORIGINAL_WANTS).order_by("pk"))


def state() -> State:
    instance = Instance.objects.order_by("created_at", "pk").first()
    person = dub_person()
    if instance is not None:
        targets = [str(code) for code in instance.target_languages]
    else:
        targets = [str(code) for code in person.languages] if person is not None else []
    done = (
        Event.objects.filter(
            instance=instance, kind=Event.Kind.CONFIG, **{f"data__{SETUP_KEY}": ACTS_DONE}
        )
        .order_by("-created_at", "-pk")
        .only("data")
        .first()
        if instance is not None
        else None
    )
    mapped = (
        done.data.get(PROFILES_KEY) if done is not None and isinstance(done.data, dict) else None
    )
    dry = (
        ScanRun.objects.filter(instance=instance, dry_run=True).order_by("-created_at").first()
        if instance is not None
        else None
    )
    return State(
        instance,
        targets,
        bool(original_people()),
        done is not None,
        dry,
        mapped if isinstance(mapped, dict) else None,
    )


def _free_name(wanted: str, model: type[Person] | type[Instance]) -> str:
    name, number = wanted, 1
    while model.objects.filter(name=name).exists():
        number += 1
        name = pgettext("a name taken, then a number", "%(name)s %(number)d") % {
            "name": wanted,
            "number": number,
        }
    return name


@transaction.atomic
def save_languages(targets: list[str], also_original: bool, *, user: str) -> None:
    """The household's languages: the dub's person, someone who watches the original
    (made, or, when unticked, those with no account on a media server removed), and the
    instance's targets when it exists."""
    person = dub_person()
    if person is None:
        Person.objects.create(name=_free_name(gettext("Household"), Person), languages=targets)
    else:
        person.languages = targets
        person.save(update_fields=["languages", "updated_at"])
    originals = original_people()
    if also_original and not originals:
        Person.objects.create(
            name=_free_name(gettext("Original version"), Person),
            languages=targets,
            series_want=Person.Want.ORIGINAL_SUBTITLED,
            movie_want=Person.Want.ORIGINAL_SUBTITLED,
        )
    elif not also_original:
        Person.objects.filter(pk__in=[p.pk for p in originals], accounts__isnull=True).delete()
    for person in original_people():
        person.languages = targets
        person.save(update_fields=["languages", "updated_at"])
    instance = state().instance
    if instance is not None and list(instance.target_languages) != targets:
        instance.target_languages = targets
        save_instance(instance, user=user, via=Via.ADMIN)


@dataclass(frozen=True, slots=True)
class Tried:
    """A step 2's answer: the instance saved, or the test's sentences (nothing saved)."""

    instance: Instance | None
    ok: bool
    lines: tuple[str, ...]


def new_instance(kind: str, url: str, api_key: str, folder: str, targets: list[str]) -> Instance:
    instance = Instance(kind=kind, target_languages=targets)
    if kind == Instance.Kind.LIBRARY:
        instance.root_folders = [folder]
        instance.name = _free_name(Path(folder).name or gettext("Library"), Instance)
    else:
        instance.url = url
        instance.set_api_key(api_key)
        instance.name = _free_name(str(Instance.Kind(kind).label), Instance)
    return instance


def try_instance(
    session: MutableMapping[str, Any], kind: str, url: str, api_key: str, folder: str, *, user: str
) -> Tried:
    """Tests the connection (a library folder: its folder) and saves the instance only
    when the test passed, the test then recorded as the instance form's is."""
    instance = new_instance(kind, url, api_key, folder, state().targets)
    try:
        instance.full_clean()  # the model's own checks, as the instance form runs them
    except ValidationError as exc:
        return Tried(None, False, tuple(str(message) for message in exc.messages))
    if kind == Instance.Kind.LIBRARY:
        if not Path(folder).is_dir():
            text = gettext("The folder %(folder)s does not exist here.") % {"folder": folder}
            return Tried(None, False, (text,))
        report: ConnectionReport | None = None
        lines: tuple[str, ...] = ()
    else:
        report = connection_report(instance)
        lines = tuple(said(line) for line in report.lines)
        if not report.ok:
            return Tried(None, False, lines)
    save_instance(instance, user=user, via=Via.ADMIN)
    if report is not None:
        remember_passed(session, kind, url, api_key)
        record_if_passed(session, instance, user=user, via=Via.ADMIN)
    return Tried(instance, True, lines)


@transaction.atomic
def save_acts(
    instance: Instance,
    *,
    default_tracks: bool,
    wish_profiles: bool,
    user: str,
    mapped: dict[str, Any] | None = None,
) -> None:
    """The acts asked for set to "plan" (never "set": nothing is written), the others
    off; a library folder never gets the quality profiles (it has no *arr). ``mapped``:
    what the step mapped, kept in the step's line (PROFILES_KEY)."""
    plan, off = Instance.DefaultTracks.PLAN, Instance.DefaultTracks.OFF
    instance.default_tracks = plan if default_tracks else off
    wish = wish_profiles and instance.is_arr
    instance.wish_profiles = Instance.WishProfiles.PLAN if wish else Instance.WishProfiles.OFF
    marks: dict[str, Any] = {SETUP_KEY: ACTS_DONE}
    if mapped is not None:
        marks[PROFILES_KEY] = mapped
    edit = save_instance(instance, user=user, via=Via.ADMIN)
    if edit.event is not None:
        edit.event.data = {**edit.event.data, **marks}
        edit.event.save(update_fields=["data"])
        return
    Event.objects.create(
        instance=instance,
        kind=Event.Kind.CONFIG,
        message=f"instance {instance.name!r}: the acts kept by {user} ({Via.ADMIN}) in the setup",
        data={"fields": [], "user": user, "via": Via.ADMIN, **marks},
    )
