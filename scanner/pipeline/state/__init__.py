"""A run's state: its life (runs), its items' leases and failures, beat's schedule,
the webhook requests waiting for a run. Plain database work; nothing here runs a step."""
