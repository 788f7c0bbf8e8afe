"""What is embedded for each kind of object, and which objects are public.

A kind is named after its model (``organisation``, ``news``, ``event``, ``fundingcall``,
``successstory``, ``partnerpost``, and the crisis portals' ``supplylisting`` and
``forumpost``). Only public objects have vectors: a profile or post that leaves the public
lists loses its vector, so a search by meaning never shows it.
"""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db.models import Model, Prefetch, QuerySet

# Imported organisations can take part in hundreds of projects: the latest titles say enough.
PROJECT_TITLES_PER_ORGANISATION = 15


def _joined(parts: Iterable[str]) -> str:
    seen: list[str] = []
    for part in parts:
        part = " ".join(str(part or "").split())
        if part and part not in seen:
            seen.append(part)
    return ". ".join(seen)


def shorten(text: str) -> str:
    """The text cut at a word boundary to ``MATCHING_TEXT_MAX_CHARS``."""
    limit = settings.MATCHING_TEXT_MAX_CHARS
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return cut.rsplit(" ", 1)[0] if " " in cut[limit // 2 :] else cut


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def keywords_text(keywords: object) -> str:
    if isinstance(keywords, list | tuple):
        return ", ".join(str(word) for word in keywords if word)
    return str(keywords or "")


def organisation_text(organisation: Model) -> str:
    """Keywords, about us, offers, seeks (+ project titles of imported profiles).

    Not the name: names are found by the full-text search that every search by meaning is
    fused with, and in a vector a name (often a legal name in the local language) mostly says
    which language the profile is in, pulling it towards profiles named in the same language.
    On the cross-language set this took 20 of 36 queries to 24, and with the centring of
    ``index`` to 31. A profile with nothing else is embedded by its name.
    """
    titles: list[str] = []
    if organisation.source == "cordis":
        # Prefetched by _organisations (newest first) when embedding in batches.
        projects = organisation.projects.all()
        titles = [project.title for project in projects[:PROJECT_TITLES_PER_ORGANISATION]]
    text = _joined(
        [
            keywords_text(organisation.keywords),
            organisation.about,
            organisation.offers,
            organisation.seeks,
            *titles,
        ]
    )
    return shorten(text or _joined([organisation.name, organisation.acronym]))


def content_text(item: Model) -> str:
    """News, events, funding calls and success stories: title + summary (+ call title)."""
    return shorten(_joined([item.title, item.summary, getattr(item, "call_title", "")]))


def post_text(post: Model) -> str:
    return shorten(
        _joined(
            [
                post.title,
                keywords_text(post.technology_keywords),
                keywords_text(post.market_keywords),
                post.summary,
            ]
        )
    )


def listing_text(listing: Model) -> str:
    """A crisis portal's offer or request: what, its category and the description."""
    return shorten(_joined([listing.item, listing.category.name, listing.description]))


def forum_post_text(post: Model) -> str:
    """A crisis portal's forum post (a question, an offer of help, a shared solution)."""
    return shorten(_joined([post.title, post.body]))


def _organisations(queryset: QuerySet) -> QuerySet:
    project_model = apps.get_model("organisations", "Project")
    projects = project_model.objects.only("id", "title", "start_date").order_by("-start_date")
    return queryset.published().prefetch_related(Prefetch("projects", queryset=projects))


def _published(queryset: QuerySet) -> QuerySet:
    return queryset.published()


def _listed(queryset: QuerySet) -> QuerySet:
    return queryset.listed()


def _not_withdrawn(queryset: QuerySet) -> QuerySet:
    # Every offer and request a portal lists (matched or allocated ones too).
    return queryset.exclude(status="withdrawn").select_related("category")


@dataclass(frozen=True)
class Kind:
    name: str
    model_label: str
    text: Callable[[Model], str]
    public: Callable[[QuerySet], QuerySet]

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)

    def public_objects(self) -> QuerySet:
        return self.public(self.model.objects.all())


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in [
        Kind("organisation", "organisations.Organisation", organisation_text, _organisations),
        Kind("news", "content.News", content_text, _published),
        Kind("event", "content.Event", content_text, _published),
        Kind("fundingcall", "content.FundingCall", content_text, _published),
        Kind("successstory", "content.SuccessStory", content_text, _published),
        Kind("partnerpost", "partnering.PartnerPost", post_text, _listed),
        Kind("supplylisting", "response.SupplyListing", listing_text, _not_withdrawn),
        Kind("forumpost", "response.ForumPost", forum_post_text, _published),
    ]
}


def kind_of_model(model: type[Model]) -> Kind | None:
    return KINDS.get(model._meta.model_name)
