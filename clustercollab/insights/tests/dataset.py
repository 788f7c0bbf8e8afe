"""A fixed, obviously-test data set for the statistics tests, and the figures computed from it
the plain way: rows loaded with the ORM and counted in Python, never through insights."""

from collections import Counter
from datetime import UTC, date, datetime

from clustercollab.content.models import Event, FundingCall, News, SuccessStory
from clustercollab.content.tests.factories import post_event, post_news, post_story
from clustercollab.core.models import Country, IndustrialEcosystem, NutsRegion
from clustercollab.core.moderation import ModerationStatus
from clustercollab.insights.selectors import InsightsFilters
from clustercollab.matchmaking.models import MatchmakingEvent, Meeting, Participant
from clustercollab.matchmaking.tests.factories import make_event, make_participant
from clustercollab.organisations.models import (
    MEMBER_COUNT_FIELDS,
    Membership,
    Organisation,
    Role,
    Source,
)
from clustercollab.organisations.tests.factories import make_organisation, make_user
from clustercollab.partnering.models import ExpressionOfInterest, PartnerPost, PostType
from clustercollab.partnering.tests.factories import make_post
from clustercollab.response.models import SupplyListing
from clustercollab.response.tests.factories import make_listing, make_portal

PUBLISHED = ModerationStatus.PUBLISHED


def _region(prefix: str) -> NutsRegion:
    return NutsRegion.objects.filter(code__startswith=prefix, level=3).order_by("code").first()


def _ecosystem(slug: str) -> IndustrialEcosystem:
    return IndustrialEcosystem.objects.get(slug=slug)


def build_dataset() -> dict:
    """Organisations in three countries and several regions, kinds, labels, ecosystems and
    months; drafts and an imported profile; news, events, a story; posts, an expression of
    interest, a matchmaking event and crisis listings."""
    fi, de, fr = (Country.objects.get(code=code) for code in ("FI", "DE", "FR"))
    digital, energy = _ecosystem("digital"), _ecosystem("energy-renewables")
    label_until = date(2030, 1, 1)
    smes = "members_smes"
    # name, kind, country, region, label, member counts, one more ecosystem, published at
    rows = [
        ("Test FI cluster A", "cluster", fi, _region("FI1D"), "gold",
         {smes: 40, "members_research": 3}, energy, datetime(2025, 3, 15, 12, tzinfo=UTC)),
        ("Test FI company", "company", fi, _region("FI1B"), "",
         {}, None, datetime(2025, 3, 20, 8, tzinfo=UTC)),
        ("Test FI cluster B", "cluster", fi, _region("FI1D"), "bronze",
         {smes: 12}, digital, datetime(2025, 5, 1, 0, 30, tzinfo=UTC)),
        ("Test DE research", "research", de, _region("DE21"), "silver",
         {smes: 10, "members_universities": 2}, digital, datetime(2025, 5, 2, tzinfo=UTC)),
        ("Test DE network", "cluster_network", de, None, "",
         {smes: 100, "members_large_companies": 5}, None, datetime(2025, 5, 10, tzinfo=UTC)),
        ("Test FR university", "university", fr, None, "",
         {}, energy, datetime(2024, 12, 31, 23, 30, tzinfo=UTC)),
    ]  # fmt: skip
    organisations = []
    for name, kind, country, region, label, members, extra, published_at in rows:
        organisation = make_organisation(
            name=name,
            kind=kind,
            country=country,
            nuts_region=region,
            label=label,
            label_valid_until=label_until if label else None,
            status=PUBLISHED,
            published_at=published_at,
            **members,
        )
        if extra is not None:
            organisation.ecosystems.add(extra)
        organisations.append(organisation)
    # Not public: a draft and a submitted profile (both registrations), and an archived one.
    draft = make_organisation(name="Test FI draft", country=fi, nuts_region=_region("FI1D"))
    make_organisation(name="Test DE submitted", country=de, status=ModerationStatus.SUBMITTED)
    make_organisation(name="Test FR archived", country=fr, status=ModerationStatus.ARCHIVED)
    make_organisation(
        name="Test imported FI",
        country=fi,
        status=PUBLISHED,
        source=Source.CORDIS,
        published_at=datetime(2025, 3, 1, tzinfo=UTC),
    )
    # Registrations in known months (created_at is set on insert, so moved afterwards).
    Organisation.objects.filter(pk=draft.pk).update(created_at=datetime(2025, 2, 3, tzinfo=UTC))
    Organisation.objects.filter(name="Test FI cluster A").update(
        created_at=datetime(2025, 1, 20, tzinfo=UTC)
    )

    staff = make_user(staff=True)
    fi_cluster, _company, fi_cluster_b, de_research = organisations[:4]
    news = post_news(actor=staff, organisation=fi_cluster)
    news.ecosystems.add(energy, digital)
    news.countries.add(fi)
    other_news = post_news(actor=staff, organisation=de_research, title="Test DE news")
    other_news.ecosystems.add(digital)
    other_news.countries.add(de)
    draft_news = post_news(actor=staff, organisation=fi_cluster, title="Test draft news")
    draft_news.ecosystems.add(energy)
    event = post_event(actor=staff, organisation=fi_cluster)
    event.ecosystems.add(energy)
    event.countries.add(fi, de)
    story = post_story(actor=staff, organisation=de_research)
    story.ecosystems.add(digital)
    for item in (news, other_news, event, story):
        type(item).objects.filter(pk=item.pk).update(status=PUBLISHED)

    post = make_post(fi_cluster)
    post.ecosystems.add(energy)
    make_post(de_research, post_type=PostType.BUSINESS_OFFER)
    ExpressionOfInterest.objects.create(
        post=post,
        organisation=de_research,
        who_we_are="Test research institute.",
        what_we_offer="Test lab.",
        why_we_fit="Test fit.",
    )
    matchmaking = make_event(tables=0, slots=0)
    make_participant(matchmaking, country=fi, name="Test FI participant")
    make_participant(matchmaking, country=de, name="Test DE participant")
    make_event(tables=0, slots=0, is_public=False)
    portal = make_portal(staff=staff)
    admin = make_user()
    for organisation in (fi_cluster_b, de_research):
        Membership.objects.create(user=admin, organisation=organisation, role=Role.ADMIN)
    make_listing(portal, user=admin, organisation=fi_cluster_b)
    make_listing(portal, user=admin, organisation=de_research, side="request", region="DE212")
    return {"organisations": organisations}


def _in_scope(organisation: Organisation, filters: InsightsFilters) -> bool:
    if filters.country and organisation.country_id != filters.country:
        return False
    return not filters.ecosystem or filters.ecosystem in {
        e.slug for e in organisation.ecosystems.all()
    }


def expected_figures(filters: InsightsFilters) -> dict:
    """Every figure of the dashboard, counted in Python from plainly loaded rows."""
    published = [
        o
        for o in Organisation.objects.filter(status=PUBLISHED).prefetch_related("ecosystems")
        if _in_scope(o, filters)
    ]
    registered = [
        o
        for o in Organisation.objects.filter(source=Source.REGISTERED).prefetch_related(
            "ecosystems"
        )
        if _in_scope(o, filters)
    ]
    figures = {
        "countries": Counter(o.country_id for o in published),
        "regions": Counter(o.nuts_region_id[:4] for o in published if o.nuts_region_id),
        "kinds": Counter(o.kind for o in published),
        "labels": Counter(o.label or "none" for o in published),
        "ecosystems": Counter(e.slug for o in published for e in o.ecosystems.all()),
        "members": {
            name: {
                "members": sum(getattr(o, name) or 0 for o in published),
                "organisations": sum(getattr(o, name) is not None for o in published),
            }
            for name, _label in MEMBER_COUNT_FIELDS
        },
        "published": Counter(o.published_at.strftime("%Y-%m") for o in published if o.published_at),
        "registered": Counter(o.created_at.strftime("%Y-%m") for o in registered),
    }
    content = Counter()
    content_models = [("news", News), ("events", Event), ("calls", FundingCall)]
    for key, model in [*content_models, ("stories", SuccessStory)]:
        items = model.objects.filter(status=PUBLISHED).prefetch_related("ecosystems", "countries")
        for item in items:
            if filters.country and filters.country not in {c.code for c in item.countries.all()}:
                continue
            for ecosystem in item.ecosystems.all():
                if not filters.ecosystem or ecosystem.slug == filters.ecosystem:
                    content[(ecosystem.slug, key)] += 1
    figures["content"] = content

    def acted(organisation: Organisation) -> bool:
        return _in_scope(organisation, filters)

    def listed(listing: SupplyListing) -> bool:
        if filters.country and listing.country_id != filters.country:
            return False
        ecosystems = {e.slug for e in listing.organisation.ecosystems.all()}
        return not filters.ecosystem or filters.ecosystem in ecosystems

    participants = [
        p
        for p in Participant.objects.filter(event__is_public=True).select_related("organisation")
        if acted(p.organisation)
    ]
    figures["activity"] = {
        "partner_posts": sum(
            acted(p.organisation) for p in PartnerPost.objects.filter(published_at__isnull=False)
        ),
        "expressions_of_interest": sum(
            acted(i.organisation) for i in ExpressionOfInterest.objects.all()
        ),
        "matchmaking_events": len({p.event_id for p in participants})
        if filters.country or filters.ecosystem
        else MatchmakingEvent.objects.filter(is_public=True).count(),
        "participants": len(participants),
        "meetings": sum(
            acted(m.request.requester.organisation)
            for m in Meeting.objects.filter(status="confirmed", event__is_public=True)
        ),
        "supply_offers": sum(listed(s) for s in SupplyListing.objects.filter(side="offer")),
        "supply_requests": sum(listed(s) for s in SupplyListing.objects.filter(side="request")),
    }
    return figures
