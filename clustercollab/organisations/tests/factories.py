"""Small factories over the real taxonomies (loaded once per test session)."""

from itertools import count

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from clustercollab.core.models import Country, IndustrialEcosystem
from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.models import Membership, Organisation, OrganisationKind, Role

_numbers = count(1)


def make_user(email: str | None = None, *, staff: bool = False, password: str = "pw-12345-xyz"):
    email = email or f"person{next(_numbers)}@example.org"
    user = get_user_model().objects.create_user(email=email, password=password, is_staff=staff)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def make_organisation(*, admin=None, editors=(), status=ModerationStatus.DRAFT, **fields):
    # A real Finnish cluster profile shape: the values are typical, the name says it is a test.
    values = {
        "kind": OrganisationKind.CLUSTER,
        "name": f"Test Bioeconomy Cluster {next(_numbers)}",
        "country": Country.objects.get(code="FI"),
        "slug": "test-bioeconomy-cluster",
        "status": status,
        "city": "Joensuu",
        "about": "Cluster of forest-based bioeconomy companies in North Karelia.",
        "contact_email": "office@example.org",
    }
    values.update(fields)
    organisation = Organisation.objects.create(**values)
    if values["status"] != ModerationStatus.DRAFT:
        from django.utils import timezone

        organisation.submitted_at = timezone.now()
        organisation.save(update_fields=["submitted_at"])
    organisation.ecosystems.add(IndustrialEcosystem.objects.get(name="Agri-food"))
    if admin is not None:
        Membership.objects.create(user=admin, organisation=organisation, role=Role.ADMIN)
    for editor in editors:
        Membership.objects.create(user=editor, organisation=organisation, role=Role.EDITOR)
    return organisation
