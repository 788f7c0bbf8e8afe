"""Partner search posts, their comments, follows and expressions of interest."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clustercollab.core.models import Country, IndustrialEcosystem, NaceActivity, TimeStampedModel
from clustercollab.core.moderation import ModeratedModel, ModerationStatus
from clustercollab.organisations.models import Organisation
from clustercollab.partnering.models.threads import ContactThread

MAX_KEYWORDS = 5
SUMMARY_MAX_LENGTH = 500
# A published post without renewal expires this many days after publishing (or renewal).
POST_LIFETIME_DAYS = 365
REMINDER_DAYS_BEFORE_EXPIRY = 14


class PostType(models.TextChoices):
    BUSINESS_OFFER = "BO", _("Business offer")
    BUSINESS_REQUEST = "BR", _("Business request")
    TECHNOLOGY_OFFER = "TO", _("Technology offer")
    TECHNOLOGY_REQUEST = "TR", _("Technology request")
    RD_REQUEST = "RD", _("R&D partner search for a funding call")


class PartnershipType(models.TextChoices):
    COMMERCIAL = "commercial", _("Commercial agreement")
    SUPPLIER = "supplier", _("Supplier agreement")
    OUTSOURCING = "outsourcing", _("Outsourcing agreement")
    INVESTMENT = "investment", _("Investment")
    RESEARCH = "research", _("R&D cooperation")
    JOINT_VENTURE = "joint_venture", _("Joint venture")
    LICENCE = "licence", _("Licence agreement")


class DevelopmentStage(models.TextChoices):
    NONE = "", _("Not applicable")
    CONCEPT = "concept", _("Concept stage")
    UNDER_DEVELOPMENT = "development", _("Under development / lab tested")
    PROTOTYPE = "prototype", _("Prototype available for demonstration")
    FIELD_TESTED = "field_tested", _("Field tested / evaluated")
    ON_MARKET = "on_market", _("Already on the market")


class IprStatus(models.TextChoices):
    NONE = "", _("Not applicable")
    NO_IPR = "no_ipr", _("No IPR applied")
    SECRET = "secret", _("Secret know-how")
    APPLIED = "applied", _("Patent applied for")
    GRANTED = "granted", _("Patent granted")
    COPYRIGHT = "copyright", _("Copyright")
    OTHER = "other", _("Other")


class RoleSought(models.TextChoices):
    NONE = "", _("Not applicable")
    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER = "partner", _("Partner")
    SUBCONTRACTOR = "subcontractor", _("Subcontractor")


class PostStatus(models.TextChoices):
    DRAFT = ModerationStatus.DRAFT.value, ModerationStatus.DRAFT.label
    SUBMITTED = ModerationStatus.SUBMITTED.value, ModerationStatus.SUBMITTED.label
    CHANGES_REQUESTED = (
        ModerationStatus.CHANGES_REQUESTED.value,
        ModerationStatus.CHANGES_REQUESTED.label,
    )
    PUBLISHED = ModerationStatus.PUBLISHED.value, ModerationStatus.PUBLISHED.label
    EXPIRED = "expired", _("Expired")
    ARCHIVED = ModerationStatus.ARCHIVED.value, ModerationStatus.ARCHIVED.label


class PartnerPostQuerySet(models.QuerySet):
    def listed(self, now: datetime | None = None) -> "PartnerPostQuerySet":
        """Posts the public sees: published and not past their expiry, even before the job ran."""
        return self.filter(status=PostStatus.PUBLISHED, expires_at__gt=now or timezone.now())


class PartnerPost(TimeStampedModel, ModeratedModel):
    # The moderation states plus "expired", which only the expiry job sets.
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PostStatus.choices,
        default=PostStatus.DRAFT,
        db_index=True,
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="partner_posts",
        verbose_name=_("organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reference = models.CharField(
        _("reference"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    post_type = models.CharField(_("type"), max_length=2, choices=PostType.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=SUMMARY_MAX_LENGTH)
    description = models.TextField(_("description"), blank=True)
    partnership_types = models.JSONField(_("partnership types sought"), default=list)
    development_stage = models.CharField(
        _("stage of development"), max_length=20, choices=DevelopmentStage.choices, blank=True
    )
    ipr_status = models.CharField(
        _("IPR status"), max_length=20, choices=IprStatus.choices, blank=True
    )
    ecosystems = models.ManyToManyField(
        IndustrialEcosystem,
        blank=True,
        related_name="partner_posts",
        verbose_name=_("industrial ecosystems"),
    )
    nace_activities = models.ManyToManyField(
        NaceActivity, blank=True, related_name="partner_posts", verbose_name=_("NACE sectors")
    )
    market_keywords = models.JSONField(_("market keywords"), default=list, blank=True)
    technology_keywords = models.JSONField(_("technology keywords"), default=list, blank=True)
    target_countries = models.ManyToManyField(
        Country, blank=True, related_name="+", verbose_name=_("target countries")
    )
    deadline = models.DateField(_("deadline for expressions of interest"))
    # R&D partner search: the call on the platform when there is one, else (or also) as text.
    funding_call = models.ForeignKey(
        "content.FundingCall",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partner_searches",
        verbose_name=_("funding call on this platform"),
    )
    funding_call_identifier = models.CharField(
        _("funding call identifier"), max_length=120, blank=True
    )
    funding_call_title = models.CharField(_("funding call title"), max_length=300, blank=True)
    funding_call_url = models.URLField(_("funding call address"), max_length=500, blank=True)
    role_sought = models.CharField(
        _("role sought"), max_length=20, choices=RoleSought.choices, blank=True
    )
    budget_eur = models.PositiveIntegerField(_("budget (EUR)"), null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), null=True, blank=True
    )
    renewed_at = models.DateTimeField(_("renewed"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True, db_index=True)
    expired_at = models.DateTimeField(_("expired"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    objects = PartnerPostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("partner search post")
        verbose_name_plural = _("partner search posts")
        indexes = [
            # The public list and the expiry job (manage.py expire_partner_posts).
            models.Index(fields=["status", "expires_at"], name="partnerpost_status_expiry"),
            models.Index(fields=["status", "submitted_at"], name="partnerpost_status_submitted"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}" if self.reference else self.title

    def get_absolute_url(self) -> str:
        return reverse("partnering:post_detail", kwargs={"pk": self.pk})

    @property
    def is_research(self) -> bool:
        return self.post_type == PostType.RD_REQUEST

    @property
    def partnership_type_labels(self) -> list[str]:
        labels = dict(PartnershipType.choices)
        return [str(labels.get(value, value)) for value in self.partnership_types]


class ReferenceCounter(models.Model):
    """The last sequence number handed out per reference prefix (type + country + date)."""

    prefix = models.CharField(max_length=12, primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}: {self.last}"


class PostComment(TimeStampedModel):
    post = models.ForeignKey(PartnerPost, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=4000)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"{self.author} on {self.post_id}"


class PostFollow(TimeStampedModel):
    post = models.ForeignKey(PartnerPost, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_post_follows"
    )

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="one_follow_per_post_and_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.post_id}"


class InterestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class ExpressionOfInterest(TimeStampedModel):
    post = models.ForeignKey(PartnerPost, on_delete=models.CASCADE, related_name="interests")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="expressions_of_interest"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    who_we_are = models.TextField(_("who we are"), max_length=2000)
    what_we_offer = models.TextField(_("what we offer"), max_length=2000)
    why_we_fit = models.TextField(_("why we fit"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=InterestStatus.choices, default=InterestStatus.PENDING
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    thread = models.OneToOneField(
        ContactThread, null=True, blank=True, on_delete=models.SET_NULL, related_name="interest"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "organisation"], name="one_interest_per_post_and_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.post}"

    def get_absolute_url(self) -> str:
        return reverse("partnering:interest_detail", kwargs={"pk": self.pk})

    @property
    def is_accepted(self) -> bool:
        return self.status == InterestStatus.ACCEPTED
