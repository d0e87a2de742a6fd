"""Train the triage model: ``train(cases, config) -> TrainingResult``.

Fit on the train split, calibrate and choose thresholds on the dev split, report dev and the
frozen test split (never used for any choice).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from scipy.optimize import minimize_scalar
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, f1_score

from aiguillage.features import TextFeaturizer
from aiguillage.metrics import evaluate_probabilities, label_matrix, slice_metrics
from aiguillage.model import LinearHead, TriageModel, head_kind
from aiguillage.records import Case
from aiguillage.splits import split_of
from aiguillage.taxonomy import HEADS, Head

THRESHOLD_GRID = np.round(np.arange(0.05, 0.96, 0.01), 2)


@dataclass(frozen=True)
class TrainConfig:
    """How a model is trained; saved in every model card."""

    seed: int = 13
    # A dev grid over 8..256 moved dev scores by 0.005 at most and doubled training time.
    c_grid: tuple[float, ...] = (32.0,)
    n_jobs: int = 2
    class_weight: str | None = "balanced"
    urgence_min_recall: float = 0.9
    # Block weights from 5-fold cross-validation on train+dev (2712 cases, test untouched): cues at
    # 0.3 cost 0.03 of recevabilité macro-F1 against 0.1, characters at 0.6 beat 0.3 on every head.
    featurizer: dict[str, Any] = field(
        default_factory=lambda: {
            "word_ngrams": (1, 2),
            "char_ngrams": (3, 5),
            "min_df": 2,
            "char_min_df": 3,
            "char_weight": 0.6,
            "vector_weight": 0.3,
            "cue_weight": 0.1,
        }
    )

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class TrainingResult:
    model: TriageModel
    metrics: dict[str, Any]
    counts: dict[str, int]
    seconds: float


def split_cases(cases: Sequence[Case]) -> dict[str, list[Case]]:
    splits: dict[str, list[Case]] = {"train": [], "dev": [], "test": []}
    for case in cases:
        splits[split_of(case.id)].append(case)
    return splits


def _fit_binary(features: sp.csr_matrix, target: np.ndarray, c: float, config: TrainConfig) -> LogisticRegression:
    if target.min() == target.max():  # a label absent from this training data: constant, never predicted
        model = LogisticRegression()
        model.coef_ = np.zeros((1, features.shape[1]))
        model.intercept_ = np.array([-10.0 if target.max() == 0 else 10.0])
        return model
    return LogisticRegression(
        C=c, solver="liblinear", class_weight=config.class_weight, random_state=config.seed, max_iter=2000
    ).fit(features, target)


def _platt(scores: np.ndarray, target: np.ndarray) -> tuple[float, float]:
    """Sigmoid calibration of one label's scores, fitted on the dev split."""
    if target.min() == target.max():
        return 1.0, 0.0
    model = LogisticRegression(C=1e4, solver="lbfgs").fit(scores.reshape(-1, 1), target)
    return float(model.coef_[0, 0]), float(model.intercept_[0])


def _f1_by_threshold(probabilities: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """F1 and recall at every grid threshold, in one vectorised pass."""
    predicted = probabilities[None, :] >= THRESHOLD_GRID[:, None]
    positives = target.astype(bool)[None, :]
    true_positive = (predicted & positives).sum(axis=1)
    false_positive = (predicted & ~positives).sum(axis=1)
    false_negative = (~predicted & positives).sum(axis=1)
    f1 = 2 * true_positive / np.maximum(2 * true_positive + false_positive + false_negative, 1)
    recall = true_positive / max(int(positives.sum()), 1)
    return f1, recall


def _best_threshold(probabilities: np.ndarray, target: np.ndarray, *, min_recall: float | None = None) -> float:
    """Best dev F1 threshold; with ``min_recall``, the highest threshold whose dev recall reaches it."""
    if target.sum() == 0:
        return 0.5
    f1, recall = _f1_by_threshold(probabilities, target)
    if min_recall is not None:
        reaching = np.flatnonzero(recall >= min_recall)
        return float(THRESHOLD_GRID[reaching[-1]]) if len(reaching) else float(THRESHOLD_GRID[0])
    return float(THRESHOLD_GRID[int(np.argmax(f1))])


def _select_c(
    x_train: sp.csr_matrix, y_train: np.ndarray, x_dev: sp.csr_matrix, y_dev: np.ndarray, config: TrainConfig
) -> tuple[float, LogisticRegression]:
    """The C whose model ranks the dev split best (average precision), with that model."""
    best: tuple[float, float, LogisticRegression] | None = None
    for c in config.c_grid:
        model = _fit_binary(x_train, y_train, c, config)
        dev_scores = np.asarray(x_dev @ model.coef_[0]) + model.intercept_[0]
        quality = average_precision_score(y_dev, dev_scores) if y_dev.any() else 0.0
        if best is None or quality > best[0] + 1e-9:
            best = (quality, c, model)
    assert best is not None
    return best[1], best[2]


def train_label_head(
    head: Head,
    x_train: sp.csr_matrix,
    y_train: np.ndarray,
    x_dev: sp.csr_matrix,
    y_dev: np.ndarray,
    config: TrainConfig,
) -> LinearHead:
    """Multi-label or binary head: one logistic regression per label, C chosen on dev average precision."""
    # liblinear releases the GIL: the labels are fitted on every core with threads, no copies.
    selected = Parallel(n_jobs=config.n_jobs, prefer="threads")(
        delayed(_select_c)(x_train, y_train[:, i], x_dev, y_dev[:, i], config) for i in range(y_train.shape[1])
    )
    coefs, intercepts, platts, thresholds = [], [], [], []
    for index, (_, model) in enumerate(selected):
        dev_scores = np.asarray(x_dev @ model.coef_[0]) + model.intercept_[0]
        a, b = _platt(dev_scores, y_dev[:, index])
        probabilities = 1.0 / (1.0 + np.exp(-(a * dev_scores + b)))
        min_recall = config.urgence_min_recall if head.binary else None
        coefs.append(model.coef_[0])
        intercepts.append(model.intercept_[0])
        platts.append((a, b))
        thresholds.append(_best_threshold(probabilities, y_dev[:, index], min_recall=min_recall))
    head_model = LinearHead(name=head.name, kind=head_kind(head.name)).set_fitted(
        codes=list(head.codes),
        coef=np.vstack(coefs),
        intercept=np.array(intercepts),
        platt=np.array(platts),
        thresholds=np.array(thresholds),
    )
    head_model.c_ = [c for c, _ in selected]
    return head_model


def _temperature(scores: np.ndarray, target_index: np.ndarray) -> float:
    def nll(log_t: float) -> float:
        z = scores / np.exp(log_t)
        z = z - z.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return -float(log_p[np.arange(len(target_index)), target_index].mean())

    return float(np.exp(minimize_scalar(nll, bounds=(-3, 3), method="bounded").x))


def train_single_head(
    head: Head, x_train: sp.csr_matrix, y_train: list[str], x_dev: sp.csr_matrix, y_dev: list[str], config: TrainConfig
) -> LinearHead:
    """Single-label head: multinomial logistic regression, C chosen on dev macro-F1, temperature on dev."""
    codes = list(head.codes)

    def fit(c: float) -> tuple[float, float, LogisticRegression]:
        model = LogisticRegression(C=c, class_weight=config.class_weight, max_iter=3000, random_state=config.seed)
        model.fit(x_train, y_train)
        return f1_score(y_dev, model.predict(x_dev), average="macro", zero_division=0), c, model

    fitted = Parallel(n_jobs=config.n_jobs, prefer="threads")(delayed(fit)(c) for c in config.c_grid)
    _, chosen_c, model = max(fitted, key=lambda item: (item[0], -item[1]))
    coef = np.zeros((len(codes), x_train.shape[1]))
    intercept = np.full(len(codes), -30.0)  # a class never seen in training is never suggested
    weights, biases = model.coef_, model.intercept_
    if len(model.classes_) == 2:  # scikit-learn keeps one row for two classes: split it symmetrically
        weights = np.vstack([-weights[0] / 2, weights[0] / 2])
        biases = np.array([-biases[0] / 2, biases[0] / 2])
    for row, code in enumerate(model.classes_):
        coef[codes.index(code)] = weights[row]
        intercept[codes.index(code)] = biases[row]
    dev_scores = np.asarray(x_dev @ coef.T) + intercept
    temperature = _temperature(dev_scores, np.array([codes.index(code) for code in y_dev]))
    head_model = LinearHead(name=head.name, kind="single").set_fitted(
        codes=codes, coef=coef, intercept=intercept, temperature=temperature
    )
    head_model.c_ = [chosen_c]
    return head_model


def train(cases: Sequence[Case], config: TrainConfig | None = None, *, version: str = "") -> TrainingResult:
    """Fit every head on the train split; texts must already be redacted (see ``training.prepare``)."""
    config = config or TrainConfig()
    started = time.perf_counter()
    splits = split_cases(cases)
    if not splits["train"] or not splits["dev"]:
        raise ValueError("training needs cases in both the train and the dev split")
    featurizer = TextFeaturizer(**config.featurizer)
    featurizer.lemmas_ = featurizer._lemma_table([case.text for case in splits["train"]])
    analyses = {name: featurizer.analyze_many([c.text for c in part]) for name, part in splits.items()}
    featurizer.fit_analyses(analyses["train"])
    matrices = {name: featurizer.transform_analyses(a) if a else None for name, a in analyses.items()}
    heads: dict[str, LinearHead] = {}
    for head in HEADS:
        if head.multi_label or head.binary:
            heads[head.name] = train_label_head(
                head,
                matrices["train"],
                label_matrix(splits["train"], head),
                matrices["dev"],
                label_matrix(splits["dev"], head),
                config,
            )
        else:
            heads[head.name] = train_single_head(
                head,
                matrices["train"],
                [getattr(c, head.name) for c in splits["train"]],
                matrices["dev"],
                [getattr(c, head.name) for c in splits["dev"]],
                config,
            )
    model = TriageModel(featurizer=featurizer, heads=heads, version=version)
    thresholds = {name: head.thresholds_ for name, head in heads.items()}
    metrics: dict[str, Any] = {}
    for name in ("dev", "test"):
        if matrices[name] is None:
            continue
        probabilities = _probabilities(model, matrices[name])
        metrics[name] = evaluate_probabilities(splits[name], probabilities, thresholds)
        metrics[name]["slices"] = slice_metrics(splits[name], probabilities, thresholds)
    counts = {name: len(part) for name, part in splits.items()}
    return TrainingResult(model, metrics, counts, round(time.perf_counter() - started, 1))


def _probabilities(model: TriageModel, features: sp.csr_matrix) -> dict[str, np.ndarray]:
    return {name: head.predict_proba(features) for name, head in model.heads.items()}
