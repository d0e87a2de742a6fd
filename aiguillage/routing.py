"""Where a saisine goes, from its recevabilité, naming the partner when the text says which."""

from __future__ import annotations

from typing import Any

from aiguillage.cues import CUES_BY_NAME
from aiguillage.taxonomy import ROUTING
from aiguillage.text import fold

# (partner shown to the mediator, the cue that recognises it); first match wins, so the bodies
# whose decisions are most often contested come before the broader words of private disputes.
PARTNERS: tuple[tuple[str, str], ...] = (
    ("MDPH", "partner_mdph"),
    ("CPAM", "partner_cpam"),
    ("France Travail", "partner_france_travail"),
    ("Conseil départemental", "partner_departement"),
    ("Impôts (DGFiP)", "partner_impots"),
    ("Caisse de retraite ou MSA", "partner_retraite"),
    ("Bailleur (litige privé)", "private_landlord"),
    ("Juge aux affaires familiales (litige entre parents)", "private_other_parent"),
)


def partner_named(text: str) -> str | None:
    folded = fold(text)
    return next((name for name, cue in PARTNERS if CUES_BY_NAME[cue].found_in(folded)), None)


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
