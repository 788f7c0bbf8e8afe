import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clustercollab.core.models import (
    Country,
    EmergingIndustry,
    IndustrialEcosystem,
    NaceActivity,
    NutsRegion,
    TimeStampedModel,
)
from clustercollab.core.moderation import ModeratedModel, ModerationStatus


class OrganisationKind(models.TextChoices):
    CLUSTER = "cluster", _("Cluster organisation")
    CLUSTER_NETWORK = "cluster_network", _("Cluster network or association")
    COMPANY = "company", _("Company")
    RESEARCH = "research", _("Research or technology organisation")
    UNIVERSITY = "university", _("University")
    PUBLIC_BODY = "public_body", _("Public body")
    OTHER = "other", _("Other")


CLUSTER_KINDS = (OrganisationKind.CLUSTER, OrganisationKind.CLUSTER_NETWORK)


class Label(models.TextChoices):
    NONE = "", _("None")
    BRONZE = "bronze", _("Bronze (Cluster Management Excellence)")
    SILVER = "silver", _("Silver (Cluster Management Excellence)")
    GOLD = "gold", _("Gold (Cluster Management Excellence)")


class Source(models.TextChoices):
    REGISTERED = "registered", _("Registered on the platform")
    CORDIS = "cordis", _("Imported from CORDIS")


class OrganisationQuerySet(models.QuerySet):
    def published(self) -> "OrganisationQuerySet":
        return self.filter(status=ModerationStatus.PUBLISHED)

    def clusters(self) -> "OrganisationQuerySet":
        return self.filter(kind__in=CLUSTER_KINDS)


MEMBER_COUNT_FIELDS = [
    ("members_smes", _("SMEs")),
    ("members_large_companies", _("large companies")),
    ("members_research", _("research organisations")),
    ("members_universities", _("universities")),
    ("members_public_bodies", _("public bodies")),
    ("members_civil_society", _("civil society")),
]


def _member_count(label: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        label, null=True, blank=True, validators=[MaxValueValidator(1_000_000)]
    )


class Organisation(TimeStampedModel, ModeratedModel):
    kind = models.CharField(
        _("kind of organisation"), max_length=20, choices=OrganisationKind.choices, db_index=True
    )
    name = models.CharField(_("name"), max_length=250)
    acronym = models.CharField(_("acronym"), max_length=50, blank=True)
    slug = models.SlugField(max_length=80, allow_unicode=False)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    about = models.TextField(_("about us"), blank=True)
    about_language = models.CharField(
        _("language of “about us”"), max_length=8, blank=True, choices=settings.PROFILE_LANGUAGES
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("country")
    )
    nuts_region = models.ForeignKey(
        NutsRegion,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
        verbose_name=_("NUTS region"),
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    legal_form = models.CharField(_("legal form"), max_length=120, blank=True)
    established_on = models.DateField(_("date of establishment"), null=True, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    members_smes = _member_count(_("member SMEs"))
    members_large_companies = _member_count(_("member large companies"))
    members_research = _member_count(_("member research organisations"))
    members_universities = _member_count(_("member universities"))
    members_public_bodies = _member_count(_("member public bodies"))
    members_civil_society = _member_count(_("member civil-society organisations"))
    management_fte = models.DecimalField(
        _("cluster-management staff (FTE)"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(10_000)],
    )
    ecosystems = models.ManyToManyField(
        IndustrialEcosystem,
        blank=True,
        related_name="organisations",
        verbose_name=_("industrial ecosystems"),
    )
    nace_activities = models.ManyToManyField(
        NaceActivity, blank=True, related_name="organisations", verbose_name=_("NACE sectors")
    )
    emerging_industries = models.ManyToManyField(
        EmergingIndustry,
        blank=True,
        related_name="organisations",
        verbose_name=_("emerging industries"),
    )
    keywords = models.JSONField(_("technology keywords"), default=list, blank=True)
    offers = models.TextField(_("what we offer"), blank=True)
    seeks = models.TextField(_("what we seek"), blank=True)
    target_countries = models.ManyToManyField(
        Country, blank=True, related_name="+", verbose_name=_("target countries")
    )
    label = models.CharField(
        _("cluster-excellence label"), max_length=8, choices=Label.choices, blank=True
    )
    label_valid_until = models.DateField(_("label valid until"), null=True, blank=True)
    programme_recognition = models.CharField(
        _("recognised by cluster programme"),
        max_length=250,
        blank=True,
        help_text=_("The national or regional cluster programme that recognises this cluster."),
    )
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.REGISTERED)
    cordis_pic = models.CharField(_("EU PIC"), max_length=12, null=True, blank=True, unique=True)
    # Fields edited since staff last looked at this published profile.
    unreviewed_changes = models.JSONField(default=list, blank=True)
    # The directory's member-count filter and sort, computed by the database on every write.
    member_total = models.GeneratedField(
        expression=sum(
            (Coalesce(field, 0) for field, _label in MEMBER_COUNT_FIELDS[1:]),
            start=Coalesce(MEMBER_COUNT_FIELDS[0][0], 0),
        ),
        output_field=models.PositiveIntegerField(),
        db_persist=True,
        verbose_name=_("members"),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            models.Index(fields=["status", "kind"]),
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["country", "status"]),
            # The home page's "latest profiles" and "latest clusters" lists; with the id in the
            # index, profiles imported at the same moment need no sort of all of them.
            models.Index(fields=["status", "-published_at", "-id"], name="org_latest_published"),
            models.Index(fields=["status", "member_total"], name="org_member_total"),
            # The directory's default order (by name) without sorting every profile.
            models.Index(fields=["status", "name", "id"], name="org_status_name"),
            # One country's profiles in name order, for a page of them without a sort.
            models.Index(fields=["status", "country", "name", "id"], name="org_country_name"),
            # Covers every single-valued directory facet, so counting them reads this narrow
            # index instead of the wide rows.
            models.Index(
                fields=["status", "country", "kind", "label", "member_total", "nuts_region"],
                name="org_directory_facets",
            ),
            models.Index(fields=["status", "nuts_region"], name="org_status_region"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="organisation_coordinates_in_world",
            ),
            models.CheckConstraint(
                condition=Q(label="") | Q(label_valid_until__isnull=False),
                name="organisation_label_has_validity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("organisations:detail", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def is_cluster(self) -> bool:
        return self.kind in CLUSTER_KINDS

    @property
    def total_members(self) -> int:
        return sum(getattr(self, field) or 0 for field, _label in MEMBER_COUNT_FIELDS)

    @property
    def member_type_count(self) -> int:
        return sum(1 for field, _label in MEMBER_COUNT_FIELDS if getattr(self, field))

    @property
    def label_is_valid(self) -> bool:
        return (
            bool(self.label)
            and (self.label_valid_until or timezone.localdate()) >= timezone.localdate()
        )


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    EDITOR = "editor", _("Editor")


class Membership(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.EDITOR)

    class Meta:
        ordering = ["organisation__name", "user__email"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="one_membership_per_user_and_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry() -> "timezone.datetime":
    return timezone.now() + timedelta(days=14)


class InvitationQuerySet(models.QuerySet):
    def open(self) -> "InvitationQuerySet":
        """Invitations that can still be accepted (see Invitation.is_open)."""
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(TimeStampedModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.EDITOR)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class Project(models.Model):
    """A Horizon Europe project from CORDIS, the source of imported profiles' activities."""

    id = models.CharField(_("grant number"), max_length=12, primary_key=True)
    acronym = models.CharField(_("acronym"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=500)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    topic_code = models.CharField(max_length=120, blank=True)
    legal_basis = models.CharField(max_length=60, blank=True)
    keywords = models.JSONField(default=list, blank=True)
    ecosystems = models.ManyToManyField(IndustrialEcosystem, blank=True, related_name="projects")
    organisations = models.ManyToManyField(
        Organisation, through="Participation", related_name="projects"
    )

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("research project")
        verbose_name_plural = _("research projects")

    def __str__(self) -> str:
        return f"{self.acronym or self.id}: {self.title}"

    @property
    def cordis_url(self) -> str:
        return f"https://cordis.europa.eu/project/id/{self.id}"


class Participation(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="participations"
    )
    role = models.CharField(max_length=20)

    class Meta:
        verbose_name = _("project participation")
        verbose_name_plural = _("project participations")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation"],
                name="one_participation_per_project_and_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} in {self.project_id} ({self.role})"


class SearchIndexField(models.TextField):
    """A column of the search index; its lookups (``match``, ``similar``) are in search.py."""


class SearchEntry(models.Model):
    """The search index row of one published profile, written only by database triggers.

    On SQLite the table is an FTS5 virtual table whose hidden column carries the table's name;
    on PostgreSQL the ``tsvector`` column has the same name, so one model maps both. Created by
    ``search.install_search_structures`` (after every migrate), not by a migration.
    """

    organisation = models.OneToOneField(
        Organisation,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="search_entry",
    )
    document = SearchIndexField(db_column="organisations_search")

    class Meta:
        managed = False
        db_table = "organisations_search"

    def __str__(self) -> str:
        return f"search entry of organisation {self.organisation_id}"
