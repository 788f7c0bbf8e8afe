from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _


def not_found(request: HttpRequest) -> JsonResponse:
    """Answer an unknown API address in the API's error format rather than with an HTML page."""
    return JsonResponse(
        {
            "status": 404,
            "code": "not_found",
            "message": _("There is no API endpoint at this address; see /api/docs/."),
            "errors": {},
        },
        status=404,
    )
