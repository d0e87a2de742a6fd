"""Draw the writing briefs for the annotated corpus (run once; its output is committed).

This does not write any saisine. It samples, for each saisine a human-like writer
will compose by hand, the labels it must carry, the writer's voice, the length, the
difficulty it should exercise and, for some, fictitious identifiers with valid
check digits (so that redaction can be tested on them). Shares follow the Caf
reports in ``shared/seeds`` (about 35% hors médiation, motifs led by absence de
paiement, benefits led by aide au logement, RSA, prime d'activité, handicap) and are
pushed up where the issue's floors need it.

    python data/briefs/make_briefs.py --writers 16 --per-writer 200 --seed 7
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from schwifty import IBAN

RECEVABILITE = {
    "recevable": 0.64,
    "sans_demarche_prealable": 0.155,
    "demande_information": 0.075,
    "hors_champ": 0.085,
    "contentieux_engage": 0.045,
}
MOTIF_WEIGHTS = {
    "absence_paiement": 0.36,
    "incomprehension_decision": 0.26,
    "trop_percu": 0.17,
    "pieces_non_prises_en_compte": 0.10,
    "absence_reponse": 0.06,
    "delai_traitement": 0.05,
    "relation_service": 0.04,
    "fraude_sanction": 0.05,
}
PRESTATION_WEIGHTS = {
    "aide_logement": 0.28,
    "rsa": 0.22,
    "prime_activite": 0.19,
    "handicap": 0.14,
    "petite_enfance": 0.055,
    "famille": 0.055,
    "pension_alimentaire": 0.04,
    "autre": 0.03,
}
EMETTEUR = {
    "allocataire": 0.62,
    "tiers": 0.18,
    "defenseur_des_droits": 0.08,
    "institution": 0.12,
}
TIERS_KINDS = [
    "assistante sociale du Département",
    "conseillère en économie sociale et familiale d'un CCAS",
    "mandataire judiciaire (tutelle ou curatelle) d'une association tutélaire",
    "fille ou fils de l'allocataire",
    "mère, père ou grand-parent de l'allocataire",
    "voisin ou ami qui aide à écrire",
    "bailleur social (chargé de contentieux locatif)",
    "propriétaire privé",
    "bénévole d'une association (Secours populaire, Restos du coeur, point d'accès au droit)",
    "éducateur spécialisé ou référent RSA d'une association",
]
INSTITUTION_KINDS = [
    "député (permanence parlementaire)",
    "maire ou adjoint aux affaires sociales",
    "conseillère départementale",
    "préfecture (cabinet du préfet)",
    "service courrier de la Présidence de la République",
    "ministère (cabinet, bureau des interventions)",
    "une autre Caf (médiateur ou service réclamations d'une autre Caf)",
    "Cnaf (pôle national de médiation)",
    "médiatrice de la CPAM",
    "médiateur de France Travail",
    "service interne de la Caf (travailleur social Caf, agent d'accueil)",
]
CHANNELS = {"teleprocedure": 0.40, "courriel": 0.47, "courrier": 0.13}
LENGTHS = {
    "une à deux lignes (10 à 30 mots)": 0.15,
    "court (30 à 80 mots)": 0.30,
    "moyen (80 à 200 mots)": 0.35,
    "long (200 à 420 mots, récit détaillé)": 0.20,
}
HORS_CHAMP_KINDS = [
    "CPAM (indemnités journalières, remboursement, carte Vitale, complémentaire santé solidaire)",
    "France Travail (allocation chômage ARE, radiation, inscription, sanction France Travail)",
    "MDPH (taux d'incapacité, décision de la CDAPH contestée sur le fond)",
    "impôts (avis d'imposition, prélèvement à la source, taxe)",
    "litige privé avec le bailleur (dépôt de garantie, travaux, loyer)",
    "litige avec l'autre parent (garde, pension que l'autre parent refuse de verser sans passer par l'Aripa)",
    "caisse de retraite (Carsat) ou MSA",
    "sanction RSA décidée par le Département (radiation, suspension décidée par le Conseil départemental)",
    "courrier politique ou dénonciation (pas de litige individuel)",
    "aide collective, subvention d'association, crèche municipale",
]
REFORMS = [
    "déconjugalisation de l'AAH (octobre 2023): ressources du conjoint plus prises en compte",
    "solidarité à la source: montant net social prérempli dans la déclaration trimestrielle RSA / prime d'activité (mars 2025)",
    "réforme du complément mode de garde CMG (septembre 2025, résidence alternée, jusqu'à 12 ans pour familles monoparentales)",
    "contrôle annuel des ressources (écart avec les revenus déclarés aux impôts) qui crée un indu",
    "pénalité administrative pour fraude ou fausse déclaration décidée par la commission",
    "loi plein emploi: inscription automatique des bénéficiaires du RSA à France Travail",
    "contrôle sur place ou datamining, demande de pièces après contrôle",
    "calcul des aides au logement en temps réel sur les 12 derniers mois (réforme 2021)",
]
# Voice palettes: each writer draws voices mostly from its own palette.
VOICES = [
    "courriel simple et poli, phrases correctes",
    "style SMS sans accents, abréviations, fautes d'orthographe, peu de ponctuation",
    "TOUT EN MAJUSCULES, colère ou détresse",
    "lettre formelle (Madame, Monsieur le Médiateur ... Veuillez agréer ...)",
    "français non natif (syntaxe approximative, mots mal accordés, phrases simples)",
    "personne âgée, ton poli et un peu perdu, phrases longues",
    "ton énervé, ironique, ponctuation excessive (!!! ???)",
    "écrit professionnel de travailleur social (contexte, situation familiale, demande précise)",
    "récit désordonné, revient en arrière, détails inutiles, oublie de dire l'essentiel au début",
    "téléprocédure: texte brut tapé vite dans un champ de formulaire, sans formule de politesse",
    "jeune (étudiant ou jeune actif), registre familier",
    "style administratif sec d'une institution (référence de dossier, objet, transmis pour attribution)",
    "dictée vocale mal transcrite (mots homophones, pas de ponctuation)",
    "message très structuré avec dates et montants listés",
]
WRITER_PALETTES = [
    [0, 9, 10, 6],
    [1, 12, 2, 10],
    [3, 5, 13, 0],
    [7, 11, 3, 0],
    [4, 1, 8, 0],
    [9, 6, 2, 13],
    [5, 8, 3, 4],
    [0, 13, 10, 1],
    [12, 4, 9, 7],
    [3, 11, 6, 8],
    [2, 1, 9, 5],
    [10, 0, 4, 13],
    [8, 7, 12, 3],
    [6, 5, 1, 11],
    [13, 9, 0, 2],
    [4, 10, 8, 12],
]


def pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def pick_many(rng: random.Random, weights: dict[str, float], n: int) -> list[str]:
    chosen: list[str] = []
    while len(chosen) < n:
        code = pick(rng, weights)
        if code not in chosen:
            chosen.append(code)
    return chosen


def fake_nir(rng: random.Random) -> str:
    body = (
        f"{rng.choice('12')}{rng.randint(40, 99):02d}{rng.randint(1, 12):02d}"
        f"{rng.choice(['75', '93', '63', '52', '44', '13', '69', '59', '33', '31', '06', '67'])}"
        f"{rng.randint(1, 999):03d}{rng.randint(1, 999):03d}"
    )
    key = 97 - int(body) % 97
    digits = f"{body}{key:02d}"
    return f"{digits[0]} {digits[1:3]} {digits[3:5]} {digits[5:7]} {digits[7:10]} {digits[10:13]} {digits[13:]}"


def fake_iban(rng: random.Random) -> str:
    bank = f"{rng.randint(10000, 30099):05d}"
    branch = f"{rng.randint(10000, 99999):05d}"
    account = f"{rng.randint(0, 99999999999):011d}"
    return IBAN.generate("FR", bank_code=bank, branch_code=branch, account_code=account).formatted


def fake_identifiers(rng: random.Random) -> dict[str, str]:
    ids: dict[str, str] = {}
    if rng.random() < 0.7:
        ids["numero_allocataire"] = f"{rng.randint(1000000, 9999999)}"
    if rng.random() < 0.35:
        ids["nir"] = fake_nir(rng)
    if rng.random() < 0.3:
        ids["telephone"] = rng.choice(
            [
                f"06 39 98 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}",
                f"07 {rng.randint(50, 89)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                f"+33 6 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                f"04 73 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            ]
        )
    if rng.random() < 0.25:
        ids["email"] = "(invente une adresse courriel plausible au nom de la personne)"
    if rng.random() < 0.15:
        ids["iban"] = fake_iban(rng)
    if rng.random() < 0.25:
        ids["adresse"] = "(invente une adresse postale complète: numéro, rue, code postal, ville)"
    return ids


def draw_motifs(rng: random.Random, recevabilite: str) -> list[str]:
    if recevabilite == "demande_information":
        return [] if rng.random() < 0.65 else [rng.choice(["incomprehension_decision", "pieces_non_prises_en_compte"])]
    if recevabilite == "hors_champ":
        return [] if rng.random() < 0.3 else pick_many(rng, MOTIF_WEIGHTS, 1)
    if recevabilite == "sans_demarche_prealable" and rng.random() < 0.2:
        return ["delai_traitement"] + (pick_many(rng, MOTIF_WEIGHTS, 1) if rng.random() < 0.4 else [])
    n = rng.choices([1, 2, 3], weights=[0.62, 0.30, 0.08])[0]
    motifs = pick_many(rng, MOTIF_WEIGHTS, n)
    return sorted(set(motifs), key=list(MOTIF_WEIGHTS).index)


def draw_prestations(rng: random.Random, recevabilite: str, hors_champ_kind: str | None) -> list[str]:
    if hors_champ_kind is not None:
        if hors_champ_kind.startswith("MDPH"):
            return ["handicap"]
        if hors_champ_kind.startswith("sanction RSA"):
            return ["rsa"]
        if hors_champ_kind.startswith("litige avec l'autre parent"):
            return ["pension_alimentaire"] if rng.random() < 0.5 else []
        if hors_champ_kind.startswith("aide collective"):
            return ["autre"] if rng.random() < 0.3 else []
        return []
    if recevabilite == "demande_information" and rng.random() < 0.15:
        return []
    n = rng.choices([1, 2, 3], weights=[0.74, 0.22, 0.04])[0]
    return sorted(set(pick_many(rng, PRESTATION_WEIGHTS, n)), key=list(PRESTATION_WEIGHTS).index)


def draw_difficulties(rng: random.Random, spec: dict) -> list[str]:
    tags: list[str] = []
    rec = spec["recevabilite"]
    if rec == "recevable":
        tags.append(
            rng.choice(
                [
                    "démarche préalable explicite datée (réclamation, appel au 3230, courriel, visite en agence) restée sans solution",
                    "démarche préalable mentionnée en passant, au milieu du récit",
                    "réponse de la Caf contestée (la citer ou la résumer)",
                    "plusieurs relances déjà faites",
                ]
            )
        )
    elif rec == "sans_demarche_prealable":
        tags.append(
            rng.choice(
                [
                    "premier contact: la personne dit explicitement n'avoir encore contacté personne",
                    "réclamation envoyée le même jour que ce message (ou la veille au soir, puis 'je vous écris aussi')",
                    "la personne écrit directement au médiateur 'pour aller plus vite'",
                    "plainte vive mais rien ne montre une démarche antérieure",
                    "demande d'accélérer un dossier déposé récemment (délai normal)",
                ]
            )
        )
    elif rec == "demande_information":
        tags.append(
            rng.choice(
                [
                    "simple question sur un droit ou une règle",
                    "envoi d'un justificatif ou d'un document en pièce jointe",
                    "déclaration d'un changement de situation (déménagement, naissance, séparation, reprise d'emploi)",
                    "demande d'attestation, de mot de passe, d'accès à son dossier",
                ]
            )
        )
    elif rec == "contentieux_engage":
        tags.append(
            rng.choice(
                [
                    "recours déjà déposé au pôle social du tribunal judiciaire",
                    "requête au tribunal administratif en cours (RSA, aide au logement)",
                    "avocat mandaté, audience fixée",
                    "mention brève d'une procédure judiciaire en cours au milieu d'une autre plainte",
                ]
            )
        )
    if spec["prestations"] and rng.random() < 0.3:
        tags.append(
            "prestation implicite: ne pas nommer la prestation, la décrire ('l'aide pour le loyer', 'les sous de la Caf pour mon fils handicapé', 'le complément pour ceux qui travaillent')"
        )
    if rng.random() < 0.12:
        tags.append(
            "négation: écarter explicitement un motif ou une prestation qui n'est PAS en cause ('ce n'est pas un problème de paiement', 'les APL ça va, c'est la prime d'activité')"
        )
    if spec["urgence"] is False and rng.random() < 0.07:
        tags.append(
            "fausse urgence: la personne écrit 'URGENT', 'répondez vite', mais aucune rupture de ressources ni danger"
        )
    if rng.random() < 0.14:
        tags.append("réforme: " + rng.choice(REFORMS))
    return tags


def draw_spec(rng: random.Random, palette: list[int]) -> dict:
    recevabilite = pick(rng, RECEVABILITE)
    hors_champ_kind = rng.choice(HORS_CHAMP_KINDS) if recevabilite == "hors_champ" else None
    emetteur = pick(rng, EMETTEUR)
    spec: dict = {
        "recevabilite": recevabilite,
        "motifs": draw_motifs(rng, recevabilite),
        "prestations": draw_prestations(rng, recevabilite, hors_champ_kind),
        "emetteur": emetteur,
    }
    if hors_champ_kind is not None:
        if hors_champ_kind.startswith("courrier politique"):
            spec["motifs"] = []
        spec["hors_champ"] = hors_champ_kind
    pay = "absence_paiement" in spec["motifs"]
    spec["urgence"] = rng.random() < (0.28 if pay else 0.055)
    if emetteur == "tiers":
        spec["qui_ecrit"] = rng.choice(TIERS_KINDS)
    elif emetteur == "institution":
        spec["qui_ecrit"] = rng.choice(INSTITUTION_KINDS)
    elif emetteur == "defenseur_des_droits":
        spec["qui_ecrit"] = (
            "délégué(e) du Défenseur des droits, qui transmet la situation d'une personne reçue en permanence"
        )
    spec["canal"] = (
        pick(rng, CHANNELS) if emetteur == "allocataire" else rng.choice(["courriel", "courriel", "courrier"])
    )
    spec["longueur"] = pick(rng, LENGTHS)
    voice_ids = palette if rng.random() < 0.8 else list(range(len(VOICES)))
    spec["voix"] = VOICES[rng.choice(voice_ids)]
    if emetteur in ("institution", "defenseur_des_droits") and rng.random() < 0.7:
        spec["voix"] = rng.choice([VOICES[11], VOICES[3], VOICES[0]])
    spec["difficultes"] = draw_difficulties(rng, spec)
    if rng.random() < 0.5:
        spec["identifiants_a_inclure"] = fake_identifiers(rng)
    return spec


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--per-writer", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    number = 1
    for writer in range(1, args.writers + 1):
        palette = WRITER_PALETTES[(writer - 1) % len(WRITER_PALETTES)]
        lines = []
        for _ in range(args.per_writer):
            spec = {"id": f"c-{number:04d}", **draw_spec(rng, palette)}
            lines.append(json.dumps(spec, ensure_ascii=False))
            number += 1
        (args.out / f"w{writer:02d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
