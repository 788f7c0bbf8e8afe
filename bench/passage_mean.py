"""Recompute the mean passage vector that matching centres every vector on.

    python bench/passage_mean.py            # writes clustercollab/matching/data/<encoder>.mean.npy

The sample: 300 real CORDIS Horizon Europe organisations with at least one project (every k-th
in id order), none of them in the pool of the cross-language test set, each embedded as the
site embeds an imported profile (its project titles). Takes a minute or two on 2 cores.
"""

import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)
SAMPLE = 300


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clustercollab.settings")
    import django

    django.setup()
    from clustercollab.matching.cordis import cordis_profiles
    from clustercollab.matching.encoders import MEANS_DIR, get_encoder
    from clustercollab.matching.tests.test_cross_language import _pool

    pool = set(_pool())
    profiles = [p for p in cordis_profiles() if p.project_titles and p.organisation_id not in pool]
    step = len(profiles) // SAMPLE
    texts = [profile.text for profile in profiles[step // 2 :: step][:SAMPLE]]
    encoder = get_encoder()
    started = time.perf_counter()
    vectors = np.concatenate(
        [encoder.encode_passages(texts[i : i + 48]) for i in range(0, len(texts), 48)]
    )
    path = MEANS_DIR / f"{encoder.name}.mean.npy"
    np.save(path, vectors.mean(axis=0).astype(np.float32))
    print(f"{len(texts)} profiles in {time.perf_counter() - started:.0f} s → {path}")


if __name__ == "__main__":
    main()
