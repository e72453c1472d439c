"""Pages that show one person's progress are never stored by a cache."""

from django.utils.cache import patch_cache_control


def private(response):
    patch_cache_control(response, private=True, no_cache=True, no_store=True, max_age=0)
    return response


def private_when_logged_in(request, response):
    """A page everyone reads (an outline, a week) shows a logged-in user their own state."""
    return private(response) if request.user.is_authenticated else response
