"""The scan, step by step: plan → one item step per media → apply.

Each step is a plain function that returns the next work (scanner.pipeline.work)
and never sends anything: scanner.tasks sends it to the workers, and
scanner.pipeline.inline runs it in-process. Every change of a run's state is in
scanner.pipeline.runs. Callers outside the scanner start scans through
scanner.actions.scans.
"""
