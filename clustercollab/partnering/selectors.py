"""Reads of partnering: who may see which post, interest and thread; lists and searches."""

from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone

from clustercollab.content.models import FundingCall
from clustercollab.core.moderation import ModerationStatus
from clustercollab.matching.hybrid import meaning_unavailable as hybrid_meaning_unavailable
from clustercollab.matching.hybrid import searched
from clustercollab.organisations.models import Membership, Organisation, Role
from clustercollab.partnering.models import (
    ContactThread,
    ExpressionOfInterest,
    MemberStatus,
    Message,
    Network,
    NetworkMember,
    PartnerPost,
    Partnership,
    PartnershipMember,
    PostStatus,
    ThreadReadMark,
)


def organisation_ids_of(user: Any) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))


def organisations_of(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=organisation_ids_of(user)).order_by("name")


def organisations_administered_by(user: Any) -> QuerySet[Organisation]:
    """The published organisations the user is an admin of (they may propose partnerships)."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return (
        Organisation.objects.published()
        .filter(memberships__user=user, memberships__role=Role.ADMIN)
        .order_by("name")
    )


def funding_call_suggestions(text: str, limit: int = 15) -> QuerySet[FundingCall]:
    """Published calls whose topic identifier, call identifier or title contains the text."""
    text = text.strip()[:100]
    if len(text) < 2:
        return FundingCall.objects.none()
    return (
        FundingCall.objects.published()
        .filter(
            Q(topic_identifier__icontains=text)
            | Q(call_identifier__icontains=text)
            | Q(title__icontains=text)
        )
        .order_by("-deadline_at", "id")[:limit]
    )


# --- posts -------------------------------------------------------------------------------------


def _post_related(queryset: QuerySet[PartnerPost]) -> QuerySet[PartnerPost]:
    return queryset.select_related("organisation", "organisation__country").prefetch_related(
        "ecosystems", "target_countries"
    )


def search_posts(queryset: QuerySet[PartnerPost], text: str) -> QuerySet[PartnerPost]:
    """Full-text search, best match first on PostgreSQL (web search syntax, title weighs most);
    every word somewhere in the text on SQLite. A reference code finds its post."""
    text = text.strip()
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        # "simple": posts are written in many languages, so no stemming of one of them.
        vector = (
            SearchVector("title", weight="A", config="simple")
            + SearchVector("summary", weight="B", config="simple")
            + SearchVector(Cast("technology_keywords", TextField()), weight="B", config="simple")
            + SearchVector(Cast("market_keywords", TextField()), weight="B", config="simple")
            + SearchVector("description", weight="C", config="simple")
        )
        query = SearchQuery(text, search_type="websearch", config="simple")
        return (
            queryset.annotate(search=vector, rank=SearchRank(vector, query))
            .filter(Q(search=query) | Q(reference__iexact=text))
            .order_by("-rank", "-published_at", "-id")
        )
    for word in text.split():
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(description__icontains=word)
            | Q(reference__iexact=word)
            | Q(market_keywords__icontains=word)
            | Q(technology_keywords__icontains=word)
        )
    return queryset


def filter_posts(queryset: QuerySet[PartnerPost], data: dict) -> QuerySet[PartnerPost]:
    """Apply the list filters (cleaned PostFilterForm data) to a queryset of posts."""
    if data.get("type"):
        queryset = queryset.filter(post_type=data["type"])
    if data.get("partnership"):
        queryset = queryset.filter(partnership_types__icontains=f'"{data["partnership"]}"')
    if data.get("ecosystem"):
        queryset = queryset.filter(ecosystems=data["ecosystem"])
    if data.get("nace"):
        code = data["nace"].code
        queryset = queryset.filter(
            Q(nace_activities__code=code) | Q(nace_activities__parent__code=code)
        ).distinct()
    if data.get("country"):
        queryset = queryset.filter(
            Q(organisation__country=data["country"]) | Q(target_countries=data["country"])
        ).distinct()
    if data.get("keyword"):
        word = data["keyword"].strip()
        queryset = queryset.filter(
            Q(market_keywords__icontains=word) | Q(technology_keywords__icontains=word)
        )
    return searched(
        queryset, data.get("q") or "", meaning=bool(data.get("meaning")), text_search=search_posts
    )


def meaning_unavailable(form: Any) -> bool:
    """Whether the filters ask for a match by meaning that cannot be given yet (no vectors)."""
    cleaned = getattr(form, "cleaned_data", None) or {}
    return hybrid_meaning_unavailable(
        "partnerpost", text=cleaned.get("q") or "", meaning=bool(cleaned.get("meaning"))
    )


def listed_posts() -> QuerySet[PartnerPost]:
    """Return the published posts not past their expiry, newest first."""
    return _post_related(PartnerPost.objects.listed()).order_by("-published_at", "-id")


def post_for_viewer(*, pk: int, user: Any) -> tuple[PartnerPost, bool]:
    """Return a post and whether the viewer belongs to its organisation.

    Everyone sees listed posts; members of the organisation and staff see every status.
    """
    post = (
        _post_related(PartnerPost.objects.all())
        .prefetch_related("nace_activities")
        .select_related("funding_call")
        .filter(pk=pk)
        .first()
    )
    if post is None:
        raise Http404
    is_owner = post.organisation_id in organisation_ids_of(user)
    listed = (
        post.status == PostStatus.PUBLISHED
        and post.expires_at
        and (post.expires_at > timezone.now())
    )
    if listed or is_owner or getattr(user, "is_staff", False):
        return post, is_owner
    raise Http404


def post_for_member(*, pk: int, user: Any) -> PartnerPost:
    """Return a post of one of the user's organisations, else 404."""
    post = (
        PartnerPost.objects.select_related("organisation")
        .filter(pk=pk, organisation_id__in=organisation_ids_of(user))
        .first()
    )
    if post is None:
        raise Http404
    return post


def posts_of_user(user: Any) -> QuerySet[PartnerPost]:
    return _post_related(
        PartnerPost.objects.filter(organisation_id__in=organisation_ids_of(user))
    ).order_by("-updated_at")


def posts_awaiting_moderation() -> QuerySet[PartnerPost]:
    """Return posts waiting for staff, oldest submission first (for the unified queue too)."""
    return (
        PartnerPost.objects.filter(status=PostStatus.SUBMITTED)
        .select_related("organisation", "organisation__country")
        .order_by("submitted_at", "pk")
    )


def posts_of_organisation(organisation: Organisation) -> QuerySet[PartnerPost]:
    return listed_posts().filter(organisation=organisation)


# --- expressions of interest -------------------------------------------------------------------


def interests_received(post: PartnerPost) -> QuerySet[ExpressionOfInterest]:
    return post.interests.select_related("organisation", "organisation__country", "created_by")


def interests_for_user(user: Any) -> QuerySet[ExpressionOfInterest]:
    """Return interests sent by or to the user's organisations."""
    ids = organisation_ids_of(user)
    return ExpressionOfInterest.objects.filter(
        Q(organisation_id__in=ids) | Q(post__organisation_id__in=ids)
    ).select_related(
        "post", "post__organisation", "organisation", "created_by", "decided_by", "thread"
    )


def interests_received_by_user(user: Any) -> QuerySet[ExpressionOfInterest]:
    """Return the interests in the posts of the user's organisations (the API's list)."""
    return ExpressionOfInterest.objects.filter(
        post__organisation_id__in=organisation_ids_of(user)
    ).select_related("post", "post__organisation", "organisation", "organisation__country")


def interest_for_viewer(*, pk: int, user: Any) -> tuple[ExpressionOfInterest, bool]:
    """Return an interest and whether the viewer owns its post; 404 for everyone else."""
    interest = interests_for_user(user).filter(pk=pk).first()
    if interest is None:
        raise Http404
    return interest, interest.post.organisation_id in organisation_ids_of(user)


# --- contact threads ---------------------------------------------------------------------------


def threads_for_user(user: Any) -> QuerySet[ContactThread]:
    """Return the threads of the user's organisations, most recent first, flagged unread."""
    ids = organisation_ids_of(user)
    read = ThreadReadMark.objects.filter(
        thread=OuterRef("pk"), user=user, read_at__gte=OuterRef("last_message_at")
    )
    return (
        ContactThread.objects.filter(Q(initiator_id__in=ids) | Q(recipient_id__in=ids))
        .select_related("initiator", "recipient", "post")
        .annotate(is_read=Exists(read))
        .order_by("-last_message_at", "-id")
    )


def unread_threads(user: Any) -> QuerySet[ContactThread]:
    return threads_for_user(user).filter(is_read=False)


def thread_for_participant(*, pk: int, user: Any) -> tuple[ContactThread, Organisation]:
    """Return a thread and the viewer's side of it; 404 for anyone not on either side."""
    thread = threads_for_user(user).filter(pk=pk).first()
    if thread is None:
        raise Http404
    ids = organisation_ids_of(user)
    side = thread.initiator if thread.initiator_id in ids else thread.recipient
    return thread, side


def messages_of(thread: ContactThread) -> QuerySet[Message]:
    return thread.messages.select_related("sender")


def contact_details_visible(thread: ContactThread, side: Organisation) -> Organisation | None:
    """Return the other organisation when it chose to share its contact details with us."""
    other = thread.other_side(side.pk)
    return other if thread.shares_contact(other.pk) else None


# --- partnerships and networks -----------------------------------------------------------------


def partnerships() -> QuerySet[Partnership]:
    """Return the partnerships staff validated, by name."""
    return Partnership.objects.published().prefetch_related("ecosystems").order_by("name")


def partnership_for_viewer(*, pk: int, user: Any) -> Partnership:
    """Return a partnership: public once validated; before that, to staff and to the admins
    and editors of its organisations (also those invited); 404 for everyone else."""
    partnership = (
        Partnership.objects.prefetch_related("ecosystems", "target_countries").filter(pk=pk).first()
    )
    if partnership is None:
        raise Http404
    if partnership.is_public or getattr(user, "is_staff", False):
        return partnership
    if partnership.memberships.filter(organisation_id__in=organisation_ids_of(user)).exists():
        return partnership
    raise Http404


def partnership_members(
    partnership: Partnership, *, with_invited: bool = False
) -> QuerySet[PartnershipMember]:
    members = partnership.memberships.select_related("organisation", "organisation__country")
    return members if with_invited else members.filter(status=MemberStatus.ACTIVE)


def partnership_news(partnership: Partnership) -> QuerySet:
    return partnership.news.filter(status=ModerationStatus.PUBLISHED).order_by(
        "-published_at", "-id"
    )


def partnership_events(partnership: Partnership) -> QuerySet:
    """The partnership's published events, the latest first."""
    return partnership.events.filter(status=ModerationStatus.PUBLISHED).order_by("-ends_at", "-id")


def partnerships_to_tag(organisation_ids: Any) -> QuerySet[Partnership]:
    """Published partnerships in which one of these organisations is a member: the ones their
    news and events may be tagged with."""
    return (
        Partnership.objects.published()
        .filter(
            memberships__organisation_id__in=organisation_ids,
            memberships__status=MemberStatus.ACTIVE,
        )
        .distinct()
    )


def partnership_invitations_for(user: Any) -> QuerySet[PartnershipMember]:
    """Open invitations to partnerships for the organisations the user is an admin of."""
    if not getattr(user, "is_authenticated", False):
        return PartnershipMember.objects.none()
    admin_of = Membership.objects.filter(user=user, role=Role.ADMIN).values("organisation_id")
    return PartnershipMember.objects.filter(
        status=MemberStatus.INVITED, organisation_id__in=admin_of
    ).select_related("partnership", "organisation")


def partnership_places_of_user(user: Any) -> QuerySet[PartnershipMember]:
    """The places of the user's organisations in partnerships, whatever their status."""
    return (
        PartnershipMember.objects.filter(organisation_id__in=organisation_ids_of(user))
        .select_related("partnership", "organisation")
        .order_by("-partnership__updated_at", "pk")
    )


def partnerships_awaiting_moderation() -> QuerySet[Partnership]:
    return Partnership.objects.filter(status=ModerationStatus.SUBMITTED).order_by(
        "submitted_at", "pk"
    )


def networks() -> QuerySet[Network]:
    return Network.objects.select_related("country", "organisation").order_by("name")


def network_detail(pk: int) -> Network:
    network = networks().filter(pk=pk).first()
    if network is None:
        raise Http404
    return network


def network_members(network: Network) -> QuerySet[NetworkMember]:
    return network.memberships.select_related("organisation", "organisation__country")


def partnerships_of(organisation: Organisation) -> QuerySet[PartnershipMember]:
    """The organisation's places in validated partnerships (invitations it accepted)."""
    return organisation.partnership_memberships.filter(
        status=MemberStatus.ACTIVE, partnership__status=ModerationStatus.PUBLISHED
    ).select_related("partnership")


def networks_of(organisation: Organisation) -> QuerySet[NetworkMember]:
    return organisation.network_memberships.select_related("network")


def network_of_profile(organisation: Organisation) -> Network | None:
    """Return the network whose own directory profile this is, if any."""
    return Network.objects.filter(organisation=organisation).first()
