"""The promotion gate of the nightly retraining: a candidate worse than production is never promoted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# (head, metric, tolerance): the candidate may not fall below production by more than the tolerance.
GATE_METRICS: tuple[tuple[str, str, float], ...] = (
    ("motifs", "micro_f1", 0.005),
    ("prestations", "micro_f1", 0.005),
    ("recevabilite", "macro_f1", 0.005),
    ("emetteur", "macro_f1", 0.01),
    ("urgence", "recall", 0.01),
)


@dataclass(frozen=True)
class GateDecision:
    promote: bool
    reasons: list[str]


def _value(metrics: dict[str, Any], head: str, metric: str) -> float:
    if metric == "recall":
        return float(metrics[head]["per_label"]["urgent"]["recall"])
    return float(metrics[head][metric])


def gate(candidate: dict[str, Any], production: dict[str, Any] | None) -> GateDecision:
    """Compare test-split metrics (both measured on the same frozen test split)."""
    if production is None:
        return GateDecision(True, ["no production model yet"])
    reasons, worse = [], False
    for head, metric, tolerance in GATE_METRICS:
        new, old = _value(candidate, head, metric), _value(production, head, metric)
        if new < old - tolerance:
            worse = True
            reasons.append(f"{head} {metric} {new:.3f} < production {old:.3f} (tolerance {tolerance})")
        else:
            reasons.append(f"{head} {metric} {new:.3f} vs production {old:.3f}")
    return GateDecision(not worse, reasons)
