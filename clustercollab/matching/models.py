from django.db import models
from django.utils.translation import gettext_lazy as _


class Embedding(models.Model):
    """The vector of one public object's text under one encoder."""

    kind = models.CharField(_("kind"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("object id"))
    model = models.CharField(_("encoder"), max_length=100)
    text_hash = models.CharField(max_length=32)
    # float16, little-endian, ``dim`` values: half the size of float32 and exact enough for
    # cosine ranking.
    vector = models.BinaryField()
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("embedding")
        verbose_name_plural = _("embeddings")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "model", "object_id"], name="one_embedding_per_object_and_model"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.model})"


class VectorSet(models.Model):
    """One row per kind and encoder whose ``version`` grows on every change of its vectors.

    Each process keeps the matrix in memory and reloads it when the version it read differs:
    one primary-key read per search, seen by every process and server.
    """

    kind = models.CharField(max_length=40)
    model = models.CharField(max_length=100)
    version = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "model"], name="one_vector_set_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.model}) v{self.version}"
