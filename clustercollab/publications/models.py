"""Publications (position papers, joint recommendations, studies, reports, good-practice cases)
and transition resources (guides, tools and good practices for the green and digital
transitions).

Both are member content: they reuse the content app's ``ContentItem`` (title, summary,
ecosystems, countries, language, posting organisation, folded search text) and the shared
moderation workflow. Staff-created items publish directly.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clustercollab.content.models import ContentItem, folded
from clustercollab.organisations.models import Organisation
from clustercollab.partnering.models import Partnership
from clustercollab.publications.files import publication_upload_to


class PublicationType(models.TextChoices):
    POSITION_PAPER = "position_paper", _("Position paper")
    JOINT_RECOMMENDATION = "joint_recommendation", _("Joint recommendation")
    STUDY = "study", _("Study")
    REPORT = "report", _("Report")
    GOOD_PRACTICE = "good_practice", _("Good-practice case")


class TransitionTheme(models.TextChoices):
    RESOURCE_EFFICIENCY = "resource_efficiency", _("Resource efficiency")
    CIRCULAR_ECONOMY = "circular_economy", _("Circular economy")
    DIGITALISATION = "digitalisation", _("Digitalisation")


class ResourceKind(models.TextChoices):
    GUIDE = "guide", _("Guide")
    TOOL = "tool", _("Tool")
    GOOD_PRACTICE = "good_practice", _("Good practice")


class Publication(ContentItem):
    SEARCH_FIELDS = ("title", "summary", "file_text")

    publication_type = models.CharField(
        _("type"), max_length=24, choices=PublicationType.choices, db_index=True
    )
    publication_date = models.DateField(_("date of publication"), db_index=True)
    authors = models.ManyToManyField(
        Organisation, related_name="authored_publications", verbose_name=_("authors")
    )
    file = models.FileField(_("file (PDF)"), upload_to=publication_upload_to, max_length=200)
    # Text of the file's first pages, for the library's full-text search.
    file_text = models.TextField(editable=False, blank=True, default="")
    transition_theme = models.CharField(
        _("transition theme"),
        max_length=24,
        choices=TransitionTheme.choices,
        blank=True,
        help_text=_("For good practices of the green and digital transitions."),
    )
    # Where a good-practice case came from.
    source_organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="good_practices",
        verbose_name=_("organisations it came from"),
    )
    source_partnerships = models.ManyToManyField(
        Partnership,
        blank=True,
        related_name="good_practices",
        verbose_name=_("partnerships it came from"),
    )

    class Meta:
        ordering = ["-publication_date", "-id"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        indexes = [
            models.Index(fields=["status", "-publication_date", "-id"], name="publication_latest"),
            models.Index(fields=["status", "submitted_at"], name="publication_queue"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("publications:publication_detail", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def is_good_practice(self) -> bool:
        return self.publication_type == PublicationType.GOOD_PRACTICE

    @property
    def download_url(self) -> str:
        return reverse("publications:publication_download", kwargs={"pk": self.pk})


class TransitionResource(ContentItem):
    RICH_TEXT_FIELDS = ("description",)
    SEARCH_FIELDS = ("title", "summary", "description", "keywords")

    kind = models.CharField(_("kind of resource"), max_length=16, choices=ResourceKind.choices)
    theme = models.CharField(
        _("transition theme"), max_length=24, choices=TransitionTheme.choices, db_index=True
    )
    description = models.TextField(_("description"), blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    keywords = models.CharField(
        _("keywords"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated, e.g. “recycling, industrial symbiosis, IoT”."),
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("transition resource")
        verbose_name_plural = _("transition resources")
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="resource_latest"),
            models.Index(fields=["status", "submitted_at"], name="resource_queue"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("publications:resource_detail", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]

    @property
    def folded_keywords(self) -> list[str]:
        return [folded(word) for word in self.keyword_list]
