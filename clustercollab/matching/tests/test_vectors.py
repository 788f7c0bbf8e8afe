"""Vectors follow the objects: embedded on save, re-embedded on edit, forgotten when hidden."""

import numpy as np
import pytest
from django.core.management import call_command

from clustercollab.content.tests.helpers import make_news
from clustercollab.core.moderation import ModerationStatus
from clustercollab.matching import selectors
from clustercollab.matching.encoders import get_encoder
from clustercollab.matching.index import VectorMatrix
from clustercollab.matching.models import Embedding
from clustercollab.organisations.tests.factories import make_organisation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("embedding_on_save")]
PUBLISHED = ModerationStatus.PUBLISHED


def _vector(kind, pk):
    row = Embedding.objects.get(kind=kind, object_id=pk)
    return row.text_hash, bytes(row.vector)


def test_published_profile_is_embedded_and_found_by_meaning(committed):
    with committed():
        hydrogen = make_organisation(
            name="Test Hydrogen Cluster", about="Electrolysers and fuel cells.", status=PUBLISHED
        )
        forest = make_organisation(
            name="Test Forest Cluster", about="Sawmills and wooden houses.", status=PUBLISHED
        )
        draft = make_organisation(name="Test Draft Hydrogen Cluster", about="Electrolysers.")
    assert selectors.vectors_ready("organisation")
    assert set(Embedding.objects.values_list("object_id", flat=True)) == {hydrogen.pk, forest.pk}
    best = selectors.nearest_to_text("organisation", "Wasserstoff und Brennstoffzellen")
    assert [pk for pk, _score in best] == [hydrogen.pk, forest.pk]
    assert draft.pk not in [pk for pk, _ in selectors.nearest_to_object("organisation", forest.pk)]
    assert selectors.nearest_to_text(
        "organisation", "Wasserstoff und Brennstoffzellen", among=[forest.pk, draft.pk]
    ) == [(forest.pk, pytest.approx(best[1][1]))]


def test_an_edited_profile_is_re_embedded_and_an_unchanged_one_is_not(committed):
    with committed():
        organisation = make_organisation(name="Test Wind Cluster", about="Wind.", status=PUBLISHED)
    before = _vector("organisation", organisation.pk)
    organisation.city = "Vaasa"  # not part of the embedded text
    with committed():
        organisation.save()
    assert _vector("organisation", organisation.pk) == before
    organisation.about = "Offshore wind turbines and their maintenance."
    with committed():
        organisation.save()
    after = _vector("organisation", organisation.pk)
    assert after[0] != before[0] and after[1] != before[1]
    expected = get_encoder().encode_passages(["Offshore wind turbines and their maintenance."])[0]
    stored = np.frombuffer(after[1], dtype="<f2").astype(np.float32)
    assert float(stored @ expected) > 0.999


def test_vectors_leave_with_the_profile_and_with_deleted_news(committed):
    with committed():
        organisation = make_organisation(name="Test Solar Cluster", status=PUBLISHED)
        news = make_news(title="Test solar news", summary="Panels on every roof.")
    assert Embedding.objects.filter(kind="news", object_id=news.pk).exists()
    assert Embedding.objects.filter(kind="organisation", object_id=organisation.pk).exists()
    organisation.status = ModerationStatus.ARCHIVED
    with committed():
        organisation.save()
    assert not Embedding.objects.filter(kind="organisation").exists()
    assert not selectors.vectors_ready("organisation")
    news.delete()
    assert not Embedding.objects.filter(kind="news").exists()


def test_embed_all_resumes_and_removes(settings):
    settings.MATCHING_EMBED_ON_SAVE = False
    first = make_organisation(name="Test Battery Cluster", status=PUBLISHED)
    second = make_organisation(name="Test Textile Cluster", status=PUBLISHED)
    call_command("embed_all", "--kind", "organisation", "--batch-size", "1", verbosity=0)
    assert Embedding.objects.filter(kind="organisation").count() == 2
    stamp = Embedding.objects.get(object_id=first.pk).updated_at
    second.status = ModerationStatus.ARCHIVED
    second.save()
    call_command("embed_all", "--kind", "organisation", verbosity=0)
    assert list(Embedding.objects.values_list("object_id", flat=True)) == [first.pk]
    assert Embedding.objects.get(object_id=first.pk).updated_at == stamp


def test_top_k_is_exact_with_and_without_a_restriction():
    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((500, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = np.arange(10, 1010, 2, dtype=np.int64)
    index = VectorMatrix.from_rows((1, None), ids, vectors)
    query = vectors[3]
    exact = np.argsort(-(vectors @ query))
    assert [pk for pk, _ in index.top(query, limit=20)] == ids[exact[:20]].tolist()
    among = ids[::3].tolist() + [99999]
    wanted = [pk for pk in ids[exact].tolist() if pk in set(among)][:5]
    assert [pk for pk, _ in index.top(query, limit=5, among=among)] == wanted
    assert ids[3] not in [pk for pk, _ in index.top(query, limit=5, exclude=[int(ids[3])])]


def test_pgvector_answers_like_the_numpy_index(settings, committed):
    from django.db import connection

    from clustercollab.matching import pgvector

    settings.MATCHING_USE_PGVECTOR = True
    if not pgvector.available():
        pytest.skip("needs PostgreSQL with the vector extension (CREATE EXTENSION vector)")
    with committed():
        wind = make_organisation(name="Test Wind Cluster", about="Wind turbines.", status=PUBLISHED)
        make_organisation(name="Test Dairy Cluster", about="Cheese.", status=PUBLISHED)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {pgvector.TABLE}")
        assert cursor.fetchone()[0] == 2
    assert selectors.nearest_to_text("organisation", "Windkraft")[0][0] == wind.pk
