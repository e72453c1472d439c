from functools import cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# What a view can set on a response (csp.decorators) to change its policy.
_PER_RESPONSE_POLICY = tuple(
    f"_csp_{kind}{suffix}" for kind in ("config", "update", "replace") for suffix in ("", "_ro")
)
_EXEMPT = ("_csp_exempt", "_csp_exempt_ro")


class AreaCSPMiddleware(CSPMiddleware):
    """Send the strict public policy everywhere except in the admin area.

    Wagtail's admin still needs inline scripts; rather than loosening the public policy,
    admin URLs get `ADMIN_CONTENT_SECURITY_POLICY` instead.

    The policy of a response that no view changed and that carries no nonce depends
    only on the settings and the area: it is built once per process (django-csp builds
    it again for every response). Anything else (a nonce, a decorator's change or
    exemption, an excluded prefix, DEBUG's error pages) takes django-csp's own path.
    """

    def process_response(self, request, response):
        if not self._is_plain(request, response):
            return super().process_response(request, response)
        policy, report_only = _built_policies(request.path_info.startswith(settings.ADMIN_URL_PREFIXES))
        if policy and HEADER not in response:
            response[HEADER] = policy
        if report_only and HEADER_REPORT_ONLY not in response:
            response[HEADER_REPORT_ONLY] = report_only
        # As django-csp: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    @staticmethod
    def _is_plain(request, response):
        if getattr(request, "_csp_nonce", None) is not None:
            return False
        if any(hasattr(response, name) for name in _PER_RESPONSE_POLICY + _EXEMPT):
            return False
        if settings.DEBUG and response.status_code in (404, 500):
            return False
        return not any(
            request.path_info.startswith(
                tuple((getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") or ())
            )
            for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
        )

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(settings.ADMIN_URL_PREFIXES)
        ):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts


@cache
def _built_policies(admin_area):
    """(policy, report-only policy) headers of a plain response, "" for none."""
    config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"] if admin_area else None
    return build_policy(config=config), build_policy(report_only=True)


@receiver(setting_changed)
def _forget_built_policies(*, setting, **kwargs):
    if "CONTENT_SECURITY_POLICY" in setting or setting == "ADMIN_URL_PREFIXES":
        _built_policies.cache_clear()
