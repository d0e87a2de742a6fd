from aiguillage.text import _fold_slowly, fold


def test_text_fold_removes_accents_and_case():
    assert fold("Réclamation À l’AGENCE, ça bouge ?") == "reclamation a l'agence, ca bouge ?"


def test_text_fold_fast_path_equals_unicode_decomposition():
    samples = ["Œuvre naïve ﬁn", "Ÿves – Zoë № 3 ½ €", "Ğüçlü şehir", "ÉLÈVE ÊTRE"]
    for sample in samples:
        assert fold(sample) == _fold_slowly(sample)
