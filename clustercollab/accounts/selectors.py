"""Reads on accounts: a member's API tokens."""

import hashlib

from django.db.models import QuerySet

from clustercollab.accounts.models import ApiToken, User


def api_token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """Return the user's tokens that still work, newest first."""
    return ApiToken.objects.active().filter(user=user)


def api_token_for_secret(secret: str) -> ApiToken | None:
    """Return the working token with this secret, with its (active) user, or None."""
    return (
        ApiToken.objects.active()
        .select_related("user")
        .filter(key_hash=api_token_hash(secret), user__is_active=True)
        .first()
    )
