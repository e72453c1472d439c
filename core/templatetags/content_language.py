"""`<h1{% content_lang page %}>`: mark authored content whose language is not the page's.

Editors write courses, ateliers and the home page in one language (the page's Wagtail
locale; settings.LANGUAGE_CODE for anything without one), while the interface around
them follows the visitor's (English under /en/). Where the two differ, the element
holding the content gets `lang` (WCAG 3.1.2), so that screen readers pronounce it in
its own language; where they match, nothing is added.
"""

import functools

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language
from wagtail.models import Locale

register = template.Library()


@functools.cache
def _locale_language(locale_id):
    """A locale's language code: a handful of rows that never change (no admin edits
    them: wagtail.locales is not installed), read once per process."""
    return Locale.objects.filter(pk=locale_id).values_list("language_code", flat=True).first()


def content_language(obj=None):
    """The language `obj` (a page, or anything with a `locale_id`) is written in."""
    locale_id = getattr(obj, "locale_id", None)
    language = _locale_language(locale_id) if locale_id is not None else None
    return language or settings.LANGUAGE_CODE


def _primary(code):
    return (code or "").split("-")[0].lower()


@register.simple_tag(takes_context=True)
def content_lang(context, obj=None):
    """` lang="fr"` if `obj` (by default the context's `page`) is not in the current
    language, else nothing."""
    language = content_language(obj if obj is not None else context.get("page"))
    if _primary(language) == _primary(get_language() or settings.LANGUAGE_CODE):
        return ""
    return format_html(' lang="{}"', language)
