"""A YAML configuration file read with the line of every key, so that every message
can name the file, the line and the key; ``${VAR}`` replaced from the environment.

Aliases (``*name``) are refused: a few lines of them expand to billions of values (the
"billion laughs", gigabytes and minutes of walking) or to a loop, and a configuration
needs none. NUL characters are refused too: no name, URL or path holds one, and
PostgreSQL cannot store them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from scanner.errors import ConfigError

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader that stops at the first alias, with its line."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            # types-PyYAML leaves Parser.peek_event unannotated (it gives an Event).
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise ComposerError(
                None, None, "aliases (*name) are not allowed: write the value out",
                event.start_mark,
            )  # fmt: skip
        return super().compose_node(parent, index)


class Document:
    """The parsed YAML plus the line of every key, to point at the culprit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise ConfigError(f"{path}: not UTF-8 text") from None
        try:
            node = yaml.compose(text, Loader=_NoAliasLoader)
            self.data = yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader
        except yaml.MarkedYAMLError as exc:
            line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
            raise ConfigError(f"{path}:{line}: not valid YAML: {exc.problem}") from None
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: not valid YAML: {exc}") from None
        except RecursionError:
            raise ConfigError(f"{path}: not valid YAML: nested too deeply") from None
        self.lines: dict[tuple[Any, ...], int] = {}
        if node is not None:
            self._index(node, ())

    def _index(self, node: Node, key_path: tuple[Any, ...]) -> None:
        self.lines.setdefault(key_path, node.start_mark.line + 1)
        self._refuse_nul(node, key_path)
        if isinstance(node, MappingNode):
            for key, value in node.value:
                self._refuse_nul(key, key_path)
                child = (*key_path, key.value)
                self.lines[child] = key.start_mark.line + 1
                self._index(value, child)
        elif isinstance(node, SequenceNode):
            for index, value in enumerate(node.value):
                self._index(value, (*key_path, index))

    def _refuse_nul(self, node: Node, key_path: tuple[Any, ...]) -> None:
        if isinstance(node, ScalarNode) and "\x00" in node.value:
            self.lines[key_path] = node.start_mark.line + 1  # the message names its line
            raise self.error(key_path, f"{node.value!r} holds a NUL character")

    def line(self, key_path: tuple[Any, ...]) -> int:
        while key_path and key_path not in self.lines:
            key_path = key_path[:-1]
        return self.lines.get(key_path, 1)

    def locate(self, key_path: tuple[Any, ...]) -> str:
        """``file:line: dotted.key``, the prefix of every message about that key."""
        key = ".".join(str(part) for part in key_path) or "(top level)"
        return f"{self.path}:{self.line(key_path)}: {key}"

    def error(self, key_path: tuple[Any, ...], message: str) -> ConfigError:
        return ConfigError(f"{self.locate(key_path)}: {message}")


def expand(doc: Document, key_path: tuple[Any, ...], value: Any, env: dict[str, str]) -> Any:
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in env:
            raise doc.error(key_path, f"environment variable {name} is not set")
        return env[name]

    return _VARIABLE.sub(substitute, value)
