"""The saved triage model: one featurizer shared by five calibrated linear heads.

Each head is a scikit-learn-compatible estimator and ``TriageModel.pipeline(name)`` gives the
per-head ``Pipeline`` (featurizer then head). Serving does not call five pipelines: it builds the
features once and applies every head as one sparse-dense product, which is the same arithmetic
without the per-estimator overhead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.pipeline import Pipeline
from spacy.lang.fr.stop_words import STOP_WORDS

from aiguillage.cues import CUE_LIBELLES
from aiguillage.features import TextFeaturizer
from aiguillage.redaction import PLACEHOLDERS
from aiguillage.routing import route
from aiguillage.taxonomy import HEADS_BY_NAME
from aiguillage.text import fold

MAX_REASONS = 5


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -35, 35)))


def softmax(z: np.ndarray) -> np.ndarray:
    shifted = z - z.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


class LinearHead(ClassifierMixin, BaseEstimator):
    """Linear scores, then calibration: Platt per label (multi-label, binary) or a temperature (single-label)."""

    def __init__(self, *, name: str = "", kind: str = "multi") -> None:
        self.name = name
        self.kind = kind

    def set_fitted(
        self,
        *,
        codes: list[str],
        coef: np.ndarray,
        intercept: np.ndarray,
        platt: np.ndarray | None = None,
        temperature: float = 1.0,
        thresholds: np.ndarray | None = None,
    ) -> LinearHead:
        self.classes_ = np.array(codes, dtype=object)
        self.coef_ = np.ascontiguousarray(coef, dtype=np.float32)
        self.intercept_ = np.asarray(intercept, dtype=np.float32)
        self.platt_ = platt if platt is not None else np.tile([1.0, 0.0], (len(codes), 1))
        self.temperature_ = float(temperature)
        self.thresholds_ = thresholds if thresholds is not None else np.full(len(codes), 0.5)
        return self

    def fit(self, features: sp.csr_matrix, target: Any) -> LinearHead:
        """Plain fit without calibration (``training.train`` also calibrates and picks thresholds on dev)."""
        from sklearn.linear_model import LogisticRegression

        if self.kind == "single":
            model = LogisticRegression(max_iter=3000).fit(features, target)
            return self.set_fitted(codes=list(model.classes_), coef=model.coef_, intercept=model.intercept_)
        target = np.asarray(target).reshape(features.shape[0], -1)
        models = [LogisticRegression(solver="liblinear").fit(features, column) for column in target.T]
        return self.set_fitted(
            codes=[str(i) for i in range(target.shape[1])],
            coef=np.vstack([m.coef_[0] for m in models]),
            intercept=np.array([m.intercept_[0] for m in models]),
        )

    def decision_function(self, features: sp.csr_matrix) -> np.ndarray:
        return np.asarray(features @ self.coef_.T) + self.intercept_

    def calibrate(self, scores: np.ndarray) -> np.ndarray:
        if self.kind == "single":
            return softmax(scores / self.temperature_)
        return sigmoid(scores * self.platt_[:, 0] + self.platt_[:, 1])

    def predict_proba(self, features: sp.csr_matrix) -> np.ndarray:
        return self.calibrate(self.decision_function(features))

    def predict(self, features: sp.csr_matrix) -> np.ndarray:
        probabilities = self.predict_proba(features)
        if self.kind == "single":
            return self.classes_[probabilities.argmax(axis=1)]
        return probabilities >= self.thresholds_


@dataclass
class TriageModel:
    """Everything needed to go from raw text to suggestions with reasons."""

    featurizer: TextFeaturizer
    heads: dict[str, LinearHead]
    version: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._stack()

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._stack()

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        for key in ("_weights", "_bias", "_slices", "_terms"):
            state.pop(key, None)
        return state

    def _stack(self) -> None:
        """One weight matrix for all heads, so scoring is a single product."""
        blocks, biases, self._slices = [], [], {}
        start = 0
        for name, head in self.heads.items():
            blocks.append(head.coef_)
            biases.append(head.intercept_)
            self._slices[name] = slice(start, start + len(head.classes_))
            start += len(head.classes_)
        self._weights = np.ascontiguousarray(np.vstack(blocks).T) if blocks else np.zeros((0, 0), np.float32)
        self._bias = np.concatenate(biases) if biases else np.zeros(0, np.float32)
        # What each feature reads as in a reason (None for character n-grams, vector dimensions and
        # function words): computed once, so a reason only looks at the few features it can show.
        names = getattr(self.featurizer, "feature_names_", None)
        self._terms = np.array([readable_term(str(n)) for n in names], dtype=object) if names is not None else None

    def pipeline(self, head: str) -> Pipeline:
        """The scikit-learn pipeline of one head (text in, calibrated probabilities out)."""
        return Pipeline([("features", self.featurizer), ("head", self.heads[head])])

    def score(self, texts: list[str]) -> tuple[sp.csr_matrix, dict[str, np.ndarray]]:
        """Calibrated probabilities of every head for a batch of texts."""
        features = self.featurizer.transform(texts)
        raw = np.asarray(features @ self._weights) + self._bias
        return features, {name: head.calibrate(raw[:, self._slices[name]]) for name, head in self.heads.items()}

    def predict(self, texts: list[str], *, reasons: bool = True) -> list[dict[str, Any]]:
        """Suggestions in the format of ``INTERFACES.md`` (without ``id``)."""
        features, probabilities = self.score(texts)
        return [
            self._suggestion(text, features[row], {name: p[row] for name, p in probabilities.items()}, reasons)
            for row, text in enumerate(texts)
        ]

    def _suggestion(
        self, text: str, features: sp.csr_matrix, probabilities: dict[str, np.ndarray], with_reasons: bool
    ) -> dict[str, Any]:
        suggestion: dict[str, Any] = {"model_version": self.version}
        shown = self._explainable(features) if with_reasons else None
        for name in ("motifs", "prestations"):
            head = self.heads[name]
            entries = []
            for index, code in enumerate(head.classes_):
                score = float(probabilities[name][index])
                predicted = bool(score >= head.thresholds_[index])
                entry: dict[str, Any] = {"code": code, "score": round(score, 4), "predicted": predicted}
                if predicted and with_reasons:
                    entry["reasons"] = self._reasons(shown, name, index)
                entries.append(entry)
            suggestion[name] = sorted(entries, key=lambda e: -e["score"])
        for name in ("recevabilite", "emetteur"):
            head = self.heads[name]
            scores = probabilities[name]
            best = int(scores.argmax())
            entry = {"code": head.classes_[best], "score": round(float(scores[best]), 4)}
            if name == "recevabilite":
                entry["scores"] = {code: round(float(s), 4) for code, s in zip(head.classes_, scores, strict=True)}
            if with_reasons:
                entry["reasons"] = self._reasons(shown, name, best)
            suggestion[name] = entry
        urgency = self.heads["urgence"]
        score = float(probabilities["urgence"][0])
        suggestion["urgence"] = {"predicted": bool(score >= urgency.thresholds_[0]), "score": round(score, 4)}
        if with_reasons and suggestion["urgence"]["predicted"]:
            suggestion["urgence"]["reasons"] = self._reasons(shown, "urgence", 0)
        suggestion["routing"] = route(suggestion["recevabilite"]["code"], text)
        return suggestion

    def reasons(self, features: sp.csr_matrix, head: str, index: int) -> list[dict[str, Any]]:
        """The words and cues of this text that pushed this label up the most."""
        return self._reasons(self._explainable(features), head, index)

    def _explainable(self, features: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(columns, values, terms) of the features of one text that a reason can show."""
        columns, values = features.indices, features.data
        terms = self._terms[columns]
        keep = terms != None  # noqa: E711 (element-wise on an object array)
        return columns[keep], values[keep], terms[keep]

    def _reasons(self, shown: tuple[np.ndarray, np.ndarray, np.ndarray], head: str, index: int) -> list[dict[str, Any]]:
        columns, values, terms = shown
        contributions = values * self.heads[head].coef_[index][columns]
        # Only the strongest few can be shown: a partial sort of them, not of every feature.
        strongest = min(len(contributions), 4 * MAX_REASONS)
        order = np.argpartition(-contributions, strongest - 1)[:strongest] if strongest else np.zeros(0, int)
        order = order[np.argsort(-contributions[order])]
        reasons, seen = [], set()
        for position in order:
            weight = float(contributions[position])
            if weight <= 0 or len(reasons) >= MAX_REASONS:
                break
            term = terms[position]
            if term in seen:
                continue
            seen.add(term)
            reasons.append({"term": term, "weight": round(weight, 3)})
        return reasons


# How placeholders read in a reason; function words alone are never shown as reasons.
_READABLE_TOKENS = {
    "num_date": "[date]",
    "num_annee": "[année]",
    "num_montant": "[montant]",
    "num_petit": "[nombre]",
    **{f"pii_{kind}": placeholder for kind, placeholder in PLACEHOLDERS.items()},
}
_MEANINGFUL_STOP_WORDS = {"rien", "plus", "jamais", "aucun", "aucune", "personne", "pas", "sans", "toujours", "non"}
_SILENT_WORDS = {fold(word) for word in STOP_WORDS} - _MEANINGFUL_STOP_WORDS


@lru_cache(maxsize=500_000)
def readable_term(feature: str) -> str | None:
    """A feature name a mediator can read, or None for character n-grams, vector dimensions and bare function words."""
    kind, _, name = feature.partition(":")
    if kind == "cue":
        return CUE_LIBELLES.get(name, name)
    if kind != "w":
        return None
    negated = name.startswith("neg_")
    if name.startswith(("lem_", "neg_")):
        name = name[4:]
    words = name.split()
    if all(word in _SILENT_WORDS or word in _READABLE_TOKENS for word in words):
        return None
    text = " ".join(_READABLE_TOKENS.get(word, word) for word in words)
    return f"négation … {text}" if negated else text


def head_kind(name: str) -> str:
    head = HEADS_BY_NAME[name]
    return "multi" if head.multi_label else "binary" if head.binary else "single"
