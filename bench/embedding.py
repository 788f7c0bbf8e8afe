"""Embedding throughput of the configured encoder on real profile texts (texts per second).

    python bench/embedding.py                 # 96 texts, batch sizes 1, 16, 48
    python bench/embedding.py --texts 256 --batch 16 --batch 64

Texts are real CORDIS Horizon Europe organisation profiles (name + project titles, built and
shortened exactly as the site does, ``MATCHING_TEXT_MAX_CHARS``), taken in id order. Each batch
size embeds the same texts once after a warm-up; the engine runs one text per core
(OpenMP over the batch), so a batch should hold several texts per core. A second table shows
what the text length costs at the best batch size. The last line is machine-readable:

    embedding texts_per_s=<x> batch=<b>
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=96)
    parser.add_argument("--batch", type=int, action="append")
    parser.add_argument("--skip-lengths", action="store_true")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clustercollab.settings")
    import django

    django.setup()
    from django.conf import settings

    from clustercollab.matching import cordis
    from clustercollab.matching.encoders import get_encoder

    # Spread over the whole file: every k-th organisation with at least two projects.
    candidates = [p for p in cordis.cordis_profiles() if len(p.project_titles) >= 2]
    profiles = candidates[:: max(1, len(candidates) // args.texts)][: args.texts]
    texts = [profile.text for profile in profiles]
    encoder = get_encoder()
    encoder.encode_passages(texts[:4])  # warm-up: the model is mapped in
    print(
        f"encoder {encoder.name}; {len(texts)} real profile texts, "
        f"mean {sum(map(len, texts)) / len(texts):.0f} chars "
        f"(cut at {settings.MATCHING_TEXT_MAX_CHARS}); {os.cpu_count()} cores"
    )

    def rate(batch: int, chosen: list[str]) -> float:
        started = time.perf_counter()
        for start in range(0, len(chosen), batch):
            encoder.encode_passages(chosen[start : start + batch])
        return len(chosen) / (time.perf_counter() - started)

    results = {}
    for batch in args.batch or [1, 16, 48]:
        results[batch] = rate(batch, texts)
        print(f"batch {batch:>4}: {results[batch]:7.1f} texts/s")
    best = max(results, key=results.get)
    if not args.skip_lengths:
        configured = settings.MATCHING_TEXT_MAX_CHARS
        for limit in (configured // 3, configured * 2):
            settings.MATCHING_TEXT_MAX_CHARS = limit
            cut = [profile.text for profile in profiles]
            print(
                f"cut at {limit:>5} chars (mean {sum(map(len, cut)) / len(cut):.0f}), "
                f"batch {best}: {rate(best, cut):7.1f} texts/s"
            )
        settings.MATCHING_TEXT_MAX_CHARS = configured
    print(f"embedding texts_per_s={results[best]:.1f} batch={best}")


if __name__ == "__main__":
    main()
