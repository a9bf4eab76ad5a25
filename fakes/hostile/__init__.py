"""A server that answers badly on purpose (``fakes.hostile.server``), in process or as
``python -m fakes.hostile``."""

from fakes.hostile.server import CASES, HostileServer

__all__ = ["CASES", "HostileServer"]
