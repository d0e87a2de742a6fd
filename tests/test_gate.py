from training.gate import gate


def metrics(motifs=0.8, prestations=0.9, recevabilite=0.9, emetteur=0.9, urgence=0.95):
    return {
        "motifs": {"micro_f1": motifs},
        "prestations": {"micro_f1": prestations},
        "recevabilite": {"macro_f1": recevabilite},
        "emetteur": {"macro_f1": emetteur},
        "urgence": {"per_label": {"urgent": {"recall": urgence}}},
    }


def test_gate_promotes_when_there_is_no_production_model():
    assert gate(metrics(), None).promote


def test_gate_promotes_an_equal_or_better_candidate():
    assert gate(metrics(motifs=0.81), metrics()).promote
    assert gate(metrics(motifs=0.797), metrics()).promote  # within tolerance


def test_gate_refuses_a_candidate_worse_on_any_head():
    decision = gate(metrics(urgence=0.90), metrics())
    assert not decision.promote
    assert any("urgence recall 0.900 < production 0.950" in reason for reason in decision.reasons)
    assert not gate(metrics(recevabilite=0.88), metrics()).promote
