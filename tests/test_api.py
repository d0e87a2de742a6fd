"""The HTTP contract of INTERFACES.md, on SQLite and (when AIGUILLAGE_TEST_POSTGRES_URL is set) PostgreSQL."""

from __future__ import annotations

import os
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text

from aiguillage.settings import Settings
from service.app import create_app
from service.db import make_engine, make_sessionmaker
from service.models import ApiToken, User
from service.security import hash_token
from service.store import create_token

POSTGRES_URL = os.environ.get("AIGUILLAGE_TEST_POSTGRES_URL")


def _postgres_database() -> str:
    """A fresh database on the test server, so runs never see each other's rows."""
    name = f"aiguillage_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(
    params=["sqlite", pytest.param("postgres", marks=[pytest.mark.postgres])],
)
def client(request, mini_model_env, tmp_path):
    models_settings, _ = mini_model_env
    if request.param == "postgres":
        if not POSTGRES_URL:
            pytest.skip("AIGUILLAGE_TEST_POSTGRES_URL is not set")
        url = _postgres_database()
    else:
        url = f"sqlite:///{tmp_path / 'store.db'}"
    settings = Settings(var_dir=models_settings.var_dir, models_dir=models_settings.models_dir, database_url=url)
    app = create_app(settings, watch_models=False)
    with TestClient(app) as test_client:
        with make_sessionmaker(make_engine(url))() as session:
            test_client.tokens = {
                role: create_token(session, user_name=f"{role}-{uuid.uuid4().hex[:6]}", role=role)
                for role in ("mediator", "service")
            }
        test_client.bearer = {"Authorization": f"Bearer {test_client.tokens['mediator']}"}
        yield test_client


SAISINE = (
    "Bonjour, je suis Karima Benali, NIR 2 61 12 13 609 509 89. Mon APL n'est plus versée depuis mars, "
    "j'ai fait une réclamation le 3 avril, toujours rien."
)
DECISION = {
    "motifs": ["absence_paiement"],
    "prestations": ["aide_logement"],
    "recevabilite": "recevable",
    "emetteur": "allocataire",
    "urgence": False,
}


def test_api_health_needs_no_token(client):
    response = client.get("/health")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_api_refuses_missing_or_wrong_token(client):
    missing = client.post("/api/v1/predict", json={"text": "x"})
    assert missing.status_code == 401, missing.text
    wrong = client.post("/api/v1/predict", json={"text": "x"}, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and "error" in wrong.json()


def test_api_predict_returns_the_batch_line_format(client):
    response = client.post("/api/v1/predict", json={"text": SAISINE}, headers=client.bearer)
    assert response.status_code == 200
    body = response.json()
    assert {"model_version", "motifs", "prestations", "recevabilite", "emetteur", "urgence", "routing"} <= set(body)
    assert "id" not in body


@pytest.mark.parametrize(
    "payload",
    [{}, {"text": ""}, {"text": "   "}, {"text": 12}, {"text": "x" * 60_000}],
)
def test_api_predict_rejects_bad_input_with_a_4xx(client, payload):
    response = client.post("/api/v1/predict", json=payload, headers=client.bearer)
    assert 400 <= response.status_code < 500 and response.json()["error"]


def test_api_case_lifecycle_redacts_predicts_and_closes(client):
    created = client.post(
        "/api/v1/cases",
        json={"text": SAISINE, "channel": "courriel", "received_at": "2026-11-02"},
        headers=client.bearer,
    )
    assert created.status_code == 201
    case_id = created.json()["id"]
    assert created.json()["prediction"]["recevabilite"]["code"]
    queue = client.get("/api/v1/cases?status=open", headers=client.bearer).json()
    assert case_id in [case["id"] for case in queue]
    detail = client.get(f"/api/v1/cases/{case_id}", headers=client.bearer).json()
    assert "Benali" not in detail["text_redacted"] and "609 509" not in detail["text_redacted"]
    assert detail["decision"] is None
    decided = client.post(f"/api/v1/cases/{case_id}/decision", json=DECISION, headers=client.bearer)
    assert decided.status_code == 201
    retried = client.post(f"/api/v1/cases/{case_id}/decision", json=DECISION, headers=client.bearer)
    assert retried.status_code == 200
    other = {**DECISION, "recevabilite": "hors_champ"}
    assert client.post(f"/api/v1/cases/{case_id}/decision", json=other, headers=client.bearer).status_code == 409
    closed = client.get(f"/api/v1/cases/{case_id}", headers=client.bearer).json()
    assert closed["status"] == "closed" and closed["decision"]["recevabilite"] == "recevable"
    assert case_id not in [case["id"] for case in client.get("/api/v1/cases", headers=client.bearer).json()]


def test_api_decision_is_validated_against_the_taxonomy(client):
    case_id = client.post(
        "/api/v1/cases",
        json={"text": SAISINE, "channel": "courriel", "received_at": "2026-11-02"},
        headers=client.bearer,
    ).json()["id"]
    bad = client.post(
        f"/api/v1/cases/{case_id}/decision", json={**DECISION, "motifs": ["inconnu"]}, headers=client.bearer
    )
    assert bad.status_code == 422 and "inconnu" in bad.json()["error"]
    assert client.get(f"/api/v1/cases/{case_id}", headers=client.bearer).json()["status"] == "open"
    missing = client.post("/api/v1/cases/nope/decision", json=DECISION, headers=client.bearer)
    assert missing.status_code == 404


def test_api_service_role_cannot_decide(client):
    service = {"Authorization": f"Bearer {client.tokens['service']}"}
    case_id = client.post(
        "/api/v1/cases",
        json={"text": SAISINE, "channel": "teleprocedure", "received_at": "2026-11-02"},
        headers=service,
    ).json()["id"]
    assert client.post(f"/api/v1/cases/{case_id}/decision", json=DECISION, headers=service).status_code == 403


def test_api_bad_case_input_changes_nothing(client):
    before = len(client.get("/api/v1/cases", headers=client.bearer).json())
    for payload in (
        {"text": SAISINE, "channel": "fax", "received_at": "2026-11-02"},
        {"text": SAISINE, "channel": "courriel", "received_at": "hier"},
        {"text": "", "channel": "courriel", "received_at": "2026-11-02"},
    ):
        response = client.post("/api/v1/cases", json=payload, headers=client.bearer)
        assert response.status_code == 422, response.text
    assert len(client.get("/api/v1/cases", headers=client.bearer).json()) == before


def test_token_cache_forgets_after_its_lifetime_and_stays_bounded(monkeypatch):
    from service import security

    now = [1000.0]
    monkeypatch.setattr(security.time, "monotonic", lambda: now[0])
    cache = security.TokenCache(ttl_seconds=10, max_entries=2)
    cache.put("a", security.Caller("guichet", "service"))
    assert cache.get("a") == security.Caller("guichet", "service")
    now[0] += 11
    assert cache.get("a") is None
    cache.put("b", security.Caller("b", "service"))
    cache.put("c", security.Caller("c", "service"))
    cache.put("d", security.Caller("d", "service"))
    assert len(cache._entries) <= 2 and cache.get("d") is not None


def test_a_revoked_token_is_refused_once_the_cache_lets_go(client):
    from service.security import TokenCache
    from service.store import revoke_tokens

    service = {"Authorization": f"Bearer {client.tokens['service']}"}
    assert client.post("/api/v1/predict", json={"text": SAISINE}, headers=service).status_code == 200
    with client.app.state.sessions() as session:
        user = session.scalar(
            select(User).join(ApiToken).where(ApiToken.token_hash == hash_token(client.tokens["service"]))
        )
        assert revoke_tokens(session, user_name=user.name) == 1
    client.app.state.tokens = TokenCache(ttl_seconds=0)
    assert client.post("/api/v1/predict", json={"text": SAISINE}, headers=service).status_code == 401
    assert client.post("/api/v1/predict", json={"text": SAISINE}, headers=client.bearer).status_code == 200
