"""Behaviour of the model trained on the real corpus: invariance, direction, minimum functionality.

Marked slow: the session trains the model once (redaction with NER, then fitting) in a temporary folder.
"""

from __future__ import annotations

import pytest

from aiguillage.settings import Settings
from tests.conftest import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    from training.register import train_version

    root = tmp_path_factory.mktemp("real-model")
    settings = Settings(var_dir=root / "var", models_dir=root / "models", data_dir=REPO / "data" / "annotated")
    _, result = train_version(settings)
    return result.model


def scores(model, text: str) -> dict:
    (suggestion,) = model.predict([text])
    flat = {f"motifs:{m['code']}": m["score"] for m in suggestion["motifs"]}
    flat |= {f"prestations:{p['code']}": p["score"] for p in suggestion["prestations"]}
    flat |= {f"recevabilite:{c}": s for c, s in suggestion["recevabilite"]["scores"].items()}
    flat["urgence"] = suggestion["urgence"]["score"]
    return {"suggestion": suggestion, "flat": flat}


BASE = (
    "Bonjour, je suis Karima Benali, allocataire n° 4455413. Mon aide au logement de 312 euros n'est plus versée "
    "depuis le mois de mars. J'ai fait une réclamation sur mon espace le 4 avril et appelé le 3230 le 20 avril, "
    "toujours rien. Merci de regarder mon dossier."
)


@pytest.mark.parametrize(
    "variant",
    [
        BASE.replace("Karima Benali", "Jean-Marc Lefèvre"),
        BASE.replace("4455413", "9081726"),
        BASE.replace("312 euros", "187 euros"),
        BASE.replace("le 4 avril", "le 11 avril").replace("le 20 avril", "le 27 avril"),
    ],
)
def test_model_is_invariant_to_names_and_numbers(model, variant):
    base, other = scores(model, BASE), scores(model, variant)
    assert max(abs(base["flat"][k] - other["flat"][k]) for k in base["flat"]) < 0.05
    assert predicted_codes(base) == predicted_codes(other)
    assert base["suggestion"]["recevabilite"]["code"] == other["suggestion"]["recevabilite"]["code"]


def predicted_codes(scored: dict) -> set[str]:
    suggestion = scored["suggestion"]
    return {e["code"] for e in suggestion["motifs"] + suggestion["prestations"] if e["predicted"]}


COMPLAINT = "Mon RSA est suspendu depuis deux mois et je ne comprends pas pourquoi."


@pytest.mark.parametrize(
    "addition, key",
    [
        (" J'ai fait une réclamation le 3 mars et rappelé deux fois, sans aucune réponse.", "recevabilite:recevable"),
        (
            " Je n'ai encore contacté personne à la Caf, je vous écris directement.",
            "recevabilite:sans_demarche_prealable",
        ),
        (
            " Mon avocat a déposé une requête au tribunal administratif, l'audience est fixée.",
            "recevabilite:contentieux_engage",
        ),
        (" Nous n'avons plus rien pour manger et l'huissier nous menace d'expulsion.", "urgence"),
    ],
)
def test_model_moves_in_the_expected_direction(model, addition, key):
    assert scores(model, COMPLAINT + addition)["flat"][key] > scores(model, COMPLAINT)["flat"][key]


def test_model_negation_lowers_the_payment_motif(model):
    plain = (
        "Ma prime d'activité n'a pas été versée ce mois-ci. J'ai appelé la Caf en mai, je ne comprends pas le calcul."
    )
    negated = (
        "Ce n'est pas un problème de paiement, ma prime d'activité est bien versée. "
        "J'ai appelé la Caf en mai, je ne comprends pas le calcul."
    )
    (base,) = model.predict([plain])
    (flipped,) = model.predict([negated])

    def payment(suggestion: dict) -> dict:
        return next(e for e in suggestion["motifs"] if e["code"] == "absence_paiement")

    assert payment(base)["predicted"], "the plain text must read as non-payment for the test to mean anything"
    assert not payment(flipped)["predicted"]
    assert payment(flipped)["score"] < payment(base)["score"] - 0.5


MINIMUM = {
    "motifs": {
        "absence_paiement": "Mon RSA n'a pas été versé ce mois-ci, j'ai appelé le 3230 deux fois, rien n'arrive.",
        "incomprehension_decision": "J'ai fait une réclamation le 2 mai : je ne comprends pas pourquoi mon aide au logement a baissé de 80 euros, la réponse ne m'explique rien du calcul.",
        "trop_percu": "La Caf me réclame un trop-perçu de 2400 euros de prime d'activité et me fait des retenues chaque mois, j'ai contesté par courrier le 5 mars.",
        "pieces_non_prises_en_compte": "J'ai envoyé trois fois mes bulletins de salaire et mon bail, la Caf dit qu'elle ne les a jamais reçus, j'ai réclamé en février.",
        "absence_reponse": "J'ai envoyé une réclamation en janvier puis deux relances par courriel, je n'ai jamais eu aucune réponse de la Caf.",
        "delai_traitement": "Mon dossier d'AAH est en cours de traitement depuis sept mois, j'ai relancé plusieurs fois, on me dit toujours d'attendre.",
        "relation_service": "L'agent de l'accueil m'a parlé de façon méprisante et a refusé de prendre mes papiers, j'ai déjà écrit au directeur sans suite.",
        "fraude_sanction": "La commission des fraudes m'a infligé une pénalité de 600 euros pour fausse déclaration, je conteste cette sanction, mon recours amiable a été rejeté.",
    },
    "prestations": {
        "aide_logement": "Mon APL n'est plus versée à mon propriétaire depuis mars malgré mes appels.",
        "rsa": "Mon revenu de solidarité active a été coupé, j'ai fait une réclamation.",
        "prime_activite": "Ma prime d'activité a baissé alors que mon salaire n'a pas changé, j'ai appelé la Caf.",
        "handicap": "Mon allocation adulte handicapé n'est plus payée depuis le renouvellement, j'ai écrit à la Caf.",
        "petite_enfance": "Le complément mode de garde pour notre assistante maternelle n'est pas versé, j'ai réclamé.",
        "famille": "Les allocations familiales et l'allocation de rentrée scolaire ne sont pas arrivées, j'ai appelé.",
        "pension_alimentaire": "L'allocation de soutien familial et l'intermédiation Aripa pour la pension alimentaire ne fonctionnent plus, j'ai réclamé.",
        "autre": "L'aide aux vacances de la Caf pour la colonie de mon fils m'a été refusée, j'ai déjà fait une réclamation.",
    },
    "recevabilite": {
        "recevable": "J'ai fait une réclamation le 3 mars pour mon APL suspendue, puis appelé deux fois, toujours rien.",
        "sans_demarche_prealable": "Je n'ai encore contacté personne à la Caf mais je vous écris directement car ma prime d'activité a baissé.",
        "demande_information": "Bonjour, je voudrais savoir si j'ai droit à la prime d'activité avec un contrat à mi-temps.",
        "hors_champ": "La CPAM ne me verse plus mes indemnités journalières depuis mon arrêt maladie.",
        "contentieux_engage": "J'ai saisi le pôle social du tribunal judiciaire contre la décision de la Caf, l'audience est en juin.",
    },
    "emetteur": {
        "allocataire": "Mon APL n'est plus versée depuis mars, j'ai appelé deux fois.",
        "tiers": "Assistante sociale du Département, j'accompagne Mme D. dont le RSA est suspendu malgré sa réclamation.",
        "defenseur_des_droits": "Délégué du Défenseur des droits, je vous transmets la réclamation d'une personne reçue en permanence dont l'AAH est suspendue.",
        "institution": "Le député de la circonscription vous transmet la situation d'un administré dont l'aide au logement est suspendue malgré ses réclamations.",
    },
}


@pytest.mark.parametrize("head, code", [(h, c) for h, codes in MINIMUM.items() for c in codes])
def test_model_minimum_functionality_per_label(model, head, code):
    (suggestion,) = model.predict([MINIMUM[head][code]])
    if head in ("motifs", "prestations"):
        assert code in {e["code"] for e in suggestion[head] if e["predicted"]}
    else:
        assert suggestion[head]["code"] == code


def test_model_file_holds_none_of_the_corpus_identifiers(model):
    """Every NIR, IBAN, phone and numéro allocataire planted in the corpus is absent from the model."""
    import json
    import pickle
    import re

    blob = pickle.dumps(model)
    vocabulary = "\n".join(model.featurizer.feature_names_)
    planted = []
    for brief in sorted((REPO / "data" / "briefs").glob("w*.jsonl")):
        for line in brief.read_text(encoding="utf-8").splitlines():
            identifiers = json.loads(line).get("identifiants_a_inclure", {})
            planted += [v for k, v in identifiers.items() if k in ("nir", "iban", "telephone", "numero_allocataire")]
    assert len(planted) > 500
    for value in planted:
        compact = re.sub(r"\D", "", value) if not value[:2].isalpha() else value.replace(" ", "")
        for form in {value, compact}:
            assert form.encode() not in blob, form
            assert form not in vocabulary, form
