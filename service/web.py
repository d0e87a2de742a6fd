"""The mediator's pages (French): login, queue, case, new saisine, model. Session cookie and CSRF on every form."""

from __future__ import annotations

import hmac
import secrets
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from itsdangerous import BadSignature, URLSafeTimedSerializer
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from aiguillage.keys import derive_key
from aiguillage.registry import read_card
from aiguillage.taxonomy import CHANNELS, EMETTEUR, HEADS_BY_NAME, MOTIFS, PRESTATIONS, RECEVABILITE
from service import store
from service.models import Case, User
from service.security import verify_password
from service.similar import closest_closed_cases

COOKIE = "aiguillage_session"
EXPIRED = "Le formulaire avait expiré : rien n'a été enregistré. Vérifiez et validez à nouveau."
OBJECTIVE_DAYS = 8
REDACTION_LABELS = {
    "nir": "NIR",
    "iban": "IBAN",
    "carte": "carte bancaire",
    "email": "courriel",
    "telephone": "téléphone",
    "numero_allocataire": "numéro allocataire",
    "numero": "numéro",
    "adresse": "adresse",
    "personne": "nom",
}

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.globals.update(heads=HEADS_BY_NAME, objective_days=OBJECTIVE_DAYS)


class LoginRequired(Exception):
    """A page needs a logged-in mediator or admin; the application answers with the login page."""


def login_redirect(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/connexion?suite={request.url.path}", status_code=303)


class Sessions:
    """Signed session cookies holding the user name and a CSRF token."""

    def __init__(self, secret: bytes, max_age: int) -> None:
        self.serializer = URLSafeTimedSerializer(derive_key(secret, "aiguillage/web-session").hex(), salt="session")
        self.max_age = max_age

    def read(self, request: Request) -> dict[str, str] | None:
        cookie = request.cookies.get(COOKIE)
        if not cookie:
            return None
        try:
            return self.serializer.loads(cookie, max_age=self.max_age)
        except BadSignature:
            return None

    def issue(self, response: Response, user: str) -> None:
        value = self.serializer.dumps({"user": user, "csrf": secrets.token_urlsafe(24)})
        response.set_cookie(COOKIE, value, max_age=self.max_age, httponly=True, samesite="strict")


def highlighted(text: str, spans: list[list[Any]]) -> Markup:
    """The original text with personal data marked, escaped everywhere else."""
    pieces, cursor = [], 0
    for start, end, kind in sorted(spans):
        label = REDACTION_LABELS.get(kind, kind)
        pieces.append(escape(text[cursor:start]))
        pieces.append(f'<mark class="pii" title="{label}">{escape(text[start:end])}</mark>')
        cursor = end
    pieces.append(escape(text[cursor:]))
    return Markup("".join(pieces))


def make_router() -> APIRouter:
    router = APIRouter()

    def session_of(request: Request) -> Session:
        return request.app.state.sessions()

    def logged_in(request: Request, db: Session) -> tuple[User, dict[str, str]]:
        """The user of the session cookie and its data, or ``LoginRequired``."""
        data = request.app.state.web_sessions.read(request)
        user = db.scalar(select(User).where(User.name == data["user"])) if data is not None else None
        if user is None or user.role not in ("mediator", "admin"):
            raise LoginRequired
        return user, data

    def csrf_ok(data: dict[str, str], token: str) -> bool:
        return hmac.compare_digest(data["csrf"], token or "")

    def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status_code)

    @router.get("/connexion", response_class=HTMLResponse)
    def login_page(request: Request, suite: str = "/") -> HTMLResponse:
        return render(request, "login.html", suite=suite, error=None)

    @router.post("/connexion")
    def login(request: Request, nom: str = Form(""), mot_de_passe: str = Form(""), suite: str = Form("/")) -> Response:
        with session_of(request) as db:
            user = db.scalar(select(User).where(User.name == nom))
            if (
                user is None
                or user.role not in ("mediator", "admin")
                or not verify_password(user.password_hash, mot_de_passe)
            ):
                store.audit(db, nom or "?", "login.failed")
                db.commit()
                return render(request, "login.html", 401, suite=suite, error="Nom ou mot de passe incorrect.")
            store.audit(db, user.name, "login")
            db.commit()
        response = RedirectResponse(suite if suite.startswith("/") and not suite.startswith("//") else "/", 303)
        request.app.state.web_sessions.issue(response, nom)
        return response

    @router.post("/deconnexion")
    def logout() -> Response:
        response = RedirectResponse("/connexion", 303)
        response.delete_cookie(COOKIE)
        return response

    @router.get("/", response_class=HTMLResponse)
    def queue(request: Request) -> Response:
        with session_of(request) as db:
            user, data = logged_in(request, db)
            cases = store.open_queue(db, user.name)
            rows = [
                {"case": case, "days": (date.today() - case.received_at).days, "prediction": case.prediction}
                for case in cases
            ]
            return render(request, "queue.html", user=user, csrf=data["csrf"], rows=rows)

    @router.get("/dossiers/{case_id}", response_class=HTMLResponse)
    def case_page(request: Request, case_id: str, message: str | None = None) -> Response:
        with session_of(request) as db:
            user, data = logged_in(request, db)
            case = store.get_case(db, case_id, user.name, original=True)
            if case is None:
                return render(request, "error.html", 404, user=user, csrf=data["csrf"], message="Dossier introuvable.")
            return _case_response(request, db, case, user, data, message=message)

    def _case_response(
        request: Request,
        db: Session,
        case: Case,
        user: User,
        data: dict[str, str],
        *,
        message: str | None = None,
        error: str | None = None,
        status_code: int = 200,
        form: dict[str, Any] | None = None,
    ) -> HTMLResponse:
        original = request.app.state.vault.open(case.text_encrypted)
        prediction = case.prediction
        prefill = form or (
            case.decision.labels
            if case.decision is not None
            else {
                "motifs": [e["code"] for e in prediction["motifs"] if e["predicted"]],
                "prestations": [e["code"] for e in prediction["prestations"] if e["predicted"]],
                "recevabilite": prediction["recevabilite"]["code"],
                "emetteur": prediction["emetteur"]["code"],
                "urgence": prediction["urgence"]["predicted"],
            }
        )
        similar = closest_closed_cases(db, request.app.state.holder.model, case)
        return render(
            request,
            "case.html",
            status_code,
            user=user,
            csrf=data["csrf"],
            case=case,
            text=highlighted(original, case.pii_spans),
            prediction=prediction,
            prefill=prefill,
            similar=similar,
            message=message,
            error=error,
            motifs=MOTIFS,
            prestations=PRESTATIONS,
            recevabilite=RECEVABILITE,
            emetteur=EMETTEUR,
            days=(date.today() - case.received_at).days,
        )

    @router.post("/dossiers/{case_id}/decision")
    async def decide(request: Request, case_id: str) -> Response:
        form = await request.form()
        with session_of(request) as db:
            user, data = logged_in(request, db)
            case = db.get(Case, case_id)
            if case is None:
                return render(request, "error.html", 404, user=user, csrf=data["csrf"], message="Dossier introuvable.")
            payload = {
                "motifs": form.getlist("motifs"),
                "prestations": form.getlist("prestations"),
                "recevabilite": form.get("recevabilite"),
                "emetteur": form.get("emetteur"),
                "urgence": form.get("urgence") == "oui",
            }
            if not csrf_ok(data, str(form.get("csrf", ""))):  # keep the mediator's choices, ask to confirm
                return _case_response(request, db, case, user, data, error=EXPIRED, status_code=403, form=payload)
            try:
                _, created = store.decide(db, case_id, payload, user.name)
            except (store.InputError, store.ConflictError) as problem:
                return _case_response(request, db, case, user, data, error=str(problem), status_code=422, form=payload)
        message = "Dossier clos." if created else "Ce dossier était déjà clos avec cette décision."
        return RedirectResponse(f"/dossiers/{case_id}?message={message}", status_code=303)

    @router.get("/saisines/nouvelle", response_class=HTMLResponse)
    def new_case_page(request: Request) -> Response:
        with session_of(request) as db:
            user, data = logged_in(request, db)
            return render(
                request,
                "new_case.html",
                user=user,
                csrf=data["csrf"],
                channels=CHANNELS,
                form={"channel": "courriel", "received_at": date.today().isoformat(), "text": ""},
                error=None,
            )

    @router.post("/saisines/nouvelle")
    def new_case(
        request: Request, texte: str = Form(""), canal: str = Form(""), recue_le: str = Form(""), csrf: str = Form("")
    ) -> Response:
        with session_of(request) as db:
            user, data = logged_in(request, db)
            form = {"channel": canal, "received_at": recue_le, "text": texte}
            if not csrf_ok(data, csrf):  # keep the text typed or pasted, ask to confirm
                return render(
                    request,
                    "new_case.html",
                    403,
                    user=user,
                    csrf=data["csrf"],
                    channels=CHANNELS,
                    form=form,
                    error=EXPIRED,
                )
            try:
                received = date.fromisoformat(recue_le)
                services = store.Services(
                    request.app.state.holder.model, request.app.state.redactor, request.app.state.vault
                )
                case = store.create_case(db, services, text=texte, channel=canal, received_at=received, user=user.name)
            except ValueError as problem:
                message = str(problem) if isinstance(problem, store.InputError) else "Date de réception invalide."
                return render(
                    request,
                    "new_case.html",
                    422,
                    user=user,
                    csrf=data["csrf"],
                    channels=CHANNELS,
                    form=form,
                    error=message,
                )
        return RedirectResponse(f"/dossiers/{case.id}", status_code=303)

    @router.get("/modele", response_class=HTMLResponse)
    def model_page(request: Request) -> Response:
        with session_of(request) as db:
            user, data = logged_in(request, db)
        model = request.app.state.holder.model
        card = read_card(request.app.state.models_dir, model.version)
        return render(request, "model.html", user=user, csrf=data["csrf"], card=card)

    return router
