"""The public check of an attestation (a plain URL): anyone with its code sees what the
attestation says, nothing more."""

from django.shortcuts import redirect, render

from ..forms import VerificationForm
from ..models import Attestation


def verify(request, code=None):
    form = VerificationForm(request.GET if "code" in request.GET else None)
    if code is None and form.is_valid():
        return redirect("courses:attestation", code=form.cleaned_data["code"])
    attestation = None
    if code is not None:
        attestation = Attestation.objects.filter(code=code.upper()).first()
    response = render(
        request,
        "courses/verify.html",
        {"form": form, "code": code, "attestation": attestation},
        status=404 if code is not None and attestation is None else 200,
    )
    response["X-Robots-Tag"] = "noindex"
    return response
