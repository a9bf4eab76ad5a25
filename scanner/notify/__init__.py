"""Notifications: what a run's end is worth telling, to whom, and sending it (Apprise).

The pipeline only says that a run ended (scanner.pipeline.work.RunEnded) and records
what happened in its rows and events; scanner.tasks hands that to ``notify_run_ended``
on a worker. ``rules`` decides (pure), ``outcome`` reads a run's end from the
database, ``throttle`` is the rate limit, ``delivery`` speaks Apprise, ``dispatch``
ties them together.
"""
