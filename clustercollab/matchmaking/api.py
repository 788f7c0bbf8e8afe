"""The matchmaking app's REST API endpoints, mounted under /api/v1/ by clustercollab.api.urls."""

urlpatterns: list = []
