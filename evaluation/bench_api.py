"""Benchmark ``POST /api/v1/predict`` over loopback: single-request latency and 8-client throughput.

Starts ``aiguillage serve`` in a subprocess on a scratch database with the production model,
so the figures include HTTP, JSON, authentication and the model.

    python -m evaluation.bench_api --workers 2 --concurrency 8 --seconds 15
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import numpy as np

from aiguillage.records import load_cases
from aiguillage.settings import Settings
from service.db import make_engine, make_sessionmaker, upgrade_database
from service.store import create_token
from training.train import split_cases


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(workers: int, concurrency: int, seconds: float, single: int) -> dict:
    settings = Settings()
    texts = [case.text for case in split_cases(load_cases(settings.data_dir))["test"]]
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{scratch}/bench.db"
        upgrade_database(url)
        with make_sessionmaker(make_engine(url))() as session:
            token = create_token(session, user_name="bench", role="service")
        port = _free_port()
        env = {**os.environ, "AIGUILLAGE_DATABASE_URL": url}
        server = subprocess.Popen(
            [sys.executable, "-m", "aiguillage.cli", "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait(base)
            headers = {"Authorization": f"Bearer {token}"}
            with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
                for text in texts[:50]:
                    client.post("/api/v1/predict", json={"text": text}).raise_for_status()
                latencies = []
                for i in range(single):
                    started = time.perf_counter()
                    client.post("/api/v1/predict", json={"text": texts[i % len(texts)]}).raise_for_status()
                    latencies.append((time.perf_counter() - started) * 1000)
            done, errors = _concurrent(base, headers, texts, concurrency, seconds)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return {
        "workers": workers,
        "single_requests": single,
        "p50_ms": round(float(np.percentile(latencies, 50)), 2),
        "p99_ms": round(float(np.percentile(latencies, 99)), 2),
        "concurrency": concurrency,
        "requests_per_s": round(done / seconds, 1),
        "errors": errors,
    }


def _wait(base: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the service did not start")


def _concurrent(base: str, headers: dict, texts: list[str], clients: int, seconds: float) -> tuple[int, int]:
    counts = [0] * clients
    errors = [0] * clients
    stop = time.monotonic() + seconds

    def worker(index: int) -> None:
        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
            i = index
            while time.monotonic() < stop:
                response = client.post("/api/v1/predict", json={"text": texts[i % len(texts)]})
                counts[index] += 1
                errors[index] += response.status_code != 200
                i += clients

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts), sum(errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--single", type=int, default=500)
    parser.add_argument("--output", type=Path, default=Path("evaluation/benchmarks/api.json"))
    args = parser.parse_args()
    result = run(args.workers, args.concurrency, args.seconds, args.single)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
