"""Regional supporters (e.g. a regional development agency or an EU office), the messages they
send to the clusters of their regions, and the monthly summaries they were sent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clustercollab.core.models import Country, NutsRegion, TimeStampedModel
from clustercollab.organisations.models import Organisation


class RegionalSupporter(TimeStampedModel):
    """The role staff grant an organisation: its members follow the clusters of its regions.

    Keyed by the organisation, so an organisation holds the role once (for all its regions).
    A NUTS region of any level covers the regions below it; a country covers all its profiles.
    """

    organisation = models.OneToOneField(
        Organisation,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="regional_supporter",
        verbose_name=_("organisation"),
    )
    regions = models.ManyToManyField(
        NutsRegion, blank=True, related_name="+", verbose_name=_("NUTS regions")
    )
    countries = models.ManyToManyField(
        Country, blank=True, related_name="+", verbose_name=_("countries")
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("granted by"),
    )

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("regional supporter")
        verbose_name_plural = _("regional supporters")

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def area_codes(self) -> list[str]:
        """The codes of its countries and regions, countries first."""
        countries = [c.code for c in self.countries.all()]
        return countries + [r.code for r in self.regions.all()]


class MessageKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder")
    HELP_OFFER = "help_offer", _("Offer of help")


class SupportMessage(models.Model):
    """A reminder or an offer of help from a regional supporter to one organisation."""

    supporter = models.ForeignKey(
        RegionalSupporter,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("from"),
    )
    recipient = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="support_messages",
        verbose_name=_("to"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind of message"), max_length=12, choices=MessageKind.choices)
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("support message")
        verbose_name_plural = _("support messages")
        indexes = [
            # The rate limits count a user's messages and a supporter's messages to one cluster.
            models.Index(fields=["author", "created_at"], name="support_message_author_time"),
            models.Index(
                fields=["supporter", "recipient", "created_at"], name="support_message_pair_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supporter} → {self.recipient} ({self.kind})"


class SummarySent(models.Model):
    """One monthly summary e-mailed to a supporter's members; the row makes sending idempotent."""

    supporter = models.ForeignKey(
        RegionalSupporter, on_delete=models.CASCADE, related_name="summaries"
    )
    month = models.DateField(help_text=_("The first day of the month summarised."))
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)
    figures = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-month", "supporter"]
        verbose_name = _("monthly summary sent")
        verbose_name_plural = _("monthly summaries sent")
        constraints = [
            models.UniqueConstraint(fields=["supporter", "month"], name="one_summary_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.supporter} {self.month:%Y-%m}"
