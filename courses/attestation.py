"""The completion attestation as a PDF, rendered from an HTML template (core.pdf)."""

import io

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.pdf import html_to_pdf


def render_pdf(attestation, request):
    """A file-like object holding the PDF of `attestation` (in the request's language)."""
    verify_url = request.build_absolute_uri(reverse("courses:attestation", kwargs={"code": attestation.code}))
    with translation.override(getattr(request, "LANGUAGE_CODE", None)):
        html = render_to_string(
            "courses/attestation_pdf.html", {"attestation": attestation, "verify_url": verify_url}
        )
    return io.BytesIO(html_to_pdf(html))
