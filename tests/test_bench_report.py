"""RESULTS.md is rendered from the measurement files that exist, and only from them."""

from __future__ import annotations

import json

from evaluation.bench import ROWS, write_results


def _peer(name: str, value: float) -> dict:
    return {"peer": name, **{key: value for _, key, _ in ROWS}}


def test_results_render_every_measurement_present(tmp_path):
    meta = {"date": "2026-12-06 21:00 UTC", "commit": "abc1234", "machine": "x86_64", "test_cases": 3, "train_cases": 9}
    serving = {"batch_texts_per_s": 612, "workers": 2, "peak_rss_mb_main": 480, "peak_rss_mb_workers": 420}
    (tmp_path / "results.json").write_text(
        json.dumps({"meta": meta, "peers": [_peer("Aiguillage", 0.9), _peer("TF-IDF", 0.8)], "serving": serving})
    )
    slice_row = {"n": 7, "recevabilite_accuracy": 0.857, "motifs_micro_f1": 0.5, "prestations_micro_f1": 1.0}
    (tmp_path / "slices.json").write_text(
        json.dumps(
            {
                "Aiguillage": {"negation": slice_row},
                "TF-IDF": {"negation": {**slice_row, "n": 7, "recevabilite_accuracy": 0.714}},
            }
        )
    )
    write_results(tmp_path)
    text = (tmp_path / "RESULTS.md").read_text()
    assert "| motifs micro-F1 | 0.900 | 0.800 |" in text
    assert "**612 texts/s**" in text
    assert "| negation | 7 | 0.86 / 0.71 | 0.50 / 0.50 | 1.00 / 1.00 |" in text
    assert "over HTTP" not in text and "as the corpus grows" not in text  # no api*.json, no scale.json
