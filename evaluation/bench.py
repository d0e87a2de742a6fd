"""Benchmark Aiguillage against its peers on the frozen test split: ``aiguillage bench``.

Each peer runs in its own fresh process, so its peak memory is its own. All peers train on the
same redacted train split, take thresholds from dev, and are scored on test.
"""

from __future__ import annotations

import json
import multiprocessing
import platform
import resource
import subprocess
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from aiguillage.metrics import evaluate_probabilities
from aiguillage.records import Case, load_cases
from aiguillage.settings import Settings
from training.prepare import redact_cases
from training.train import split_cases

LATENCY_SAMPLES = 300
THROUGHPUT_SECONDS = 3.0
SERVING_SECONDS = 10.0
WARM_UP_PASSES = 2


def redacted_splits(settings: Settings) -> dict[str, list[Case]]:
    """The corpus redacted as for training (cached), in its train, dev and frozen test splits."""
    return split_cases(redact_cases(load_cases(settings.data_dir), settings.var_dir / "cache"))


def _measure(peer_key: str, settings: Settings, queue: multiprocessing.Queue) -> None:
    """Run in a child process: train one peer, score it, time it, report its peak memory."""
    from evaluation.peers import PEERS

    splits = redacted_splits(settings)
    peer = PEERS[peer_key]()
    started = time.perf_counter()
    peer.fit(splits["train"], splits["dev"])
    train_seconds = time.perf_counter() - started
    texts = [case.text for case in splits["test"]]
    probabilities = peer.predict_proba(texts)
    scores = evaluate_probabilities(splits["test"], probabilities, peer.thresholds)
    queue.put(
        {
            "peer": peer.name,
            **_speed(peer, texts),
            **_summary(scores),
            "train_seconds": round(train_seconds, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }
    )


def _speed(peer: Any, texts: list[str]) -> dict[str, float]:
    peer.predict_proba(texts[:50])  # warm caches
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < THROUGHPUT_SECONDS:
        peer.predict_proba(texts)
        done += len(texts)
    throughput = done / (time.perf_counter() - started)
    latencies = []
    for text in (texts * 3)[:LATENCY_SAMPLES]:
        begin = time.perf_counter()
        peer.predict_proba([text])
        latencies.append((time.perf_counter() - begin) * 1000)
    return {
        "batch_texts_per_s_1_core": round(throughput),
        "latency_p50_ms": round(float(np.percentile(latencies, 50)), 2),
        "latency_p99_ms": round(float(np.percentile(latencies, 99)), 2),
    }


def _summary(scores: dict[str, Any]) -> dict[str, float]:
    return {
        "motifs_micro_f1": scores["motifs"]["micro_f1"],
        "motifs_macro_f1": scores["motifs"]["macro_f1"],
        "prestations_micro_f1": scores["prestations"]["micro_f1"],
        "prestations_macro_f1": scores["prestations"]["macro_f1"],
        "recevabilite_accuracy": scores["recevabilite"]["accuracy"],
        "recevabilite_macro_f1": scores["recevabilite"]["macro_f1"],
        "emetteur_accuracy": scores["emetteur"]["accuracy"],
        "emetteur_macro_f1": scores["emetteur"]["macro_f1"],
        "urgence_f1": scores["urgence"]["micro_f1"],
        "urgence_recall": scores["urgence"]["per_label"]["urgent"]["recall"],
        "ece_motifs": scores["motifs"]["ece"],
        "ece_prestations": scores["prestations"]["ece"],
        "ece_recevabilite": scores["recevabilite"]["ece"],
        "ece_emetteur": scores["emetteur"]["ece"],
        "ece_urgence": scores["urgence"]["ece"],
    }


def run_peer(peer_key: str, settings: Settings) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_measure, args=(peer_key, settings, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def serving_profile(settings: Settings, texts: Sequence[str], workers: int = 2) -> dict[str, float]:
    """The production model as served: load in a fresh process, batch on ``workers`` cores, peak memory."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_serve, args=(settings, list(texts), workers, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def _serve(settings: Settings, texts: list[str], workers: int, queue: multiprocessing.Queue) -> None:
    from aiguillage.keys import load_or_create_secret
    from aiguillage.predict import BatchPredictor
    from aiguillage.registry import load_model

    model = load_model(settings.models_dir, None, load_or_create_secret(settings.resolved_secret_key_file))
    model.predict(texts[:50])
    with BatchPredictor(model, workers=workers) as predictor:
        for _ in range(WARM_UP_PASSES):  # a long batch job runs with warm caches after its first texts
            predictor.predict(texts)
        started = time.perf_counter()
        done = 0
        while time.perf_counter() - started < SERVING_SECONDS:
            predictor.predict(texts)
            done += len(texts)
        throughput = done / (time.perf_counter() - started)
    queue.put(
        {
            "batch_texts_per_s": round(throughput),
            "measured": f"{datetime.now(UTC):%Y-%m-%d %H:%M UTC} at commit {current_commit()}",
            "method": f"over the test texts after {WARM_UP_PASSES} warm-up passes, for {SERVING_SECONDS:.0f} s",
            "workers": workers,
            "peak_rss_mb_main": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "peak_rss_mb_workers": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
        }
    )


def current_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def run_benchmark(settings: Settings, peers: Sequence[str], output: Path) -> list[dict[str, Any]]:
    results = [run_peer(key, settings) for key in peers]
    splits = redacted_splits(settings)
    serving = serving_profile(settings, [case.text for case in splits["test"]])
    output.mkdir(parents=True, exist_ok=True)
    meta = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": current_commit(),
        "machine": f"{platform.machine()}, {multiprocessing.cpu_count()} cores, Python {platform.python_version()}",
        "test_cases": len(splits["test"]),
        "train_cases": len(splits["train"]),
    }
    (output / "results.json").write_text(json.dumps({"meta": meta, "peers": results, "serving": serving}, indent=2))
    write_results(output)
    return results


def remeasure_serving(settings: Settings, output: Path) -> dict[str, Any]:
    """Measure the production model as served again and rewrite RESULTS.md (the peers' figures are kept)."""
    serving = serving_profile(settings, [case.text for case in redacted_splits(settings)["test"]])
    recorded = json.loads((output / "results.json").read_text())
    recorded["serving"] = serving
    (output / "results.json").write_text(json.dumps(recorded, indent=2))
    write_results(output)
    return serving


def write_results(output: Path) -> None:
    """(Re)write RESULTS.md from results.json and the other measurements in the folder."""
    recorded = json.loads((output / "results.json").read_text())
    text = render(recorded["meta"], recorded["peers"], recorded["serving"], output)
    (output / "RESULTS.md").write_text(text, encoding="utf-8")


ROWS = [
    ("motifs micro-F1", "motifs_micro_f1", "{:.3f}"),
    ("motifs macro-F1", "motifs_macro_f1", "{:.3f}"),
    ("prestations micro-F1", "prestations_micro_f1", "{:.3f}"),
    ("prestations macro-F1", "prestations_macro_f1", "{:.3f}"),
    ("recevabilité accuracy", "recevabilite_accuracy", "{:.3f}"),
    ("recevabilité macro-F1", "recevabilite_macro_f1", "{:.3f}"),
    ("émetteur accuracy", "emetteur_accuracy", "{:.3f}"),
    ("émetteur macro-F1", "emetteur_macro_f1", "{:.3f}"),
    ("urgence F1", "urgence_f1", "{:.3f}"),
    ("urgence recall", "urgence_recall", "{:.3f}"),
    ("ECE motifs", "ece_motifs", "{:.3f}"),
    ("ECE prestations", "ece_prestations", "{:.3f}"),
    ("ECE recevabilité", "ece_recevabilite", "{:.3f}"),
    ("ECE émetteur", "ece_emetteur", "{:.3f}"),
    ("ECE urgence", "ece_urgence", "{:.3f}"),
    ("training time (s)", "train_seconds", "{:.1f}"),
    ("batch texts/s (1 process)", "batch_texts_per_s_1_core", "{:.0f}"),
    ("single text p50 (ms)", "latency_p50_ms", "{:.2f}"),
    ("single text p99 (ms)", "latency_p99_ms", "{:.2f}"),
    ("peak memory, training + scoring (MB)", "peak_rss_mb", "{:.0f}"),
]


def render(meta: dict[str, Any], results: list[dict[str, Any]], serving: dict[str, Any], folder: Path) -> str:
    header = "| | " + " | ".join(r["peer"] for r in results) + " |"
    lines = [
        "# Benchmark: Aiguillage and its peers",
        "",
        f"Measured {meta['date']} at commit `{meta['commit']}` on {meta['machine']}, by `aiguillage bench`.",
        f"All peers train on the same redacted train split ({meta['train_cases']} cases), take their "
        f"thresholds from dev by the same rule, and are scored on the frozen test split ({meta['test_cases']} cases).",
        "Latency is in process, one text at a time; ECE is the expected calibration error (15 bins).",
        "",
        header,
        "|---|" + "---:|" * len(results),
    ]
    for label, key, pattern in ROWS:
        lines.append(f"| {label} | " + " | ".join(pattern.format(r[key]) for r in results) + " |")
    lines += [
        "",
        "## Aiguillage as served",
        "",
        f"The production model loaded in a fresh process, batch prediction with {serving['workers']} worker "
        f"processes {serving.get('method', 'over the test texts')}"
        + (f", measured {serving['measured']}" if "measured" in serving else "")
        + "; spaCy tokenization, redaction, reasons and routing included: "
        f"**{serving['batch_texts_per_s']} texts/s**; peak memory {serving['peak_rss_mb_main']} MB in the "
        f"serving process, {serving['peak_rss_mb_workers']} MB in the largest worker.",
        "",
    ]
    return "\n".join(lines + _slices_section(folder) + _scale_section(folder) + _api_section(folder))


def _slices_section(folder: Path) -> list[str]:
    path = folder / "slices.json"
    if not path.exists():
        return []
    by_peer = json.loads(path.read_text())
    peers = list(by_peer)
    first = by_peer[peers[0]]
    versus = " / ".join(peers)
    lines = [
        "## The hard slices of the test split",
        "",
        f"`python -m evaluation.slices`: {versus}, trained as above, scored on the test cases that carry each tag "
        "(a case may be in several slices; small slices are noisy, n says how small).",
        "",
        f"| slice | n | recevabilité accuracy ({versus}) | motifs micro-F1 | prestations micro-F1 |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, row in first.items():
        cells = [
            " / ".join(f"{by_peer[peer][name][key]:.2f}" for peer in peers)
            for key in ("recevabilite_accuracy", "motifs_micro_f1", "prestations_micro_f1")
        ]
        lines.append(f"| {name} | {row['n']} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def _scale_section(folder: Path) -> list[str]:
    path = folder / "scale.json"
    if not path.exists():
        return []
    rows = json.loads(path.read_text())
    base = rows[0]
    lines = [
        "## Training cost as the corpus grows",
        "",
        "`python -m evaluation.scale`: the corpus resampled to N cases (new ids, repeated texts, redaction done "
        "beforehand as for closed cases), one full training per size in a fresh process"
        + (f", measured {base['measured']}." if "measured" in base else "."),
        "",
        "| cases | training (s) | s per 1,000 cases | peak memory (MB) | features |",
        "|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['cases']:,} | {r['train_seconds']:.0f} | {r['train_seconds'] / r['cases'] * 1000:.1f} | "
        f"{r['peak_rss_mb']:,} | {r['features']:,} |"
        for r in rows
    ]
    last = rows[-1]
    ratio = (last["train_seconds"] / base["train_seconds"]) / (last["cases"] / base["cases"])
    lines += [
        "",
        f"From {base['cases']:,} to {last['cases']:,} cases the time grows {ratio:.2f} times as fast "
        "as the number of cases (1.00 would be exactly linear).",
        "",
    ]
    return lines


def _api_section(folder: Path) -> list[str]:
    runs = [json.loads(path.read_text()) for path in sorted(folder.glob("api*.json"))]
    if not runs:
        return []
    lines = [
        "## The service over HTTP",
        "",
        "`python -m evaluation.bench_api --workers N`: `POST /api/v1/predict` over loopback to `aiguillage serve` "
        "(authentication, JSON, model and reasons included); 500 single requests one after the other, then 8 "
        "concurrent clients for 15 s.",
        "",
        "| server processes | single p50 (ms) | single p99 (ms) | req/s, 8 clients | errors |",
        "|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['workers']} | {r['p50_ms']} | {r['p99_ms']} | {r['requests_per_s']} | {r['errors']} |" for r in runs
    ]
    return [*lines, ""]
