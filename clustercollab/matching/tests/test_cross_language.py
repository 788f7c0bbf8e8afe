"""Cross-language search over a pool of hundreds of real profiles (see cross_language.py).

The pool's vectors are computed once and kept on disk (var/test-cache), keyed by the encoder
and every text, so a second run embeds nothing.
"""

import csv
import hashlib
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings

from clustercollab.matching import selectors
from clustercollab.matching.cordis import cordis_profiles
from clustercollab.matching.encoders import get_encoder
from clustercollab.matching.index import forget_loaded, to_bytes, vectors_changed
from clustercollab.matching.models import Embedding
from clustercollab.matching.tests.cross_language import FORWARD, POOL_SIZE, REVERSE

TOP = 10
REQUIRED_HIT_RATE = 0.8


def _pool() -> dict[int, str]:
    """Organisation id → profile text: the expected profiles, the reviewed clusters, then
    every k-th organisation with at least two projects, up to POOL_SIZE."""
    reviewed = Path(settings.SHARED_DATA_DIR) / "cordis-horizon-europe"
    with open(reviewed / "cluster_organisations_reviewed.csv", encoding="utf-8") as lines:
        clusters = [int(row["organisation_id"]) for row in csv.DictReader(lines)]
    profiles = [p for p in cordis_profiles() if len(p.project_titles) >= 2]
    wanted = {pk for _lang, _query, pk in FORWARD} | {row[0] for row in REVERSE}
    chosen = [p for p in profiles if p.organisation_id in wanted or p.organisation_id in clusters]
    others = [p for p in profiles if p not in chosen]
    step = max(1, len(others) // (POOL_SIZE - len(chosen)))
    chosen += others[::step][: POOL_SIZE - len(chosen)]
    texts = {p.organisation_id: p.text for p in chosen}
    for organisation_id, _language, translated, _query in REVERSE:
        texts[organisation_id] = translated
    return dict(sorted(texts.items()))


@pytest.fixture(scope="module")
def pool_vectors() -> tuple[list[int], np.ndarray]:
    texts = _pool()
    encoder = get_encoder()
    key = hashlib.sha256(repr((encoder.name, sorted(texts.items()))).encode()).hexdigest()[:16]
    cache = Path(settings.DATA_DIR) / "test-cache" / f"cross-language-{key}.npy"
    if cache.exists():
        vectors = np.load(cache)
    else:
        vectors = encoder.encode_passages(list(texts.values()))
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.save(cache, vectors)
    return list(texts), vectors


@pytest.mark.django_db
def test_queries_find_profiles_written_in_other_languages(pool_vectors):
    ids, vectors = pool_vectors
    assert len(ids) >= 300
    model = get_encoder().name
    Embedding.objects.bulk_create(
        Embedding(kind="organisation", object_id=pk, model=model, text_hash="", vector=to_bytes(v))
        for pk, v in zip(ids, vectors, strict=True)
    )
    vectors_changed("organisation", model)
    forget_loaded()
    pairs = [(lang, query, pk) for lang, query, pk in FORWARD] + [
        (f"en→{lang}", query, pk) for pk, lang, _text, query in REVERSE
    ]
    assert len(pairs) >= 30
    misses = []
    for language, query, expected in pairs:
        found = [pk for pk, _ in selectors.nearest_to_text("organisation", query, limit=TOP)]
        if expected not in found:
            misses.append((language, query, expected))
    hit_rate = 1 - len(misses) / len(pairs)
    print(f"cross-language: {len(pairs) - len(misses)}/{len(pairs)} in the top {TOP}", misses)
    assert hit_rate >= REQUIRED_HIT_RATE, misses
