"""The one retry policy: which errors are retried, and how long to wait before each
retry. The steps' runner (steps.py: the *arr, the database, a folder) and the
media-server writes (server_retries.py) both use it; it lives apart so that the
apply step's writers can use it without importing the runner that runs them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# Waits before each retry: doubling from FIRST_WAIT, each at most LONGEST_WAIT, adding up
# to the budget (the default 120 s: 2, 4, 8, 16, 32, 58). A budget under two minutes
# starts at a 60th of itself, so it is spread over six retries too, whatever its length.
FIRST_WAIT = 2.0
LONGEST_WAIT = 60.0


def backoff_delays(budget: float) -> tuple[float, ...]:
    """Doubling waits that add up to ``budget`` (see FIRST_WAIT)."""
    delays: list[float] = []
    delay = min(FIRST_WAIT, budget / 60)
    while sum(delays) < budget:
        delays.append(min(delay, LONGEST_WAIT, budget - sum(delays)))
        delay *= 2
    return tuple(delays)


def jittered(delay: float) -> float:
    """A wait made up to a tenth longer, so that retries of many callers spread out."""
    return delay * random.uniform(1.0, 1.1)  # noqa: S311


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    # (errors, seconds before each retry), the first that matches applies
    budgets: tuple[tuple[tuple[type[BaseException], ...], tuple[float, ...]], ...]

    @property
    def errors(self) -> tuple[type[BaseException], ...]:
        return tuple(error for errors, _ in self.budgets for error in errors)

    def delays(self, error: BaseException) -> tuple[float, ...]:
        return next(delays for errors, delays in self.budgets if isinstance(error, errors))
