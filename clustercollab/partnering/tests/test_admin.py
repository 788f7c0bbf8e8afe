import pytest
from django.contrib.auth import get_user_model

from clustercollab.organisations.tests.factories import make_organisation, make_user
from clustercollab.partnering import services
from clustercollab.partnering.models import Network, Partnership
from clustercollab.partnering.tests.factories import make_post

pytestmark = pytest.mark.django_db


def test_staff_work_with_partnering_in_the_admin(client):
    admin = make_user(staff=True)
    get_user_model().objects.filter(pk=admin.pk).update(is_superuser=True)
    a_user, b_user = make_user(), make_user()
    a = make_organisation(admin=a_user, status="published")
    b = make_organisation(admin=b_user, status="published")
    post = make_post(a)
    thread = services.thread_start(sender=b, recipient=a, actor=b_user, subject="Hi", body="Hi")
    partnership = Partnership.objects.create(name="Test partnership", programme="euroclusters")
    network = Network.objects.create(name="Test network", scope="european")
    client.force_login(admin)
    for url in [
        "/admin/partnering/partnerpost/",
        f"/admin/partnering/partnerpost/{post.pk}/change/",
        "/admin/partnering/contactthread/?reported_at__isempty=0",
        f"/admin/partnering/contactthread/{thread.pk}/change/",
        "/admin/partnering/expressionofinterest/",
        f"/admin/partnering/partnership/{partnership.pk}/change/",
        f"/admin/partnering/network/{network.pk}/change/",
        "/admin/partnering/partnership/add/",
    ]:
        assert client.get(url).status_code == 200, url
