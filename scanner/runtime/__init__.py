"""What every feature's work runs on, the scan's and the acts' alike: the registry of
steps running in this process and their bounds (running.py), a step's waits on a share
ended by its hold limit (hold.py), one thing held by one task at a time, asked again
rather than waited for (held_turns.py), and an act's journal rows handed to the workers
(journal_work.py). It imports no feature and no part of the pipeline."""
