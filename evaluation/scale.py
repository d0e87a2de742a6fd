"""How training cost grows with the corpus: resample it to N cases and time a full training.

For timing only: the resampled copies get new ids (so they spread over the three splits like new
cases would) but repeat texts, which helps the per-word caches a little; redaction is done
beforehand, as it is for closed cases already redacted in the case store.

    python -m evaluation.scale --sizes 3000,10000,30000,100000
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import multiprocessing
import random
import resource
import time
from datetime import UTC, datetime
from pathlib import Path

from aiguillage.records import load_cases
from aiguillage.settings import Settings
from evaluation.bench import current_commit
from training.prepare import redact_cases
from training.train import TrainConfig, train


def _train_once(size: int, settings: Settings, queue: multiprocessing.Queue) -> None:
    cases = redact_cases(load_cases(settings.data_dir), settings.var_dir / "cache")
    rng = random.Random(size)
    sample = [dataclasses.replace(case, id=f"{case.id}#{i}") for i, case in enumerate(rng.choices(cases, k=size))]
    started = time.perf_counter()
    result = train(sample, TrainConfig())
    queue.put(
        {
            "cases": size,
            "train_seconds": round(time.perf_counter() - started, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "features": len(result.model.featurizer.feature_names_),
        }
    )


def measure(sizes: list[int], settings: Settings) -> list[dict]:
    context = multiprocessing.get_context("spawn")
    results = []
    for size in sizes:
        queue = context.Queue()
        process = context.Process(target=_train_once, args=(size, settings, queue))
        process.start()
        results.append(queue.get())
        process.join()
        print(json.dumps(results[-1]), flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="3000,10000,30000,100000")
    parser.add_argument("--output", type=Path, default=Path("evaluation/benchmarks/scale.json"))
    args = parser.parse_args()
    results = measure([int(size) for size in args.sizes.split(",")], Settings())
    measured = f"{datetime.now(UTC):%Y-%m-%d} at commit {current_commit()}"
    results = [{**row, "measured": measured} for row in results]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
