from django import template
from django.conf import settings
from django.db.models import Model
from django.utils.translation import gettext as _

from clustercollab.content import selectors
from clustercollab.core.templatetags.audit import action_label

register = template.Library()


@register.filter
def verbose_name(obj: Model | type[Model]) -> str:
    """The model's readable name, e.g. “news item” or “event”."""
    return str(obj._meta.verbose_name)


@register.filter
def content_action_label(action: str) -> str:
    """A readable label for an audit action of content (rejected is content's own step)."""
    if action.endswith(".rejected"):
        return _("rejected")
    return action_label(action)


@register.inclusion_tag("content/_dashboard_content.html")
def my_content_section(user: object) -> dict:
    items = selectors.content_of_user(user)
    return {
        "items": items[:10],
        "more": len(items) > 10,
        "review_days": settings.MODERATION_REVIEW_DAYS,
        "can_post": getattr(user, "is_staff", False)
        or selectors.posting_organisations(user).exists(),
    }


@register.inclusion_tag("content/_organisation_content.html", takes_context=True)
def organisation_content_section(context: template.Context, organisation: object) -> dict:
    return {
        "organisation": organisation,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        **selectors.organisation_content(organisation),
    }


@register.inclusion_tag("content/_home_content.html")
def home_content_section() -> dict:
    return {
        "news": selectors.news_latest(),
        "events": selectors.events_upcoming(),
        "calls": list(selectors.calls_closing_soon(limit=5)),
    }
