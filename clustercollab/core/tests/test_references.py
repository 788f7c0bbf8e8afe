"""any_row_refers_to: the probe that lets a page section skip its queries when it is empty."""

import pytest

from clustercollab.core.models import IndustrialEcosystem
from clustercollab.core.selectors import any_row_refers_to
from clustercollab.organisations.models import Organisation, Participation, Project
from clustercollab.organisations.tests.factories import make_organisation

pytestmark = pytest.mark.django_db


def test_it_follows_foreign_keys_and_many_to_many_fields():
    organisation = make_organisation(name="Probe Test Cluster")
    project = Project.objects.create(id="101088888", title="Probe test project")
    through_projects = ((Participation, "organisation"),)
    assert not any_row_refers_to(organisation.pk, through_projects)
    Participation.objects.create(project=project, organisation=organisation, role="participant")
    assert any_row_refers_to(organisation.pk, through_projects)
    assert not any_row_refers_to(organisation.pk + 1, through_projects)

    ecosystem = IndustrialEcosystem.objects.get(slug="tourism")
    organisation.ecosystems.clear()
    by_ecosystem = ((Organisation, "ecosystems"),)  # the many-to-many table, by the ecosystem
    assert not any_row_refers_to(ecosystem.pk, by_ecosystem)
    organisation.ecosystems.add(ecosystem)
    assert any_row_refers_to(ecosystem.pk, by_ecosystem)
    # Any of several references will do.
    assert any_row_refers_to(organisation.pk, ((Organisation, "ecosystems"), *through_projects))
