"""The second factor: enrol an authenticator app once, then type its code at each sign-in.
A code is accepted once (django-otp remembers the last time step used) and wrong codes are
throttled. Success gives the session a new key, as signing in does."""

from __future__ import annotations

from base64 import b32encode

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from .middleware import second_factor_pending
from .services import totp_confirm, totp_device_for_enrolment


class CodeForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\s*\d{6}\s*$", label="Code from your authenticator app",
        error_messages={"invalid": "Type the six digits your authenticator app shows."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True, "maxlength": 7}))

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def _verified(request: HttpRequest, device: TOTPDevice) -> HttpResponse:
    otp_login(request, device)
    request.session.cycle_key()  # a new key now that the session is fully signed in
    return redirect(_next(request))


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    if not second_factor_pending(request.user):
        return redirect(_next(request))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return _enrol(request)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        allowed, why = device.verify_is_allowed()
        if verify_token(request.user, device.persistent_id, form.cleaned_data["code"]):
            return _verified(request, device)
        form.add_error("code", _refusal(allowed, why))
        status = 400
    elif request.method == "POST":
        status = 400
    return render(request, "registration/two_factor_verify.html",
                  {"form": form, "next": _next(request)}, status=status)


def _enrol(request: HttpRequest) -> HttpResponse:
    device = totp_device_for_enrolment(user=request.user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if totp_confirm(device=device, code=form.cleaned_data["code"]):
            device.refresh_from_db()
            return _verified(request, device)
        form.add_error("code", "That code is not right. Check the app shows casework, "
                               "and type the code it shows now.")
        status = 400
    elif request.method == "POST":
        status = 400
    secret = b32encode(device.bin_key).decode()
    return render(request, "registration/two_factor_enrol.html", {
        "form": form, "next": _next(request),
        "qr": mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4)),  # noqa: S308  (our own markup)
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
    }, status=status)


def _refusal(allowed: bool, why: dict | None) -> str:
    if not allowed and why and why.get("locked_until"):
        return "Too many wrong codes. Wait a little, then type the newest code."
    return "That code is not right, or has been used already. Type the newest code."
