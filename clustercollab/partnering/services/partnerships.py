"""Writes on strategic partnerships and networks, made on the site by member organisations.

A partnership is proposed by an admin of a member organisation, which becomes its coordinator
and invites the other organisations (their admins accept or decline). Staff validate it before
it is public, with the moderation workflow of posts and content. A network's member list is
kept by the admins of the network's own directory profile; networks themselves are created by
staff (see README).
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clustercollab.core.audit import audit_log
from clustercollab.core.moderation import ModerationStatus, moderation_transition
from clustercollab.organisations.models import Membership, Organisation, Role
from clustercollab.partnering import tasks
from clustercollab.partnering.models import (
    MemberStatus,
    Network,
    NetworkMember,
    Partnership,
    PartnershipMember,
    PartnershipRole,
)

S = ModerationStatus


def is_admin(user: Any, organisation_id: int | None) -> bool:
    if not getattr(user, "is_authenticated", False) or organisation_id is None:
        return False
    return Membership.objects.filter(
        user=user, organisation_id=organisation_id, role=Role.ADMIN
    ).exists()


def _require_admin(user: Any, organisation_id: int | None) -> None:
    if not is_admin(user, organisation_id):
        raise PermissionDenied(_("Only admins of the organisation can do this."))


def coordinator_ids(partnership: Partnership) -> list[int]:
    return list(
        partnership.memberships.filter(role=PartnershipRole.COORDINATOR).values_list(
            "organisation_id", flat=True
        )
    )


def can_manage_partnership(user: Any, partnership: Partnership) -> bool:
    """Admins of a coordinating organisation manage the partnership and its members."""
    if not getattr(user, "is_authenticated", False) or partnership.pk is None:
        return False
    return Membership.objects.filter(
        user=user, role=Role.ADMIN, organisation_id__in=coordinator_ids(partnership)
    ).exists()


def _require_manager(user: Any, partnership: Partnership) -> None:
    if not can_manage_partnership(user, partnership):
        raise PermissionDenied(_("Only admins of the coordinating organisation can do this."))


def _newcomers(
    organisations: Iterable[Organisation], present_ids: Iterable[int], already_message: str
) -> list[Organisation]:
    """Return the organisations to add, refusing none at all and any already there."""
    organisations = list(organisations)
    if not organisations:
        raise ValidationError({"organisations": _("Name at least one organisation.")})
    present = set(present_ids)
    already = [o.name for o in organisations if o.pk in present]
    if already:
        raise ValidationError({"organisations": already_message % {"names": ", ".join(already)}})
    return organisations


@transaction.atomic
def partnership_save(
    *,
    partnership: Partnership,
    actor: Any,
    coordinator: Organisation | None = None,
    m2m: dict[str, Iterable] | None = None,
) -> Partnership:
    """Create (with its coordinator) or update a partnership whose fields are set on it.

    An edit of a public partnership goes back to staff: visitors see only what they validated.
    """
    creating = partnership.pk is None
    if creating:
        if coordinator is None:
            raise ValidationError({"coordinator": _("Choose the coordinating organisation.")})
        _require_admin(actor, coordinator.pk)
        if not coordinator.is_public:
            raise ValidationError(
                {"coordinator": _("The organisation's profile must be published first.")}
            )
        partnership.status = S.DRAFT
        partnership.created_by = actor
    else:
        _require_manager(actor, partnership)
    back_to_review = not creating and partnership.status in (S.PUBLISHED, S.ARCHIVED)
    if back_to_review:
        partnership.status = S.SUBMITTED
        partnership.submitted_at = timezone.now()
    partnership.full_clean(exclude=["created_by"])
    partnership.save()
    for name, values in (m2m or {}).items():
        getattr(partnership, name).set(values)
    if creating:
        PartnershipMember.objects.create(
            partnership=partnership,
            organisation=coordinator,
            role=PartnershipRole.COORDINATOR,
            status=MemberStatus.ACTIVE,
        )
    audit_log(
        actor=actor,
        action=f"partnering.partnership.{'created' if creating else 'edited'}",
        target=partnership,
        data={"status": partnership.status},
    )
    return partnership


@transaction.atomic
def partnership_submit(*, partnership: Partnership, actor: Any) -> Partnership:
    """Send a proposed partnership (or one with requested changes) to staff for validation."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    _require_manager(actor, partnership)
    moderation_transition(obj=partnership, transition="submit", actor=actor)
    return partnership


@transaction.atomic
def partnership_moderate(
    *, partnership: Partnership, actor: Any, transition: str, reason: str = ""
) -> Partnership:
    """Apply a staff decision on a partnership: publish, request_changes or archive."""
    if not getattr(actor, "is_staff", False):
        raise PermissionDenied(_("Only platform staff can do this."))
    if transition == "submit":
        raise ValidationError(_("Unknown moderation action."))
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    action = moderation_transition(
        obj=partnership, transition=transition, actor=actor, reason=reason
    )
    transaction.on_commit(
        lambda: tasks.send_partnership_status_email.enqueue(
            partnership_id=partnership.pk, action=action, reason=reason
        )
    )
    return partnership


@transaction.atomic
def partnership_invite(
    *, partnership: Partnership, actor: Any, organisations: Iterable[Organisation]
) -> list[PartnershipMember]:
    """Invite published organisations as partners; their admins accept or decline."""
    _require_manager(actor, partnership)
    organisations = _newcomers(
        organisations,
        partnership.memberships.values_list("organisation_id", flat=True),
        _("Already in this partnership: %(names)s."),
    )
    hidden = [o.name for o in organisations if not o.is_public]
    if hidden:
        raise ValidationError(
            {
                "organisations": _("Only organisations with a published profile can be invited.")
                + f" ({', '.join(hidden)})"
            }
        )
    invitations = [
        PartnershipMember.objects.create(
            partnership=partnership,
            organisation=organisation,
            role=PartnershipRole.PARTNER,
            status=MemberStatus.INVITED,
        )
        for organisation in organisations
    ]
    for invitation in invitations:
        audit_log(
            actor=actor,
            action="partnering.partnership.invited",
            target=partnership,
            data={"organisation": invitation.organisation_id},
        )
        transaction.on_commit(
            lambda pk=invitation.pk: tasks.send_partnership_invitation_email.enqueue(
                membership_id=pk
            )
        )
    return invitations


@transaction.atomic
def partnership_invitation_answer(
    *, membership: PartnershipMember, actor: Any, accept: bool
) -> PartnershipMember | None:
    """Accept (the organisation is listed as a partner) or decline (the invitation goes)."""
    membership = (
        PartnershipMember.objects.select_for_update()
        .select_related("partnership")
        .get(pk=membership.pk)
    )
    _require_admin(actor, membership.organisation_id)
    if membership.status != MemberStatus.INVITED:
        raise ValidationError(_("This invitation has already been answered."))
    audit_log(
        actor=actor,
        action=f"partnering.partnership.invitation_{'accepted' if accept else 'declined'}",
        target=membership.partnership,
        data={"organisation": membership.organisation_id},
    )
    if not accept:
        membership.delete()
        return None
    membership.status = MemberStatus.ACTIVE
    membership.save(update_fields=["status"])
    return membership


@transaction.atomic
def partnership_member_remove(*, membership: PartnershipMember, actor: Any) -> None:
    """Remove a partner (the coordinator's admins) or leave (the partner's own admins)."""
    membership = (
        PartnershipMember.objects.select_for_update()
        .select_related("partnership")
        .get(pk=membership.pk)
    )
    if not (
        can_manage_partnership(actor, membership.partnership)
        or is_admin(actor, membership.organisation_id)
    ):
        raise PermissionDenied(_("Only admins of the coordinator or of this partner can do this."))
    if membership.role == PartnershipRole.COORDINATOR:
        raise ValidationError(_("The coordinator cannot leave its own partnership."))
    audit_log(
        actor=actor,
        action="partnering.partnership.member_removed",
        target=membership.partnership,
        data={"organisation": membership.organisation_id},
    )
    membership.delete()


# --- networks ----------------------------------------------------------------------------------


def can_manage_network(user: Any, network: Network) -> bool:
    """Admins of the network's own directory profile keep its member list."""
    return network.organisation_id is not None and is_admin(user, network.organisation_id)


@transaction.atomic
def network_member_add(
    *, network: Network, actor: Any, organisations: Iterable[Organisation]
) -> list[NetworkMember]:
    if not can_manage_network(actor, network):
        raise PermissionDenied(_("Only admins of the network's own profile can do this."))
    organisations = _newcomers(
        organisations,
        network.memberships.values_list("organisation_id", flat=True),
        _("Already a member: %(names)s."),
    )
    added = [
        NetworkMember.objects.create(network=network, organisation=organisation)
        for organisation in organisations
    ]
    audit_log(
        actor=actor,
        action="partnering.network.members_added",
        target=network,
        data={"organisations": [m.organisation_id for m in added]},
    )
    return added


@transaction.atomic
def network_member_remove(*, membership: NetworkMember, actor: Any) -> None:
    """Remove a member (the network's admins) or leave the network (the member's admins)."""
    membership = NetworkMember.objects.select_related("network").get(pk=membership.pk)
    if not (
        can_manage_network(actor, membership.network) or is_admin(actor, membership.organisation_id)
    ):
        raise PermissionDenied(_("Only admins of the network or of this member can do this."))
    audit_log(
        actor=actor,
        action="partnering.network.member_removed",
        target=membership.network,
        data={"organisation": membership.organisation_id},
    )
    membership.delete()
