from typing import Any

from django import template
from django.utils import timezone

from clustercollab.registrations import selectors
from clustercollab.registrations.models import RegistrationStatus

register = template.Library()


@register.inclusion_tag("registrations/_event_panel.html", takes_context=True)
def registration_panel(context: dict, event: Any) -> dict:
    """The registration box of an event page: the visitor's state and what they can do next."""
    user = context["request"].user
    setup = selectors.setup_of(event)
    is_organiser = selectors.can_organise(user=user, event=event)
    panel = {"event": event, "setup": setup, "user": user, "is_organiser": is_organiser}
    if setup is None:
        return panel
    registration = selectors.active_registration(event=event, user=user)
    figures = [f for f in selectors.figures(event) if f.mode in setup.modes]
    panel.update(
        phase=setup.phase(timezone.now()),
        figures=figures,
        interest=selectors.interest_of(event=event, user=user),
        registration=registration,
        position=selectors.waiting_position(registration) if registration else None,
        join_link=selectors.join_link_for(event=event, user=user),
        modes=[(f.mode, f.label, f.places_left == 0) for f in figures],
        registered=RegistrationStatus.REGISTERED,
        request=context["request"],
    )
    return panel
