"""Routing follows recevabilité and names the partner the text points to."""

from __future__ import annotations

import pytest

from aiguillage.routing import route
from aiguillage.taxonomy import ROUTING


@pytest.mark.parametrize(
    ("text", "partner"),
    [
        ("La MDPH m'a attribué un taux d'incapacité de 50 %, je le conteste.", "MDPH"),
        ("Mes indemnités journalières ne sont pas versées par la CPAM depuis mon arrêt maladie.", "CPAM"),
        ("Pôle emploi m'a radié et je n'ai plus mon allocation chômage.", "France Travail"),
        ("Mon propriétaire refuse de me rendre le dépôt de garantie.", "Bailleur (litige privé)"),
        ("Ma pension de retraite de la Carsat a baissé.", "Caisse de retraite ou MSA"),
    ],
)
def test_out_of_scope_names_the_partner(text, partner):
    routing = route("hors_champ", text)
    assert routing["partner"] == partner
    assert partner in routing["reason"]


def test_out_of_scope_without_a_named_partner_keeps_the_general_route():
    routing = route("hors_champ", "Je voudrais écrire au président pour dénoncer la politique sociale.")
    assert "partner" not in routing
    assert routing["destination"] == ROUTING["hors_champ"][0]


def test_other_recevabilites_never_name_a_partner():
    text = "La CPAM ne me paie pas, j'ai fait une réclamation à la Caf le 3 mars pour mon APL."
    for code in ROUTING:
        if code != "hors_champ":
            routing = route(code, text)
            assert "partner" not in routing and routing["destination"] == ROUTING[code][0]
