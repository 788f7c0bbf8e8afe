"""Crisis response portals: a forum, and supply offers and requests matched across regions.

A portal belongs to one named crisis (Covid-19, a flood, an energy shortage). Offers and requests
of supplies or capacities live in one table, told apart by ``side``, because matching, maps,
figures and exports treat them symmetrically. A ``SupplyMatch`` allocates part of an offer to
part of a request once both organisations confirm it; ``allocated_quantity`` on each listing is
the sum of its confirmed matches and a check constraint keeps it within ``quantity``.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clustercollab.content.models import Event, FundingCall, News
from clustercollab.core.models import Country, NutsRegion, TimeStampedModel
from clustercollab.core.moderation import ModeratedModel, ModerationStatus
from clustercollab.organisations.models import Organisation
from clustercollab.partnering.models import ContactThread


class PortalStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class ResponsePortal(TimeStampedModel):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in the address"), max_length=80, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    started_on = models.DateField(_("start date"))
    status = models.CharField(
        _("status"), max_length=10, choices=PortalStatus.choices, default=PortalStatus.ACTIVE
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Content staff tag as related to the crisis; the landing page shows the published ones.
    related_news = models.ManyToManyField(
        News, blank=True, related_name="response_portals", verbose_name=_("related news")
    )
    related_events = models.ManyToManyField(
        Event, blank=True, related_name="response_portals", verbose_name=_("related events")
    )
    related_calls = models.ManyToManyField(
        FundingCall,
        blank=True,
        related_name="response_portals",
        verbose_name=_("related funding calls"),
    )

    class Meta:
        ordering = ["-started_on", "title"]
        verbose_name = _("response portal")
        verbose_name_plural = _("response portals")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("response:portal", kwargs={"slug": self.slug})

    @property
    def is_active(self) -> bool:
        return self.status == PortalStatus.ACTIVE


class Unit(models.TextChoices):
    PIECES = "pieces", _("pieces")
    PAIRS = "pairs", _("pairs")
    BOXES = "boxes", _("boxes")
    LITRES = "litres", _("litres")
    KILOGRAMS = "kg", _("kilograms")
    TEST_KITS = "kits", _("test kits")
    DEVICES = "devices", _("devices")
    PARTS_PER_WEEK = "parts_week", _("parts per week")
    HOURS = "hours", _("machine or staff hours")
    PALLETS = "pallets", _("pallets")
    TRUCKLOADS = "truckloads", _("truckloads")


class SupplyCategory(models.Model):
    """A kind of supply or capacity the portal collects, e.g. "FFP2 masks" or "Logistics"."""

    portal = models.ForeignKey(ResponsePortal, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=100)
    default_unit = models.CharField(
        _("usual unit"), max_length=12, choices=Unit.choices, default=Unit.PIECES
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["portal", "position", "name"]
        verbose_name = _("supply category")
        verbose_name_plural = _("supply categories")
        constraints = [
            models.UniqueConstraint(fields=["portal", "name"], name="response_category_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Side(models.TextChoices):
    OFFER = "offer", _("Offer")
    REQUEST = "request", _("Request")


class ListingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PARTLY_MATCHED = "partly_matched", _("Partly matched")
    FULFILLED = "fulfilled", _("Fulfilled")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


LIVE_STATUSES = (ListingStatus.OPEN, ListingStatus.PARTLY_MATCHED)


class SupplyListingQuerySet(models.QuerySet):
    def live(self, today: date | None = None) -> "SupplyListingQuerySet":
        """Listings that can still be matched: open or partly matched, not past their dates.

        The dates are checked here as well as by the nightly expiry job, so that an offer
        whose availability ended this morning drops out of matching at once.
        """
        today = today or timezone.localdate()
        return self.filter(status__in=LIVE_STATUSES, allocated_quantity__lt=F("quantity")).exclude(
            Q(available_until__lt=today) | Q(needed_by__lt=today)
        )

    def offers(self) -> "SupplyListingQuerySet":
        return self.filter(side=Side.OFFER)

    def requests(self) -> "SupplyListingQuerySet":
        return self.filter(side=Side.REQUEST)


class SupplyListing(TimeStampedModel):
    portal = models.ForeignKey(ResponsePortal, on_delete=models.CASCADE, related_name="listings")
    side = models.CharField(_("offer or request"), max_length=8, choices=Side.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="supply_listings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.ForeignKey(
        SupplyCategory,
        on_delete=models.PROTECT,
        related_name="listings",
        verbose_name=_("category"),
    )
    item = models.CharField(_("item"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices)
    allocated_quantity = models.PositiveIntegerField(_("allocated"), default=0)
    certification = models.CharField(
        _("certification or standard"),
        max_length=100,
        blank=True,
        help_text=_("For example EN 149 for FFP2 masks or EN 455 for medical gloves."),
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, verbose_name=_("country"))
    nuts_region = models.ForeignKey(
        NutsRegion,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("region"),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    delivery_radius_km = models.PositiveIntegerField(
        _("delivery radius (km)"), null=True, blank=True
    )
    logistics_offered = models.BooleanField(_("we can organise transport"), default=False)
    price_indication = models.CharField(_("price indication"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ListingStatus.choices, default=ListingStatus.OPEN
    )

    objects = SupplyListingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("supply offer or request")
        verbose_name_plural = _("supply offers and requests")
        indexes = [
            models.Index(fields=["portal", "side", "category", "status"]),
            models.Index(fields=["portal", "status", "needed_by"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="response_quantity_positive"),
            models.CheckConstraint(
                condition=Q(allocated_quantity__lte=F("quantity")),
                name="response_allocation_within_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()}: {self.quantity} {self.get_unit_display()} {self.item}"

    def get_absolute_url(self) -> str:
        return reverse("response:listing", kwargs={"slug": self.portal.slug, "pk": self.pk})

    @property
    def remaining(self) -> int:
        return self.quantity - self.allocated_quantity

    @property
    def is_offer(self) -> bool:
        return self.side == Side.OFFER

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES and self.remaining > 0

    def location(self) -> tuple[float, float] | None:
        """Coordinates for distance and the map: exact if given, else the region's centre."""
        if self.latitude is not None and self.longitude is not None:
            return (self.latitude, self.longitude)
        if self.nuts_region_id is not None:
            region = self.nuts_region
            return (region.inside_lat, region.inside_lon)
        return None


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed by both")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Withdrawn")


class SupplyMatch(TimeStampedModel):
    """A proposal to allocate ``quantity`` of an offer to a request.

    Each side confirms; the allocation is recorded when the second side confirms.
    """

    offer = models.ForeignKey(SupplyListing, on_delete=models.CASCADE, related_name="as_offer")
    request = models.ForeignKey(SupplyListing, on_delete=models.CASCADE, related_name="as_request")
    quantity = models.PositiveIntegerField(_("quantity"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    offer_confirmed_at = models.DateTimeField(null=True, blank=True)
    request_confirmed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    allocated_at = models.DateTimeField(null=True, blank=True)
    # The conversation between the two organisations: partnering's contact thread, so that
    # rate limits, blocking, reports and sharing contact details work the same everywhere.
    thread = models.ForeignKey(
        ContactThread,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supply_matches",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="response_match_positive"),
            # One open proposal per pair; a declined or withdrawn one may be proposed again.
            models.UniqueConstraint(
                fields=["offer", "request"],
                condition=Q(status="proposed"),
                name="response_one_open_proposal_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.offer.item} → {self.request.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("response:match", kwargs={"slug": self.offer.portal.slug, "pk": self.pk})


class ForumCategory(models.TextChoices):
    NEED_HELP = "need_help", _("I need help")
    CAN_HELP = "can_help", _("I can help")
    TECHNOLOGY = "technology", _("Technological solutions")
    BEST_PRACTICE = "best_practice", _("Best practices")
    ECONOMIC_EFFECT = "economic_effect", _("Economic effect")
    FUNDING = "funding", _("Funding")
    SOCIAL = "social", _("Social aspects")
    POLICY = "policy", _("Supporting policies")


class ForumPostQuerySet(models.QuerySet):
    def published(self) -> "ForumPostQuerySet":
        return self.filter(status=ModerationStatus.PUBLISHED)


class ForumPost(TimeStampedModel, ModeratedModel):
    portal = models.ForeignKey(ResponsePortal, on_delete=models.CASCADE, related_name="posts")
    category = models.CharField(_("category"), max_length=16, choices=ForumCategory.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=10000)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="forum_posts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ForumPostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("forum post")
        verbose_name_plural = _("forum posts")
        indexes = [models.Index(fields=["portal", "status", "-published_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("response:post", kwargs={"slug": self.portal.slug, "pk": self.pk})


class ForumComment(TimeStampedModel):
    post = models.ForeignKey(ForumPost, on_delete=models.CASCADE, related_name="comments")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=4000)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.body[:60]}"


class ForumFollow(models.Model):
    post = models.ForeignKey(ForumPost, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="response_follow_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.post}"
