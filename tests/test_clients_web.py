"""Client pages: search, create and edit with errors by the field, and documents on a case
that only the people on the case can download."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Client

from . import factories as f
from .auth import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def clients(case_manager):
    firm = case_manager.organisation
    return [
        f.ClientFactory(firm=firm, given_name="Priya", family_name="Shah", nhs_number="9434765919",
                        claim_reference="NW-7781", date_of_birth="1985-02-14"),
        f.ClientFactory(firm=firm, given_name="Lee", family_name="Carter",
                        claim_reference="AMI-4410", date_of_birth="1983-04-02"),
        f.ClientFactory(given_name="Priya", family_name="Shahid"),  # another firm's client
    ]


@pytest.mark.parametrize(("query", "expected"), [
    ("shah", {"Shah"}), ("Priya Shah", {"Shah"}), ("14/02/1985", {"Shah"}),
    ("943 476 5919", {"Shah"}), ("ami-4410", {"Carter"}), ("", {"Shah", "Carter"}),
    ("nobody", set()),
])
def test_search_by_name_birth_date_nhs_number_and_claim(client, case_manager, clients, query,
                                                         expected):
    sign_in(client, case_manager)
    response = client.get(reverse("client-list"), {"q": query})
    found = {row["family_name"] for row in response.context["page"]}
    assert found == expected


def test_a_bad_nhs_number_is_shown_by_its_field_and_nothing_typed_is_lost(client, case_manager):
    sign_in(client, case_manager)
    response = client.post(reverse("client-create"), {
        "given_name": "Ann", "family_name": "Lee", "date_of_birth": "1970-01-01",
        "nhs_number": "943 476 5918", "preferred_contact": "phone",
        "communication_needs": "Needs a BSL interpreter"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "not a valid NHS number" in body and "Needs a BSL interpreter" in body
    assert not Client.objects.filter(family_name="Lee").exists()


def test_only_the_firms_case_managers_edit_a_client(client, case_manager, physio_manager,
                                                    draft_case):
    sign_in(client, physio_manager)
    assert client.get(reverse("client-edit", args=[draft_case.client_id])).status_code == 404
    sign_in(client, f.CaseManagerFactory())
    assert client.get(reverse("client-edit", args=[draft_case.client_id])).status_code == 404
    sign_in(client, case_manager)
    response = client.post(reverse("client-edit", args=[draft_case.client_id]), {
        "given_name": "Alexandra", "family_name": draft_case.client.family_name,
        "date_of_birth": "1978-04-12", "preferred_contact": "email"})
    assert response.status_code == 302
    draft_case.client.refresh_from_db()
    assert draft_case.client.given_name == "Alexandra"


def test_documents_upload_and_download_only_for_the_case(client, case_manager, draft_case):
    sign_in(client, case_manager)
    upload = SimpleUploadedFile("discharge.pdf", b"%PDF-1.4 discharge summary",
                                content_type="application/pdf")
    response = client.post(reverse("document-add", args=[draft_case.pk]), {
        "title": "Hospital discharge summary", "kind": "discharge_summary", "file": upload})
    assert response.status_code == 302
    document = draft_case.documents.get()
    download = client.get(reverse("document-download", args=[document.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 discharge summary"
    sign_in(client, f.CaseManagerFactory())
    assert client.get(reverse("document-download", args=[document.pk])).status_code == 404


def test_the_case_list_pages_by_keyset_without_gaps_or_repeats(client, case_manager):
    import re

    for _ in range(60):
        f.CaseFactory(client=f.ClientFactory(firm=case_manager.organisation),
                      case_manager=case_manager)
    sign_in(client, case_manager)
    seen, url = [], reverse("case-list")
    while url:
        page = client.get(url).content.decode()
        seen += re.findall(r'href="/cases/(\d+)/"', page)
        more = re.search(r'href="\?(after=[^"]+)">Next page', page)
        url = reverse("case-list") + "?" + more.group(1).replace("&amp;", "&") if more else None
    assert len(seen) == 60 and len(set(seen)) == 60


@pytest.mark.parametrize("q", ["", "zed"])
def test_the_client_list_and_search_page_by_keyset_without_gaps_or_repeats(q, client,
                                                                         case_manager):
    import re

    from cases.models import Client

    names = ["Zed", "zed", "Zedd", "ZED"] * 8  # one name, written several ways: the id decides
    for i, name in enumerate(names):
        f.ClientFactory(firm=case_manager.organisation, family_name=name,
                        given_name=f"Amy{i % 3}")
    sign_in(client, case_manager)
    url, seen = f"/clients/?q={q}", []
    while url:
        page = client.get(url).content.decode()
        seen += re.findall(r'href="/clients/(\d+)/"', page)
        more = re.search(r'href="\?([^"]*after=[^"]+)">Next page', page)
        url = f"/clients/?{more.group(1).replace('&amp;', '&')}" if more else None
    expected = Client.objects.filter(firm=case_manager.organisation)
    if q:
        expected = expected.filter(family_name__istartswith=q)
    assert sorted(map(int, seen)) == sorted(expected.values_list("pk", flat=True))
    assert len(seen) == len(set(seen)) == len(names)


def test_search_pages_through_every_way_of_matching_once_each_in_name_order(client,
                                                                             case_manager):
    """A client matched by the family name, the given name, or both, is listed once; pages
    run in the order of the names in capitals (letter by letter), then the id, without gaps
    or repeats."""
    import re

    firm = case_manager.organisation
    for i in range(12):
        f.ClientFactory(firm=firm, family_name=["Zed", "zed", "ZEDD"][i % 3], given_name="Amy")
        f.ClientFactory(firm=firm, family_name=f"Abbot{i % 4}", given_name="Zeddie")
        f.ClientFactory(firm=firm, family_name="Zedson", given_name=["Zed", "zed"][i % 2])
        f.ClientFactory(firm=firm, family_name="Other", given_name="Amy")  # no match
    sign_in(client, case_manager)
    url, seen = "/clients/?q=zed", []
    while url:
        page = client.get(url).content.decode()
        seen += [int(pk) for pk in re.findall(r'href="/clients/(\d+)/"', page)]
        more = re.search(r'href="\?([^"]*after=[^"]+)">Next page', page)
        url = f"/clients/?{more.group(1).replace('&amp;', '&')}" if more else None
    matching = Client.objects.filter(firm=firm).exclude(family_name="Other")
    expected = sorted(matching, key=lambda c: (c.family_name.upper(), c.given_name.upper(), c.pk))
    assert seen == [c.pk for c in expected] and len(seen) == 36


def test_each_row_of_the_case_list_says_what_the_case_is_and_builds_no_case(client,
                                                                           case_manager,
                                                                           models_built):
    import datetime as dt
    import re

    from django.utils import timezone

    from cases.models import Case, CaseState

    late = f.CaseFactory(client=f.ClientFactory(firm=case_manager.organisation,
                                                given_name="Ada", family_name="Byrne"),
                         case_manager=case_manager)
    due = timezone.localdate() - dt.timedelta(days=3)
    Case.objects.filter(pk=late.pk).update(state=CaseState.IN_TREATMENT, next_report_due=due)
    unplaced = f.CaseFactory(client=f.ClientFactory(firm=case_manager.organisation),
                             case_manager=case_manager, provider=None)
    sign_in(client, case_manager)
    built = models_built(Case)

    page = client.get(reverse("case-list")).content.decode()

    rows = {pk: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for pk, row in re.findall(r'<tr>\s*<td><a href="/cases/(\d+)/">(.*?)</tr>', page,
                                      re.S)}
    assert rows[str(late.pk)] == (f"{late.reference} Ada Byrne Physiotherapy In treatment "
                                  f"{late.provider.name} {due:%d/%m/%Y} overdue")
    assert rows[str(unplaced.pk)] == (f"{unplaced.reference} {unplaced.client.full_name} "
                                      "Physiotherapy Draft Not chosen —")
    assert built == []  # the rows are values, not cases


@pytest.mark.parametrize("q", ["", "byrne"])
def test_each_row_of_the_client_list_and_search_builds_no_client(q, client, case_manager,
                                                                 models_built):
    import datetime as dt
    import re

    ada = f.ClientFactory(firm=case_manager.organisation, given_name="Ada", family_name="Byrne",
                          date_of_birth=dt.date(1961, 3, 9), claim_reference="CL-77")
    sign_in(client, case_manager)
    built = models_built(Client)

    page = client.get(reverse("client-list"), {"q": q} if q else {}).content.decode()

    row = re.search(rf'<tr><td><a href="/clients/{ada.pk}/">(.*?)</tr>', page).group(1)
    cells = [re.sub(r"<[^>]+>", "", cell) for cell in row.split("</td><td>")]
    assert cells == ["Byrne, Ada", "09/03/1961", ada.nhs_number or "—", "CL-77"]
    assert built == []  # the rows are values, not clients
