"""Pages of the referral: a new case, the referral, the provider, documents, extra costing."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse

from casemgmt.downloads import attachment
from cases.selectors import case_get_for, client_get_for, record_get_for
from cases.services import case_choose_provider, case_create
from cases.views.base import case_form, handle_form
from cases.workflow import ensure_permitted

from .forms import DocumentForm, ExtraCostingForm, NewCaseForm, ProviderForm, ReferralForm
from .models import ReferralDocument
from .services import costing_propose_extra, document_add, referral_update


@login_required
def case_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A case manager opens a case (a draft referral) for a client."""
    client = client_get_for(user=request.user, pk=pk)
    ensure_permitted(request.user, "edit_client", client)
    form = NewCaseForm(request.POST or None)
    return handle_form(
        request, form=form,
        save=lambda f: case_create(client=client, actor=request.user, **f.service_kwargs()),
        template="cases/record_form.html",
        context={"title": "New referral", "back": client.get_absolute_url(),
                 "subject": client.full_name},
        success_url=lambda case: case.get_absolute_url(),
        success_message="Draft referral saved. Send it when it is complete.",
    )


@login_required
def referral_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for(user=request.user, pk=pk)
    form = ReferralForm(request.POST or None, instance=getattr(case, "referral", None))
    return case_form(request, case=case, form=form, title="Edit the referral", action="edit_referral",
                     message="Referral saved.",
                     save=lambda f: referral_update(case=case, actor=request.user,
                                                    **f.service_kwargs()))


@login_required
def case_provider(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for(user=request.user, pk=pk)
    form = ProviderForm(request.POST or None, initial={"provider": case.provider})
    return case_form(request, case=case, form=form, title="Choose the provider", action="edit_referral",
                     message="Provider chosen.",
                     save=lambda f: case_choose_provider(case=case, actor=request.user,
                                                         provider=f.cleaned_data["provider"]))


@login_required
def document_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for(user=request.user, pk=pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    return case_form(request, case=case, form=form, title="Add a document", action="upload_document",
                     message="Document added.", extra={"multipart": True},
                     save=lambda f: document_add(case=case, actor=request.user,
                                                 **f.cleaned_data))


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """Only through here, for those who may see the case, always as an attachment."""
    document = record_get_for(user=request.user, model=ReferralDocument, pk=pk)
    return attachment(document, document.file)


@login_required
def extra_costing(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for(user=request.user, pk=pk)
    form = ExtraCostingForm(request.POST or None, case=case, user=request.user)
    return case_form(request, case=case, form=form, title="Cost extra sessions",
                     action="propose_extra_costing",
                     message="Extra sessions costed; the case manager approves them with the "
                             "review.",
                     save=lambda f: costing_propose_extra(case=case, actor=request.user,
                                                          **f.service_kwargs()))
