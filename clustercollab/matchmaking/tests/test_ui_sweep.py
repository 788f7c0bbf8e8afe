"""Every matchmaking page with good, missing and garbage ids and parameters: never a 500;
lists paginate and keep their filters; the organiser dashboard has its charts."""

import json
import re

import pytest

from clustercollab.matchmaking import agenda, services
from clustercollab.matchmaking.models import Application, ApplicationStatus, RequestMode
from clustercollab.matchmaking.tests.factories import IN_BOOKING, make_event, make_participant
from clustercollab.organisations.tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db

GARBAGE = ["page=abc", "page=-1", "page=99999", "page=", "sent_page=x%00", "q=%ff%fe"]


@pytest.fixture
def published(django_capture_on_commit_callbacks):
    event = make_event(request_mode=RequestMode.AUTOMATIC, tables=2, slots=3)
    organiser = make_user(staff=True)
    a, b = make_participant(event), make_participant(event)
    services.meeting_request_create(
        event=event, requester=a, recipient=b, actor=a.user, message="Hi", now=IN_BOOKING
    )
    draft = agenda.agenda_schedule_all(event=event, actor=organiser, time_limit=1)
    agenda.agenda_publish(version=draft, actor=organiser)
    return event, organiser, a, b


def _pages(event):
    base = f"/matchmaking/{event.pk}"
    return [
        "/matchmaking/",
        f"{base}/",
        f"{base}/edit/",
        f"{base}/setup/",
        f"{base}/applications/",
        f"{base}/applications/?status=bogus&late=maybe",
        f"{base}/participants/",
        f"{base}/participants/?country=ZZ&participant_type=abc&opportunity_type=-1&query=%25",
        f"{base}/me/",
        f"{base}/requests/",
        f"{base}/agenda/",
        f"{base}/agenda.ics",
        f"{base}/schedule/",
        f"{base}/grid/",
        f"{base}/print/",
        f"{base}/export/meetings.csv",
        f"{base}/export/participants.csv",
        f"{base}/export/applications.csv",
        f"{base}/dashboard/",
    ]


@pytest.mark.parametrize("who", ["organiser", "participant", "stranger", "anonymous"])
def test_no_page_answers_500_whatever_the_parameters(client, published, who):
    event, organiser, a, _b = published
    users = {"organiser": organiser, "participant": a.user, "stranger": make_user()}
    if who in users:
        client.force_login(users[who])
    for url in _pages(event):
        for garbage in ["", *GARBAGE]:
            joined = url + (("&" if "?" in url else "?") + garbage if garbage else "")
            status = client.get(joined).status_code
            assert status in (200, 302, 403, 404), (joined, status)


def test_missing_and_foreign_ids_answer_404_not_500(client, published):
    event, organiser, a, _b = published
    other = make_event(title="Another event (test)")
    client.force_login(organiser)
    base = f"/matchmaking/{event.pk}"
    for url in [
        "/matchmaking/999999/",
        "/matchmaking/999999/schedule/",
        f"{base}/participants/999999/",
        f"{base}/schedule/runs/999999/",
        f"/matchmaking/{other.pk}/participants/{a.pk}/",
        "/matchmaking/feed/not-a-token.ics",
        f"{base}/export/nothing.csv",
    ]:
        assert client.get(url).status_code == 404, url
    for url, data in [
        (f"{base}/schedule/", {"action": "lock", "entry": "abc"}),
        (f"{base}/schedule/", {"action": "lock", "entry": "999999"}),
        (f"{base}/meetings/999999/feedback/", {}),
        (f"{base}/requests/999999/accept/", {}),
    ]:
        assert client.post(url, data).status_code in (302, 404), url
    assert client.post(f"{base}/schedule/", {"action": "bogus"}).status_code == 302
    assert (
        client.post(f"{base}/setup/", {"action": "block", "block-session": "x"}).status_code == 400
    )
    assert (
        client.post(
            f"{base}/applications/", {"action": "type", "participant_type": "x"}
        ).status_code
        == 302
    )
    client.force_login(a.user)
    assert client.post(f"{base}/requests/1/bogus/").status_code == 404
    assert (
        client.post(f"{base}/me/", {"action": "delete_opportunity", "opportunity": "x"}).status_code
        == 404
    )


def test_lists_paginate_and_keep_their_filters(client):
    event = make_event()
    organiser = make_user(staff=True)
    for _ in range(27):
        Application.objects.create(
            event=event,
            organisation=make_organisation(),
            motivation="Test application",
            status=ApplicationStatus.RESERVE,
        )
    client.force_login(organiser)
    url = f"/matchmaking/{event.pk}/applications/?status=reserve"
    first = client.get(url).content.decode()
    assert "Page 1 of 2" in first
    assert 'href="?status=reserve&amp;page=2"' in first
    second = client.get(url + "&page=2").content.decode()
    assert "Page 2 of 2" in second and len(re.findall(r'name="application"', second)) == 2


def test_the_organiser_dashboard_has_its_charts(client, published):
    event, organiser, _a, _b = published
    client.force_login(organiser)
    page = client.get(f"/matchmaking/{event.pk}/dashboard/").content.decode()
    assert "vendor/chart.js/chart.umd.min.js" in page
    data = re.search(
        r'<script id="matchmaking-charts" type="application/json">(.*?)</script>', page
    )
    charts = json.loads(data.group(1))
    assert set(charts) >= {"funnel", "by_country", "by_type", "requests", "outcomes"}
    assert charts["funnel"]["data"] == [2, 2, 1, 1, 1, 0, 0]
    assert sum(charts["by_country"]["data"]) == 2
    assert charts["requests"]["data"] and sum(charts["requests"]["data"]) == 1


def test_scheduling_warnings_paginate_and_show_the_exact_ratio(client, published):
    event, organiser, a, b = published
    request = event.meeting_requests.get()
    draft = agenda.agenda_draft_create(
        event=event,
        actor=organiser,
        assignment={},
        unscheduled=[(request.pk, f"reason {n}") for n in range(30)],
        upper_bound=1000.0,
        objective=996.0,
    )
    client.force_login(organiser)
    url = f"/matchmaking/{event.pk}/schedule/"
    first = client.get(url).content.decode()
    assert first.count("reason ") == 25 and "99.6 %" in first
    assert 'href="?warnings_page=2"' in first
    second = client.get(url + "?page=1&warnings_page=2").content.decode()
    assert second.count("reason ") == 5 and 'href="?page=1&amp;warnings_page=1"' in second
    response = client.post(url + "?page=1", {"action": "lock", "entry": "x"})
    assert response.status_code == 404 and draft.entries.count() == 0


def test_the_shared_pagination_keeps_the_other_parameters(rf):
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    def links(url, param=None):
        request = rf.get(url)
        key = (param or "page").rsplit("&", 1)[-1]
        page = Paginator(range(100), 10).get_page(request.GET.get(key))
        context = {"page": page} if param is None else {"page": page, "param": param}
        return re.findall(r'href="([^"]*)"', render_to_string("_pagination.html", context, request))

    assert links("/queue/") == ["?page=2"]
    assert links("/queue/?q=a%26b&page=2&tag=x&tag=y") == [
        "?q=a%26b&amp;page=1&amp;tag=x&amp;tag=y",
        "?q=a%26b&amp;page=3&amp;tag=x&amp;tag=y",
    ]
    # The moderation queue's second list (organisations app) and the requests' sent list.
    assert links("/queue/?page=3&edited_page=2", "edited_page") == [
        "?page=3&amp;edited_page=1",
        "?page=3&amp;edited_page=3",
    ]
    assert links("/r/?sent_page=1&q=%22x%22", "sent_page") == ["?q=%22x%22&amp;sent_page=2"]
    # Views that build the query themselves (partnering's lists) pass it ending in the page key.
    assert links("/posts/?q=wood&page=2", "q=wood&page") == [
        "?q=wood&amp;page=1",
        "?q=wood&amp;page=3",
    ]


def test_the_grid_pages_through_the_tables(client, published):
    event, organiser, a, b = published
    services.tables_set(event=event, actor=organiser, count=45)
    client.force_login(organiser)
    url = f"/matchmaking/{event.pk}/grid/"
    first = client.get(url).content.decode()
    assert "Page 1 of 3" in first and "Table 20<" in first and "Table 21<" not in first
    assert f"{a.name} – {b.name}" in first  # the published meeting sits at table 1 or 2
    last = client.get(url + "?page=3").content.decode()
    assert "Table 41<" in last and "Table 45<" in last and f"{a.name} – {b.name}" not in last
