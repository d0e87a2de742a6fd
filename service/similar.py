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
_vectors: dict[tuple[str, str], sp.csr_matrix] = {}


def _vector(model: TriageModel, case: Case) -> sp.csr_matrix:
    """The model's features of a case, unit length; cached per model version (closed texts never change)."""
    key = (model.version, case.id)
    if key not in _vectors:
        features = model.featurizer.transform([case.text_redacted])
        norm = sp.linalg.norm(features)
        _vectors[key] = features / norm if norm else features
    return _vectors[key]


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
