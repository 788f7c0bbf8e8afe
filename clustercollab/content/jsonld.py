"""schema.org descriptions of public content pages (JSON-LD)."""

from django.http import HttpRequest
from django.utils.html import strip_tags

from clustercollab.content.models import (
    ContentItem,
    Event,
    EventMode,
    FundingCall,
    News,
    SuccessStory,
)
from clustercollab.organisations.models import Organisation

_ATTENDANCE = {
    EventMode.ON_SITE: "https://schema.org/OfflineEventAttendanceMode",
    EventMode.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    EventMode.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def _organisation(organisation: Organisation, request: HttpRequest) -> dict:
    data = {"@type": "Organization", "name": organisation.name}
    if organisation.is_public:
        data["url"] = request.build_absolute_uri(organisation.get_absolute_url())
    return data


def _common(item: ContentItem, request: HttpRequest, schema_type: str) -> dict:
    data: dict = {
        "@context": "https://schema.org",
        "@type": schema_type,
        "name": item.title,
        "url": request.build_absolute_uri(item.get_absolute_url()),
        "inLanguage": item.language,
    }
    if item.summary:
        data["description"] = item.summary
    if item.organisation is not None:
        data["publisher"] = _organisation(item.organisation, request)
    if item.published_at:
        data["datePublished"] = item.published_at.isoformat()
    data["dateModified"] = item.updated_at.isoformat()
    keywords = [str(e) for e in item.ecosystems.all()]
    if keywords:
        data["keywords"] = ", ".join(keywords)
    return data


def news_jsonld(news: News, request: HttpRequest) -> dict:
    data = _common(news, request, "NewsArticle")
    data["headline"] = news.title[:110]
    if news.body:
        data["articleBody"] = strip_tags(news.body)
    if news.image:
        data["image"] = request.build_absolute_uri(news.image.url)
    return data


def event_jsonld(event: Event, request: HttpRequest) -> dict:
    data = _common(event, request, "Event")
    data.pop("datePublished", None)
    data.pop("dateModified", None)
    data.pop("publisher", None)
    data["startDate"] = event.local_starts_at.isoformat()
    data["endDate"] = event.local_ends_at.isoformat()
    data["eventAttendanceMode"] = _ATTENDANCE[event.mode]
    data["eventStatus"] = "https://schema.org/EventScheduled"
    locations: list[dict] = []
    if event.mode != EventMode.ONLINE and (event.venue or event.city):
        place: dict = {"@type": "Place", "name": event.venue or event.city}
        address: dict = {"@type": "PostalAddress"}
        if event.city:
            address["addressLocality"] = event.city
        countries = list(event.countries.all())
        if len(countries) == 1:
            address["addressCountry"] = countries[0].pk
        place["address"] = address
        if event.latitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": event.latitude,
                "longitude": event.longitude,
            }
        locations.append(place)
    if event.mode != EventMode.ON_SITE:
        locations.append({"@type": "VirtualLocation", "url": event.registration_url or data["url"]})
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    organiser = event.organiser_or_poster
    if organiser is not None:
        data["organizer"] = _organisation(organiser, request)
    if event.registration_url:
        data["offers"] = {"@type": "Offer", "url": event.registration_url}
    return data


def call_jsonld(call: FundingCall, request: HttpRequest) -> dict:
    data = _common(call, request, "MonetaryGrant")
    data["identifier"] = call.topic_identifier or call.call_identifier or str(call.pk)
    data["funder"] = {"@type": "Organization", "name": call.programme}
    if call.budget is not None:
        data["amount"] = {
            "@type": "MonetaryAmount",
            "currency": "EUR",
            "value": str(call.budget),
        }
    if call.link:
        data["sameAs"] = call.link
    if call.description and "description" not in data:
        data["description"] = strip_tags(call.description)[:500]
    deadline = call.final_deadline_at
    if deadline is not None:
        data["expires"] = deadline.astimezone(call.zone).isoformat()
    return data


def story_jsonld(story: SuccessStory, request: HttpRequest) -> dict:
    data = _common(story, request, "Article")
    data["headline"] = story.title[:110]
    if story.body:
        data["articleBody"] = strip_tags(story.body)
    if story.image:
        data["image"] = request.build_absolute_uri(story.image.url)
    involved = [_organisation(o, request) for o in story.organisations_involved.all()]
    if involved:
        data["about"] = involved
    return data


def item_jsonld(item: ContentItem, request: HttpRequest) -> dict:
    if isinstance(item, News):
        return news_jsonld(item, request)
    if isinstance(item, Event):
        return event_jsonld(item, request)
    if isinstance(item, FundingCall):
        return call_jsonld(item, request)
    return story_jsonld(item, request)
