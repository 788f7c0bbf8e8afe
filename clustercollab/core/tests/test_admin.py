import pytest
from django.contrib import admin
from django.urls import reverse

from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    superuser = make_user("root@platform.example.org", staff=True)
    superuser.is_superuser = True
    superuser.save()
    client.force_login(superuser)
    return client


def test_every_admin_page_of_our_models_opens(staff_client):
    member = make_user()
    organisation = make_organisation(admin=member, status=ModerationStatus.SUBMITTED)
    ours = [m for m in admin.site._registry if m.__module__.startswith("clustercollab.")]
    assert len(ours) >= 10
    for model in ours:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        changelist = staff_client.get(reverse(f"{prefix}_changelist"), {"q": "cluster"})
        assert changelist.status_code == 200, model
        obj = model.objects.first()
        if obj is not None:
            change = staff_client.get(reverse(f"{prefix}_change", args=[obj.pk]))
            assert change.status_code == 200, model
    assert (
        organisation.name
        in staff_client.get(
            reverse("admin:organisations_organisation_changelist"), {"status": "submitted"}
        ).content.decode()
    )


def test_the_publish_action_in_the_admin_goes_through_moderation(staff_client):
    organisation = make_organisation(admin=make_user(), status=ModerationStatus.SUBMITTED)
    staff_client.post(
        reverse("admin:organisations_organisation_changelist"),
        {"action": "publish", "_selected_action": [organisation.pk]},
    )
    organisation.refresh_from_db()
    assert organisation.status == ModerationStatus.PUBLISHED
    assert organisation.published_at is not None
