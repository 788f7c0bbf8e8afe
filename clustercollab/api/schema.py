"""drf-spectacular descriptions of our own API building blocks."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer (see clustercollab.api.errors)."""

    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


# For @extend_schema(responses={200: ..., **ERROR_RESPONSES}) on list endpoints.
ERROR_RESPONSES = {
    400: OpenApiResponse(ErrorSerializer, description="A query parameter is invalid."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests: try again later."),
}


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "clustercollab.api.authentication.ApiTokenAuthentication"
    name = "memberToken"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal token created on the account page (API tokens).",
        }
