"""What the MOOC pages keep in Django's cache, and when it is thrown away.

Three things are cached, all keyed by one *generation* number:

* the structure of each course (the course page, its weeks and its lessons without
  their body, live or not, and the ids of the course's ancestors): page routing, the
  view restrictions check and the outlines read it instead of the page tree
  (courses.structure, courses.routing);
* the rendered body of each lesson, every block but the quizzes (a quiz shows the
  seeker's own result), per language;
* the catalogue's course cards, without the "enrolled"/"completed" badges, per
  catalogue, site and language.

Any change that could alter them bumps the generation, in every process at once (the
number lives in the cache, Redis in production): a course page saved, published,
unpublished, moved or deleted, any page published, unpublished, moved or deleted
(rich-text links show page URLs), a theme, an image, a video or its captions, a
document or a site changed. Entries of older generations are never read again and
expire after TIMEOUT. Each process also keeps the entries it used (fetch()): per
request, the shared cache is asked for the generation number only.

The generation is bumped as the change is made and again once its transaction
commits: a request that read the database just before the commit cannot leave stale
entries under the new generation. Changes made by queryset `update()` send no signal:
they show once the entries expire (TIMEOUT), or at the next bump.
"""

import hashlib
import pickle
import secrets
import threading
import time
from collections import OrderedDict

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

GENERATION_KEY = "courses:generation"
# Part of every key: change it when what is cached changes shape, so that a release
# never reads the entries of the previous one.
FORMAT = 2
TIMEOUT = 60 * 60
# How long a process keeps an entry it read from the shared cache (see fetch()).
LOCAL_TIMEOUT = 60
_REQUEST_ATTRIBUTE = "_courses_cache_generation"


def _new_generation():
    # Random: should the number be evicted, the next one does not reuse an old one.
    return secrets.randbelow(2**48)


def generation(request=None):
    """The current generation; read once per request when `request` is given."""
    if request is not None:
        value = getattr(request, _REQUEST_ATTRIBUTE, None)
        if value is not None:
            return value
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _new_generation(), timeout=None)
        value = cache.get(GENERATION_KEY)
    if request is not None:
        setattr(request, _REQUEST_ATTRIBUTE, value)
    return value


def _bump():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # missing (evicted, or never read): start from a new number
        cache.set(GENERATION_KEY, _new_generation(), timeout=None)


def invalidate(**_kwargs):
    """Throw every cached structure, lesson body and catalogue card away (a signal
    receiver: any arguments)."""
    _bump()
    transaction.on_commit(_bump, robust=True)


def key(*parts, request=None):
    """A cache key of the current generation; parts are hashed (URL paths may hold any
    character). None when the cache keeps nothing (a dummy cache): then nothing is
    cached, here or in the process."""
    current = generation(request)
    if current is None:
        return None
    digest = hashlib.blake2s("\x1f".join(str(part) for part in parts).encode(), digest_size=16)
    return f"courses:{FORMAT}:{current}:{digest.hexdigest()}"


# Entries read or written by this process are also kept here, pickled (each request
# gets objects of its own), until the entry's timeout: the shared cache is then only
# asked for the generation. The key holds the generation: a bump is seen at once.
_LOCAL_ENTRIES = 512
_local = OrderedDict()  # {key: (monotonic deadline, pickled value)}
_local_lock = threading.Lock()


def _remember(cache_key, value, timeout):
    data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    with _local_lock:
        _local[cache_key] = (time.monotonic() + timeout, data)
        _local.move_to_end(cache_key)
        while len(_local) > _LOCAL_ENTRIES:
            _local.popitem(last=False)


def fetch(cache_key):
    """The value stored under `cache_key` (from key()), or None."""
    if cache_key is None:
        return None
    with _local_lock:
        entry = _local.get(cache_key)
        if entry is not None:
            _local.move_to_end(cache_key)
    if entry is not None:
        deadline, data = entry
        if time.monotonic() < deadline:
            return pickle.loads(data)  # noqa: S301 - written by this process
    value = cache.get(cache_key)
    if value is not None:
        # What is left of its timeout is unknown here: a process keeps it a minute.
        _remember(cache_key, value, LOCAL_TIMEOUT)
    return value


def store(cache_key, value, timeout=TIMEOUT):
    if cache_key is None:
        return
    cache.set(cache_key, value, timeout)
    _remember(cache_key, value, timeout)


def connect_signals():
    """Called once, from CoursesConfig.ready()."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from media.models import Asset, Caption

    from .models import CourseIndexPage, CoursePage, CourseTheme, CourseWeekPage, LessonPage

    image_model = get_image_model()
    saved_or_deleted = [
        Page,
        CourseIndexPage,
        CoursePage,
        CourseWeekPage,
        LessonPage,
        CourseTheme,
        Site,
        image_model,
        get_document_model(),
        Asset,
        Caption,
    ]
    uid = "courses.cache.invalidate"
    for model in saved_or_deleted:
        post_save.connect(invalidate, sender=model, dispatch_uid=f"{uid}.save.{model._meta.label}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"{uid}.delete.{model._meta.label}")
    # A rendition deleted (its image's file or focal point changed): cards show its URL.
    # Not on save: rendering a card may create a rendition.
    rendition_model = image_model.get_rendition_model()
    post_delete.connect(invalidate, sender=rendition_model, dispatch_uid=f"{uid}.delete.rendition")
    for name, signal in [
        ("published", page_published),
        ("unpublished", page_unpublished),
        ("moved", post_page_move),
    ]:
        signal.connect(invalidate, dispatch_uid=f"{uid}.page_{name}")
