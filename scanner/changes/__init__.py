"""The change flow: every per-item act of Taggarr on a user's things (the default flags
inside files, each item's quality profile in its *arr, ...) planned, reviewed, applied and
undone one way.

An act declares what is its own (``act.Act``: its option on the instance, its item lease,
which items follow a run, its plan, its write, its undo, its tasks' names); the flow owns
the rest, once: the item held by one task at a time from its plan to its last write
(scanner.runtime.held_turns), "plan" or "set" read from the instance's option, a dry run's end
planning nothing, the tasks every act has (``tasks.declare``: after a run, per item,
apply and undo as a person asked), and the outcomes' tally. The flow imports no act (an
import contract): each act imports it.
"""
