"""Explicit cues for the decisions a bag of words misses.

Each cue is a named pattern over the folded text (lower case, no accents, so that SMS-style
writing matches too). The model learns how much each weighs; the names appear in the reasons
shown to mediators ("démarche préalable: réclamation").
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Cue:
    """A named pattern; ``anchors`` are substrings of which any match must contain one (a cheap pre-test)."""

    name: str
    libelle: str
    pattern: re.Pattern[str]
    anchors: tuple[str, ...] = ()

    def found_in(self, folded_text: str) -> bool:
        if self.anchors and not any(anchor in folded_text for anchor in self.anchors):
            return False
        return self.pattern.search(folded_text) is not None


# Substrings that every match of a cue contains: the regex only runs when one is present.
# tests/test_cues.py checks on the whole corpus that they never change a result.
ANCHORS: dict[str, tuple[str, ...]] = {
    "prior_reclamation": ("fait", "depose", "envoye", "adresse", "forme"),
    "prior_call": ("appele", "telephone", "contacte", "rappele", "relance", "ete a l", "vu un", "eu un"),
    "prior_dated": (
        "reclamation",
        "appele",
        "telephone",
        "rappele",
        "relance",
        "ecrit",
        "envoye un",
        "contacte",
        "rendu a l",
        "passe a l",
        "rendez-vous",
        "rdv",
        "3230",
        "messagerie",
        "courrier",
    ),
    "caf_answered": (
        "repondu",
        "dit",
        "explique",
        "indique",
        "assure",
        "affirme",
        "promis",
        "reponse ",
        "courrier ",
        "notification ",
        "lettre ",
    ),
    "reminders": ("relance", "sans", "aucune ", "toujours rien", "reponse", "personne ne"),
    "no_prior_step": (
        "contact",
        "appele",
        "ecrit",
        "fait",
        "eu le temps",
        "reclamation",
        "demarche",
        "premiere fois",
        "directement",
        "avant",
    ),
    "same_day": (
        "aujourd",
        "ce matin",
        "ce jour",
        "ce midi",
        "ce soir",
        "tout a l",
        "heure",
        "hier soir",
        "en meme temps",
        "le meme jour",
    ),
    "speed_up": ("accelerer", "plus vite", "faire avancer", "traiter ", "deboquer", "debloquer"),
    "partner_cpam": (
        "cpam",
        "assurance maladie",
        "ameli",
        "indemnite",
        "carte vitale",
        "arret ",
        "css",
        "complementaire sante",
        "mutuelle",
    ),
    "partner_france_travail": ("france travail", "pole emploi", "are", "allocation ", "radi", "chomage"),
    "partner_mdph": ("mdph", "cdaph", "taux d", "maison departementale", "commission des droits"),
    "partner_impots": ("impot", "avis d", "prelevement a la source", "taxe ", "dgfip", "centre des finances"),
    "partner_retraite": (
        "carsat",
        "cnav",
        "caisse de retraite",
        "msa",
        "mutualite sociale agricole",
        "pension de retraite",
        "aspa",
    ),
    "partner_departement": ("conseil departemental", "departement", "equipe pluridisciplinaire"),
    "private_landlord": ("proprietaire", "proprio", "bailleur", "agence immobiliere", "depot de garantie"),
    "private_other_parent": (" ex", "pere de", "autre parent", "garde ", "juge aux affaires", "jaf"),
    "political": (
        "politique du gouvernement",
        "scandale",
        "honte a",
        "reforme injuste",
        "denonce",
        "denonciation",
        "fraudeur",
        "mon voisin",
    ),
    "court_case": (
        "tribunal",
        "pole social",
        "avocat",
        "audience",
        "requete",
        "contentieux",
        "juge",
        "assignation",
        "recours ",
        "commission de recours amiable",
    ),
    "no_income": ("plus aucun", "plus rien", "plus un", "revenu", "ressource", "compte"),
    "no_food": (
        "manger",
        "colis alimentaire",
        "banque alimentaire",
        "resto",
        "secours populaire",
        "epicerie solidaire",
        "nourrir",
        "frigo",
    ),
    "eviction": (
        "expuls",
        "commandement de",
        "huissier",
        "commissaire de justice",
        "assignation",
        "impaye",
        "a la rue",
        "sans domicile",
        "treve hivernale",
        "dette locative",
    ),
    "utilities_cut": ("coup", "plus de chauffage", "plus de courant", "plus de lumiere"),
    "vulnerable_person": (
        "bebe",
        "nourrisson",
        "enceinte",
        "handicape",
        "malade",
        "hospitalis",
        "chimio",
        "danger",
        "detresse",
        "suicid",
        "fin de vie",
    ),
    "urgent_word": ("urgen", "au plus vite", "tres vite", "sos"),
    "writer_social_worker": (
        "assistant",
        "travailleu",
        "conseiller",
        "cesf",
        "ccas",
        "educat",
        "referent",
        "accompagne",
        "madame",
        "monsieur",
        "la famille",
        "allocataire",
    ),
    "writer_guardian": (
        "tutel",
        "tuteur",
        "tutrice",
        "curat",
        "mandataire judiciaire",
        "udaf",
        "majeur protege",
        "mon protege",
        "ma protegee",
    ),
    "writer_relative": (
        "mere",
        "pere",
        "fils",
        "fille",
        "soeur",
        "frere",
        "tante",
        "oncle",
        "ecris pour",
        "au nom de",
        "a la place de",
    ),
    "writer_ddd": ("defenseur", "delegue", "ddd"),
    "writer_institution": (
        "depute",
        "senat",
        "maire",
        "adjoint",
        "conseill",
        "prefecture",
        "prefet",
        "cabinet du",
        "presidence",
        "ministere",
        "elysee",
        "permanence parlementaire",
        "caf de ",
        "mediat",
        "pole national",
        "cnaf",
        "au nom de",
        "pour le compte de",
    ),
    "question": (
        "voudrais",
        "aimerais",
        "pourriez",
        "pouvez",
        "est-ce que",
        "comment ",
        "savoir si",
        "renseignement",
        "information",
        "ai-je droit",
        "puis-je",
    ),
    "document_sent": ("ci-joint", "piece jointe", "vous trouverez", "je vous", "veuillez trouver", "je joins"),
    "change_declared": (
        "je vous informe",
        "signale",
        "je declare",
        "changement de situation",
        "demenage",
        "nouvelle adresse",
        "naissance de",
        "separes",
        "reprise ",
    ),
    "negated_payment": ("paiement", "versement"),
    "negated_debt": ("dette", "trop", "indu"),
}


def _cue(name: str, libelle: str, pattern: str) -> Cue:
    return Cue(name, libelle, re.compile(pattern), ANCHORS.get(name, ()))


_DATE = r"(?:le \d{1,2}(?:er)?(?: [a-z]+| ?/ ?\d{1,2})|en (?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)|il y a \d+|depuis le)"
_CONTACT = r"(?:reclamation|appele|telephone|rappele|relance|ecrit|envoye un (?:mail|courriel|message)|contacte|rendu a l.?(?:agence|accueil)|passe a l.?(?:agence|accueil)|rendez-vous|rdv|3230|messagerie|courrier)"

CUES: tuple[Cue, ...] = (
    # Prior step with the Caf (recevable) and its absence (sans démarche préalable).
    _cue(
        "prior_reclamation",
        "démarche préalable : réclamation faite",
        r"\b(?:j.?ai|nous avons|on a|avons|ai|a)\s+(?:deja\s+|bien\s+|pourtant\s+)?(?:fait|depose|envoye|adresse|forme)\s+(?:une|plusieurs|des|deux|trois|ma|un|mon)\s+(?:\w+\s+)?(?:reclamation|recours|demande de revision|courrier|mail|courriel|message)",
    ),
    _cue(
        "prior_call",
        "démarche préalable : appel ou visite",
        r"\b(?:j.?ai|nous avons|on a|ai|avons|a)\s+(?:deja\s+|bien\s+|pourtant\s+|plusieurs fois\s+)?(?:appele|telephone|contacte|rappele|relance|ete a l.?agence|vu (?:un|une) (?:agent|conseill)|eu (?:un|une) (?:agent|conseill|rendez))",
    ),
    _cue(
        "prior_dated",
        "démarche préalable datée",
        rf"{_CONTACT}[^.!?\n]{{0,40}}{_DATE}|{_DATE}[^.!?\n]{{0,40}}{_CONTACT}",
    ),
    _cue(
        "caf_answered",
        "réponse de la Caf contestée",
        r"(?:la caf|on|ils|l.?agent|la conseillere|le conseiller|votre service)\s+(?:m.?a|nous a|m.?ont|nous ont)\s+(?:repondu|dit|explique|indique|assure|affirme|promis)|reponse (?:de la caf|recue|type|automatique)|(?:courrier|notification|lettre) (?:de la caf|du \d)",
    ),
    _cue(
        "reminders",
        "relances sans suite",
        r"relance|sans (?:aucune )?(?:reponse|suite|retour|nouvelles)|aucune (?:reponse|nouvelle)|toujours rien|reste(?:e|s)? sans|pas de reponse|jamais de reponse|personne ne (?:repond|rappelle)",
    ),
    _cue(
        "no_prior_step",
        "aucune démarche préalable",
        r"(?:n.?ai|n.?avons|n.?a)\s+(?:encore |jamais |pas encore |toujours pas )?(?:contacte|appele|ecrit|fait|fait de|fait aucune|fait la moindre|eu le temps)|(?:pas|jamais|aucune?)\s+(?:encore\s+)?(?:fait\s+)?(?:de\s+)?(?:reclamation|demarche|contact)|premiere fois que (?:j.?ecris|je (?:vous )?contacte)|je (?:vous )?(?:ecris|contacte|m.?adresse) directement|directement a vous|avant (?:meme )?de (?:contacter|appeler|faire)",
    ),
    _cue(
        "same_day",
        "réclamation du jour même",
        r"(?:aujourd.?hui|ce (?:matin|jour|midi|soir)|tout a l.?heure|il y a (?:une|deux|quelques) heures?|hier soir|en meme temps)[^.!?\n]{0,60}(?:reclamation|ecrit|envoye|depose|mail)|(?:reclamation|mail|courriel)[^.!?\n]{0,60}(?:aujourd.?hui|ce (?:matin|jour)|tout a l.?heure|en meme temps|le meme jour)",
    ),
    _cue(
        "speed_up",
        "demande d'accélérer un dossier",
        r"accelerer|plus vite|faire avancer|traiter (?:rapidement|en priorite)|deboquer|debloquer rapidement|au plus vite",
    ),
    # Outside the Caf's field.
    _cue(
        "partner_cpam",
        "partenaire : CPAM / assurance maladie",
        r"\bcpam\b|assurance maladie|ameli|indemnites? journalieres?|carte vitale|arret (?:de travail|maladie)|\bcss\b|complementaire sante|mutuelle",
    ),
    _cue(
        "partner_france_travail",
        "partenaire : France Travail",
        r"france travail|pole emploi|\bare\b|allocation (?:chomage|de retour a l.?emploi)|radiation|radie|indemnisation chomage|\bchomage\b",
    ),
    _cue(
        "partner_mdph",
        "partenaire : MDPH / CDAPH",
        r"\bmdph\b|cdaph|taux d.?incapacite|maison departementale des personnes handicapees|commission des droits",
    ),
    _cue(
        "partner_impots",
        "partenaire : impôts",
        r"\bimpots?\b|avis d.?imposition|prelevement a la source|taxe (?:d.?habitation|fonciere)|dgfip|centre des finances",
    ),
    _cue(
        "partner_retraite",
        "partenaire : retraite / MSA",
        r"carsat|\bcnav\b|caisse de retraite|\bmsa\b|mutualite sociale agricole|pension de retraite|aspa\b",
    ),
    _cue(
        "partner_departement",
        "partenaire : Département",
        r"conseil departemental|departement a (?:decide|suspendu|radie)|president du departement|equipe pluridisciplinaire|sanction (?:du|par le) departement",
    ),
    _cue(
        "private_landlord",
        "litige avec le bailleur",
        r"(?:mon|ma|notre|le|la) (?:proprietaire|proprio|bailleur|agence immobiliere)[^.!?\n]{0,80}(?:caution|depot de garantie|travaux|refuse|garde|rend|humidite|moisissure|reparation)|depot de garantie",
    ),
    _cue(
        "private_other_parent",
        "litige avec l'autre parent",
        r"(?:mon|le|son) (?:ex|ex-mari|ex-conjoint|ex-compagnon|pere de (?:mes|mon|ma))|(?:mon|ma) ex-(?:femme|compagne|conjointe)|l.?autre parent|garde (?:alternee|des enfants)|juge aux affaires familiales|\bjaf\b",
    ),
    _cue(
        "political",
        "courrier politique ou général",
        r"politique du gouvernement|scandale|honte a|reforme injuste|je denonce|denonciation|fraudeur|mon voisin (?:touche|fraude)",
    ),
    # Court case under way.
    _cue(
        "court_case",
        "recours contentieux engagé",
        r"tribunal|pole social|avocate?\b|audience|requete|contentieux|juge(?! aux affaires)|assignation|recours (?:devant|au|aupres du) (?:le |la )?(?:tribunal|juge)|commission de recours amiable",
    ),
    # Urgency.
    _cue(
        "no_income",
        "plus aucune ressource",
        r"plus (?:aucun|rien|un) (?:revenu|ressource|centime|euro|sou)|(?:aucun|0|zero) (?:revenu|ressource)|sans (?:aucun )?(?:revenu|ressources?)|plus rien (?:pour|a) (?:vivre|manger)|compte (?:a decouvert|a zero|vide)|0 ?euros? sur (?:mon|le) compte|plus un rond",
    ),
    _cue(
        "no_food",
        "ne peut plus se nourrir",
        r"(?:rien|plus rien|pas de quoi|de quoi) (?:a |pour )?manger|colis alimentaire|banque alimentaire|restos? du coeur|secours populaire|epicerie solidaire|nourrir (?:mes|mon|ma) (?:enfants?|fils|fille|bebe)|frigo (?:est )?vide",
    ),
    _cue(
        "eviction",
        "expulsion ou impayés de loyer",
        r"expuls|commandement de (?:payer|quitter)|huissier|commissaire de justice|assignation|impayes? de loyer|mis(?:e)? a la rue|a la rue|sans domicile|treve hivernale|dette locative",
    ),
    _cue(
        "utilities_cut",
        "coupure d'énergie ou d'eau",
        r"coup(?:e|ure)[^.!?\n]{0,30}(?:electricite|courant|gaz|eau|chauffage)|(?:electricite|edf|engie|gaz|eau)[^.!?\n]{0,30}coup|plus de (?:chauffage|courant|lumiere)",
    ),
    _cue(
        "vulnerable_person",
        "enfant ou personne vulnérable en danger",
        r"bebe|nourrisson|enceinte|(?:enfant|fils|fille) (?:handicape|malade|hospitalise)|chimio|hospitalis|danger|detresse|suicid|en fin de vie",
    ),
    _cue("urgent_word", "le mot « urgent »", r"\burgen(?:t|ce|te)\b|au plus vite|tres vite|sos\b"),
    # Who writes.
    _cue(
        "writer_social_worker",
        "écrit par un travailleur social",
        r"assistante? (?:sociale?|de service social)|travailleu(?:r|se) social|conseillere? en economie sociale|\bcesf\b|\bccas\b|educat(?:eur|rice)|referent(?:e)? (?:rsa|social)|(?:je|nous) (?:suis|sommes|accompagne)[^.!?\n]{0,40}(?:madame|monsieur|la famille|l.?allocataire)|j.?accompagne",
    ),
    _cue(
        "writer_guardian",
        "écrit par un tuteur ou curateur",
        r"tutelle|tuteur|tutrice|curatelle|curat(?:eur|rice)|mandataire judiciaire|\budaf\b|association tutelaire|majeur protege|mon protege|ma protegee",
    ),
    _cue(
        "writer_relative",
        "écrit par un proche",
        r"(?:ma|mon) (?:mere|pere|fils|fille|soeur|frere|grand-mere|grand-pere|tante|oncle)\b[^.!?\n]{0,60}(?:allocataire|touche|percoit|ne sait pas|ne parle|m.?a demande)|j.?ecris pour (?:ma|mon)|au nom de (?:ma|mon)|a la place de (?:ma|mon)",
    ),
    _cue(
        "writer_ddd",
        "délégué du Défenseur des droits",
        r"defenseur(?:e)? des droits|delegue(?:e)? du defenseur|\bddd\b",
    ),
    _cue(
        "writer_institution",
        "élu, préfecture ou autre organisme",
        r"depute|senat(?:eur|rice)|\bmaire\b|adjoint(?:e)? au maire|conseill(?:er|ere) departemental|prefecture|prefet|cabinet du|presidence de la republique|ministere|elysee|permanence parlementaire|caf de [a-z]+ (?:vous|transmet)|mediat(?:eur|rice) (?:de la|national)|pole national|cnaf|(?:au nom de|pour le compte de) (?:la|l.?)(?:caf|cpam|mairie)",
    ),
    # Requests that are information, documents or changes.
    _cue(
        "question",
        "question ou demande d'information",
        r"(?:je voudrais|j.?aimerais|pourriez-vous|pouvez-vous|est-ce que|comment (?:faire|puis-je)|savoir si|renseignement|information|ai-je droit|puis-je)",
    ),
    _cue(
        "document_sent",
        "envoi de pièces",
        r"(?:ci-joint|en piece jointe|vous trouverez|je vous (?:envoie|transmets|adresse)|veuillez trouver|je joins)",
    ),
    _cue(
        "change_declared",
        "changement de situation déclaré",
        r"(?:je vous informe|je (?:vous )?signale|je declare|changement de situation|j.?ai demenage|nouvelle adresse|naissance de|nous nous sommes separes|reprise (?:d.?emploi|du travail))",
    ),
    _cue(
        "negated_payment",
        "négation : le paiement n'est pas en cause",
        r"(?:ce n.?est pas|c.?est pas|pas) (?:un |le |du |de )?(?:probleme de |souci de )?(?:paiement|versement)|(?:le paiement|les paiements|le versement) (?:est|sont) (?:bien )?(?:arrive|recu|verse|ok|normal)",
    ),
    _cue(
        "negated_debt",
        "négation : pas de dette en cause",
        r"(?:ce n.?est pas|pas) (?:une |la |de )?(?:dette|trop.?percu|indu)|(?:je ne conteste pas|j.?accepte|je reconnais) (?:la |le |cette |ce |l.?)(?:dette|trop.?percu|indu)",
    ),
)

CUE_NAMES = tuple(cue.name for cue in CUES)
CUES_BY_NAME = {cue.name: cue for cue in CUES}
CUE_LIBELLES = {cue.name: cue.libelle for cue in CUES}


def cue_vector(folded_text: str) -> list[float]:
    """1.0 for each cue present in the folded text, else 0.0, in ``CUES`` order."""
    return [1.0 if cue.found_in(folded_text) else 0.0 for cue in CUES]
