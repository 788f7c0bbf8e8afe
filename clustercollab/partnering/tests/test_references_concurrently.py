"""Two posts submitted at the same moment get different reference numbers (PostgreSQL only:
SQLite runs one writer at a time anyway)."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from clustercollab.core.models import Country, IndustrialEcosystem
from clustercollab.organisations.tests.factories import make_organisation, make_user
from clustercollab.partnering import services
from clustercollab.partnering.models import PartnerPost, PostStatus, ReferenceCounter
from clustercollab.partnering.tests.factories import make_post


@pytest.mark.django_db(transaction=True)
def test_simultaneous_submissions_get_different_references():
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers (PostgreSQL)")
    # This test's database is emptied afterwards, taxonomies included: it creates only the two
    # rows the factories need instead of loading them all.
    Country.objects.get_or_create(code="FI", defaults={"name": "Finland", "group": "eu"})
    IndustrialEcosystem.objects.get_or_create(
        id=2, defaults={"name": "Agri-food", "slug": "agri-food"}
    )
    owner = make_user()
    # Different organisations of one country, so that nothing but the counter is shared.
    posts = [make_post(make_organisation(admin=owner), status=PostStatus.DRAFT) for _n in range(4)]
    # The day's counter exists already, so only its row lock keeps the submissions apart.
    ReferenceCounter.objects.create(prefix=f"TRFI{timezone.now():%Y%m%d}", last=0)
    barrier = threading.Barrier(len(posts))
    errors = []

    def submit(post):
        try:
            barrier.wait()
            services.post_submit(post=post, actor=owner)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(post,)) for post in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    references = sorted(PartnerPost.objects.values_list("reference", flat=True))
    assert [r[-3:] for r in references] == ["001", "002", "003", "004"]
