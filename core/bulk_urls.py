"""URLs of many objects of one kind, reversed once.

A portfolio lists 250 seekers, a review queue a hundred pieces of work; `reverse()` for
each row costs more than the rest of the row. `url_maker(name)` reverses the URL once,
with a placeholder for the object's id, and returns a function that puts each id in::

    seeker_url = url_maker("coaching:seeker")
    urls = [seeker_url(seeker.pk) for seeker in seekers]

Make it where the rows are made (a view, a request), not at import: the URL depends on
the active language (/en/…).
"""

from django.urls import reverse

# Any whole number the URL patterns accept and no other part of a URL holds.
_PLACEHOLDER = "9081726354"


def url_maker(viewname):
    """A function of one object id returning `reverse(viewname, args=[id])`. `viewname`
    may also be a function of an id returning its URL (an interface's, such as
    `core.conversations`): it is called once."""
    placeholder = int(_PLACEHOLDER)
    url = viewname(placeholder) if callable(viewname) else reverse(viewname, args=[placeholder])
    if url.count(_PLACEHOLDER) != 1:
        raise ValueError(f"{viewname!r} does not take a single id: {url}")
    before, _placeholder, after = url.partition(_PLACEHOLDER)
    return lambda pk: f"{before}{int(pk)}{after}"
