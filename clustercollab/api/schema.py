"""drf-spectacular descriptions of our own API building blocks."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "clustercollab.api.authentication.ApiTokenAuthentication"
    name = "memberToken"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal token created on the account page (API tokens).",
        }
