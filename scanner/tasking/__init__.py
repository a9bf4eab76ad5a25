"""How Taggarr's work runs as Celery tasks: each kind of task declared once (kinds.py),
the base classes that act on that declaration (base.py), and the run's own steps with
the one place that sends work (steps.py). The features' tasks are in their packages
(scanner/<feature>/tasks.py); scanner.tasks imports them all, so that Celery registers
them under their names, ``scanner.tasks.<name>``."""
