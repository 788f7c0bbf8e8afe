"""Signed unsubscribe tokens: a link in every digest that works without logging in."""

from django.core import signing

UNSUBSCRIBE_SALT = "clustercollab.content.digest-unsubscribe"


def unsubscribe_token(user_id: int) -> str:
    return signing.dumps({"user": user_id}, salt=UNSUBSCRIBE_SALT, compress=False)


def user_id_from_token(token: str) -> int | None:
    """Return the user id a token was made for, or None when it was tampered with."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    user_id = data.get("user") if isinstance(data, dict) else None
    return user_id if isinstance(user_id, int) else None
