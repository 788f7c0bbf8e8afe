"""Contact threads between organisations: messages, read marks, blocks."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clustercollab.core.models import TimeStampedModel
from clustercollab.organisations.models import Organisation


class ContactThread(TimeStampedModel):
    """A conversation between two organisations; e-mail addresses stay hidden until shared."""

    initiator = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="threads_started"
    )
    recipient = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="threads_received"
    )
    subject = models.CharField(_("subject"), max_length=200)
    post = models.ForeignKey(
        "partnering.PartnerPost",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="threads",
    )
    initiator_shares_contact = models.BooleanField(default=False)
    recipient_shares_contact = models.BooleanField(default=False)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    report_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        verbose_name = _("contact thread")
        verbose_name_plural = _("contact threads")
        constraints = [
            models.CheckConstraint(
                condition=~Q(initiator=models.F("recipient")), name="thread_between_two_orgs"
            )
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("partnering:thread_detail", kwargs={"pk": self.pk})

    def other_side(self, organisation_id: int) -> Organisation:
        return self.recipient if organisation_id == self.initiator_id else self.initiator

    def shares_contact(self, organisation_id: int) -> bool:
        if organisation_id == self.initiator_id:
            return self.initiator_shares_contact
        return self.recipient_shares_contact


class Message(models.Model):
    thread = models.ForeignKey(ContactThread, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        # The rate limit counts a user's messages of the last hour.
        indexes = [models.Index(fields=["author", "created_at"], name="message_author_time")]

    def __str__(self) -> str:
        return f"{self.sender} in {self.thread_id}"


class ThreadReadMark(models.Model):
    thread = models.ForeignKey(ContactThread, on_delete=models.CASCADE, related_name="read_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="one_read_mark_per_thread_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.thread_id} at {self.read_at}"


class OrganisationBlock(TimeStampedModel):
    """The blocking organisation receives no more messages from the blocked one."""

    blocker = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="blocks")
    blocked = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("blocked organisation")
        verbose_name_plural = _("blocked organisations")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="one_block_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.blocker} blocks {self.blocked}"
