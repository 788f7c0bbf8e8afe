import pytest
from django.core.exceptions import ValidationError

from clustercollab.core.moderation import ModerationStatus, moderation_transition
from clustercollab.organisations.tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


def test_a_transition_must_start_from_an_allowed_status():
    staff = make_user(staff=True)
    organisation = make_organisation(status=ModerationStatus.PUBLISHED)
    with pytest.raises(ValidationError, match="cannot be done"):
        moderation_transition(
            obj=organisation, transition="request_changes", actor=staff, reason="x"
        )
    organisation.refresh_from_db()
    assert organisation.status == ModerationStatus.PUBLISHED


def test_staff_only_transitions_refuse_other_users():
    organisation = make_organisation(status=ModerationStatus.SUBMITTED)
    with pytest.raises(ValidationError, match="Only platform staff"):
        moderation_transition(obj=organisation, transition="publish", actor=make_user())


def test_archived_profiles_can_be_restored_by_staff():
    staff = make_user(staff=True)
    organisation = make_organisation(status=ModerationStatus.PUBLISHED)
    moderation_transition(obj=organisation, transition="archive", actor=staff)
    action = moderation_transition(obj=organisation, transition="publish", actor=staff)
    assert action == "organisations.organisation.restored"
    assert organisation.status == ModerationStatus.PUBLISHED
