"""The base classes every task runs on, acting on its kind (scanner.tasking.kinds).

``task(kind)`` declares a task: named ``scanner.tasks.<its function>``, or
``scanner.tasks.<name>`` where the same function serves several (every act's tasks:
scanner.changes.tasks); the name beat's schedule, the routes and any message in flight
know it by, wherever its code lives;
late acknowledged (a worker that dies leaves its message to another), its result not
kept (the app's ``task_ignore_result``: nobody waits on one), on the base its
kind's give-up asks for, and typed: ``Task[its parameters, its result]``, so that a
``delay`` with the wrong payload is a type error.

A run's own steps (scanner.tasking.steps.StepTask: the plan, each item, the apply) give
up by the pipeline's policy, and the pipeline registers their steps itself. Every other
task (SideTask) runs inside the registry of
running steps under its kind and hold limit, so the worker's watchdog sees it held past
that limit, and ends an expected error (a TaggarrError: a share or a server that did not
answer within its bound, a refused key, a setting) in ONE log line with its reason and
what becomes of its work (its kind's ``then``): no traceback, and no unexpected failure
(it SUCCEEDs in Flower; its result, where one is kept, is None). Anything else is a bug:
Celery logs it with its traceback.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

from celery import Task, shared_task

from scanner.errors import TaggarrError, describe
from scanner.leases import token_of
from scanner.runtime.running import step
from scanner.tasking.kinds import GiveUp, TaskKind

P = ParamSpec("P")
R = TypeVar("R")

logger = logging.getLogger(__name__)


class KindTask(Task[Any, Any]):
    """A task of a declared kind (``task`` sets it)."""

    kind: TaskKind  # set by ``task``: every task of the scanner has one


class SideTask(KindTask):
    """A task beside a run's own steps: registered as a step of its kind while it runs,
    an expected error ended in one log line (the module's docstring)."""

    then = ""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            with step(self.kind.step, run_id=self._run_of(args, kwargs), hold=self.kind.hold()):
                return super().__call__(*args, **kwargs)
        except TaggarrError as exc:
            after = f"; {self.then}" if self.then else ""
            logger.warning("%s stopped: %s%s", self.name.rpartition(".")[2], describe(exc), after)
            return None

    def own_token(self) -> int:
        """The task's token for its kind's lease: its id's (scanner.leases.token_of), so
        that its message delivered again (a worker died) takes back its own work."""
        return token_of(self.request.id or "")

    def _run_of(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int | None:
        """The run the task works for (its ``run_id`` argument), for the registry."""
        try:
            bound = inspect.signature(self.run).bind_partial(*args, **kwargs)
        except TypeError:
            return None
        run_id = bound.arguments.get("run_id")
        return run_id if isinstance(run_id, int) else None


def _base(kind: TaskKind, fun: Callable[..., Any], base: type[KindTask] | None) -> type[KindTask]:
    if base is None and kind.give_up == GiveUp.STEP:
        raise ValueError(f"{fun.__name__}: a run's step names its StepTask base")
    return base or SideTask


def task(
    kind: TaskKind, *, base: type[KindTask] | None = None, name: str = ""
) -> Callable[[Callable[P, R]], Task[P, R]]:
    """The function a task of ``kind`` (a SideTask unless its kind gives up as a step)."""

    def declare(fun: Callable[P, R]) -> Task[P, R]:
        made = shared_task(
            name=f"scanner.tasks.{name or fun.__name__}",
            base=_base(kind, fun, base),
            kind=kind,
            acks_late=True,
            then=kind.then,
        )
        return cast("Task[P, R]", made(fun))

    return declare


def bound_task(
    kind: TaskKind, *, base: type[KindTask] | None = None, name: str = ""
) -> Callable[[Callable[Concatenate[Any, P], R]], Task[P, R]]:
    """As ``task``, for a function that takes its task first (its request, its retry)."""

    def declare(fun: Callable[Concatenate[Any, P], R]) -> Task[P, R]:
        made = shared_task(
            name=f"scanner.tasks.{name or fun.__name__}",
            base=_base(kind, fun, base),
            kind=kind,
            bind=True,
            acks_late=True,
            then=kind.then,
        )
        return cast("Task[P, R]", made(fun))

    return declare
