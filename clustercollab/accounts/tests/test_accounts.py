import re
import time

import pytest
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.core import mail

from clustercollab.organisations.tests.factories import make_user

pytestmark = pytest.mark.django_db
PASSWORD = "Kuopio-cluster-2026"


def _log_in(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def _current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_sign_up_needs_a_verified_email_before_login(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "new@cluster.example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert "/accounts/confirm-email/" in response["Location"]
    client.logout()
    response = _log_in(client, "new@cluster.example.org")
    assert "/accounts/confirm-email/" in response["Location"]
    assert client.get("/dashboard/").status_code == 302

    link = re.search(r"/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    client.post(link)
    assert _log_in(client, "new@cluster.example.org")["Location"] == "/dashboard/"


def test_a_forgotten_password_is_reset_with_the_emailed_link(client):
    make_user("mirja@cluster.example.org", password="old-password-123")
    client.post("/accounts/password/reset/", {"email": "mirja@cluster.example.org"})
    link = re.search(r"/accounts/password/reset/key/\S+/", mail.outbox[-1].body).group(0)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    assert _log_in(client, "mirja@cluster.example.org")["Location"] == "/dashboard/"
    client.logout()
    assert _log_in(client, "mirja@cluster.example.org", "old-password-123").status_code == 200


def test_a_second_factor_can_be_turned_on_and_is_then_asked_for(client):
    make_user("totp@cluster.example.org", password=PASSWORD)
    assert _log_in(client, "totp@cluster.example.org")["Location"] == "/dashboard/"
    # Turning on a second factor asks for the password again first.
    assert "/accounts/reauthenticate/" in client.get("/accounts/2fa/totp/activate/")["Location"]
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert response.status_code == 200  # a wrong code is refused with a message
    response = client.post("/accounts/2fa/totp/activate/", {"code": _current_code(secret)})
    assert response.status_code == 302

    client.post("/accounts/logout/")
    response = _log_in(client, "totp@cluster.example.org")
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/dashboard/").status_code == 302  # not logged in yet
    response = client.post("/accounts/2fa/authenticate/", {"code": _current_code(secret)})
    assert response["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
