"""Case store operations: create, list, read, decide; each one audited, none logs a text."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from aiguillage.model import TriageModel
from aiguillage.predict import MAX_TEXT_CHARS
from aiguillage.records import Case as LabelledCase
from aiguillage.records import label_problems
from aiguillage.redaction import Redactor
from aiguillage.taxonomy import CHANNELS
from service.models import ROLES, ApiToken, AuditEvent, Case, Decision, User, utcnow
from service.security import TextVault, hash_password, hash_token, new_token


class InputError(ValueError):
    """Bad input from a client: becomes a 4xx with this message."""


class ConflictError(ValueError):
    """A request that contradicts what is stored (a closed case decided differently)."""


@dataclass
class Services:
    """What the store needs besides a session: the model, the redactor and the vault."""

    model: TriageModel
    redactor: Redactor
    vault: TextVault


def audit(session: Session, user: str, action: str, case_id: str | None = None, **detail: Any) -> None:
    session.add(AuditEvent(user_name=user, action=action, case_id=case_id, detail=detail))


def validate_text(text: Any) -> str:
    if not isinstance(text, str) or not text.strip():
        raise InputError("le texte est vide / the text is empty")
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(f"le texte dépasse {MAX_TEXT_CHARS} caractères / text longer than {MAX_TEXT_CHARS} characters")
    return text


def create_case(session: Session, services: Services, *, text: str, channel: str, received_at: date, user: str) -> Case:
    """Redact, encrypt the original, predict on the redacted text, store; one transaction."""
    text = validate_text(text).replace("\r\n", "\n").replace("\r", "\n")  # forms send CRLF
    if channel not in CHANNELS:
        raise InputError(f"canal inconnu {channel!r} (attendu : {', '.join(CHANNELS)})")
    redaction = services.redactor.redact(text)
    (prediction,) = services.model.predict([redaction.text])
    case = Case(
        id=str(uuid.uuid4()),
        channel=channel,
        received_at=received_at,
        text_redacted=redaction.text,
        text_encrypted=services.vault.seal(text),
        pii_spans=[[span.start, span.end, span.kind] for span in redaction.spans],
        prediction=prediction,
        model_version=prediction["model_version"],
        urgent=prediction["urgence"]["predicted"],
        urgency_score=prediction["urgence"]["score"],
        created_by=user,
    )
    session.add(case)
    audit(session, user, "case.create", case.id, channel=channel)
    session.commit()
    return case


def open_queue(session: Session, user: str) -> list[Case]:
    """Open cases, urgent first, then oldest first."""
    cases = session.scalars(
        select(Case).where(Case.status == "open").order_by(Case.urgent.desc(), Case.received_at, Case.created_at)
    ).all()
    audit(session, user, "queue.read", count=len(cases))
    session.commit()
    return list(cases)


def get_case(session: Session, case_id: str, user: str, *, original: bool = False) -> Case | None:
    case = session.get(Case, case_id)
    if case is not None:
        audit(session, user, "case.read_original" if original else "case.read", case.id)
        session.commit()
    return case


def normalise_decision(payload: Any) -> dict[str, Any]:
    """The decision's labels, checked against the taxonomy, in a canonical order."""
    if not isinstance(payload, dict):
        raise InputError("la décision doit être un objet JSON / the decision must be a JSON object")
    labels = {key: payload.get(key) for key in ("motifs", "prestations", "recevabilite", "emetteur", "urgence")}
    problems = label_problems({"id": "decision", "text": "-", **labels})
    if problems:
        raise InputError("; ".join(problems))
    return {**labels, "motifs": sorted(labels["motifs"]), "prestations": sorted(labels["prestations"])}


def decide(session: Session, case_id: str, payload: Any, user: str) -> tuple[Decision, bool]:
    """Record the mediator's labels and close the case. Returns (decision, created).

    A retried request with the same labels returns the stored decision (nothing new is created);
    different labels on a closed case are a conflict.
    """
    labels = normalise_decision(payload)
    case = session.get(Case, case_id)
    if case is None:
        raise LookupError(case_id)
    if case.decision is not None:
        if case.decision.labels == labels:
            return case.decision, False
        raise ConflictError("ce dossier est déjà clos avec une autre décision / case already closed differently")
    decision = Decision(case_id=case.id, labels=labels, decided_by=user)
    case.status = "closed"
    case.closed_at = utcnow()
    session.add(decision)
    audit(session, user, "case.decide", case.id, recevabilite=labels["recevabilite"])
    session.commit()
    return decision, True


def closed_cases_for_training(session: Session) -> list[LabelledCase]:
    """Closed cases as labelled, redacted training cases (the nightly retraining reads these)."""
    rows = session.scalars(select(Case).where(Case.status == "closed")).all()
    return [
        LabelledCase(
            id=f"store-{case.id}",
            text=case.text_redacted,
            motifs=tuple(case.decision.labels["motifs"]),
            prestations=tuple(case.decision.labels["prestations"]),
            recevabilite=case.decision.labels["recevabilite"],
            emetteur=case.decision.labels["emetteur"],
            urgence=case.decision.labels["urgence"],
            channel=case.channel,
        )
        for case in rows
        if case.decision is not None
    ]


def create_token(session: Session, *, user_name: str, role: str) -> str:
    """A new API token for this user (created if needed); only its hash is stored."""
    if role not in ROLES:
        raise InputError(f"rôle inconnu {role!r} (attendu : {', '.join(ROLES)})")
    user = session.scalar(select(User).where(User.name == user_name))
    if user is None:
        user = User(name=user_name, role=role)
        session.add(user)
        session.flush()
    elif user.role != role:
        raise ConflictError(f"{user_name} already exists with role {user.role}")
    token, token_hash = new_token()
    session.add(ApiToken(user_id=user.id, token_hash=token_hash))
    audit(session, "cli", "token.create", target=user_name, role=role)
    session.commit()
    return token


def revoke_tokens(session: Session, *, user_name: str) -> int:
    """Delete every API token of this user; running services refuse them within the token cache's lifetime."""
    user = session.scalar(select(User).where(User.name == user_name))
    if user is None:
        raise LookupError(user_name)
    tokens = session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).all()
    for token in tokens:
        session.delete(token)
    audit(session, "cli", "token.revoke", target=user_name, count=len(tokens))
    session.commit()
    return len(tokens)


def set_password(session: Session, *, user_name: str, role: str, password: str) -> None:
    user = session.scalar(select(User).where(User.name == user_name))
    if user is None:
        user = User(name=user_name, role=role)
        session.add(user)
    user.password_hash = hash_password(password)
    audit(session, "cli", "user.password", target=user_name)
    session.commit()


def user_for_token(session: Session, token: str) -> User | None:
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    return row.user if row is not None else None
