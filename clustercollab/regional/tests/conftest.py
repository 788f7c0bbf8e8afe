"""An EU office for East and North Finland (NUTS FI1D) and the clusters around it.

Real NUTS 2024 regions: FI1DC Pohjois-Karjala, FI1D9 Pohjois-Pohjanmaa, FI1D7 Lappi and
FI1D8 Kainuu are in FI1D; FI1C1 Varsinais-Suomi is not.
"""

from dataclasses import dataclass

import pytest
from django.utils import timezone

from clustercollab.core.models import NutsRegion
from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.models import Organisation, OrganisationKind
from clustercollab.organisations.tests.factories import make_organisation, make_user
from clustercollab.regional.models import RegionalSupporter
from clustercollab.regional.services import supporter_grant

S = ModerationStatus


@dataclass
class Area:
    supporter: RegionalSupporter
    office: Organisation
    office_admin: object
    office_editor: object
    outsider: object
    outsider_org: Organisation
    staff: object
    draft: Organisation
    draft_admin: object
    draft_editor: object
    submitted: Organisation
    changes_requested: Organisation
    published: Organisation
    archived: Organisation
    company: Organisation
    outside: Organisation


def _in(code: str) -> dict:
    return {"nuts_region": NutsRegion.objects.get(code=code)}


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """``with commits():`` runs what the code inside enqueued on commit (the e-mail tasks)."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def area(db) -> Area:
    staff = make_user("staff@platform.example.org", staff=True)
    office_admin = make_user("admin@eu-office.example.org")
    office_editor = make_user("editor@eu-office.example.org")
    office = make_organisation(
        admin=office_admin,
        editors=[office_editor],
        status=S.PUBLISHED,
        kind=OrganisationKind.PUBLIC_BODY,
        name="Test EU Office of East and North Finland",
        city="Oulu",
        **_in("FI1D9"),
    )
    supporter = supporter_grant(organisation=office, codes="FI1D", actor=staff)
    outsider = make_user("someone@other.example.org")
    outsider_org = make_organisation(
        admin=outsider, status=S.PUBLISHED, name="Test Turku Cluster", **_in("FI1C1")
    )
    draft_admin = make_user("admin@karelia-cluster.example.org")
    draft_editor = make_user("editor@karelia-cluster.example.org")
    draft = make_organisation(
        admin=draft_admin,
        editors=[draft_editor],
        name="Test Karelia Wood Cluster",
        about="",
        **_in("FI1DC"),
    )
    changes = make_organisation(name="Test Kainuu Data Cluster", **_in("FI1D8"))
    changes.status = S.CHANGES_REQUESTED
    changes.moderation_reason = "Please add your member counts."
    changes.save()
    published = make_organisation(name="Test Lapland Tourism Cluster", **_in("FI1D7"))
    published.status = S.PUBLISHED
    published.published_at = timezone.now()
    published.save()
    return Area(
        supporter=supporter,
        office=office,
        office_admin=office_admin,
        office_editor=office_editor,
        outsider=outsider,
        outsider_org=outsider_org,
        staff=staff,
        draft=draft,
        draft_admin=draft_admin,
        draft_editor=draft_editor,
        submitted=make_organisation(
            status=S.SUBMITTED, name="Test Oulu Health Cluster", **_in("FI1D9")
        ),
        changes_requested=changes,
        published=published,
        archived=make_organisation(
            status=S.ARCHIVED, name="Test Archived Kainuu Cluster", **_in("FI1D8")
        ),
        company=make_organisation(
            kind=OrganisationKind.COMPANY, name="Test Joensuu Sawmill Oy", **_in("FI1DC")
        ),
        outside=make_organisation(name="Test Turku Draft Cluster", **_in("FI1C1")),
    )
