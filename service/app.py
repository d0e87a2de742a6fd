"""The FastAPI application: ``create_app(settings)``; the model loads in the lifespan, not at import.

No ``from __future__ import annotations`` here: FastAPI must see the dependency annotations, which are local.
"""

import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from aiguillage.keys import load_or_create_secret
from aiguillage.redaction import Redactor, load_ner_pipeline
from aiguillage.settings import Settings
from service import store, web
from service.db import make_engine, make_sessionmaker, upgrade_database
from service.model_holder import ModelHolder
from service.security import Caller, TextVault, TokenCache, hash_token


class PredictIn(BaseModel):
    text: str = Field(min_length=1, max_length=store.MAX_TEXT_CHARS)


class CaseIn(BaseModel):
    text: str = Field(min_length=1, max_length=store.MAX_TEXT_CHARS)
    channel: Literal["teleprocedure", "courriel", "courrier"]
    received_at: date


class DecisionIn(BaseModel):
    motifs: list[str]
    prestations: list[str]
    recevabilite: str
    emetteur: str
    urgence: bool


def case_summary(case: Any) -> dict[str, Any]:
    prediction = case.prediction
    top = lambda name: next((e["code"] for e in prediction[name] if e["predicted"]), None)  # noqa: E731
    return {
        "id": case.id,
        "status": case.status,
        "channel": case.channel,
        "received_at": case.received_at.isoformat(),
        "days_waiting": (date.today() - case.received_at).days,
        "urgent": case.urgent,
        "recevabilite": prediction["recevabilite"]["code"],
        "routing": prediction["routing"]["destination"],
        "top_motif": top("motifs"),
        "top_prestation": top("prestations"),
        "model_version": case.model_version,
    }


def case_detail(case: Any) -> dict[str, Any]:
    decision = case.decision
    return {
        **case_summary(case),
        "text_redacted": case.text_redacted,
        "prediction": case.prediction,
        "decision": None
        if decision is None
        else {**decision.labels, "decided_by": decision.decided_by, "decided_at": decision.decided_at.isoformat()},
    }


def create_app(settings: Settings | None = None, *, watch_models: bool = True) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        url = settings.resolved_database_url
        upgrade_database(url)
        secret = load_or_create_secret(settings.resolved_secret_key_file)
        engine = make_engine(url)
        holder = ModelHolder(settings.models_dir, secret)
        if watch_models:
            holder.start()
        app.state.sessions = make_sessionmaker(engine)
        app.state.holder = holder
        app.state.redactor = Redactor(load_ner_pipeline(settings.spacy_model))  # names too, for stored cases
        app.state.vault = TextVault(secret)
        app.state.web_sessions = web.Sessions(secret, settings.session_max_age_seconds)
        app.state.models_dir = settings.models_dir
        app.state.tokens = TokenCache()
        yield
        holder.stop()
        engine.dispose()

    app = FastAPI(title="Aiguillage", version="0.1.0", lifespan=lifespan)
    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static")
    app.include_router(web.make_router())

    def get_session(request: Request) -> Iterator[Session]:
        with request.app.state.sessions() as session:
            yield session

    SessionDep = Annotated[Session, Depends(get_session)]

    def caller_for_token(request: Request, token: str) -> Caller | None:
        with request.app.state.sessions() as session:
            user = store.user_for_token(session, token)
            return Caller(user.name, user.role) if user is not None else None

    async def current_user(request: Request, authorization: Annotated[str | None, Header()] = None) -> Caller:
        if not authorization or not authorization.startswith("Bearer "):
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "jeton manquant / missing bearer token")
        token = authorization.removeprefix("Bearer ").strip()
        tokens: TokenCache = request.app.state.tokens
        token_hash = hash_token(token)
        caller = tokens.get(token_hash)
        if caller is None:
            caller = await run_in_threadpool(caller_for_token, request, token)
            if caller is None:
                raise HTTPException(status.HTTP_401_UNAUTHORIZED, "jeton invalide / invalid token")
            tokens.put(token_hash, caller)
        return caller

    UserDep = Annotated[Caller, Depends(current_user)]

    def services(request: Request) -> store.Services:
        state = request.app.state
        return store.Services(model=state.holder.model, redactor=state.redactor, vault=state.vault)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        messages = [f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}" for e in error.errors()]
        return JSONResponse({"error": "; ".join(messages)}, status_code=422)

    @app.exception_handler(web.LoginRequired)
    async def login_required(request: Request, _: web.LoginRequired) -> Response:
        return web.login_redirect(request)

    @app.exception_handler(store.InputError)
    async def bad_input(_: Request, error: store.InputError) -> JSONResponse:
        return JSONResponse({"error": str(error)}, status_code=422)

    @app.exception_handler(store.ConflictError)
    async def conflict(_: Request, error: store.ConflictError) -> JSONResponse:
        return JSONResponse({"error": str(error)}, status_code=409)

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, error: HTTPException) -> JSONResponse:
        return JSONResponse({"error": error.detail}, status_code=error.status_code, headers=error.headers)

    @app.get("/health")
    def health(request: Request) -> dict[str, Any]:
        return {"status": "ok", "model_version": request.app.state.holder.model.version}

    # Inline on the event loop: the work is a few milliseconds of CPU under the GIL, so a worker
    # thread would add a hand-over per request and no parallelism; the answer is serialised once.
    @app.post("/api/v1/predict")
    async def predict(body: PredictIn, request: Request, user: UserDep) -> Response:
        store.validate_text(body.text)
        (suggestion,) = request.app.state.holder.model.predict([body.text])
        return Response(json.dumps(suggestion, ensure_ascii=False), media_type="application/json")

    @app.post("/api/v1/cases", status_code=status.HTTP_201_CREATED)
    def create_case(body: CaseIn, request: Request, session: SessionDep, user: UserDep) -> dict[str, Any]:
        case = store.create_case(
            session,
            services(request),
            text=body.text,
            channel=body.channel,
            received_at=body.received_at,
            user=user.name,
        )
        return {"id": case.id, "prediction": case.prediction}

    @app.get("/api/v1/cases")
    def list_cases(session: SessionDep, user: UserDep, status: Literal["open"] = "open") -> list[dict[str, Any]]:
        return [case_summary(case) for case in store.open_queue(session, user.name)]

    @app.get("/api/v1/cases/{case_id}")
    def read_case(case_id: str, session: SessionDep, user: UserDep) -> dict[str, Any]:
        case = store.get_case(session, case_id, user.name)
        if case is None:
            raise HTTPException(404, f"dossier inconnu / unknown case {case_id}")
        return case_detail(case)

    @app.post("/api/v1/cases/{case_id}/decision")
    def decide(case_id: str, body: DecisionIn, session: SessionDep, user: UserDep) -> JSONResponse:
        if user.role not in ("mediator", "admin"):
            raise HTTPException(403, "seuls les médiateurs décident / only mediators decide")
        try:
            decision, created = store.decide(session, case_id, body.model_dump(), user.name)
        except LookupError:
            raise HTTPException(404, f"dossier inconnu / unknown case {case_id}") from None
        return JSONResponse(
            {"id": case_id, "status": "closed", "decision": decision.labels},
            status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    return app
