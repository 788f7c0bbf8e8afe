"""Follows ("My follows", Follow buttons) and the digest's unsubscribe link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from clustercollab.accounts.models import User
from clustercollab.content.follows import selectors, services
from clustercollab.content.follows.forms import FollowForm
from clustercollab.content.follows.tokens import user_id_from_token
from clustercollab.content.models import DigestSubscription, FollowKind


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("content:follows")


@login_required
def my_follows(request: HttpRequest) -> HttpResponse:
    follows = list(selectors.follows_of_user(request.user))
    subscription = DigestSubscription.objects.filter(user=request.user).first()
    groups = [
        (label, [follow for follow in follows if follow.kind == kind])
        for kind, label in FollowKind.choices
    ]
    digest_active = subscription is None or subscription.is_active
    preview = []
    if follows and digest_active:
        preview = selectors.digest_preview(user=request.user, subscription=subscription)
    return render(
        request,
        "content/follows/my_follows.html",
        {
            "groups": [(label, items) for label, items in groups if items],
            "has_follows": bool(follows),
            "subscription": subscription,
            "digest_active": digest_active,
            "preview": preview,
            "preview_count": sum(section.total for section in preview),
            "form": FollowForm(),
        },
    )


@require_POST
def follow_add(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(_next_url(request))
    form = FollowForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_next_url(request))
    try:
        follow = services.follow_create(user=request.user, **form.target())
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("You follow %(target)s. New items will be in your weekly digest.")
            % {"target": follow.target_label},
        )
    return redirect(_next_url(request))


@require_POST
@login_required
def follow_remove(request: HttpRequest, pk: int) -> HttpResponse:
    follow = selectors.follow_of_user(user=request.user, pk=pk)
    if follow is None:
        raise Http404
    label = follow.target_label
    services.follow_delete(follow=follow, actor=request.user)
    messages.success(request, _("You no longer follow %(target)s.") % {"target": label})
    return redirect(_next_url(request))


@require_POST
@login_required
def digest_resume(request: HttpRequest) -> HttpResponse:
    services.digest_resubscribe(user=request.user)
    messages.success(request, _("You will receive the weekly digest again."))
    return redirect(_next_url(request))


# Mail programs post here without a session or CSRF token (RFC 8058 one-click unsubscribe).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    user_id = user_id_from_token(token)
    user = User.objects.filter(pk=user_id).first() if user_id is not None else None
    if user is None:
        return render(request, "content/follows/bad_unsubscribe_link.html", status=400)
    services.digest_unsubscribe(user=user)
    return render(request, "content/follows/unsubscribed.html", {"email": user.email})
