"""The schema is the live answer (issue 69, item 8): the answers of real scans of the
fake Sonarr's library (a run that could not hear its tracks, a run with dub news, a
failed run; items with wanted languages set, "original" and unset; a person's
decisions with the run that writes them) each validate against the schema /api/schema/
serves for that operation and status.

The validator is openapi-schema-validator's OAS30ReadValidator (python-openapi/
openapi-schema-validator openapi_schema_validator/_keywords.py, ``type``): OpenAPI 3.0.3's
own reading of ``nullable``, "only meaningful in combination with a type assertion
specified in the same Schema Object" (OAI/OpenAPI-Specification
proposals/003_Clarify-Nullable.md). A ``nullable: true`` beside a bare ``allOf`` or
``oneOf`` lets null through for schemathesis (its converter adds a null branch) but not
for such a client: null must be accepted by a schema that says ``type`` and
``nullable`` itself. As in test_schema_conformance.py, an object has no property its
schema does not name."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema.exceptions import best_match
from openapi_schema_validator import OAS30ReadValidator
from rest_framework.response import Response
from rest_framework.test import APIClient

from scanner.listening import model
from scanner.models import Event, Instance, Media, ScanRun
from scanner.pipeline.scanning import listening
from tests.api.openapi import closed, served_schema
from tests.helpers import scan_inline
from tests.library import Library
from tests.media import MediaFactory, layout

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def without_extra(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A worker without the listening extra: one of its modules is not installed (as in
    tests/scanner/pipeline/test_listening_unavailable.py)."""
    monkeypatch.setattr(model, "_REQUIRED", ("faster_whisper", "taggarr_absent_module"))
    listening._missing_extra.cache_clear()
    yield
    listening._missing_extra.cache_clear()


class Answers:
    """Each answer checked against the schema of its operation and status."""

    def __init__(self) -> None:
        self.document = closed(served_schema())
        self.problems: list[str] = []
        self.checked: set[tuple[str, str]] = set()

    def check(self, method: str, url: str, response: Response) -> Any:
        assert response.status_code == 200, f"{method} {url}: {response.content!r}"
        template = self._template(url)
        operation = self.document["paths"][template][method.lower()]
        content = operation["responses"][str(response.status_code)]["content"]
        schema = {
            "allOf": [content["application/json"]["schema"]],
            "components": self.document["components"],
        }
        body = response.json()
        errors = list(OAS30ReadValidator(schema).iter_errors(body))
        if errors:
            error = best_match(errors)
            where = "/".join(map(str, error.absolute_path))
            self.problems.append(f"{method} {url} at {where}: {error.message}")
        self.checked.add((method, template))
        return body

    def _template(self, url: str) -> str:
        path = url.split("?")[0]
        for template in self.document["paths"]:
            if re.fullmatch(re.sub(r"\\\{\w+\\\}", r"\\d+", re.escape(template)), path):
                return template
        raise AssertionError(f"{path} is not in the schema")


def _scans(instance: Instance, tv_library: Library, media: MediaFactory) -> list[ScanRun]:
    """A run with listening on and no extra (tracks not heard), a run with dub news
    (listening off: nothing left unheard, ``not_heard`` null), a failed run."""
    instance.identify_audio_language = Instance.IdentifyAudioLanguage.ALL
    instance.target_languages = ["eng", "fr-CA"]  # "Anime Wrong"'s French: variety unknown
    instance.save()
    unheard = scan_inline(instance)
    assert unheard.status == ScanRun.Status.SUCCEEDED and unheard.tracks_unheard > 0

    instance.identify_audio_language = Instance.IdentifyAudioLanguage.OFF
    instance.save()
    for path in tv_library.files["Anime Half"][2:]:  # season 2: Japanese only until now
        path.unlink()
        media.make_video(path, layout("jpn", "eng"))
    news = scan_inline(instance)
    assert news.status == ScanRun.Status.SUCCEEDED and not news.tracks_unheard
    assert Event.objects.filter(run=news, kind=Event.Kind.DUB_ARRIVED).exists()

    for title in tv_library.expected:  # the share unmounted
        shutil.rmtree(tv_library.folder(title))
    failed = scan_inline(instance)
    assert failed.status == ScanRun.Status.FAILED and failed.error
    return [unheard, news, failed]


def _decisions(api: APIClient, answers: Answers) -> None:
    """A variety settled; wanted languages set, "original", set again (the run reused or
    waited for) and left unset; a person's review decisions, one that changes nothing
    (``writing`` null)."""
    unsure = Media.objects.get(title="Anime Wrong")
    assert unsure.variety_unknown
    url = f"/api/media/{unsure.pk}/"
    settled = answers.check("PATCH", url, api.patch(url, {"settled_varieties": {"fr": "fr-CA"}}))
    assert settled["files"][0]["varieties"][0]["source"] == "settled"
    wanted = {"Anime Dubbed": ["fr", "es-mx"], "Anime Wrong": "original"}
    for title, value in wanted.items():
        url = f"/api/media/{Media.objects.get(title=title).pk}/"
        body = answers.check("PATCH", url, api.patch(url, {"wanted_languages": value}))
        assert body["writing"] is not None and body["wanted_languages"]
    url = f"/api/media/{Media.objects.get(title='Anime Dubbed').pk}/"
    again = answers.check("PATCH", url, api.patch(url, {"wanted_languages": ["deu"]}))
    assert again["writing"] is not None
    same = answers.check("PATCH", url, api.patch(url, {"wanted_languages": ["deu"]}))
    assert same["writing"] is None

    review = f"/api/media/{Media.objects.get(title='Never Dubbed').pk}/review/"
    confirmed = answers.check("POST", review, api.post(review, {"decision": "confirm"}))
    assert confirmed["writing"] is None and confirmed["wanted_languages"] is None
    decided = api.post(review, {"decision": "original", "language": "ko"})
    assert answers.check("POST", review, decided)["writing"] is not None


def _keep_query() -> dict[str, str]:
    """The keep list answers for a path (api/keep.py): a scanned item's folder."""
    item = Media.objects.filter(files__isnull=False).order_by("pk").first()
    assert item is not None, "the scans stored no item with files"
    return {"path": item.path}


# The GETs that answer 200 only with their query.
QUERIES: dict[str, Any] = {"/api/keep/": _keep_query}


def _every_get(api: APIClient, answers: Answers) -> None:
    """Every GET path: a list, then its rows' details and what hangs under them."""
    paths = answers.document["paths"]
    gets = sorted(path for path, item in paths.items() if "get" in item)
    for path in (each for each in gets if "{" not in each):
        query = QUERIES[path]() if path in QUERIES else None
        body = answers.check("GET", path, api.get(path, query))
        detail = f"{path}{{id}}/"
        if detail not in gets:
            continue
        for row in body["results"]:
            for under in (each for each in gets if each.startswith(detail)):
                url = under.replace("{id}", str(row["id"]))
                answers.check("GET", url, api.get(url))


def test_real_answers_of_real_scans_are_what_the_schema_says(
    without_extra: None,
    sonarr_instance: Instance,
    tv_library: Library,
    media: MediaFactory,
    api: APIClient,
) -> None:
    runs = _scans(sonarr_instance, tv_library, media)
    answers = Answers()
    _decisions(api, answers)
    _every_get(api, answers)

    assert not answers.problems, "\n".join(answers.problems)
    for path in ("/api/media/{id}/", "/api/scans/{id}/", "/api/events/{id}/", "/api/stats/"):
        assert ("GET", path) in answers.checked
    # The values the schema must allow were in the answers checked.
    listed = {row["id"]: row for row in api.get("/api/scans/").json()["results"]}
    assert [listed[run.pk]["not_heard"] is None for run in runs] == [False, True, True]
    assert listed[runs[2].pk]["status"] == "failed"
    wanted = {row["title"]: row["wanted_languages"] for row in _all_media(api)}
    assert wanted["Anime Dubbed"] == ["deu"] and wanted["Anime Wrong"] == "original"
    assert wanted["Plain English"] is None
    kinds = {row["kind"] for row in api.get("/api/events/?page_size=200").json()["results"]}
    assert Event.Kind.DUB_ARRIVED in kinds


def _nodes(node: Any) -> Iterator[Any]:
    yield node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    for child in children:
        yield from _nodes(child)


def test_every_nullable_says_its_type_and_a_nullable_item_takes_null() -> None:
    """Beyond the answers above: no ``nullable`` anywhere that OpenAPI 3.0.3 would read
    as nothing; and the nullable reference, checked alone (a run's ``not_heard``)."""
    document = served_schema()
    loose = [node for node in _nodes(document) if isinstance(node, dict)]
    assert [node for node in loose if node.get("nullable") is True and "type" not in node] == []
    schema = {
        "$ref": "#/components/schemas/ScanRun/properties/not_heard",
        "components": document["components"],
    }
    unheard = {"reason": "no_extra", "reason_text": "-", "tracks": 2}
    for fine in (None, unheard):
        assert list(OAS30ReadValidator(schema).iter_errors(fine)) == []
    for wrong in ({"reason": "no_extra"}, [], "null"):
        assert list(OAS30ReadValidator(schema).iter_errors(wrong)) != []


def _all_media(api: APIClient) -> list[dict[str, Any]]:
    return list(api.get("/api/media/?page_size=200").json()["results"])
