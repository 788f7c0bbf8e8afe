"""Recommendation boxes other apps' pages include with one tag."""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from clustercollab.matching import recommendations

register = template.Library()


def _rows(matches: list[recommendations.Match], url: Any, name: Any) -> list[dict]:
    return [
        {"url": url(match.item), "name": name(match.item), "reasons": match.reasons}
        for match in matches
    ]


@register.inclusion_tag("matching/_matches.html")
def organisations_for_post(post: Any) -> dict:
    """ "Organisations that fit this post" on a partner search post."""
    matches = recommendations.organisations_for_post(post)
    return {
        "title": _("Organisations that fit this post"),
        "testid": "organisations-for-post",
        "rows": _rows(matches, lambda o: o.get_absolute_url(), str),
    }


@register.inclusion_tag("matching/_matches.html")
def calls_that_fit(user: Any) -> dict:
    """ "Calls that fit you" on the member dashboard: for each of the member's organisations."""
    from clustercollab.organisations.models import Organisation

    rows = []
    seen = set()
    organisations = Organisation.objects.filter(memberships__user=user).distinct()[:3]
    for organisation in organisations.prefetch_related("ecosystems"):
        for match in recommendations.calls_for_organisation(organisation, limit=4):
            if match.item.pk in seen:
                continue
            seen.add(match.item.pk)
            rows += _rows([match], lambda c: c.get_absolute_url(), str)
    return {"title": _("Calls that fit you"), "testid": "calls-that-fit", "rows": rows}


@register.inclusion_tag("matching/_matches.html")
def people_to_meet(participant: Any) -> dict:
    """ "People you may want to meet" among the participants of a matchmaking event."""
    matches = recommendations.people_to_meet(participant) if participant else []
    event_id = participant.event_id if participant else None
    return {
        "title": _("People you may want to meet"),
        "testid": "people-to-meet",
        "rows": _rows(
            matches,
            lambda p: reverse("matchmaking:participant", args=[event_id, p.pk]),
            lambda p: p.name,
        ),
    }
