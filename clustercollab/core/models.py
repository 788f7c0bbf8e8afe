from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class CountryGroup(models.TextChoices):
    EU = "eu", _("EU member state")
    ASSOCIATED = "associated", _("Associated to Horizon Europe / COSME")
    OTHER = "other", _("Other country")


class Country(models.Model):
    code = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    group = models.CharField(
        _("group"), max_length=12, choices=CountryGroup.choices, default=CountryGroup.OTHER
    )
    has_nuts = models.BooleanField(_("has NUTS regions"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.local_name

    @property
    def is_eu(self) -> bool:
        return self.group == CountryGroup.EU

    @property
    def local_name(self) -> str:
        from clustercollab.core.taxonomy import country_name

        return country_name(self.code, self.name, translation.get_language())


class NutsRegion(models.Model):
    code = models.CharField(_("NUTS code"), max_length=5, primary_key=True)
    level = models.PositiveSmallIntegerField(_("level"))
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="nuts_regions")
    name_latin = models.CharField(_("name"), max_length=150)
    name_native = models.CharField(_("native name"), max_length=150)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    centroid_lat = models.FloatField()
    centroid_lon = models.FloatField()
    inside_lat = models.FloatField(help_text=_("A point inside the region, for markers."))
    inside_lon = models.FloatField()
    # GeoJSON geometry of level-3 regions, so coordinates map to a region without the source files.
    geometry = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("NUTS region")
        verbose_name_plural = _("NUTS regions")
        indexes = [models.Index(fields=["country", "level"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name_latin}"


class IndustrialEcosystem(models.Model):
    id = models.PositiveSmallIntegerField(primary_key=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("industrial ecosystem")
        verbose_name_plural = _("industrial ecosystems")

    def __str__(self) -> str:
        # The 14 names are in the translation catalogues (core/taxonomy.py marks them).
        return gettext(self.name)


class NaceActivity(models.Model):
    code = models.CharField(_("NACE code"), max_length=5, primary_key=True)
    level = models.CharField(_("level"), max_length=8)  # section, division, group, class
    section = models.CharField(max_length=1)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    labels = models.JSONField(help_text=_("Label by language code."))

    class Meta:
        ordering = ["code"]
        verbose_name = _("NACE activity")
        verbose_name_plural = _("NACE activities")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        language = (translation.get_language() or "en").split("-")[0]
        return self.labels.get(language) or self.labels.get("en", "")


class EmergingIndustry(models.Model):
    slug = models.SlugField(primary_key=True)
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("emerging industry")
        verbose_name_plural = _("emerging industries")

    def __str__(self) -> str:
        return gettext(self.name)


class AuditLogEntry(models.Model):
    """Who did what to which object, when and why. Written by services, never edited."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.ForeignKey(ContentType, null=True, on_delete=models.SET_NULL)
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    target_repr = models.CharField(max_length=300, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["target_type", "target_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


class DataImport(models.Model):
    """One completed run of a data import, with a fingerprint of its inputs and code."""

    name = models.CharField(max_length=50, db_index=True)
    fingerprint = models.CharField(max_length=64)
    finished_at = models.DateTimeField(auto_now_add=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-finished_at", "-id"]
        verbose_name = _("data import")
        verbose_name_plural = _("data imports")

    def __str__(self) -> str:
        return f"{self.name} {self.finished_at:%Y-%m-%d %H:%M}"
