"""Site-wide pages that draw on several apps."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clustercollab.organisations.selectors import home_page_figures


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", home_page_figures())
