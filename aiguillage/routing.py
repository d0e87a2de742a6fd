"""Where a saisine goes, from its recevabilité, naming the partner when the text says which."""

from __future__ import annotations

import re
from typing import Any

from aiguillage.taxonomy import ROUTING
from aiguillage.text import fold

# (partner shown to the mediator, pattern over the folded text); first match wins.
PARTNERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("MDPH", r"\bmdph\b|cdaph|taux d.?incapacite"),
        ("CPAM", r"\bcpam\b|assurance maladie|ameli|indemnites? journalieres?|carte vitale"),
        ("France Travail", r"france travail|pole emploi|allocation chomage|\bare\b"),
        ("Conseil départemental", r"conseil departemental|departement"),
        ("Impôts (DGFiP)", r"\bimpots?\b|avis d.?imposition|prelevement a la source|dgfip"),
        ("Caisse de retraite (Carsat)", r"carsat|cnav|caisse de retraite|retraite"),
        ("MSA", r"\bmsa\b|mutualite sociale agricole"),
        ("Bailleur (litige privé)", r"proprietaire|bailleur|agence immobiliere|depot de garantie"),
        (
            "Juge aux affaires familiales (litige entre parents)",
            r"juge aux affaires familiales|\bjaf\b|autre parent|\bex\b",
        ),
    )
)


def partner_named(text: str) -> str | None:
    folded = fold(text)
    return next((name for name, pattern in PARTNERS if pattern.search(folded)), None)


def route(recevabilite: str, text: str) -> dict[str, Any]:
    """The destination of a saisine and why, in French for the mediator."""
    destination, reason = ROUTING[recevabilite]
    routing: dict[str, Any] = {"destination": destination, "reason": reason}
    if recevabilite == "hors_champ":
        partner = partner_named(text)
        if partner:
            routing["partner"] = partner
            routing["reason"] = f"Hors du champ de la Caf : orienter vers {partner}."
    return routing
