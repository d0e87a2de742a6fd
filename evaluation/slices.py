"""The hard slices of the test split, Aiguillage beside the strongest cheap peer (TF-IDF + LR).

Averages hide what recevabilité turns on: a prior step shown or not, a réclamation sent the
same day, an implied benefit, a negation, a look-alike request for another body. Both models
train on the same redacted train split, take thresholds from dev, and are scored per slice.

    python -m evaluation.slices
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from aiguillage.metrics import slice_metrics
from aiguillage.settings import Settings
from evaluation.bench import redacted_splits
from evaluation.peers import PEERS

COMPARED = ("aiguillage", "tfidf")


def run(settings: Settings) -> dict[str, Any]:
    splits = redacted_splits(settings)
    texts = [case.text for case in splits["test"]]
    by_peer = {}
    for key in COMPARED:
        peer = PEERS[key]().fit(splits["train"], splits["dev"])
        by_peer[peer.name] = slice_metrics(splits["test"], peer.predict_proba(texts), peer.thresholds)
    return by_peer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("evaluation/benchmarks/slices.json"))
    args = parser.parse_args()
    result = run(Settings())
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False)[:2000])


if __name__ == "__main__":
    main()
