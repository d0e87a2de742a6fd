"""A mediator's session in a real browser: headless Debian chromium driven by Playwright.

Logs in, submits a saisine, reads the suggestions, corrects one with the keyboard, closes the
case and finds it closed. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from aiguillage.settings import Settings
from service.app import create_app
from service.db import make_engine, make_sessionmaker, upgrade_database
from service.store import set_password

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
SAISINE = (
    "Madame, Monsieur le Médiateur,\nJe m'appelle Karima Benali, numéro allocataire 4455413. Depuis mars, l'aide pour "
    "le loyer n'est plus versée. J'ai fait une réclamation le 3 avril et appelé le 3230 le 20 avril, toujours rien. "
    "Le propriétaire m'a envoyé un commandement de payer.\nCordialement,\nKarima Benali"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(mini_model_env, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    models_settings, _ = mini_model_env
    url = f"sqlite:///{tmp_path / 'browser.db'}"
    settings = Settings(var_dir=models_settings.var_dir, models_dir=models_settings.models_dir, database_url=url)
    upgrade_database(url)
    with make_sessionmaker(make_engine(url))() as session:
        set_password(session, user_name="mediatrice", role="mediator", password="un mot de passe sûr")
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, watch_models=False), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")
        browser.close()


def test_browser_mediator_closes_a_case_with_the_keyboard(server, page):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server + "/")
    assert page.url.startswith(server + "/connexion")
    assert page.get_attribute("html", "lang") == "fr"
    page.keyboard.type("mediatrice")
    page.keyboard.press("Tab")
    page.keyboard.type("un mot de passe sûr")
    page.keyboard.press("Enter")
    page.wait_for_url(server + "/")
    page.get_by_role("link", name="Nouvelle saisine").click()
    page.get_by_label("Texte de la saisine").fill(SAISINE)
    page.get_by_label("Canal").select_option("courrier")
    page.get_by_role("button", name="Enregistrer et analyser").click()
    page.wait_for_url("**/dossiers/*")
    page.screenshot(path=str(ARTIFACTS / "case_page.png"), full_page=True)
    assert page.get_by_text("Suggestions du modèle").is_visible()
    assert page.locator("mark.pii").count() >= 2
    case_url = page.url

    # Correct the suggestions with the keyboard: toggle "Relation de service", set the émetteur to "Tiers".
    relation = page.get_by_label("Relation de service")
    suggested = relation.is_checked()
    relation.focus()
    page.keyboard.press("Space")
    assert relation.is_checked() is not suggested
    page.get_by_label("Tiers").focus()
    page.keyboard.press("Space")
    assert page.get_by_label("Tiers").is_checked()
    page.get_by_role("button", name="Confirmer et clore le dossier").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("status").inner_text() == "Dossier clos."
    page.screenshot(path=str(ARTIFACTS / "case_closed.png"), full_page=True)

    page.get_by_role("link", name="File d'attente").click()
    assert page.get_by_text("Aucun dossier ouvert").is_visible()
    page.goto(case_url)
    assert page.get_by_label("Relation de service").is_checked() is not suggested
    assert page.get_by_label("Tiers").is_checked()
    page.screenshot(path=str(ARTIFACTS / "queue_empty.png"))
