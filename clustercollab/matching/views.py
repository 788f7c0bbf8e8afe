from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clustercollab.matching.recommend import recommended_partners as recommend
from clustercollab.organisations.selectors import organisation_for_member

RECOMMENDED = 50
PAGE_SIZE = 10


@login_required
def recommended_partners(request: HttpRequest, pk: int) -> HttpResponse:
    """Recommended partners of an organisation, for its members only (404 for anyone else)."""
    organisation, _role = organisation_for_member(pk=pk, user=request.user)
    recommendations = recommend(organisation, limit=RECOMMENDED)
    page = Paginator(recommendations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/recommended_partners.html",
        {"organisation": organisation, "page": page},
    )
