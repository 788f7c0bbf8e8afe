"""Writes on partner search posts, expressions of interest, contact threads and follows.

Every function checks on the server that the actor may do it and raises PermissionDenied (no
right) or ValidationError (a broken rule, with a readable message); nothing is saved then.
"""

from clustercollab.partnering.services.membership import is_member
from clustercollab.partnering.services.partnerships import (
    can_manage_network,
    can_manage_partnership,
    is_admin,
    network_member_add,
    network_member_remove,
    partnership_invitation_answer,
    partnership_invite,
    partnership_member_remove,
    partnership_moderate,
    partnership_save,
    partnership_submit,
)
from clustercollab.partnering.services.post_responses import (
    comment_create,
    interest_create,
    interest_decide,
    post_follow,
    post_unfollow,
    unfollow_by_token,
    unfollow_token,
)
from clustercollab.partnering.services.posts import (
    expire_partner_posts,
    post_archive,
    post_expiry,
    post_moderate,
    post_problems,
    post_renew,
    post_save,
    post_submit,
)
from clustercollab.partnering.services.threads import (
    message_send,
    organisation_block,
    organisation_unblock,
    thread_mark_read,
    thread_report,
    thread_share_contact,
    thread_start,
)

__all__ = [
    "can_manage_network",
    "can_manage_partnership",
    "is_admin",
    "network_member_add",
    "network_member_remove",
    "partnership_invitation_answer",
    "partnership_invite",
    "partnership_member_remove",
    "partnership_moderate",
    "partnership_save",
    "partnership_submit",
    "comment_create",
    "expire_partner_posts",
    "interest_create",
    "interest_decide",
    "is_member",
    "message_send",
    "organisation_block",
    "organisation_unblock",
    "post_archive",
    "post_expiry",
    "post_follow",
    "post_moderate",
    "post_problems",
    "post_renew",
    "post_save",
    "post_submit",
    "post_unfollow",
    "thread_mark_read",
    "thread_report",
    "thread_share_contact",
    "thread_start",
    "unfollow_by_token",
    "unfollow_token",
]
