"""The matchmaking app's REST API endpoints, mounted under /api/v1/ by clustercollab.api.urls."""

from django.core.paginator import Paginator
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clustercollab.matchmaking import selectors
from clustercollab.matchmaking.times import in_zone

PAGE_SIZE = 50


class EventListApi(APIView):
    """Matchmaking events the caller may see, newest first, 50 a page (?page=N)."""

    renderer_classes = [JSONRenderer]

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        title = serializers.CharField()
        mode = serializers.CharField()
        time_zone = serializers.CharField()
        application_deadline = serializers.DateTimeField()
        booking_opens_at = serializers.DateTimeField()
        booking_closes_at = serializers.DateTimeField()
        scheduling_mode = serializers.CharField()

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        page = Paginator(selectors.events_for_user(request.user), PAGE_SIZE).get_page(
            request.query_params.get("page")
        )
        return Response(
            {
                "count": page.paginator.count,
                "page": page.number,
                "pages": page.paginator.num_pages,
                "results": self.OutputSerializer(page.object_list, many=True).data,
            }
        )


class MyAgendaApi(APIView):
    """The caller's meetings in an event: UTC instants plus the caller's local wall time."""

    renderer_classes = [JSONRenderer]
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        event = selectors.event_for_viewer(pk=pk, user=request.user)
        participant = selectors.participant_of_user(user=request.user, event=event)
        if participant is None:
            return Response({"detail": "You do not take part in this event."}, status=404)
        meetings = [
            {
                "id": row["meeting"].pk,
                "start": row["slot"].start,
                "end": row["slot"].end,
                "local_start": in_zone(row["slot"].start, participant.time_zone).isoformat(),
                "time_zone": participant.time_zone,
                "partner": row["partner"].name,
                "partner_country": row["partner"].country_id,
                "table": row["meeting"].table.number,
                "link": row["meeting"].link,
                "status": row["meeting"].status,
            }
            for row in selectors.agenda_of(participant)
        ]
        return Response({"event": event.pk, "participant": participant.name, "meetings": meetings})


urlpatterns = [
    path("matchmaking/events/", EventListApi.as_view(), name="matchmaking-events"),
    path("matchmaking/events/<int:pk>/agenda/", MyAgendaApi.as_view(), name="matchmaking-agenda"),
]
