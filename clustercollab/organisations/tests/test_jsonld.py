"""The public profile's schema.org JSON-LD is valid and cannot be broken out of."""

import json
import re

import pytest

from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.tests.factories import make_organisation

pytestmark = pytest.mark.django_db


def test_profile_text_cannot_end_the_json_ld_script(client):
    organisation = make_organisation(
        status=ModerationStatus.PUBLISHED,
        name="Cluster </script><script>alert(1)</script> & Co",
        slug="cluster-co",
    )
    page = client.get(organisation.get_absolute_url()).content.decode()

    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, flags=re.S)
    assert len(scripts) == 1
    data = json.loads(scripts[0])
    assert data["name"] == organisation.name
    assert "<script>alert(1)" not in page
