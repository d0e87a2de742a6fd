import pytest

from aiguillage.cues import CUE_NAMES, cue_vector
from aiguillage.text import fold


def cues(text: str) -> set[str]:
    return {name for name, value in zip(CUE_NAMES, cue_vector(fold(text)), strict=True) if value}


@pytest.mark.parametrize(
    "text, expected, absent",
    [
        (
            "J'ai fait une réclamation le 3 mars, toujours rien.",
            {"prior_reclamation", "prior_dated"},
            {"no_prior_step"},
        ),
        ("Je n'ai encore appelé personne, je vous écris directement.", {"no_prior_step"}, {"prior_call"}),
        ("J'ai envoyé une réclamation ce matin et je vous écris aussi.", {"same_day"}, set()),
        ("Ce n'est pas un problème de paiement, c'est le calcul.", {"negated_payment"}, set()),
        ("La CPAM ne verse pas mes indemnités journalières.", {"partner_cpam"}, {"partner_france_travail"}),
        ("Recours déposé au pôle social du tribunal judiciaire.", {"court_case"}, set()),
        ("On a reçu un commandement de quitter les lieux, plus rien pour manger.", {"eviction", "no_food"}, set()),
        ("JE SUIS L'ASSISTANTE SOCIALE DE MME X", {"writer_social_worker"}, set()),
    ],
)
def test_cues_fire_on_the_clues_they_name(text, expected, absent):
    found = cues(text)
    assert expected <= found
    assert not absent & found


def test_cues_anchors_never_change_a_result_on_the_corpus():
    from aiguillage.cues import CUES
    from aiguillage.records import load_cases
    from tests.conftest import REPO

    for case in load_cases(REPO / "data" / "annotated"):
        folded = fold(case.text)
        for cue in CUES:
            assert cue.found_in(folded) == (cue.pattern.search(folded) is not None), (case.id, cue.name)
