from csp.middleware import CSPMiddleware
from django.conf import settings


class AreaCSPMiddleware(CSPMiddleware):
    """Send the strict public policy everywhere except in the admin area.

    Wagtail's admin still needs inline scripts; rather than loosening the public policy,
    admin URLs get `ADMIN_CONTENT_SECURITY_POLICY` instead.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(settings.ADMIN_URL_PREFIXES)
        ):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts
