"""unraid/taggarr.xml, Unraid's Docker template, and docker-compose.aio.yml name what
the image has: its one port, its one volume (the data dir), the variables its entrypoint
and its settings read, with defaults the image accepts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from typing import Any

import pytest
import yaml

from tests.helpers import CHECKOUT
from tests.packaging import image_facts

# The variables only the entrypoint reads (the linuxserver way), with the image's defaults.
USER_VARIABLES = {"PUID": "1000", "PGID": "1000", "UMASK": "022"}


def _template() -> ElementTree.Element:
    # Our own file from the checkout, not input from elsewhere.
    return ElementTree.parse(CHECKOUT / "unraid" / "taggarr.xml").getroot()  # noqa: S314


def _configs(kind: str) -> list[ElementTree.Element]:
    return [config for config in _template().iter("Config") if config.get("Type") == kind]


def _aio_service() -> dict[str, Any]:
    compose = yaml.safe_load((CHECKOUT / "docker-compose.aio.yml").read_text())
    (service,) = compose["services"].values()
    return dict(service)


def test_the_image_has_one_port_one_volume_and_the_user_variables() -> None:
    env = image_facts.dockerfile_env()
    assert image_facts.volume() == env["TAGGARR_DATA_DIR"] == "/config"
    assert image_facts.exposed_port() == "8000"
    assert {name: env[name] for name in USER_VARIABLES} == USER_VARIABLES
    assert set(USER_VARIABLES) <= image_facts.entrypoint_variables()
    assert image_facts.dockerfile_instructions("CMD") == ['["all-in-one"]']


def test_the_template_is_a_container_template_with_its_web_ui_on_the_images_port() -> None:
    template = _template()
    assert template.tag == "Container" and template.get("version") == "2"
    for field in ("Name", "Repository", "Network", "WebUI", "Overview", "Category"):
        assert (template.findtext(field) or "").strip(), field
    assert template.findtext("Network") == "bridge"
    assert template.findtext("Repository") == _aio_service()["image"]
    (port,) = _configs("Port")
    assert port.get("Target") == image_facts.exposed_port()
    assert port.get("Mode") == "tcp"
    assert f"[PORT:{image_facts.exposed_port()}]" in (template.findtext("WebUI") or "")
    assert "--init" in (template.findtext("ExtraParams") or "")


def test_the_template_mounts_the_images_volume_and_the_media() -> None:
    targets = {path.get("Target"): path for path in _configs("Path")}
    assert image_facts.volume() in targets
    assert set(targets) == {image_facts.volume(), "/media"}
    for path in targets.values():
        assert path.get("Mode") == "rw"
        assert path.get("Required") == "true"


def test_every_variable_of_the_template_is_one_the_image_reads() -> None:
    known = image_facts.settings_variables() | set(USER_VARIABLES)
    variables = {config.get("Target"): config for config in _configs("Variable")}
    assert set(USER_VARIABLES) <= set(variables)
    assert set(variables) <= known, set(variables) - known
    for name, config in variables.items():
        # Unraid shows the value (the element's text) and resets to Default: the same.
        assert (config.text or "") == (config.get("Default") or ""), name
        assert config.get("Display") in ("always", "advanced"), name
        assert config.get("Required") in ("true", "false"), name
        assert (config.get("Description") or "").strip(), name
    secrets = image_facts.settings_secrets()
    for name, config in variables.items():
        assert (config.get("Mask") == "true") == (name in secrets), name


@pytest.mark.parametrize("name", ["PUID", "PGID"])
def test_the_templates_ids_are_unraids_nobody_and_users(name: str) -> None:
    variables = {config.get("Target"): config for config in _configs("Variable")}
    assert re.fullmatch(r"[0-9]+", variables[name].get("Default") or "")
    assert variables[name].get("Default") == {"PUID": "99", "PGID": "100"}[name]


def test_the_all_in_one_compose_file_runs_the_images_default_role() -> None:
    service = _aio_service()
    assert "command" not in service  # the image's CMD: all-in-one
    assert service["init"] is True
    port = image_facts.exposed_port()
    assert [published.rsplit(":", 1)[1] for published in service["ports"]] == [port]
    assert any(volume.endswith(f":{image_facts.volume()}") for volume in service["volumes"])
    assert set(USER_VARIABLES) <= set(service["environment"])
    known = image_facts.settings_variables() | set(USER_VARIABLES)
    assert set(service["environment"]) <= known
    assert f"127.0.0.1:{port}/healthz" in " ".join(service["healthcheck"]["test"])


def test_the_compose_stack_keeps_its_data_dir_and_starts_each_role_as_puid_pgid() -> None:
    """The six-service stack's containers keep /data (their volume) and never start as
    root: the image's new default data dir and user drop are the all-in-one role's."""
    compose = yaml.safe_load((CHECKOUT / "docker-compose.yml").read_text())
    for name in ("web", "worker", "beat", "flower"):
        service = compose["services"][name]
        assert service["environment"]["TAGGARR_DATA_DIR"] == "/data", name
        assert service["user"] == "${PUID:-1000}:${PGID:-1000}", name
        assert service["command"] == [name], name
        assert "taggarr-data:/data" in service["volumes"], name
