from django.http import HttpRequest

from clustercollab.organisations.models import Organisation


def organisation_jsonld(organisation: Organisation, request: HttpRequest) -> dict:
    """Return the schema.org Organization description of a public profile."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": organisation.name,
        "url": request.build_absolute_uri(organisation.get_absolute_url()),
        "address": {
            "@type": "PostalAddress",
            "addressCountry": organisation.country_id,
            **({"addressLocality": organisation.city} if organisation.city else {}),
            **(
                {"addressRegion": organisation.nuts_region.name_latin}
                if organisation.nuts_region
                else {}
            ),
        },
    }
    if organisation.acronym:
        data["alternateName"] = organisation.acronym
    if organisation.about:
        data["description"] = organisation.about
    if organisation.website:
        data["sameAs"] = [organisation.website]
    if organisation.logo:
        data["logo"] = request.build_absolute_uri(organisation.logo.url)
    if organisation.latitude is not None:
        data["location"] = {
            "@type": "Place",
            "geo": {
                "@type": "GeoCoordinates",
                "latitude": organisation.latitude,
                "longitude": organisation.longitude,
            },
        }
    if organisation.established_on:
        data["foundingDate"] = organisation.established_on.isoformat()
    if organisation.keywords:
        data["keywords"] = ", ".join(organisation.keywords)
    if organisation.contact_email:
        data["email"] = organisation.contact_email
    return data
