import pytest

from aiguillage.model import readable_term


@pytest.mark.parametrize(
    "feature, shown",
    [
        ("w:reclamation", "reclamation"),
        ("w:lem_verser", "verser"),
        ("w:neg_paiement", "négation … paiement"),
        ("w:num_montant retenu", "[montant] retenu"),
        ("cue:same_day", "réclamation du jour même"),
        ("w:neg_pour", None),
        ("w:de la", None),
        ("w:pii_nir", None),
        ("c:recl", None),
        ("v:12", None),
    ],
)
def test_model_reasons_are_readable_words(feature, shown):
    assert readable_term(feature) == shown
