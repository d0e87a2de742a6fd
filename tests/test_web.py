"""The mediator pages through HTTP: login, CSRF, new saisine, case page, decision, closed queue."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from aiguillage.settings import Settings
from service.app import create_app
from service.db import make_engine, make_sessionmaker
from service.store import set_password

SAISINE = (
    "Bonjour, je suis Karima Benali (allocataire 4455413). Depuis mars l'aide pour le loyer n'est plus versée. "
    "J'ai fait une réclamation le 3 avril, toujours rien, et le propriétaire parle d'expulsion."
)


@pytest.fixture
def browser(mini_model_env, tmp_path):
    models_settings, _ = mini_model_env
    url = f"sqlite:///{tmp_path / 'web.db'}"
    settings = Settings(var_dir=models_settings.var_dir, models_dir=models_settings.models_dir, database_url=url)
    with TestClient(create_app(settings, watch_models=False)) as client:
        with make_sessionmaker(make_engine(url))() as session:
            set_password(session, user_name="mediatrice", role="mediator", password="un mot de passe sûr")
        yield client


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _login(client: TestClient) -> None:
    response = client.post("/connexion", data={"nom": "mediatrice", "mot_de_passe": "un mot de passe sûr"})
    assert response.status_code == 200 and "File d'attente" in response.text


def test_web_pages_need_a_login(browser):
    response = browser.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/connexion")
    wrong = browser.post("/connexion", data={"nom": "mediatrice", "mot_de_passe": "faux"})
    assert wrong.status_code == 401 and "incorrect" in wrong.text


def test_web_saisine_to_closed_case(browser):
    _login(browser)
    form = browser.get("/saisines/nouvelle").text
    assert 'lang="fr"' in form and '<label for="texte">' in form
    created = browser.post(
        "/saisines/nouvelle",
        data={"texte": SAISINE, "canal": "courriel", "recue_le": "2026-11-02", "csrf": _csrf(form)},
    )
    assert created.status_code == 200
    page = created.text
    assert '<mark class="pii" title="nom">' in page and "Mots qui ont pesé" in page
    case_url = str(created.url)
    assert "/dossiers/" in case_url
    queue = browser.get("/").text
    assert case_url.rsplit("/", 1)[1] in queue
    decided = browser.post(
        case_url + "/decision",
        data={
            "csrf": _csrf(page),
            "recevabilite": "recevable",
            "motifs": ["absence_paiement"],
            "prestations": ["aide_logement"],
            "emetteur": "allocataire",
            "urgence": "oui",
        },
    )
    assert decided.status_code == 200 and "Dossier clos." in decided.text
    assert case_url.rsplit("/", 1)[1] not in browser.get("/").text


def test_web_forms_refuse_a_missing_csrf_token_but_keep_the_text(browser):
    _login(browser)
    response = browser.post(
        "/saisines/nouvelle", data={"texte": SAISINE, "canal": "courriel", "recue_le": "2026-11-02"}
    )
    assert response.status_code == 403
    assert "expiré" in response.text and "Karima Benali (allocataire 4455413)" in response.text
    assert "Aucun dossier ouvert" in browser.get("/").text


def test_web_bad_decision_keeps_the_case_open_and_the_form(browser):
    _login(browser)
    form = browser.get("/saisines/nouvelle").text
    page = browser.post(
        "/saisines/nouvelle",
        data={"texte": SAISINE, "canal": "courriel", "recue_le": "2026-11-02", "csrf": _csrf(form)},
    )
    response = browser.post(
        str(page.url) + "/decision",
        data={"csrf": _csrf(page.text), "recevabilite": "peut-etre", "emetteur": "allocataire"},
    )
    assert response.status_code == 422 and "peut-etre" in response.text
    assert "Confirmer et clore le dossier" in response.text


def test_web_model_page_shows_the_production_version(browser):
    _login(browser)
    page = browser.get("/modele").text
    assert "2026-01-01T000000-test" in page and "Seuils de décision" in page
