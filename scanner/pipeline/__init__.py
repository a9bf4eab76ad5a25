"""The scan, step by step: plan → one task per media item → apply.

Each step is a plain function that returns the next work (scanner.pipeline.work) and
never sends anything: scanner.tasks sends it to the workers, and
scanner.pipeline.runtime.inline runs it in-process. Four rooms, depending one way (an
import contract): ``runtime`` (how steps run) on ``writers`` (the apply step and its
writers) on ``scanning`` (sourcing and deciding, the plan step) on ``state`` (a run's
state in the database), all on ``retries`` (the budgets) and ``work`` (the values).
Callers outside the scanner start scans through scanner.actions.scans.
"""
