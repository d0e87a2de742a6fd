from aiguillage.features import TextFeaturizer

featurizer = TextFeaturizer()


def test_features_mark_words_under_negation():
    words = featurizer.analyze("Ce n'est pas un problème de paiement.").words
    assert "neg_paiement" in words and "paiement" in words


def test_features_fold_accents_and_classify_numbers():
    words = featurizer.analyze("Réclamation du 03/03/2026 pour 450,50 € en 2025").words
    assert "reclamation" in words
    assert {"num_date", "num_montant", "num_annee"} <= set(words)


def test_features_see_placeholders_not_personal_data():
    analysis = featurizer.analyze("Je m'appelle Karima Benali, NIR 2 61 12 13 609 509 89")
    assert "pii_personne" in analysis.words and "pii_nir" in analysis.words
    assert "benali" not in analysis.words and "benali" not in analysis.folded


def test_features_transform_is_deterministic(mini_cases):
    texts = [case.text for case in mini_cases]
    fitted = TextFeaturizer().fit(texts)
    first, second = fitted.transform(texts[:5]), fitted.transform(texts[:5])
    assert (first != second).nnz == 0
    assert first.shape[1] == len(fitted.get_feature_names_out())


def test_features_fast_transform_equals_scikit_learn(mini_cases):
    import numpy as np

    texts = [case.text for case in mini_cases]
    fitted = TextFeaturizer().fit(texts)
    analyses = fitted.analyze_many([*texts, "", "Mot inconnu zzqx."])
    fast = fitted.transform_analyses(analyses).toarray()
    reference = fitted.transform_analyses_sklearn(analyses).toarray()
    np.testing.assert_allclose(fast, reference, rtol=1e-5, atol=1e-6)


def test_features_chunk_cache_gives_spacy_words_on_the_corpus():
    """Tokenizing space-separated chunks (cached) must give the words of spaCy's whole-text tokenization."""
    from spacy.attrs import ORTH

    from aiguillage.records import load_cases
    from tests.conftest import REPO

    texts = [case.text for case in load_cases(REPO / "data" / "annotated")]
    texts += ["Deux  espaces,\n\n  puis des lignes ; ce n'est  pas\tun paiement.", " début et fin "]
    chunked, whole = TextFeaturizer(), TextFeaturizer()
    whole.token_ids = lambda text: whole.nlp.make_doc(text).to_array([ORTH]).tolist()
    for text in texts:
        assert chunked.analyze(text).words == whole.analyze(text).words, text[:80]


def test_features_characters_do_not_see_which_number():
    first = featurizer.analyze("Réclamation le 4 avril pour 312 euros.")
    second = featurizer.analyze("Réclamation le 27 avril pour 1 187,50 euros.")
    assert "reclamation le 0 avril pour 0 euros" in first.folded
    assert "reclamation le 0 avril pour 0 0,0 euros" in second.folded
