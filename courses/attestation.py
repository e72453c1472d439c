"""The completion attestation as a PDF, rendered by WeasyPrint from an HTML template."""

import io

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from weasyprint import HTML


def render_pdf(attestation, request):
    """A file-like object holding the PDF of `attestation` (in the request's language)."""
    verify_url = request.build_absolute_uri(reverse("courses:attestation", kwargs={"code": attestation.code}))
    with translation.override(getattr(request, "LANGUAGE_CODE", None)):
        html = render_to_string(
            "courses/attestation_pdf.html", {"attestation": attestation, "verify_url": verify_url}
        )
    buffer = io.BytesIO()
    HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        buffer, pdf_variant="pdf/ua-1", metadata=True
    )
    buffer.seek(0)
    return buffer
