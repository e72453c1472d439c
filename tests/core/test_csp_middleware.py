"""The Content-Security-Policy header built once per process is the one django-csp builds."""

import pytest
from csp.constants import NONCE, SELF
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from core.middleware import AreaCSPMiddleware


def respond(path, view=lambda request: HttpResponse("ok")):
    request = RequestFactory().get(path)
    return request, AreaCSPMiddleware(view)(request)


def test_a_plain_public_page_gets_the_public_policy():
    _request, response = respond("/")
    assert response["Content-Security-Policy"] == build_policy()
    assert "Content-Security-Policy-Report-Only" not in response


def test_a_plain_admin_page_gets_the_admin_policy():
    _request, response = respond("/admin/pages/")
    assert response["Content-Security-Policy"] == build_policy(
        config=settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
    )


def test_a_nonce_asked_for_after_the_header_is_written_is_an_error():
    request, _response = respond("/")
    with pytest.raises(Exception, match="csp_nonce"):
        str(request.csp_nonce)


def test_a_policy_changed_by_the_view_is_honoured():
    def view(request):
        response = HttpResponse("ok")
        response._csp_update = {"img-src": ["https://images.example.org"]}
        return response

    _request, response = respond("/", view)
    assert "https://images.example.org" in response["Content-Security-Policy"]
    # The next plain page is not affected.
    assert "images.example.org" not in respond("/")[1]["Content-Security-Policy"]


def test_an_exempted_response_gets_no_header():
    def view(request):
        response = HttpResponse("ok")
        response._csp_exempt = True
        return response

    assert "Content-Security-Policy" not in respond("/", view)[1]


def test_a_nonce_used_by_the_page_is_in_its_header():
    directives = {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "script-src": [SELF, NONCE]}
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": directives}):
        seen = {}

        def view(request):
            seen["nonce"] = str(request.csp_nonce)
            return HttpResponse("ok")

        _request, response = respond("/", view)
        assert f"'nonce-{seen['nonce']}'" in response["Content-Security-Policy"]
        # Without a nonce used, the same settings give no nonce.
        assert "nonce-" not in respond("/")[1]["Content-Security-Policy"]


def test_changed_settings_are_taken_into_account():
    respond("/")  # built with the project's settings
    directives = {
        **settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "img-src": [SELF, "https://cdn.example.org"],
    }
    with override_settings(
        CONTENT_SECURITY_POLICY={"DIRECTIVES": directives},
        CONTENT_SECURITY_POLICY_REPORT_ONLY={"DIRECTIVES": {"default-src": [SELF]}},
    ):
        _request, response = respond("/")
        assert "https://cdn.example.org" in response["Content-Security-Policy"]
        assert response["Content-Security-Policy-Report-Only"] == build_policy(report_only=True)
    assert "cdn.example.org" not in respond("/")[1]["Content-Security-Policy"]
