"""The closed cases closest to a saisine, with how they were decided (shown on the case page)."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from sqlalchemy import select
from sqlalchemy.orm import Session

from aiguillage.model import TriageModel
from service.models import Case

RECENT_CLOSED = 500
MAX_CACHED = 5 * RECENT_CLOSED
_cache: dict[str, Any] = {"version": None, "vectors": {}}


def _vector(model: TriageModel, case: Case) -> sp.csr_matrix:
    """The model's features of a case, unit length; cached for the serving model only (texts never change)."""
    if _cache["version"] != model.version or len(_cache["vectors"]) > MAX_CACHED:
        _cache["version"], _cache["vectors"] = model.version, {}
    vectors = _cache["vectors"]
    if case.id not in vectors:
        features = model.featurizer.transform([case.text_redacted])
        norm = sp.linalg.norm(features)
        vectors[case.id] = features / norm if norm else features
    return vectors[case.id]


def closest_closed_cases(session: Session, model: TriageModel, case: Case, k: int = 5) -> list[dict[str, Any]]:
    closed = session.scalars(
        select(Case)
        .where(Case.status == "closed", Case.id != case.id)
        .order_by(Case.closed_at.desc())
        .limit(RECENT_CLOSED)
    ).all()
    if not closed:
        return []
    target = _vector(model, case)
    matrix = sp.vstack([_vector(model, other) for other in closed])
    similarity = np.asarray((matrix @ target.T).todense()).ravel()
    best = np.argsort(-similarity)[:k]
    return [
        {"case": closed[i], "similarity": float(similarity[i]), "decision": closed[i].decision.labels}
        for i in best
        if closed[i].decision is not None
    ]
