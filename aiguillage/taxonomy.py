"""The label set of ``shared/TAXONOMY.md``, defined once; everything else loops over it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    code: str
    libelle: str


@dataclass(frozen=True)
class Head:
    """One prediction head: its field name, its labels and whether several may apply."""

    name: str
    libelle: str
    labels: tuple[Label, ...]
    multi_label: bool = False
    binary: bool = False

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(label.code for label in self.labels)

    def libelle_of(self, code: str) -> str:
        for label in self.labels:
            if label.code == code:
                return label.libelle
        raise KeyError(code)


MOTIFS = Head(
    "motifs",
    "Motifs",
    (
        Label("absence_paiement", "Absence de paiement"),
        Label("incomprehension_decision", "Incompréhension d'une décision Caf"),
        Label("trop_percu", "Incompréhension d'un trop-perçu / remboursement"),
        Label("pieces_non_prises_en_compte", "Non prise en compte d'informations / pièces"),
        Label("absence_reponse", "Absence de réponse"),
        Label("delai_traitement", "Délai de traitement"),
        Label("relation_service", "Relation de service"),
        Label("fraude_sanction", "Contestation fraude / pénalité"),
    ),
    multi_label=True,
)

PRESTATIONS = Head(
    "prestations",
    "Prestations",
    (
        Label("aide_logement", "Aide au logement"),
        Label("rsa", "RSA"),
        Label("prime_activite", "Prime d'activité"),
        Label("handicap", "Handicap"),
        Label("petite_enfance", "Petite enfance (Paje)"),
        Label("famille", "Prestations familiales"),
        Label("pension_alimentaire", "Pension alimentaire"),
        Label("autre", "Autre"),
    ),
    multi_label=True,
)

RECEVABILITE = Head(
    "recevabilite",
    "Recevabilité",
    (
        Label("recevable", "Relève de la médiation"),
        Label("sans_demarche_prealable", "Hors médiation : pas de démarche préalable"),
        Label("demande_information", "Hors médiation : demande de renseignement ou envoi de pièces"),
        Label("hors_champ", "Hors médiation : hors champ Caf"),
        Label("contentieux_engage", "Hors médiation : recours contentieux engagé"),
    ),
)

EMETTEUR = Head(
    "emetteur",
    "Émetteur",
    (
        Label("allocataire", "Allocataire"),
        Label("tiers", "Tiers"),
        Label("defenseur_des_droits", "Défenseur des droits"),
        Label("institution", "Institution"),
    ),
)

URGENCE = Head("urgence", "Urgence", (Label("urgent", "Urgent"),), binary=True)

HEADS: tuple[Head, ...] = (MOTIFS, PRESTATIONS, RECEVABILITE, EMETTEUR, URGENCE)
HEADS_BY_NAME = {head.name: head for head in HEADS}

CHANNELS: tuple[str, ...] = ("teleprocedure", "courriel", "courrier")

# Where each recevabilité sends the saisine (TAXONOMY.md, section 3).
ROUTING: dict[str, tuple[str, str]] = {
    "recevable": ("mediateur", "Démarche préalable faite et désaccord persistant : médiation."),
    "sans_demarche_prealable": (
        "service_reclamations",
        "Aucune démarche préalable auprès de la Caf : à traiter d'abord comme réclamation.",
    ),
    "demande_information": (
        "accueil",
        "Question, envoi de pièces ou changement de situation : accueil ou service prestations.",
    ),
    "hors_champ": ("partenaire", "Hors du champ de la Caf : orienter vers le partenaire compétent."),
    "contentieux_engage": (
        "service_juridique",
        "Un recours contentieux est engagé : la médiation s'arrête, service juridique.",
    ),
}
