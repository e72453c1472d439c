"""Python's garbage collector, tuned for a process that serves requests (tremplin/wsgi.py).

Much of what a page creates is freed only by the collector, not as soon as it is no
longer used: Django's template context is a reference cycle (each `ContextDict` points
back to its `Context`), so everything the page showed waits for a collection. On the
full portfolio that is 7,500 objects a request (bench/portfolio.py). What a collection
costs depends on when it runs:

* in the middle of a page, it traverses the rows being built, all alive, and moves
  them to an older generation, where they pile up until a collection of that
  generation: 20 to 35 ms on one portfolio in ten, the whole of its p95 margin;
* after the response has been sent, everything the page left is garbage: collecting it
  takes about 1 ms, and the user, who has the page already, does not wait for it.

So `configure()`:

1. moves what is loaded (Django, Wagtail, every app: some 200,000 objects that live as
   long as the process) out of the collector's reach (`gc.freeze`), so that a full
   collection scans only what requests leave behind;
2. collects the youngest generation every `YOUNG_THRESHOLD` allocations rather than
   700, enough for a page to run without a collection in the middle;
3. collects the young generations after each response that left at least
   `COLLECT_AFTER` objects behind (Django's `request_finished`, which the WSGI server
   sends once it has written the whole body). A poll leaves a few hundred: it pays
   nothing until several of them add up.

Measured with bench/portfolio.py (p50/p95 of the full portfolio, ms): 68/77 with the
collector off; 76-86/91-98 with only the first two steps; 71/80-83 with all three, for
less CPU time than the second.
"""

import gc

from django.core.signals import request_finished
from django.urls import get_resolver

YOUNG_THRESHOLD = 50_000
COLLECT_AFTER = 1_000


def collect_after_response(sender, **kwargs):
    """request_finished receiver: collect the young generations if the request left
    enough to be worth it (young objects allocated since the last collection)."""
    if gc.get_count()[0] >= COLLECT_AFTER:
        gc.collect(1)


def configure():
    """Once, when the WSGI application is loaded (tremplin/wsgi.py)."""
    # Import every view now (the URLconf imports them) rather than on the first
    # request, so that they are frozen with the rest.
    get_resolver().url_patterns  # noqa: B018 - loading it is the point
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, 10, 10)
    request_finished.connect(collect_after_response, dispatch_uid="tremplin.gc_tuning")
