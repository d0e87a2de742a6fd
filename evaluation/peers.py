"""The models Aiguillage is compared with, behind one small interface.

Every peer trains on the same (redacted) train split, gets its thresholds from the dev split by
the same rule as Aiguillage (best dev F1 per label; for urgence the highest threshold reaching
the recall floor) and predicts probabilities for every head.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from aiguillage.metrics import label_matrix
from aiguillage.records import Case
from aiguillage.taxonomy import EMETTEUR, MOTIFS, PRESTATIONS, RECEVABILITE, URGENCE, Head
from training.train import TrainConfig, _best_threshold, train

LABEL_HEADS = (MOTIFS, PRESTATIONS, URGENCE)
CLASS_HEADS = (RECEVABILITE, EMETTEUR)


def dev_thresholds(peer: Peer, dev: Sequence[Case], min_recall: float = 0.9) -> dict[str, np.ndarray]:
    probabilities = peer.predict_proba([case.text for case in dev])
    thresholds = {}
    for head in LABEL_HEADS:
        truth = label_matrix(dev, head)
        thresholds[head.name] = np.array(
            [
                _best_threshold(
                    probabilities[head.name][:, i], truth[:, i], min_recall=min_recall if head.binary else None
                )
                for i in range(truth.shape[1])
            ]
        )
    return thresholds


class Peer:
    name = ""

    def fit(self, train_cases: Sequence[Case], dev_cases: Sequence[Case]) -> Peer:
        raise NotImplementedError

    def predict_proba(self, texts: list[str]) -> dict[str, np.ndarray]:
        raise NotImplementedError


class AiguillagePeer(Peer):
    name = "Aiguillage"

    def __init__(self, seed: int = 13) -> None:
        self.seed = seed

    def fit(self, train_cases: Sequence[Case], dev_cases: Sequence[Case]) -> Peer:
        self.model = train([*train_cases, *dev_cases], TrainConfig(seed=self.seed), version="bench").model
        self.thresholds = {name: head.thresholds_ for name, head in self.model.heads.items()}
        return self

    def predict_proba(self, texts: list[str]) -> dict[str, np.ndarray]:
        return self.model.score(texts)[1]


class TfidfLogisticPeer(Peer):
    """Word 1-2-gram TF-IDF and logistic regression, scikit-learn's defaults for text, no spaCy."""

    name = "TF-IDF + logistic regression"

    def fit(self, train_cases: Sequence[Case], dev_cases: Sequence[Case]) -> Peer:
        texts = [case.text for case in train_cases]
        self.vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True).fit(texts)
        features = self.vectorizer.transform(texts)
        self.label_models = {
            head.name: [
                LogisticRegression(C=4.0, solver="liblinear", class_weight="balanced").fit(features, column)
                for column in label_matrix(train_cases, head).T
            ]
            for head in LABEL_HEADS
        }
        self.class_models = {
            head.name: LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced").fit(
                features, [getattr(case, head.name) for case in train_cases]
            )
            for head in CLASS_HEADS
        }
        self.thresholds = dev_thresholds(self, dev_cases)
        return self

    def predict_proba(self, texts: list[str]) -> dict[str, np.ndarray]:
        features = self.vectorizer.transform(texts)
        result = {
            name: np.column_stack([model.predict_proba(features)[:, 1] for model in models])
            for name, models in self.label_models.items()
        }
        for head in CLASS_HEADS:
            result[head.name] = _aligned(
                self.class_models[head.name].predict_proba(features), self.class_models[head.name].classes_, head
            )
        return result


def _aligned(probabilities: np.ndarray, classes: Sequence[str], head: Head) -> np.ndarray:
    aligned = np.zeros((probabilities.shape[0], len(head.codes)))
    for column, code in enumerate(classes):
        aligned[:, head.codes.index(code)] = probabilities[:, column]
    return aligned


class SpacyTextcatPeer(Peer):
    """spaCy's own text classifiers (default ensemble architecture) on a blank French pipeline."""

    name = "spaCy textcat / textcat_multilabel"

    def __init__(self, epochs: int = 8, seed: int = 13) -> None:
        self.epochs = epochs
        self.seed = seed

    def fit(self, train_cases: Sequence[Case], dev_cases: Sequence[Case]) -> Peer:
        import spacy
        from spacy.training import Example
        from spacy.util import fix_random_seed, minibatch

        fix_random_seed(self.seed)
        self.pipelines = {}
        for head in (*LABEL_HEADS, *CLASS_HEADS):
            nlp = spacy.blank("fr")
            textcat = nlp.add_pipe("textcat" if head in CLASS_HEADS else "textcat_multilabel")
            for code in head.codes:
                textcat.add_label(code)
            examples = [Example.from_dict(nlp.make_doc(c.text), {"cats": _cats(c, head)}) for c in train_cases]
            optimizer = nlp.initialize(lambda examples=examples: examples)
            shuffled = list(examples)
            rng = random.Random(self.seed)
            for _ in range(self.epochs):
                rng.shuffle(shuffled)
                for batch in minibatch(shuffled, size=32):
                    nlp.update(batch, sgd=optimizer, drop=0.2)
            self.pipelines[head.name] = nlp
        self.thresholds = dev_thresholds(self, dev_cases)
        return self

    def predict_proba(self, texts: list[str]) -> dict[str, np.ndarray]:
        result = {}
        for head in (*LABEL_HEADS, *CLASS_HEADS):
            docs = self.pipelines[head.name].pipe(texts, batch_size=64)
            result[head.name] = np.array([[doc.cats[code] for code in head.codes] for doc in docs])
        return result


def _cats(case: Case, head: Head) -> dict[str, float]:
    if head.binary:
        return {"urgent": float(case.urgence)}
    if head in CLASS_HEADS:
        return {code: float(getattr(case, head.name) == code) for code in head.codes}
    return {code: float(code in getattr(case, head.name)) for code in head.codes}


class FastTextPeer(Peer):
    """fastText supervised (word bigrams; one-vs-all loss for multi-label heads)."""

    name = "fastText"

    def __init__(self, seed: int = 13) -> None:
        self.seed = seed

    def fit(self, train_cases: Sequence[Case], dev_cases: Sequence[Case]) -> Peer:
        import fasttext

        self.models = {}
        with tempfile.TemporaryDirectory() as folder:
            for head in (*LABEL_HEADS, *CLASS_HEADS):
                path = Path(folder) / f"{head.name}.txt"
                lines = []
                for case in train_cases:
                    labels = [code for code, value in _cats(case, head).items() if value] or ["none"]
                    lines.append(" ".join(f"__label__{code}" for code in labels) + " " + _one_line(case.text))
                path.write_text("\n".join(lines) + "\n", encoding="utf-8")
                self.models[head.name] = fasttext.train_supervised(
                    str(path),
                    epoch=30,
                    lr=0.5,
                    wordNgrams=2,
                    minCount=1,
                    verbose=0,
                    thread=1,
                    seed=self.seed,
                    loss="softmax" if head in CLASS_HEADS else "ova",
                )
        self.thresholds = dev_thresholds(self, dev_cases)
        return self

    def predict_proba(self, texts: list[str]) -> dict[str, np.ndarray]:
        result = {}
        for head in (*LABEL_HEADS, *CLASS_HEADS):
            model = self.models[head.name]
            rows = []
            for text in texts:
                # The C++ binding directly: the Python wrapper's predict breaks with NumPy 2 (copy=False).
                pairs = dict((label, prob) for prob, label in model.f.predict(_one_line(text), -1, 0.0, "strict"))
                rows.append([pairs.get(f"__label__{code}", 0.0) for code in head.codes])
            result[head.name] = np.clip(np.array(rows), 0.0, 1.0)
        return result


def _one_line(text: str) -> str:
    return " ".join(text.lower().split())


PEERS = {"aiguillage": AiguillagePeer, "tfidf": TfidfLogisticPeer, "spacy": SpacyTextcatPeer, "fasttext": FastTextPeer}
