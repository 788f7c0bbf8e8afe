"""Strategic partnerships and networks with their member organisations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clustercollab.core.models import Country, IndustrialEcosystem, TimeStampedModel
from clustercollab.core.moderation import ModeratedModel, ModerationStatus
from clustercollab.organisations.models import Organisation


class Programme(models.TextChoices):
    ESCP_4I = "escp_4i", _("ESCP-4i (internationalisation)")
    ESCP_S3 = "escp_s3", _("ESCP-S3 (smart specialisation)")
    ESCP_4X = "escp_4x", _("ESCP-4x (excellence)")
    EUROCLUSTERS = "euroclusters", _("Euroclusters")
    OTHER = "other", _("Other")


class PartnershipRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER = "partner", _("Partner")


class MemberStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Member")


class PartnershipQuerySet(models.QuerySet):
    def published(self) -> "PartnershipQuerySet":
        return self.filter(status=ModerationStatus.PUBLISHED)


class Partnership(TimeStampedModel, ModeratedModel):
    """A strategic cluster partnership (e.g. an ESCP or a Euroclusters project).

    Proposed by an admin of a member organisation (its coordinator), which invites the other
    member organisations; staff validate it before it is public (core.moderation).
    """

    name = models.CharField(_("name"), max_length=250)
    acronym = models.CharField(_("acronym"), max_length=50, blank=True)
    programme = models.CharField(_("programme or strand"), max_length=20, choices=Programme.choices)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    ecosystems = models.ManyToManyField(
        IndustrialEcosystem, blank=True, related_name="partnerships", verbose_name=_("ecosystems")
    )
    target_countries = models.ManyToManyField(
        Country, blank=True, related_name="+", verbose_name=_("target countries")
    )
    smes_reached = models.PositiveIntegerField(_("SMEs reached"), null=True, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    members = models.ManyToManyField(
        Organisation, through="PartnershipMember", related_name="partnerships"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # News and events that their posting member organisations tagged with the partnership.
    news = models.ManyToManyField(
        "content.News", blank=True, related_name="partnerships", verbose_name=_("news")
    )
    events = models.ManyToManyField(
        "content.Event", blank=True, related_name="partnerships", verbose_name=_("events")
    )

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("strategic partnership")
        verbose_name_plural = _("strategic partnerships")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="partnership_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.acronym} – {self.name}" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return reverse("partnering:partnership_detail", kwargs={"pk": self.pk})

    @property
    def title(self) -> str:
        """The name as content items call it (the staff's shared moderation queue shows it)."""
        return str(self)


class PartnershipMember(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="partnership_memberships"
    )
    role = models.CharField(
        _("role"), max_length=12, choices=PartnershipRole.choices, default=PartnershipRole.PARTNER
    )
    # An invited organisation is listed once one of its admins accepted.
    status = models.CharField(
        _("membership"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.ACTIVE
    )

    class Meta:
        ordering = ["role", "organisation__name"]
        verbose_name = _("partnership member")
        verbose_name_plural = _("partnership members")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="one_role_per_partnership_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} in {self.partnership_id} ({self.role})"


class NetworkScope(models.TextChoices):
    NATIONAL = "national", _("National cluster association")
    EUROPEAN = "european", _("European network")
    OTHER = "other", _("Other network")


class Network(TimeStampedModel):
    """A network or association of cluster organisations, with its member organisations."""

    name = models.CharField(_("name"), max_length=250)
    acronym = models.CharField(_("acronym"), max_length=100, blank=True)
    scope = models.CharField(_("scope"), max_length=10, choices=NetworkScope.choices)
    country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("country"),
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    # The network's own profile in the directory, when it has one.
    organisation = models.OneToOneField(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="network",
        verbose_name=_("profile in the directory"),
    )
    source_note = models.CharField(_("source"), max_length=300, blank=True)
    members = models.ManyToManyField(Organisation, through="NetworkMember", related_name="networks")

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return reverse("partnering:network_detail", kwargs={"pk": self.pk})


class NetworkMember(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="network_memberships"
    )

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("network member")
        verbose_name_plural = _("network members")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "organisation"], name="one_membership_per_network"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} in {self.network_id}"
