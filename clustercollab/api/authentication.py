"""Members' personal API tokens, sent as ``Authorization: Bearer <token>``."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from clustercollab.accounts.models import ApiToken, User
from clustercollab.accounts.selectors import api_token_for_secret
from clustercollab.accounts.services import api_token_record_use

KEYWORDS = {b"bearer", b"token"}


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as “Authorization: Bearer <token>”.")
            )
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            secret = ""
        token = api_token_for_secret(secret) if secret else None
        if token is None:
            raise exceptions.AuthenticationFailed(_("This token is unknown or was revoked."))
        api_token_record_use(token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'
