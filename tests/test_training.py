import json
import pickle

import numpy as np
import pytest

from aiguillage.predict import predict_file
from aiguillage.registry import load_model
from aiguillage.taxonomy import MOTIFS, PRESTATIONS, RECEVABILITE
from training.train import TrainConfig, train


def test_training_prediction_follows_the_interface(mini_model_env):
    settings, _ = mini_model_env
    model = load_model(settings.models_dir, None, _secret(settings))
    (suggestion,) = model.predict(["Mon APL n'est plus versée depuis mars, j'ai fait une réclamation le 3 avril."])
    assert [m["code"] for m in sorted(suggestion["motifs"], key=lambda m: m["code"])] == sorted(MOTIFS.codes)
    assert {p["code"] for p in suggestion["prestations"]} == set(PRESTATIONS.codes)
    assert set(suggestion["recevabilite"]["scores"]) == set(RECEVABILITE.codes)
    assert abs(sum(suggestion["recevabilite"]["scores"].values()) - 1) < 1e-3
    assert 0 <= suggestion["urgence"]["score"] <= 1
    assert suggestion["routing"]["destination"] in {
        "mediateur",
        "service_reclamations",
        "accueil",
        "partenaire",
        "service_juridique",
    }
    for entry in suggestion["motifs"] + suggestion["prestations"]:
        assert 0 <= entry["score"] <= 1 and isinstance(entry["predicted"], bool)
        if entry["predicted"]:
            assert all(reason["weight"] > 0 for reason in entry["reasons"])


def _secret(settings):
    from aiguillage.keys import load_or_create_secret

    return load_or_create_secret(settings.resolved_secret_key_file)


def test_training_is_reproducible(mini_cases):
    config = TrainConfig(c_grid=(1.0,))
    texts = [case.text for case in mini_cases[:6]]
    first = train(mini_cases, config).model.score(texts)[1]
    second = train(mini_cases, config).model.score(texts)[1]
    for head in first:
        np.testing.assert_allclose(first[head], second[head])


def test_training_keeps_personal_data_out_of_the_model(mini_cases):
    canary = [
        type(mini_cases[0])(
            id=f"canary-{i}",
            text=f"Je m'appelle Zorglub Quenouillard, NIR 1 84 05 75 112 045 {97 - 1840575112045 % 97:02d}, "
            f"IBAN FR76 3000 6000 0112 3456 7890 189, zorglub.quenouillard@exemple.fr, 06 39 98 00 {i:02d}. "
            "Mon RSA n'est plus versé, j'ai fait une réclamation.",
            motifs=("absence_paiement",),
            prestations=("rsa",),
            recevabilite="recevable",
            emetteur="allocataire",
        )
        for i in range(8)
    ]
    model = train([*mini_cases, *canary], TrainConfig(c_grid=(1.0,))).model
    blob = pickle.dumps(model).lower()
    for secret in (b"zorglub", b"quenouillard", b"fr76", b"1840575112", b"06 39 98", b"exemple.fr"):
        assert secret not in blob
    vocabulary = " ".join(model.featurizer.feature_names_).lower()
    assert "quenouillard" not in vocabulary and "zorglub" not in vocabulary


def test_training_batch_prediction_reports_bad_lines(mini_model_env, tmp_path):
    _, result = mini_model_env
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": "a", "text": "Mon RSA est suspendu depuis mars, j\'ai appelé deux fois."}\n'
        "pas du json\n"
        '{"id": "c", "text": ""}\n'
        '{"id": "d", "text": "La CPAM ne me paie plus."}\n'
    )
    written, errors = predict_file(result.model, source, tmp_path / "out.jsonl")
    lines = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert (written, errors) == (4, 2)
    assert [line.get("id") for line in lines] == ["a", None, "c", "d"]
    assert "error" in lines[1] and "error" in lines[2]
    assert lines[3]["model_version"] == result.model.version


@pytest.mark.parametrize("head", ["motifs", "prestations", "recevabilite", "emetteur", "urgence"])
def test_training_each_head_is_a_pipeline(mini_model_env, head):
    _, result = mini_model_env
    probabilities = result.model.pipeline(head).predict_proba(["Mon RSA n'est plus versé."])
    assert probabilities.shape[0] == 1 and np.all((probabilities >= 0) & (probabilities <= 1))
