"""Writes on organisation profiles, memberships and invitations."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from clustercollab.core.audit import audit_log
from clustercollab.core.geo import nuts_region_for_point
from clustercollab.core.models import Country
from clustercollab.core.moderation import ModerationStatus, moderation_transition
from clustercollab.organisations import tasks
from clustercollab.organisations.models import Invitation, Membership, Organisation, Role
from clustercollab.organisations.selectors import submission_problems, user_role

# Fields whose edits are bookkeeping, not content staff need to look at again.
_UNREVIEWED_IGNORED = {"unreviewed_changes", "updated_at"}


def _slug_for(name: str) -> str:
    return slugify(name)[:80] or "organisation"


@transaction.atomic
def organisation_create(*, user: Any, kind: str, name: str, country: Country) -> Organisation:
    """Create a draft profile and make its creator its first admin."""
    organisation = Organisation(kind=kind, name=name.strip(), country=country, slug=_slug_for(name))
    organisation.full_clean()
    organisation.save()
    Membership.objects.create(user=user, organisation=organisation, role=Role.ADMIN)
    audit_log(actor=user, action="organisations.organisation.created", target=organisation)
    return organisation


def _require_member(organisation: Organisation, user: Any) -> str:
    role = user_role(user=user, organisation=organisation)
    if role is None:
        raise PermissionDenied(_("Only members of this organisation can do this."))
    return role


def _require_admin(organisation: Organisation, user: Any) -> None:
    if user_role(user=user, organisation=organisation) != Role.ADMIN:
        raise PermissionDenied(_("Only admins of this organisation can manage its members."))


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, actor: Any, changed_fields: list[str]
) -> Organisation:
    """Save a profile edited through a form (fields and M2M already set on the instance).

    Derives the NUTS region from the coordinates when they changed or no region is set. A
    published profile stays public; its changed fields are listed for staff to look at.
    """
    _require_member(organisation, actor)
    coordinates_changed = {"latitude", "longitude"} & set(changed_fields)
    has_point = organisation.latitude is not None and organisation.longitude is not None
    if has_point and (coordinates_changed or organisation.nuts_region_id is None):
        region = nuts_region_for_point(
            latitude=organisation.latitude, longitude=organisation.longitude
        )
        if region is not None and region.country_id == organisation.country_id:
            organisation.nuts_region = region
            changed_fields = [*changed_fields, "nuts_region"]
    if "name" in changed_fields:
        organisation.slug = _slug_for(organisation.name)
    relevant = sorted(set(changed_fields) - _UNREVIEWED_IGNORED)
    if organisation.status == ModerationStatus.PUBLISHED and relevant:
        organisation.unreviewed_changes = sorted(
            set(organisation.unreviewed_changes) | set(relevant)
        )
    organisation.full_clean()
    organisation.save()
    if relevant:
        audit_log(
            actor=actor,
            action="organisations.organisation.edited",
            target=organisation,
            data={"fields": relevant, "status": organisation.status},
        )
    return organisation


def _notify_admins(organisation: Organisation, action: str, reason: str = "") -> None:
    transaction.on_commit(
        lambda: tasks.send_profile_status_email.enqueue(
            organisation_id=organisation.pk, action=action, reason=reason
        )
    )


@transaction.atomic
def organisation_submit(*, organisation: Organisation, actor: Any) -> Organisation:
    """Send a draft (or a profile with requested changes) to staff for validation."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _require_member(organisation, actor)
    problems = submission_problems(organisation)
    if problems:
        raise ValidationError(
            _("Complete these before submitting: %(fields)s.") % {"fields": ", ".join(problems)}
        )
    # Members submit, so the staff-only check of the state machine does not apply here.
    action = moderation_transition(obj=organisation, transition="submit", actor=actor)
    _notify_admins(organisation, action)
    return organisation


@transaction.atomic
def organisation_moderate(
    *, organisation: Organisation, actor: Any, transition: str, reason: str = ""
) -> Organisation:
    """Apply a staff decision: publish, request_changes or archive."""
    if transition == "submit":
        raise ValidationError(_("Unknown moderation action."))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    action = moderation_transition(
        obj=organisation, transition=transition, actor=actor, reason=reason
    )
    if transition == "publish" and organisation.unreviewed_changes:
        organisation.unreviewed_changes = []
        organisation.save(update_fields=["unreviewed_changes"])
    _notify_admins(organisation, action, reason)
    return organisation


@transaction.atomic
def organisation_changes_reviewed(*, organisation: Organisation, actor: Any) -> Organisation:
    """Staff have looked at the edits made to a published profile."""
    if not getattr(actor, "is_staff", False):
        raise PermissionDenied(_("Only platform staff can do this."))
    fields = organisation.unreviewed_changes
    organisation.unreviewed_changes = []
    organisation.save(update_fields=["unreviewed_changes"])
    audit_log(
        actor=actor,
        action="organisations.organisation.changes_reviewed",
        target=organisation,
        data={"fields": fields},
    )
    return organisation


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, actor: Any, email: str, role: str
) -> Invitation:
    """Invite a colleague by e-mail; the link in the e-mail accepts the invitation."""
    _require_admin(organisation, actor)
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    if organisation.invitations.open().filter(email__iexact=email).exists():
        raise ValidationError({"email": _("This person has already been invited.")})
    invitation = Invitation(organisation=organisation, email=email, role=role, invited_by=actor)
    invitation.full_clean()
    invitation.save()
    audit_log(
        actor=actor,
        action="organisations.invitation.created",
        target=organisation,
        data={"email": email, "role": role},
    )
    transaction.on_commit(lambda: tasks.send_invitation_email.enqueue(invitation_id=invitation.pk))
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: Any) -> Invitation:
    _require_admin(invitation.organisation, actor)
    if not invitation.is_open:
        raise ValidationError(_("This invitation is no longer open."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit_log(
        actor=actor,
        action="organisations.invitation.revoked",
        target=invitation.organisation,
        data={"email": invitation.email},
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: Any) -> Membership:
    """Make the invited person a member with the invited role."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(_("This invitation has expired, was revoked or was already used."))
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s. Log in with that address to accept it.")
            % {"email": invitation.email}
        )
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    audit_log(
        actor=user,
        action="organisations.membership.joined",
        target=invitation.organisation,
        data={"role": membership.role},
    )
    return membership


def _ensure_another_admin(membership: Membership) -> None:
    """Refuse to demote or remove the organisation's last admin.

    The admin memberships are locked, so two concurrent demotions see each other and neither
    can leave the organisation without an admin.
    """
    if membership.role != Role.ADMIN:
        return
    admins = (
        Membership.objects.select_for_update()
        .filter(organisation=membership.organisation_id, role=Role.ADMIN)
        .values_list("pk", flat=True)
    )
    if len(admins) <= 1:
        raise ValidationError(
            _("An organisation must keep at least one admin. Make someone else an admin first.")
        )


@transaction.atomic
def membership_change_role(*, membership: Membership, actor: Any, role: str) -> Membership:
    _require_admin(membership.organisation, actor)
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == role:
        return membership
    _ensure_another_admin(membership)
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    audit_log(
        actor=actor,
        action="organisations.membership.role_changed",
        target=membership.organisation,
        data={"user": membership.user.email, "from": previous, "to": role},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: Any) -> None:
    """Remove a member (admins), or leave the organisation (anyone, for themselves)."""
    if membership.user_id != actor.pk:
        _require_admin(membership.organisation, actor)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _ensure_another_admin(membership)
    audit_log(
        actor=actor,
        action="organisations.membership.removed",
        target=membership.organisation,
        data={"user": membership.user.email, "role": membership.role},
    )
    membership.delete()
