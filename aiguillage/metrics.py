"""Scores that compare suggestions with mediator labels: F1, accuracy, calibration error, slices."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

from aiguillage.records import Case
from aiguillage.taxonomy import EMETTEUR, MOTIFS, PRESTATIONS, RECEVABILITE, URGENCE, Head

ECE_BINS = 15


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = ECE_BINS) -> float:
    """Mean |accuracy - confidence| over equal-width confidence bins, weighted by bin size."""
    confidence = np.asarray(confidence, dtype=float).ravel()
    correct = np.asarray(correct, dtype=float).ravel()
    if confidence.size == 0:
        return 0.0
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    error = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            error += mask.mean() * abs(correct[mask].mean() - confidence[mask].mean())
    return float(error)


def _per_label(codes: Sequence[str], *columns: np.ndarray) -> dict[str, dict[str, float]]:
    precision, recall, f1, support = columns
    return {
        code: {
            "precision": round(float(p), 4),
            "recall": round(float(r), 4),
            "f1": round(float(f), 4),
            "support": int(s),
        }
        for code, p, r, f, s in zip(codes, precision, recall, f1, support, strict=True)
    }


def label_matrix(cases: Sequence[Case], head: Head) -> np.ndarray:
    """Indicator matrix (cases x codes) of a multi-label field, or (cases x 1) for urgence."""
    if head.binary:
        return np.array([[case.urgence] for case in cases], dtype=int)
    return np.array([[code in getattr(case, head.name) for code in head.codes] for case in cases], dtype=int)


def multi_label_metrics(head: Head, truth: np.ndarray, probabilities: np.ndarray, thresholds: np.ndarray) -> dict:
    predicted = (probabilities >= thresholds).astype(int)
    if head.binary:  # a single column is read as a binary target: score the positive class only
        truth, predicted = truth[:, 0], predicted[:, 0]
    options = {"labels": [1]} if head.binary else {}
    precision, recall, f1, support = precision_recall_fscore_support(truth, predicted, zero_division=0, **options)
    averaged = "binary" if head.binary else None
    return {
        "micro_f1": round(float(f1_score(truth, predicted, average=averaged or "micro", zero_division=0)), 4),
        "macro_f1": round(float(f1_score(truth, predicted, average=averaged or "macro", zero_division=0)), 4),
        "ece": round(expected_calibration_error(probabilities, truth), 4),
        "per_label": _per_label(head.codes, precision, recall, f1, support),
    }


def single_label_metrics(head: Head, truth: Sequence[str], probabilities: np.ndarray) -> dict:
    codes = np.array(head.codes)
    predicted = codes[probabilities.argmax(axis=1)]
    truth_array = np.array(truth)
    precision, recall, f1, support = precision_recall_fscore_support(
        truth_array, predicted, labels=list(codes), zero_division=0
    )
    return {
        "accuracy": round(float(accuracy_score(truth_array, predicted)), 4),
        "macro_f1": round(
            float(f1_score(truth_array, predicted, labels=list(codes), average="macro", zero_division=0)), 4
        ),
        "micro_f1": round(float(f1_score(truth_array, predicted, average="micro", zero_division=0)), 4),
        "ece": round(expected_calibration_error(probabilities.max(axis=1), predicted == truth_array), 4),
        "per_label": _per_label(head.codes, precision, recall, f1, support),
    }


def evaluate_probabilities(
    cases: Sequence[Case], probabilities: dict[str, np.ndarray], thresholds: dict[str, np.ndarray]
) -> dict[str, Any]:
    """Every head's scores for these cases, given calibrated probabilities and per-label thresholds."""
    results: dict[str, Any] = {}
    for head in (MOTIFS, PRESTATIONS, URGENCE):
        results[head.name] = multi_label_metrics(
            head, label_matrix(cases, head), probabilities[head.name], thresholds[head.name]
        )
    for head in (RECEVABILITE, EMETTEUR):
        results[head.name] = single_label_metrics(
            head, [getattr(c, head.name) for c in cases], probabilities[head.name]
        )
    return results


# Slices named in the brief of the project: what a bag of words misses.
SLICES: dict[str, tuple[str, ...]] = {
    "prior step shown (recevable)": (
        "prior_step_explicit",
        "prior_step_in_passing",
        "caf_answer_contested",
        "several_reminders",
    ),
    "no prior step": ("no_prior_contact", "direct_to_mediator", "complaint_without_step"),
    "réclamation the same day": ("same_day_reclamation",),
    "speed-up request": ("speed_up_request",),
    "implicit benefit": ("implicit_benefit",),
    "negation": ("negation",),
    "look-alike CPAM / France Travail / MDPH / impôts": (
        "lookalike_cpam",
        "lookalike_france_travail",
        "lookalike_mdph",
        "lookalike_impots",
        "lookalike_retraite_msa",
    ),
    "private dispute (landlord, other parent)": ("private_landlord", "private_other_parent"),
    "court case under way": ("court_case", "court_case_in_passing"),
    "false urgency": ("false_urgency",),
    "reform": ("reform",),
    "SMS style / capitals / dictation": ("voice_sms", "voice_caps", "voice_dictation"),
    "non-native French": ("voice_non_native",),
    "one-line entries": ("len_one_line",),
    "long stories": ("len_long",),
}


def slice_metrics(
    cases: Sequence[Case], probabilities: dict[str, np.ndarray], thresholds: dict[str, np.ndarray]
) -> dict[str, dict[str, Any]]:
    """Recevabilité accuracy, motif and benefit micro-F1 and urgency figures on each named slice."""
    results = {}
    for name, tags in SLICES.items():
        rows = [i for i, case in enumerate(cases) if set(case.tags) & set(tags)]
        if not rows:
            continue
        subset = [cases[i] for i in rows]
        sliced = {head: p[rows] for head, p in probabilities.items()}
        scores = evaluate_probabilities(subset, sliced, thresholds)
        urgent = label_matrix(subset, URGENCE)[:, 0]
        flagged = sliced["urgence"][:, 0] >= thresholds["urgence"][0]
        results[name] = {
            "n": len(rows),
            "recevabilite_accuracy": scores["recevabilite"]["accuracy"],
            "motifs_micro_f1": scores["motifs"]["micro_f1"],
            "prestations_micro_f1": scores["prestations"]["micro_f1"],
            "urgence_flag_rate": round(float(flagged.mean()), 4),
            "urgence_true_rate": round(float(urgent.mean()), 4),
        }
    return results
