"""The household's regional languages as reasons to read files (ScanOptions
.listener_varieties, scanner/pipeline/scanning/options.py): only the persons with an
account on a media server the instance feeds, only their varieties, never one the
instance already targets; in the items' settings hash only when there is one, so that
no other instance's items are scanned again."""

from __future__ import annotations

import pytest
from django.utils import translation

from scanner.models import Instance, MediaServer, Person, PersonAccount
from scanner.pipeline.scanning.options import ScanOptions
from scanner.reports.progress import read_why_text
from tests.factories import InstanceFactory, MediaFactory

pytestmark = pytest.mark.django_db


def _server(*instances: Instance) -> MediaServer:
    server = MediaServer.objects.create(
        name=f"plex{MediaServer.objects.count()}", kind=MediaServer.Kind.PLEX,
        url="http://127.0.0.1:9",
    )  # fmt: skip
    server.instances.set(instances)
    return server


def _person(name: str, languages: list[str], server: MediaServer) -> Person:
    person = Person.objects.create(name=name, languages=languages)
    PersonAccount.objects.create(
        person=person, media_server=server, account_id=name, account_name=name,
        account_kind="plex-home",
    )  # fmt: skip
    return person


def test_only_the_persons_on_the_instances_servers_count() -> None:
    tv, movies = (
        InstanceFactory(target_languages=["fra"]),
        InstanceFactory(target_languages=["fra"]),
    )
    before = ScanOptions.for_instance(tv).instance_hash
    _person("Léa", ["fr-CA", "fra"], _server(tv))
    _person("Ana", ["es-419"], _server(movies))
    _person("Marc", ["fra", "eng"], _server(tv))  # no variety: nothing to read for

    options = ScanOptions.for_instance(tv)

    assert options.listener_varieties == frozenset({"fr-CA"})
    assert options.instance_hash != before
    assert ScanOptions.for_instance(movies).listener_varieties == frozenset({"es-419"})


def test_no_variety_leaves_the_hash_as_it_was() -> None:
    tv = InstanceFactory(target_languages=["fr-CA"])
    before = ScanOptions.for_instance(tv).instance_hash
    _person("Marc", ["fra", "eng"], _server(tv))
    _person("Léa", ["fr-CA"], _server(tv))  # read for already: the instance's target

    options = ScanOptions.for_instance(tv)

    assert options.listener_varieties == frozenset()
    assert options.instance_hash == before


def test_a_persons_variety_is_no_target_of_the_item() -> None:
    tv = InstanceFactory(target_languages=["fra"])
    _person("Léa", ["fr-CA"], _server(tv))
    media = MediaFactory(instance=tv)

    options = ScanOptions.for_instance(tv)

    assert options.targets_for(media) == ("fra",)
    assert options.person_varieties_for(media) == ("fr-CA",)


def test_the_run_page_says_why_the_files_were_read() -> None:
    with translation.override("fr"):
        text = read_why_text({"variety_for_person": 2})
    assert text == (
        "2 pour connaître une variante qu'un membre du foyer veut entendre et que les infos "
        "média de l'*arr ne nomment jamais"
    )
