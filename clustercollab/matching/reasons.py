"""Short reasons a person can check for why two things were matched.

Each helper compares one signal and answers a ``Reason`` (or ``None`` when the signal says
nothing): shared industrial ecosystems, matching keywords, similar activities (vector
similarity), shared past partners, distance. Recommenders collect the reasons that apply and
show them next to each match.
"""

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Similarity of two documents' centred vectors (see encoders.passage_mean) from which their
# activities are called "similar": with multilingual e5-small unrelated texts score about
# 0-0.35 and texts about the same activity, in any language, 0.4 and more.
SIMILAR_ACTIVITIES_FROM = 0.40
NEARBY_KM = 300
MAX_NAMES = 3
NON_WORD = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class Reason:
    signal: str  # "ecosystems", "keywords", "meaning", "partners", "distance", "country"
    text: str

    def __str__(self) -> str:
        return self.text


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:MAX_NAMES])
    if len(names) > MAX_NAMES:
        shown += " " + _("and %(count)s more") % {"count": len(names) - MAX_NAMES}
    return shown


def _folded(word: str) -> str:
    word = unicodedata.normalize("NFKD", str(word)).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", word).strip().lower()


def common_keywords(ours: Iterable[str], theirs: Iterable[str]) -> list[str]:
    """Keywords both sides use, ignoring case and accents, in the order of ``theirs``."""
    folded_ours = {_folded(word) for word in ours if word}
    common, seen = [], set()
    for word in theirs:
        key = _folded(word)
        if key and key in folded_ours and key not in seen:
            seen.add(key)
            common.append(str(word))
    return common


def shared_ecosystems(names: list[str]) -> Reason | None:
    if not names:
        return None
    return Reason(
        "ecosystems",
        ngettext(
            "Same industrial ecosystem: %(names)s",
            "Same industrial ecosystems: %(names)s",
            len(names),
        )
        % {"names": _listed(names)},
    )


def matching_keywords(ours: Iterable[str], theirs: Iterable[str]) -> Reason | None:
    words = common_keywords(ours, theirs)
    if not words:
        return None
    return Reason("keywords", _("Matching keywords: %(words)s") % {"words": _listed(words)})


def keywords_in_text(keywords: Iterable[str], text: str) -> Reason | None:
    """Keywords of one side that the other side's text mentions (whole words)."""

    def words(value: str) -> str:
        return " " + _folded(NON_WORD.sub(" ", str(value))) + " "

    folded_text = words(text)
    found = [
        str(word)
        for word in keywords
        if word and words(word).strip() and words(word) in folded_text
    ]
    if not found:
        return None
    return Reason("keywords", _("Mentions your keywords: %(words)s") % {"words": _listed(found)})


def similar_activities(similarity: float | None) -> Reason | None:
    if similarity is None or similarity < SIMILAR_ACTIVITIES_FROM:
        return None
    return Reason(
        "meaning",
        _("Similar activities (text similarity %(score)s%%)") % {"score": round(similarity * 100)},
    )


def shared_partners(names: list[str]) -> Reason | None:
    if not names:
        return None
    return Reason(
        "partners",
        ngettext(
            "%(count)s shared partner: %(names)s",
            "%(count)s shared partners: %(names)s",
            len(names),
        )
        % {"count": len(names), "names": _listed(names)},
    )


def distance_km(
    ours: tuple[float | None, float | None], theirs: tuple[float | None, float | None]
) -> float | None:
    """Great-circle distance between two (latitude, longitude) points, if both are known."""
    if None in ours or None in theirs:
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (*ours, *theirs))
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def nearby(kilometres: float | None) -> Reason | None:
    if kilometres is None or kilometres > NEARBY_KM:
        return None
    return Reason("distance", _("%(km)s km away") % {"km": max(1, round(kilometres))})


def same_country(country_name: str | None) -> Reason | None:
    if not country_name:
        return None
    return Reason("country", _("Also in %(country)s") % {"country": country_name})


def collect(*reasons: Reason | None) -> list[Reason]:
    return [reason for reason in reasons if reason is not None]
