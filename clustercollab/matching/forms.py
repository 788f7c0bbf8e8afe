from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

MEANING_LABEL = _("Match by meaning")
MEANING_HELP = _("Also finds texts in other languages and in other words that mean the same.")


class MeaningToggle(forms.CheckboxInput):
    """A checkbox whose absence (or ``0``/``false``) means "not asked", not ``False``."""

    def __init__(self) -> None:
        super().__init__(attrs={"value": "1"})

    def value_from_datadict(self, data: Any, files: Any, name: str) -> bool | None:
        value = data.get(name)
        if value is None or str(value).strip().lower() in {"", "0", "false", "off", "no"}:
            return None
        return True


class MeaningField(forms.BooleanField):
    """The "match by meaning" toggle of a list's filters: ``?meaning=1``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs["label"] = kwargs.get("label") or MEANING_LABEL
        kwargs.setdefault("help_text", MEANING_HELP)
        kwargs.setdefault("widget", MeaningToggle())
        super().__init__(**kwargs)


def meaning_filter(method: str) -> Any:
    """The toggle as a FilterSet filter (a boolean in the API's schema)."""
    import django_filters

    return django_filters.BooleanFilter(
        label=MEANING_LABEL,
        method=method,
        widget=MeaningToggle(),
        help_text=MEANING_HELP,
    )
