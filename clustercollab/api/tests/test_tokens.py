"""Members' API tokens: created and revoked on the account page, sent as a Bearer header."""

import re

import pytest

from clustercollab.accounts.models import ApiToken
from clustercollab.accounts.services import MAX_ACTIVE_API_TOKENS, api_token_create
from clustercollab.core.models import AuditLogEntry
from clustercollab.organisations.tests.factories import make_user

pytestmark = pytest.mark.django_db
PAGE = "/accounts/api-tokens/"


def _bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_page_needs_a_logged_in_member(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_account_pages_link_to_the_tokens(client):
    client.force_login(make_user())
    assert f'href="{PAGE}"' in client.get("/accounts/email/").content.decode()


def test_a_member_creates_a_token_and_sees_its_secret_only_once(client):
    member = make_user()
    client.force_login(member)
    response = client.post(PAGE, {"name": "CRM sync"})
    assert response.status_code == 200
    page = response.content.decode()
    secret = re.search(r'id="new-token-secret">([^<]+)<', page).group(1)
    assert secret.startswith("cc_") and len(secret) > 40

    token = ApiToken.objects.get(user=member)
    assert token.name == "CRM sync"
    assert secret[:10] == token.prefix
    # Only a hash is stored, never the secret itself.
    assert secret not in (token.key_hash, token.prefix)
    assert len(token.key_hash) == 64
    assert AuditLogEntry.objects.filter(action="accounts.api_token.created").exists()

    listing = client.get(PAGE).content.decode()
    assert "CRM sync" in listing and f"{token.prefix}…" in listing
    assert secret not in listing
    assert "never" in listing  # not used yet


def test_a_token_needs_a_name_and_keeps_what_was_typed(client):
    client.force_login(make_user())
    response = client.post(PAGE, {"name": "   "})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not ApiToken.objects.exists()
    too_long = "x" * 101
    response = client.post(PAGE, {"name": too_long})
    assert f'value="{too_long}"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_member_has_at_most_a_few_tokens(client):
    member = make_user()
    for number in range(MAX_ACTIVE_API_TOKENS):
        api_token_create(user=member, name=f"tool {number}")
    client.force_login(member)
    response = client.post(PAGE, {"name": "one more"})
    assert "Revoke one you no longer use" in response.content.decode()
    assert ApiToken.objects.filter(user=member).count() == MAX_ACTIVE_API_TOKENS


def test_a_token_authenticates_its_member_and_records_its_use(client):
    member = make_user()
    token, secret = api_token_create(user=member, name="script")
    assert token.last_used_at is None
    response = client.get("/api/v1/organisations/", **_bearer(secret))
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert response.wsgi_request.user == member
    # "Token <secret>" is accepted too.
    assert client.get("/api/v1/countries/", HTTP_AUTHORIZATION=f"Token {secret}").status_code == 200


@pytest.mark.parametrize("header", ["Bearer cc_not-a-real-token", "Bearer", "Bearer a b"])
def test_an_unknown_or_malformed_token_is_refused(client, header):
    response = client.get("/api/v1/organisations/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["status"] == 401 and body["message"]


def test_a_revoked_token_is_refused(client):
    member = make_user()
    token, secret = api_token_create(user=member, name="old laptop")
    client.force_login(member)
    response = client.post(f"{PAGE}{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "<td>old laptop</td>" not in client.get(PAGE).content.decode()
    client.logout()
    assert client.get("/api/v1/organisations/", **_bearer(secret)).status_code == 401
    assert AuditLogEntry.objects.filter(action="accounts.api_token.revoked").exists()


def test_the_token_of_an_inactive_account_is_refused(client):
    member = make_user()
    _token, secret = api_token_create(user=member, name="script")
    member.is_active = False
    member.save()
    assert client.get("/api/v1/organisations/", **_bearer(secret)).status_code == 401


def test_nobody_can_revoke_another_members_token(client):
    owner, other = make_user(), make_user()
    token, secret = api_token_create(user=owner, name="owner's tool")
    client.force_login(other)
    assert client.post(f"{PAGE}{token.pk}/revoke/").status_code == 404
    assert "owner's tool" not in client.get(PAGE).content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.get("/api/v1/organisations/", **_bearer(secret)).status_code == 200


def test_revoking_needs_a_post(client):
    member = make_user()
    token, _secret = api_token_create(user=member, name="script")
    client.force_login(member)
    assert client.get(f"{PAGE}{token.pk}/revoke/").status_code == 405


def test_the_token_page_speaks_the_members_language(client):
    client.force_login(make_user())
    client.post("/i18n/setlang/", {"language": "fi", "next": "/"})
    page = client.get(PAGE).content.decode()
    assert "API-tunnisteet" in page and "Luo tunniste" in page


def test_the_last_use_is_written_at_most_once_a_minute(client, django_assert_num_queries):
    member = make_user()
    token, secret = api_token_create(user=member, name="busy script")
    client.get("/api/v1/countries/", **_bearer(secret))
    token.refresh_from_db()
    first_use = token.last_used_at
    # The token with its user, the count (never cached for members), the page: no UPDATE.
    with django_assert_num_queries(3):
        client.get("/api/v1/countries/", {"page": 2}, **_bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == first_use
