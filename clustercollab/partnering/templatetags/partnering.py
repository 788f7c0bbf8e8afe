from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from clustercollab.core.selectors import any_row_refers_to
from clustercollab.core.templatetags.audit import action_label
from clustercollab.organisations.models import Organisation
from clustercollab.partnering import selectors
from clustercollab.partnering.models import Network, NetworkMember, PartnerPost, PartnershipMember

register = template.Library()

# Every way a partnership, network or post belongs to an organisation's page.
ORGANISATION_SECTION_REFERENCES = (
    (PartnershipMember, "organisation"),
    (NetworkMember, "organisation"),
    (Network, "organisation"),
    (PartnerPost, "organisation"),
)

# Actions of this app that the core labels (created, published, archived…) do not say well.
ACTION_LABELS = {
    "partnering.partnerpost.renewed": _("renewed"),
    "partnering.partnerpost.expired": _("expired"),
    "partnering.interest.created": _("an expression of interest was received"),
    "partnering.interest.accepted": _("an expression of interest was accepted"),
    "partnering.interest.declined": _("an expression of interest was declined"),
    "partnering.comment.created": _("a comment was added"),
    "partnering.partnership.invited": _("an organisation was invited"),
    "partnering.partnership.invitation_accepted": _("an invitation was accepted"),
    "partnering.partnership.invitation_declined": _("an invitation was declined"),
    "partnering.partnership.member_removed": _("a member left or was removed"),
}


@register.filter
def partnering_action_label(action: str) -> str:
    """Return a readable label for an audit action on a post."""
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    return action_label(action)


@register.inclusion_tag("partnering/_organisation_partnering.html", takes_context=True)
def partnering_for_organisation(context: dict, organisation: Organisation) -> dict[str, Any]:
    """The partnerships, networks and open posts of an organisation, and "Contact this cluster"."""
    user = context.get("user")
    own = organisation.pk in selectors.organisation_ids_of(user)
    section = {
        "organisation": organisation,
        "partnerships": [],
        "networks": [],
        "network": None,
        "posts": [],
        "can_contact": organisation.is_public and not own,
        "user": user,
    }
    # Most organisations have none of these: one probe instead of four queries.
    if any_row_refers_to(organisation.pk, ORGANISATION_SECTION_REFERENCES):
        section.update(
            partnerships=list(selectors.partnerships_of(organisation)),
            networks=list(selectors.networks_of(organisation)),
            network=selectors.network_of_profile(organisation),
            posts=list(selectors.posts_of_organisation(organisation)[:5]),
        )
    return section


@register.inclusion_tag("partnering/_dashboard_partnering.html")
def partnering_for_member(user: Any) -> dict[str, Any]:
    """A member's posts, expressions of interest and unread conversations."""
    return {
        "posts": list(selectors.posts_of_user(user)[:10]),
        "interests": list(selectors.interests_for_user(user).order_by("-created_at")[:10]),
        "unread": list(selectors.unread_threads(user)[:10]),
        "invitations": list(selectors.partnership_invitations_for(user)[:10]),
        "partnership_places": list(selectors.partnership_places_of_user(user)[:10]),
        "user": user,
    }


@register.inclusion_tag("partnering/_content_item_partnering.html")
def partnering_for_content_item(item: Any) -> dict[str, Any]:
    """On a news item or event, its partnerships; on a funding call, the partner searches."""
    partnerships = getattr(item, "partnerships", None)
    searches = getattr(item, "partner_searches", None)
    return {
        "partnerships": list(partnerships.published()) if partnerships is not None else [],
        "searches": list(searches.listed()[:10]) if searches is not None else [],
    }
