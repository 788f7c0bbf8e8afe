from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from clustercollab.core.selectors import audit_log_for
from clustercollab.organisations.models import Organisation
from clustercollab.partnering import graph, selectors, services
from clustercollab.partnering.forms import (
    CommentForm,
    ContactForm,
    GraphFilterForm,
    InterestForm,
    MessageForm,
    ModerationForm,
    OrganisationsToAddForm,
    PartnerPostForm,
    PartnershipForm,
    PostFilterForm,
    RenewForm,
    ReportForm,
)
from clustercollab.partnering.models import (
    MemberStatus,
    NetworkMember,
    PartnerPost,
    PartnershipMember,
    PartnershipRole,
    PostStatus,
)

PAGE_SIZE = 20


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _add_error(form: object, error: ValidationError) -> None:
    """Show a service's error on the form: on its field when the form has one, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _page(request: HttpRequest, queryset: object, size: int = PAGE_SIZE) -> object:
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _latest_page(request: HttpRequest, queryset: object, size: int) -> object:
    """Like _page, but without a page number the last page: a conversation opens at its end."""
    paginator = Paginator(queryset, size)
    return paginator.get_page(request.GET.get("page") or paginator.num_pages)


def _page_param(request: HttpRequest) -> str:
    """The pagination links' query: the current filters, then "page" (see _pagination.html)."""
    kept = [(k, v) for k, values in request.GET.lists() if k != "page" for v in values if v]
    return f"{urlencode(kept)}&page" if kept else "page"


# --- posts -------------------------------------------------------------------------------------


def post_list(request: HttpRequest) -> HttpResponse:
    form = PostFilterForm(request.GET or None)
    posts = selectors.listed_posts()
    if form.is_bound and form.is_valid():
        posts = selectors.filter_posts(posts, form.cleaned_data)
    elif form.is_bound:
        posts = posts.none()
    context = {"form": form, "page": _page(request, posts), "param": _page_param(request)}
    context["meaning_unavailable"] = selectors.meaning_unavailable(form)
    template = "partnering/post_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post, is_owner = selectors.post_for_viewer(pk=pk, user=request.user)
    organisations = selectors.organisations_of(request.user)
    others = organisations.exclude(pk=post.organisation_id)
    context = {
        "post": post,
        "is_owner": is_owner,
        "comments": post.comments.select_related("organisation"),
        "comment_form": CommentForm(organisations=organisations) if organisations else None,
        "can_express_interest": bool(others) and not is_owner,
        "is_following": request.user.is_authenticated
        and post.follows.filter(user=request.user).exists(),
        "my_interests": post.interests.filter(organisation__in=organisations),
    }
    if is_owner:
        context.update(
            interests=selectors.interests_received(post),
            history=audit_log_for(post)[:20],
            renew_form=RenewForm(),
        )
    return render(request, "partnering/post_detail.html", context)


@login_required
def post_create(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisations_of(request.user)
    if not organisations:
        messages.error(request, _("Register or join an organisation before posting."))
        return redirect("organisations:dashboard")
    form = PartnerPostForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        post = form.save(commit=False)
        try:
            services.post_save(post=post, actor=request.user, m2m=form.m2m_values())
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Draft saved. Submit it for validation when it is ready."))
            return redirect(post)
    return render(request, "partnering/post_form.html", {"form": form})


@login_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for_member(pk=pk, user=request.user)
    form = PartnerPostForm(
        request.POST or None, instance=post, organisations=selectors.organisations_of(request.user)
    )
    if request.method == "POST" and form.is_valid():
        post = form.save(commit=False)
        try:
            services.post_save(post=post, actor=request.user, m2m=form.m2m_values())
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Post saved."))
            return redirect(post)
    return render(request, "partnering/post_form.html", {"form": form, "post": post})


def _act_and_return(
    request: HttpRequest, target: object, action: object, done: str, **kwargs: object
) -> HttpResponse:
    """Run a service for the user and go back to ``target``, saying what happened (or why it
    was refused)."""
    try:
        action(actor=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, done)
    return redirect(target)


def _post_action(
    request: HttpRequest, pk: int, action: object, done: str, **kwargs: object
) -> HttpResponse:
    post = selectors.post_for_member(pk=pk, user=request.user)
    return _act_and_return(request, post, action, done, post=post, **kwargs)


@login_required
@require_POST
def post_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(
        request, pk, services.post_submit, _("Submitted for validation. Staff will review it.")
    )


@login_required
@require_POST
def post_archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(request, pk, services.post_archive, _("Post archived."))


@login_required
def post_renew(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for_member(pk=pk, user=request.user)
    form = RenewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_renew(
                post=post, actor=request.user, deadline=form.cleaned_data["deadline"]
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Post renewed."))
            return redirect(post)
    return render(request, "partnering/post_renew.html", {"post": post, "form": form})


@login_required
@require_POST
def post_follow(request: HttpRequest, pk: int) -> HttpResponse:
    post, _is_owner = selectors.post_for_viewer(pk=pk, user=request.user)
    if request.POST.get("unfollow"):
        services.post_unfollow(post=post, user=request.user)
        messages.success(request, _("You no longer follow this post."))
        return redirect(post)
    try:
        services.post_follow(post=post, user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("You follow this post: new comments and updates reach you by e-mail.")
        )
    return redirect(post)


@csrf_exempt
def unfollow_token(request: HttpRequest, token: str) -> HttpResponse:
    """One click from the e-mail, no log-in needed: the signed token names the follow.

    GET shows a button (so that link scanners unfollow nobody); POST unfollows, also when a
    mail client's one-click unsubscribe sends it (RFC 8058, no CSRF token there)."""
    if request.method == "POST":
        post = services.unfollow_by_token(token)
        if post is None:
            raise Http404
        return render(request, "partnering/unfollowed.html", {"post": post, "done": True})
    return render(request, "partnering/unfollowed.html", {"token": token, "done": False})


@login_required
@require_POST
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    post, _is_owner = selectors.post_for_viewer(pk=pk, user=request.user)
    form = CommentForm(request.POST, organisations=selectors.organisations_of(request.user))
    if not form.is_valid():
        messages.error(request, _("Write a comment and choose your organisation."))
        return redirect(post)
    try:
        services.comment_create(post=post, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Comment added."))
    return redirect(post)


# --- expressions of interest -------------------------------------------------------------------


@login_required
def interest_create(request: HttpRequest, pk: int) -> HttpResponse:
    post, is_owner = selectors.post_for_viewer(pk=pk, user=request.user)
    organisations = selectors.organisations_of(request.user).exclude(pk=post.organisation_id)
    if not organisations:
        messages.error(request, _("Only members of another registered organisation can do this."))
        return redirect(post)
    form = InterestForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            interest = services.interest_create(post=post, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Your expression of interest was sent."))
            return redirect(interest)
    return render(request, "partnering/interest_form.html", {"post": post, "form": form})


@login_required
def interest_detail(request: HttpRequest, pk: int) -> HttpResponse:
    interest, is_owner = selectors.interest_for_viewer(pk=pk, user=request.user)
    return render(
        request,
        "partnering/interest_detail.html",
        {"interest": interest, "is_owner": is_owner},
    )


@login_required
@require_POST
def interest_decide(request: HttpRequest, pk: int) -> HttpResponse:
    interest, is_owner = selectors.interest_for_viewer(pk=pk, user=request.user)
    if not is_owner:
        raise Http404
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline"):
        messages.error(request, _("Choose accept or decline."))
        return redirect(interest)
    accept = decision == "accept"
    try:
        services.interest_decide(interest=interest, actor=request.user, accept=accept)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("Accepted: a conversation is open.") if accept else _("Declined.")
        )
    return redirect(interest)


# --- contact threads ---------------------------------------------------------------------------


@login_required
def contact(request: HttpRequest, organisation_pk: int) -> HttpResponse:
    recipient = get_object_or_404(Organisation.objects.published(), pk=organisation_pk)
    organisations = selectors.organisations_of(request.user).exclude(pk=recipient.pk)
    if not organisations:
        messages.error(request, _("Only members of another registered organisation can do this."))
        return redirect(recipient)
    form = ContactForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_start(
                recipient=recipient, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Message sent."))
            return redirect(thread)
    return render(request, "partnering/contact.html", {"recipient": recipient, "form": form})


@login_required
def thread_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.threads_for_user(request.user))
    return render(request, "partnering/thread_list.html", {"page": page, "param": "page"})


@login_required
def thread_detail(request: HttpRequest, pk: int) -> HttpResponse:
    thread, side = selectors.thread_for_participant(pk=pk, user=request.user)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_send(thread=thread, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Message sent."))
            return redirect(thread)
    services.thread_mark_read(thread=thread, user=request.user)
    other = thread.other_side(side.pk)
    context = {
        "thread": thread,
        "side": side,
        "other": other,
        "form": form,
        "messages_page": _latest_page(request, selectors.messages_of(thread), 50),
        "other_contact": selectors.contact_details_visible(thread, side),
        "i_share": thread.shares_contact(side.pk),
        "blocked": side.blocks.filter(blocked=other).exists(),
        "report_form": ReportForm(),
    }
    return render(request, "partnering/thread_detail.html", context)


def _thread_action(
    request: HttpRequest, pk: int, action: object, done: str, **kwargs: object
) -> HttpResponse:
    thread, _side = selectors.thread_for_participant(pk=pk, user=request.user)
    return _act_and_return(request, thread, action, done, thread=thread, **kwargs)


@login_required
@require_POST
def thread_share(request: HttpRequest, pk: int) -> HttpResponse:
    return _thread_action(
        request, pk, services.thread_share_contact, _("Your contact details are now shown.")
    )


@login_required
@require_POST
def thread_block(request: HttpRequest, pk: int) -> HttpResponse:
    if request.POST.get("unblock"):
        return _thread_action(
            request, pk, services.organisation_unblock, _("The organisation is unblocked.")
        )
    return _thread_action(
        request,
        pk,
        services.organisation_block,
        _("This organisation can no longer write to yours."),
    )


@login_required
@require_POST
def thread_report(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReportForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _thread_action(
        request, pk, services.thread_report, _("Reported to platform staff."), reason=reason
    )


# --- moderation --------------------------------------------------------------------------------


def _decided(
    request: HttpRequest, form: ModerationForm, moderate: object, **target: object
) -> bool:
    """Apply a posted staff decision; False when there was none or it was refused (the form
    then says why)."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        moderate(
            actor=request.user,
            transition=form.cleaned_data["action"],
            reason=form.cleaned_data["reason"],
            **target,
        )
    except ValidationError as error:
        _add_error(form, error)
        return False
    messages.success(request, _("Decision saved."))
    return True


@staff_member_required
def moderation_queue(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.posts_awaiting_moderation(), 25)
    partnerships = Paginator(selectors.partnerships_awaiting_moderation(), 25).get_page(
        request.GET.get("partnerships")
    )
    return render(
        request,
        "partnering/moderation_queue.html",
        {"page": page, "param": "page", "partnerships": partnerships},
    )


@staff_member_required
def moderation_review(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(
        PartnerPost.objects.select_related("organisation", "organisation__country"), pk=pk
    )
    form = ModerationForm(request.POST or None)
    if _decided(request, form, services.post_moderate, post=post):
        return redirect("partnering:moderation_queue")
    return render(
        request,
        "partnering/moderation_review.html",
        {"post": post, "form": form, "history": audit_log_for(post)[:20], "statuses": PostStatus},
    )


# --- partnerships, networks, graph -------------------------------------------------------------


def partnership_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.partnerships())
    return render(request, "partnering/partnership_list.html", {"page": page, "param": "page"})


def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_for_viewer(pk=pk, user=request.user)
    can_manage = services.can_manage_partnership(request.user, partnership)
    own_ids = selectors.organisation_ids_of(request.user)
    members = list(
        selectors.partnership_members(
            partnership,
            with_invited=can_manage
            or partnership.memberships.filter(organisation_id__in=own_ids).exists(),
        )
    )
    points = [
        {
            "name": m.organisation.name,
            "lat": m.organisation.latitude,
            "lon": m.organisation.longitude,
            "role": m.get_role_display(),
            "url": m.organisation.get_absolute_url(),
        }
        for m in members
        if m.status == MemberStatus.ACTIVE
        and m.organisation.latitude is not None
        and m.organisation.is_public
    ]
    for member in members:
        # What the viewer may do with each row: answer an invitation, leave, or remove.
        is_own_admin = services.is_admin(request.user, member.organisation_id)
        member.can_answer = is_own_admin and member.status == MemberStatus.INVITED
        member.can_remove = member.role != PartnershipRole.COORDINATOR and (
            can_manage or is_own_admin
        )
    context = {
        "partnership": partnership,
        "members": members,
        "points": points,
        "can_manage": can_manage,
        "news_page": Paginator(selectors.partnership_news(partnership), 10).get_page(
            request.GET.get("news")
        ),
        "events_page": Paginator(selectors.partnership_events(partnership), 10).get_page(
            request.GET.get("events")
        ),
    }
    if can_manage:
        context.update(
            invite_form=OrganisationsToAddForm(), history=audit_log_for(partnership)[:20]
        )
    return render(request, "partnering/partnership_detail.html", context)


@login_required
def partnership_create(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisations_administered_by(request.user)
    if not organisations:
        messages.error(
            request, _("Only admins of an organisation with a published profile can do this.")
        )
        return redirect("partnering:partnership_list")
    form = PartnershipForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        partnership = form.save(commit=False)
        try:
            services.partnership_save(
                partnership=partnership,
                actor=request.user,
                coordinator=form.cleaned_data["coordinator"],
                m2m=form.m2m_values(),
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(
                request,
                _("Draft saved. Invite the partners, then submit it for validation by staff."),
            )
            return redirect(partnership)
    return render(request, "partnering/partnership_form.html", {"form": form})


def _managed_partnership(request: HttpRequest, pk: int) -> object:
    partnership = selectors.partnership_for_viewer(pk=pk, user=request.user)
    if not services.can_manage_partnership(request.user, partnership):
        raise Http404
    return partnership


@login_required
def partnership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _managed_partnership(request, pk)
    form = PartnershipForm(request.POST or None, instance=partnership, organisations=None)
    if request.method == "POST" and form.is_valid() and not form.has_changed():
        # Nothing to save: a public partnership stays public.
        return redirect(partnership)
    if request.method == "POST" and form.is_valid():
        partnership = form.save(commit=False)
        try:
            services.partnership_save(
                partnership=partnership, actor=request.user, m2m=form.m2m_values()
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Partnership saved."))
            return redirect(partnership)
    return render(
        request, "partnering/partnership_form.html", {"form": form, "partnership": partnership}
    )


def _partnership_action(
    request: HttpRequest, pk: int, action: object, done: str, **kwargs: object
) -> HttpResponse:
    partnership = _managed_partnership(request, pk)
    return _act_and_return(request, partnership, action, done, partnership=partnership, **kwargs)


@login_required
@require_POST
def partnership_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _partnership_action(
        request,
        pk,
        services.partnership_submit,
        _("Submitted for validation. Staff will review it."),
    )


@login_required
@require_POST
def partnership_invite(request: HttpRequest, pk: int) -> HttpResponse:
    form = OrganisationsToAddForm(request.POST)
    if not form.is_valid():
        partnership = _managed_partnership(request, pk)
        messages.error(request, " ".join(form.errors["organisations"]))
        return redirect(partnership)
    return _partnership_action(
        request,
        pk,
        services.partnership_invite,
        _("Invitations sent. The organisations' admins accept or decline them."),
        organisations=form.cleaned_data["organisations"],
    )


def _membership_action(
    request: HttpRequest, membership: PartnershipMember, action: object, done: str, **kwargs: object
) -> HttpResponse:
    partnership = selectors.partnership_for_viewer(pk=membership.partnership_id, user=request.user)
    return _act_and_return(request, partnership, action, done, membership=membership, **kwargs)


@login_required
@require_POST
def partnership_answer(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(PartnershipMember, pk=pk)
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline"):
        messages.error(request, _("Choose accept or decline."))
        return redirect(
            selectors.partnership_for_viewer(pk=membership.partnership_id, user=request.user)
        )
    accept = decision == "accept"
    return _membership_action(
        request,
        membership,
        services.partnership_invitation_answer,
        _("Welcome to the partnership.") if accept else _("Invitation declined."),
        accept=accept,
    )


@login_required
@require_POST
def partnership_member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(PartnershipMember, pk=pk)
    return _membership_action(
        request,
        membership,
        services.partnership_member_remove,
        _("The organisation is no longer a member of the partnership."),
    )


@staff_member_required
def partnership_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_for_viewer(pk=pk, user=request.user)
    form = ModerationForm(request.POST or None)
    if _decided(request, form, services.partnership_moderate, partnership=partnership):
        return redirect("partnering:moderation_queue")
    return render(
        request,
        "partnering/partnership_moderate.html",
        {
            "partnership": partnership,
            "form": form,
            "members": selectors.partnership_members(partnership, with_invited=True),
            "history": audit_log_for(partnership)[:20],
        },
    )


def network_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.networks())
    return render(request, "partnering/network_list.html", {"page": page, "param": "page"})


def network_detail(request: HttpRequest, pk: int) -> HttpResponse:
    network = selectors.network_detail(pk)
    page = _page(request, selectors.network_members(network), 50)
    can_manage = services.can_manage_network(request.user, network)
    for member in page:
        member.can_remove = can_manage or services.is_admin(request.user, member.organisation_id)
    return render(
        request,
        "partnering/network_detail.html",
        {
            "network": network,
            "page": page,
            "param": "page",
            "can_manage": can_manage,
            "add_form": OrganisationsToAddForm() if can_manage else None,
        },
    )


@login_required
@require_POST
def network_members_add(request: HttpRequest, pk: int) -> HttpResponse:
    network = selectors.network_detail(pk)
    form = OrganisationsToAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["organisations"]))
        return redirect(network)
    return _act_and_return(
        request,
        network,
        services.network_member_add,
        _("Members added."),
        network=network,
        organisations=form.cleaned_data["organisations"],
    )


@login_required
@require_POST
def network_member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(NetworkMember.objects.select_related("network"), pk=pk)
    services.network_member_remove(membership=membership, actor=request.user)
    messages.success(request, _("The organisation is no longer a member of the network."))
    return redirect(membership.network)


def call_suggestions(request: HttpRequest) -> HttpResponse:
    """The funding calls matching what a member typed, as <option>s for the post form."""
    calls = selectors.funding_call_suggestions(request.GET.get("funding_call", ""))
    return render(request, "partnering/_call_options.html", {"calls": calls})


def graph_page(request: HttpRequest) -> HttpResponse:
    return render(request, "partnering/graph.html", {"form": GraphFilterForm(request.GET or None)})


def graph_data(request: HttpRequest) -> JsonResponse:
    form = GraphFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    return JsonResponse(
        graph.organisation_graph(
            ecosystem=data.get("ecosystem"),
            country=data.get("country"),
            limit=data.get("limit") or graph.MAX_NODES,
        )
    )
