import pytest
from django.urls import reverse

from clustercollab.core.models import Country
from clustercollab.organisations.models import OrganisationKind
from clustercollab.organisations.selectors import completeness
from clustercollab.organisations.tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


def test_creating_a_profile_asks_the_country_first_and_makes_the_creator_admin(client):
    person = make_user()
    client.force_login(person)
    page = client.get(reverse("organisations:create")).content.decode()
    assert page.index('name="country"') < page.index('name="kind"') < page.index('name="name"')
    response = client.post(
        reverse("organisations:create"),
        {"country": "JP", "kind": "cluster", "name": "Kansai Life Science"},
    )
    organisation = person.memberships.get().organisation
    assert response["Location"] == reverse("organisations:edit", args=[organisation.pk])
    assert organisation.status == "draft" and organisation.country_id == "JP"
    assert person.memberships.get().role == "admin"


def test_a_bad_create_form_says_what_is_wrong_and_creates_nothing(client):
    person = make_user()
    client.force_login(person)
    response = client.post(
        reverse("organisations:create"), {"country": "ZZ", "kind": "spaceship", "name": ""}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in body and "This field is required" in body
    assert not person.memberships.exists()


def test_the_form_has_no_nuts_question_outside_the_nuts_area(client):
    member = make_user()
    organisation = make_organisation(admin=member, country=Country.objects.get(code="JP"))
    client.force_login(member)
    form = client.get(reverse("organisations:edit", args=[organisation.pk])).context["form"]
    assert "nuts_region" not in form.fields
    assert "members_smes" in form.fields


def test_changing_country_and_kind_refreshes_the_questions_and_keeps_what_was_typed(client):
    member = make_user()
    organisation = make_organisation(admin=member, country=Country.objects.get(code="JP"))
    client.force_login(member)
    response = client.post(
        reverse("organisations:edit", args=[organisation.pk]),
        {
            "_refresh": "1",
            "country": "FI",
            "kind": OrganisationKind.COMPANY,
            "about": "Typed but not saved yet",
        },
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert body.lstrip().startswith("<form")  # only the form is swapped
    assert 'name="nuts_region"' in body and "FI1DC" in body
    assert 'name="members_smes"' not in body  # companies have no cluster members
    assert "Typed but not saved yet" in body
    organisation.refresh_from_db()
    assert organisation.country_id == "JP" and organisation.about != "Typed but not saved yet"


def test_completeness_names_what_is_missing():
    organisation = make_organisation()
    before = completeness(organisation)
    assert "website" in before.missing and 0 < before.percent < 100
    organisation.website = "https://example.org"
    after = completeness(organisation)
    assert "website" not in after.missing and after.percent > before.percent


def test_countries_are_listed_by_their_name_in_the_interface_language():
    from django.utils import translation

    from clustercollab.organisations.forms import OrganisationCreateForm

    with translation.override("de"):
        labels = [
            str(label) for _value, label in OrganisationCreateForm().fields["country"].choices
        ]
    assert labels[0].startswith("Choose") or labels[0] == "Land auswählen"
    assert labels.index("Österreich") > labels.index("Norwegen")
    assert labels.index("Österreich") < labels.index("Polen")
