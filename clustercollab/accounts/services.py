"""Writes on accounts: creating, using and revoking a member's API tokens."""

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clustercollab.accounts.models import ApiToken, User
from clustercollab.accounts.selectors import api_token_hash, api_tokens_of
from clustercollab.core.audit import audit_log

MAX_ACTIVE_API_TOKENS = 10
TOKEN_PREFIX = "cc_"
# The part of a secret shown in the token list so members can tell their tokens apart.
SHOWN_PREFIX_LENGTH = 10
LAST_USED_PRECISION = timedelta(minutes=1)


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is never stored and never shown again."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the token a name, for example the tool that will use it."))
    # Lock the user's row so two requests at once cannot both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if api_tokens_of(user).count() >= MAX_ACTIVE_API_TOKENS:
        raise ValidationError(
            _("You already have %(max)d tokens. Revoke one you no longer use first.")
            % {"max": MAX_ACTIVE_API_TOKENS}
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=name, prefix=secret[:SHOWN_PREFIX_LENGTH], key_hash=api_token_hash(secret)
    )
    token.full_clean()
    token.save()
    audit_log(actor=user, action="accounts.api_token.created", target=token)
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> None:
    """Revoke a token for good; it is kept (revoked) so the audit log can still name it."""
    if token.user_id != actor.pk:
        raise ValidationError(_("You can only revoke your own tokens."))
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_log(actor=actor, action="accounts.api_token.revoked", target=token)


def api_token_record_use(token: ApiToken) -> None:
    """Note that the token was used, writing at most once a minute per token."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_PRECISION)
    ).update(last_used_at=now)
    token.last_used_at = now
