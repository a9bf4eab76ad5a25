"""What the Dockerfile, the entrypoint and the settings module say about the image, read
from their text, for the tests that hold the compose files and the Unraid template to
them (one port, one volume, the same variables)."""

from __future__ import annotations

import ast
import re
import shlex

from tests.helpers import CHECKOUT


def dockerfile_instructions(name: str) -> list[str]:
    """The arguments of every ``NAME`` instruction, continuation lines joined."""
    text = (CHECKOUT / "Dockerfile").read_text().replace("\\\n", " ")
    return [
        line.split(None, 1)[1].strip()
        for line in text.splitlines()
        if line.split(None, 1)[:1] == [name]
    ]


def dockerfile_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for arguments in dockerfile_instructions("ENV"):
        for word in shlex.split(arguments):
            name, _, value = word.partition("=")
            env[name] = value
    return env


def exposed_port() -> str:
    (port,) = dockerfile_instructions("EXPOSE")
    return port


def volume() -> str:
    (declared,) = dockerfile_instructions("VOLUME")
    (path,) = ast.literal_eval(declared)
    return str(path)


def entrypoint_variables() -> set[str]:
    """The variables docker/entrypoint.sh reads (``${NAME`` or ``$NAME``), its own
    locals left out."""
    text = (CHECKOUT / "docker" / "entrypoint.sh").read_text()
    return {name for name in re.findall(r"\$\{?([A-Z][A-Z0-9_]*)", text)}


def _settings_reads() -> set[tuple[str, str]]:
    """(reader, variable) of every ``env.<reader>("NAME", ...)`` in taggarr/settings.py."""
    tree = ast.parse((CHECKOUT / "taggarr" / "settings.py").read_text())
    reads: set[tuple[str, str]] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "env"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            reads.add((node.func.attr, node.args[0].value))
    return reads


def settings_variables() -> set[str]:
    """Every variable taggarr/settings.py reads."""
    return {name for _reader, name in _settings_reads()}


def settings_secrets() -> set[str]:
    """The variables taggarr/settings.py reads with ``env.secret`` (``NAME_FILE`` too)."""
    return {name for reader, name in _settings_reads() if reader == "secret"}
