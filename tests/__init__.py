from hypothesis import settings

# No timing assertions (the house rule): Hypothesis's per-example deadline (200 ms by
# default) fails a property on a loaded machine, whatever it checks.
settings.register_profile("taggarr", deadline=None)
settings.load_profile("taggarr")
