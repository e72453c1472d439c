"""Routing below the catalogue without walking the page tree.

Wagtail finds a page by walking down from the site's root, two queries per level
(the child by its slug, then its specific page): eight for a lesson below the
catalogue. Below the catalogue, the levels are always course → week → lesson, and a
course's structure (courses.structure) is in the cache: the walk is done on it, with
Wagtail's rules:

* at each level, a RoutablePageMixin page (a course, a lesson) that is live first
  tries its own sub-routes (`inscription/`, `terminee/`, `quiz/<id>/`…) on the rest
  of the path, as RoutablePageMixin.route does, before looking for a child;
* a child is looked up by its slug, live or not: only the page that answers must be
  live (Page.route raises Http404 otherwise);
* the page found last gets the rest of the path through its own route(), so its
  sub-routes, and the 404s of non-live pages, are Wagtail's.

A slug that the structure does not know goes through Wagtail's own walk from there
(a 404, most of the time). Preview and "view draft" do not route: they call the page's
serve_preview().

Before serving, Wagtail reads the page's ancestors to check their view restrictions
(Page.get_view_restrictions): their ids are known here, and given to the page found
(models.pages.ViewRestrictionsMixin); the restrictions themselves are still read.
"""

from django.http import Http404
from wagtail.contrib.routable_page.models import RoutablePageMixin

from . import structure as structures


def _has_subroute(page, components):
    try:
        page.resolve_subpage("/" + "/".join(components) + "/")
    except Http404:
        return False
    return True


def route(index, request, path_components):
    """The RouteResult of `path_components` (not empty) below the catalogue `index`,
    or None when its first component is not a course: then Wagtail's walk decides."""
    slug, remaining = path_components[0], list(path_components[1:])
    structure = structures.for_course(index, slug, request)
    if structure is None:
        return None
    page = structure.course
    page._cached_parent_obj = index  # as Page.route does: get_parent() needs no query
    chain = [page]
    while remaining:
        if isinstance(page, RoutablePageMixin) and page.live and _has_subroute(page, remaining):
            break
        child = structure.child(page, remaining[0])
        if child is None:
            break
        child._cached_parent_obj = page
        chain.append(child)
        page, remaining = child, remaining[1:]
    page.course_structure = structure
    # Wagtail checks the view restrictions of the page and its ancestors: their ids
    # are known here (see ViewRestrictionsMixin).
    page.view_restriction_page_ids = structures.restriction_page_ids(structure.ancestors, chain)
    return page.route(request, remaining)


def know_view_restrictions(index, request):
    """The catalogue itself is served: the ids of its ancestors come from the cache."""
    ancestors = structures.ancestors(index, request)
    index.view_restriction_page_ids = structures.restriction_page_ids(ancestors, [index])
