"""Compare a model's suggestions with mediator labels and write an HTML (and JSON) report."""

from __future__ import annotations

import base64
import io
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from jinja2 import Environment, PackageLoader, select_autoescape

from aiguillage.metrics import evaluate_probabilities, label_matrix, slice_metrics
from aiguillage.model import TriageModel
from aiguillage.records import Case
from aiguillage.redaction import Redactor
from aiguillage.taxonomy import HEADS_BY_NAME, MOTIFS, RECEVABILITE

MAX_EXAMPLES = 25


@dataclass
class Report:
    model_version: str
    cases: int
    metrics: dict[str, Any]
    slices: dict[str, Any]
    confusion: dict[str, dict[str, int]]
    reliability: dict[str, list[list[float]]]
    errors: list[dict[str, Any]] = field(default_factory=list)


def evaluate(model: TriageModel, cases: Sequence[Case]) -> Report:
    """Score the model on labelled cases: every head, the named slices, recevabilité confusions, calibration."""
    texts = [case.text for case in cases]
    _, probabilities = model.score(texts)
    thresholds = {name: head.thresholds_ for name, head in model.heads.items()}
    metrics = evaluate_probabilities(cases, probabilities, thresholds)
    codes = RECEVABILITE.codes
    predicted = [codes[i] for i in probabilities["recevabilite"].argmax(axis=1)]
    confusion = {truth: dict.fromkeys(codes, 0) for truth in codes}
    for case, guess in zip(cases, predicted, strict=True):
        confusion[case.recevabilite][guess] += 1
    reliability = {
        "motifs": _reliability(probabilities["motifs"].ravel(), label_matrix(cases, MOTIFS).ravel()),
        "recevabilite": _reliability(
            probabilities["recevabilite"].max(axis=1),
            np.array([guess == case.recevabilite for guess, case in zip(predicted, cases, strict=True)]),
        ),
    }
    redactor = Redactor()
    errors = [
        {
            "id": case.id,
            "text": redactor.redact(case.text).text[:600],
            "truth": case.recevabilite,
            "predicted": guess,
            "score": round(float(probabilities["recevabilite"][row].max()), 3),
        }
        for row, (case, guess) in enumerate(zip(cases, predicted, strict=True))
        if guess != case.recevabilite
    ]
    errors.sort(key=lambda e: -e["score"])
    return Report(
        model_version=model.version,
        cases=len(cases),
        metrics=metrics,
        slices=slice_metrics(cases, probabilities, thresholds),
        confusion=confusion,
        reliability=reliability,
        errors=errors[:MAX_EXAMPLES],
    )


def _reliability(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> list[list[float]]:
    """[mean confidence, observed frequency, count] per non-empty bin."""
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    return [
        [float(confidence[which == b].mean()), float(correct[which == b].mean()), int((which == b).sum())]
        for b in range(bins)
        if (which == b).any()
    ]


def _reliability_png(reliability: dict[str, list[list[float]]]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(4.5, 4.5), dpi=100)
    axis.plot([0, 1], [0, 1], linestyle="--", color="#666666", label="calibration parfaite")
    for (name, points), marker in zip(reliability.items(), ("o", "s"), strict=False):
        if points:
            axis.plot([p[0] for p in points], [p[1] for p in points], marker=marker, label=name)
    axis.set_xlabel("confiance annoncée")
    axis.set_ylabel("fréquence observée")
    axis.legend(loc="upper left")
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def write_report(report: Report, html_path: Path, json_path: Path | None = None) -> None:
    environment = Environment(loader=PackageLoader("evaluation", "templates"), autoescape=select_autoescape())
    html = environment.get_template("report.html.j2").render(
        report=report,
        heads=HEADS_BY_NAME,
        motifs=MOTIFS,
        reliability_png=_reliability_png(report.reliability),
        truth_counts=Counter({code: sum(row.values()) for code, row in report.confusion.items()}),
    )
    html_path.write_text(html, encoding="utf-8")
    if json_path is not None:
        json_path.write_text(json.dumps(asdict(report), indent=2, ensure_ascii=False), encoding="utf-8")
