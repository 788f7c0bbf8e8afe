"""Exact vector search benchmark: top-20 by cosine over 150,000 organisation vectors.

    python bench/vectors.py                  # 150,000 × 384, seeded random unit vectors
    python bench/vectors.py --n 30000 --repeat 200

The matrix is built exactly as the site holds it (``clustercollab.matching.index``): vectors
stored as float16, held as a float32 matrix of one column per object (ids ascending), one
BLAS thread. Random unit vectors cost the same as real ones (the search reads every row).
Timed: the whole ``VectorMatrix.top`` call — the matrix-vector product, ``argpartition`` and
the sort of the top 20 — for queries taken from the matrix's rows; and with an ``among``
restriction (a filtered result set of 10 % and of 50 % of the rows). The last line is
machine-readable:

    vectors n=<n> top20_p95_ms=<x>
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=150_000)
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20260)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clustercollab.settings")
    import django

    django.setup()
    from clustercollab.matching.index import VECTOR_DTYPE, VectorMatrix, _one_blas_thread

    rng = np.random.default_rng(args.seed)
    stored = rng.standard_normal((args.n, args.dim), dtype=np.float32)
    stored /= np.linalg.norm(stored, axis=1, keepdims=True)
    stored = stored.astype(VECTOR_DTYPE)  # as in the database
    ids = np.sort(rng.choice(args.n * 3, size=args.n, replace=False)).astype(np.int64)
    index = VectorMatrix.from_rows((1, None), ids, stored.astype(np.float32))
    _one_blas_thread()  # as the site does when it loads a matrix
    queries = stored[rng.integers(0, args.n, size=args.repeat)].astype(np.float32)
    print(
        f"{args.n} vectors × {args.dim} (float16 stored, float32 in memory, "
        f"{index.columns.nbytes / 2**20:.0f} MiB); {args.repeat} queries"
    )

    def timed(label: str, among: list[int] | None) -> list[float]:
        index.top(queries[0], limit=20, among=among)  # warm up
        samples = []
        for query in queries:
            started = time.perf_counter()
            index.top(query, limit=20, among=among)
            samples.append((time.perf_counter() - started) * 1000)
        print(
            f"{label:<34} p50 {_percentile(samples, 0.5):7.2f} ms  "
            f"p95 {_percentile(samples, 0.95):7.2f} ms"
        )
        return samples

    everything = timed("top-20, all rows", None)
    timed("top-20 among 10 % of the rows", ids[rng.random(args.n) < 0.1].tolist())
    timed("top-20 among 50 % of the rows", ids[rng.random(args.n) < 0.5].tolist())
    print(f"vectors n={args.n} top20_p95_ms={_percentile(everything, 0.95):.1f}")


if __name__ == "__main__":
    main()
