"""A take's life on the server: started for a question, received (through the resumable
upload, or as one file from a form), deleted.

The browser records in pieces and sends them through `core.resumable` (tus 1.0): the
seeker's view calls `start_take`, which creates the Take and its upload and hands the
upload's URL to the page. Once the last byte is stored and the browser has its answer,
`take_received` queues the feedback job (interviews.jobs), which copies the bytes into
the private storage and deletes the upload. A device
without MediaRecorder sends a file instead (`receive_file`), which goes through the
same job.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.permissions import is_seeker
from activity import log
from core import resumable
from core.models import ResumableUpload

from .models import Attempt, Take

PURPOSE = "interview_take"


def max_upload_bytes():
    return settings.INTERVIEW_MAX_UPLOAD_BYTES


def register():
    """Called by InterviewsConfig.ready()."""
    resumable.register_purpose(PURPOSE, max_bytes=max_upload_bytes, on_answered=take_received)


def question_of(page, question_id):
    """(position from 1, question) of `question_id` in the page's set; 404 when the
    question is not one of this page's."""
    for position, question in enumerate(page.questions(), start=1):
        if question.pk == question_id:
            return position, question
    raise Http404("Not a question of this interview.")


def _new_take(seeker, page, question_id):
    if not is_seeker(seeker):
        raise Http404("Only a seeker records answers.")
    position, question = question_of(page, question_id)
    attempt = Attempt.objects.start(seeker, page)
    # The attempt's row lock numbers the takes one at a time (two tabs, a double click).
    Attempt.objects.select_for_update().filter(pk=attempt.pk).first()
    last = Take.objects.filter(attempt=attempt, position=position).aggregate(last=Max("number"))["last"]
    take = Take.objects.create(
        attempt=attempt,
        question=question,
        position=position,
        question_text=question.text,
        number=(last or 0) + 1,
    )
    # A count of runs left in Redis under the same id (a database reset, Redis kept)
    # must not give the new take up at once.
    from .jobs import reset_attempts

    reset_attempts(take.pk)
    return take


@transaction.atomic
def start_take(seeker, page, question_id):
    """A new take of the seeker's open attempt at `page` (started if need be) for the
    question `question_id`, and the resumable upload its recording goes to (length
    unknown until the recording stops). Returns (take, upload)."""
    take = _new_take(seeker, page, question_id)
    return take, resumable.start(seeker, PURPOSE, take.pk)


def upload_of(take):
    """The take's upload (the latest), or None. Only one its seeker sent: `start_take`
    makes no other, and someone else's bytes never become a seeker's recording."""
    return (
        ResumableUpload.objects.filter(purpose=PURPOSE, target_id=take.pk, owner_id=take.attempt.seeker_id)
        .order_by("-pk")
        .first()
    )


def take_received(upload):
    """`on_answered` of the take uploads: the recording is all there and the browser has
    its answer; queue the feedback job. Whether the take still wants it (deleted
    meanwhile, or its attempt sent) is the job's to check (jobs._claim). Should this
    process die before queueing it, reconcile_stuck_takes does (a pending take whose
    upload is complete, with no job)."""
    from .jobs import enqueue_feedback_now

    enqueue_feedback_now(upload.target_id)


@transaction.atomic
def receive_file(seeker, page, question_id, file):
    """A take made of one uploaded file (devices without MediaRecorder): stored, then
    through the same feedback job. Returns the take."""
    from .jobs import enqueue_feedback

    take = _new_take(seeker, page, question_id)
    # Stored under a random name (PrivateUploadTo); only the extension is kept.
    take.recording.save(file.name, file, save=True)
    enqueue_feedback(take.pk)
    return take


def delete_take(seeker, take, *, now=None):
    """Delete one of `seeker`'s takes, with an upload still in progress for it: the one
    place where a take is deleted at the seeker's request (the session's script, the
    attempt's page and the send page all come here). Returns the deleted take.

    Raises Take.DoesNotExist when the take is not the seeker's (or is gone already),
    and ValueError (a message for the seeker) when it was sent to the counsellor: it
    stays with its attempt, its review comments are pinned to it. The row lock on the
    attempt orders a deletion against a sending in another tab. The files leave the
    storage once the deletion commits (interviews.signal_handlers); the log keeps
    that it happened.
    """
    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("interview")
            .filter(seeker=seeker, takes__pk=take.pk)
            .first()
        )
        if attempt is None:
            raise Take.DoesNotExist("Not one of this seeker's takes.")
        take = Take.objects.get(pk=take.pk)  # read again under the lock: sent meanwhile?
        if take.chosen and attempt.is_sent:
            raise ValueError(_("This answer was sent to your counsellor: it stays with the attempt."))
        ResumableUpload.objects.filter(purpose=PURPOSE, target_id=take.pk).delete()
        take.delete()
        log.record(
            seeker,
            "interview.take_deleted",
            target=attempt.interview,
            when=now,
            attempt=attempt.number,
            question=take.position,
            take=take.number,
        )
    return take


def drop_pending_uploads(attempt):
    """Forget the uploads still in progress for the attempt's takes (call it when the
    attempt is sent: nothing more may arrive for it)."""
    take_ids = Take.objects.filter(attempt=attempt).values("pk")
    return ResumableUpload.objects.filter(
        purpose=PURPOSE, target_id__in=take_ids, completed_at__isnull=True
    ).delete()[0]
