"""What Prometheus itself requires of a /metrics answer, as its sources say, applied to the
families the prometheus_client parser reads from it (so no test needs promtool):

* promtool check metrics runs promlint's default validations: prometheus/client_golang
  prometheus/testutil/promlint/validation.go, with the rules in validations/
  (help_validations.go, units.go + generic_name_validations.go, counter_validations.go,
  histogram_validations.go, duplicate_validations.go).
* The target's labels: prometheus/prometheus scrape/target.go (PopulateLabels) gives every
  series ``job`` (the job_name) and ``instance`` (the target's address); with the default
  ``honor_labels: false``, scrape/scrape.go (mutateSampleLabels,
  resolveConflictingExposedLabels) overwrites an exposed label of that name and keeps the
  exposed value as ``exported_<name>``.
* Classic histograms: prometheus/prometheus util/convertnhcb/convertnhcb.go rejects
  buckets that are not cumulative (errCountNotCumulative) and a ``_count`` other than the
  ``+Inf`` bucket (errCountMismatch); promql/quantile.go (BucketQuantile) needs the
  ``+Inf`` bucket and monotonic buckets.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

from prometheus_client.metrics_core import Metric

TARGET_LABELS = frozenset({"job", "instance"})
# validations/units.go: base units, and the others with the base unit promlint asks for.
BASE_UNITS = frozenset((
    "amperes", "bytes", "celsius", "grams", "joules", "kelvin", "meters", "metres",
    "seconds", "volts",
))  # fmt: skip
OTHER_UNITS = frozenset((
    "minutes", "hours", "days", "weeks", "kelvins", "fahrenheit", "rankine", "inches",
    "yards", "miles", "bits", "calories", "pounds", "ounces",
))  # fmt: skip
UNIT_PREFIXES = (
    "pico", "nano", "micro", "milli", "centi", "deci", "deca", "hecto", "kilo", "kibi",
    "mega", "mibi", "giga", "gibi", "tera", "tebi", "peta", "pebi",
)  # fmt: skip
UNIT_ABBREVIATIONS = (
    "s",
    "ms",
    "us",
    "ns",
    "sec",
    "b",
    "kb",
    "mb",
    "gb",
    "tb",
    "pb",
    "m",
    "h",
    "d",
)
# dto.MetricType names, lower-cased, as LintMetricTypeInName compares them.
TYPE_NAMES = {
    "counter": "counter",
    "gauge": "gauge",
    "summary": "summary",
    "histogram": "histogram",
    "gaugehistogram": "gauge_histogram",
}
CAMEL_CASE = re.compile(r"[a-z][A-Z]")


def problems(family: Metric) -> list[str]:
    """Everything promlint, the scrape and the histogram rules find wrong in ``family``."""
    return [*_promlint(family), *_target_label_clashes(family), *_histogram(family)]


def _promlint(family: Metric) -> list[str]:
    found = []
    kind = family.type
    name = family.name
    sample_names = {sample.name for sample in family.samples}
    if kind == "counter":  # the parser drops _total from a counter family's name
        if not sample_names <= {f"{name}_total", f"{name}_created"}:
            found.append('counter metrics should have "_total" suffix')
        name = f"{name}_total"
    elif kind != "unknown" and any(n.endswith("_total") for n in {name, *sample_names}):
        found.append('non-counter metrics should not have "_total" suffix')
    if not family.documentation:
        found.append("no help text")
    unit = _unit(name)
    if unit:
        found.append(f"use the base unit instead of {unit!r}")
    histogram = kind == "histogram"
    if not histogram and name.endswith("_bucket"):
        found.append('non-histogram metrics should not have "_bucket" suffix')
    if not histogram and kind != "summary" and name.endswith(("_count", "_sum")):
        found.append('non-histogram and non-summary metrics should not have "_count"/"_sum"')
    typename = TYPE_NAMES.get(kind)
    if typename and (f"_{typename}_" in name.lower() or name.lower().endswith(f"_{typename}")):
        found.append(f"metric name should not include type {typename!r}")
    if ":" in name:
        found.append("metric names should not contain ':'")
    if CAMEL_CASE.search(name):
        found.append("metric names should be written in 'snake_case' not 'camelCase'")
    lowered = name.lower()
    for short in UNIT_ABBREVIATIONS:
        if f"_{short}_" in lowered or lowered.endswith(f"_{short}"):
            found.append(f"metric names should not contain abbreviated units ({short})")
    seen = set()
    for sample in family.samples:
        labels = sample.labels
        if CAMEL_CASE.search("".join(labels)):
            found.append("label names should be written in 'snake_case' not 'camelCase'")
        if "le" in labels and not histogram:
            found.append('non-histogram metrics should not have "le" label')
        if "quantile" in labels and kind != "summary":
            found.append('non-summary metrics should not have "quantile" label')
        key = (sample.name, tuple(sorted(labels.items())))
        if key in seen:
            found.append(f"metric not unique: {key}")
        seen.add(key)
    return found


def _unit(name: str) -> str | None:
    """A unit in ``name`` that is not a base unit (promlint's metricUnits: the first part of
    the name that is a known unit, plain or with a prefix)."""
    for part in name.split("_"):
        if part in BASE_UNITS:
            return None
        if part in OTHER_UNITS:
            return part
        for prefix in UNIT_PREFIXES:
            if part.startswith(prefix) and part[len(prefix) :] in BASE_UNITS | OTHER_UNITS:
                return part
    return None


def _target_label_clashes(family: Metric) -> list[str]:
    labels = {label for sample in family.samples for label in sample.labels}
    return [
        f"{family.name}: label {label!r} is the target's; Prometheus renames ours to "
        f"exported_{label}"
        for label in sorted(labels & TARGET_LABELS)
    ]


def _histogram(family: Metric) -> list[str]:
    if family.type != "histogram":
        return []
    found = []
    buckets: dict[tuple, list[tuple[float, float]]] = defaultdict(list)
    counts: dict[tuple, float] = {}
    for sample in family.samples:
        rest = tuple(sorted((k, v) for k, v in sample.labels.items() if k != "le"))
        if sample.name == f"{family.name}_bucket":
            buckets[rest].append((float(sample.labels["le"]), sample.value))
        elif sample.name == f"{family.name}_count":
            counts[rest] = sample.value
    for series, bounds in buckets.items():
        values = [value for _, value in sorted(bounds)]
        if values != sorted(values):
            found.append(f"{family.name}{series}: buckets not cumulative: {sorted(bounds)}")
        if max(bound for bound, _ in bounds) != math.inf:
            found.append(f"{family.name}{series}: no +Inf bucket")
        elif counts.get(series) != values[-1]:
            found.append(f"{family.name}{series}: _count {counts.get(series)} != +Inf bucket")
    return found
