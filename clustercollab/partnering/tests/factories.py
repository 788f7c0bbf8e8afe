"""Small factories for partnering tests, on top of the organisations factories."""

from datetime import timedelta
from itertools import count

from django.utils import timezone

from clustercollab.partnering.models import PartnerPost, PostStatus, PostType
from clustercollab.partnering.services import post_expiry

_numbers = count(1)


def make_post(organisation, *, status=PostStatus.PUBLISHED, **fields) -> PartnerPost:
    """A technology request as EEN profiles word it; published (and listed) unless told."""
    now = timezone.now()
    values = {
        "organisation": organisation,
        "post_type": PostType.TECHNOLOGY_REQUEST,
        "title": f"Bio-based coatings for wooden facades {next(_numbers)}",
        "summary": "A Finnish cluster seeks a technology partner for bio-based facade coatings.",
        "description": "Partners should have pilot-scale production of lignin-based coatings.",
        "partnership_types": ["research", "licence"],
        "technology_keywords": ["lignin", "coatings"],
        "market_keywords": ["construction"],
        "deadline": timezone.localdate() + timedelta(days=60),
        "status": status,
    }
    values.update(fields)
    post = PartnerPost(**values)
    if post.status == PostStatus.PUBLISHED:
        post.submitted_at = post.submitted_at or now
        post.published_at = post.published_at or now
        post.expires_at = post_expiry(post)
    post.save()
    return post
