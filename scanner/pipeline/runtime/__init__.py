"""How the steps run: the plan and apply steps once or under the retry budgets
(steps), each item as its own task with its database work gathered (item_step,
item_desk), all of it in one process (inline), with a heartbeat (heartbeat)."""
