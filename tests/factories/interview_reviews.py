"""Takes as the feedback job leaves them, for the pages after recording.

take = processed(record(attempt, question), speaking=52.0, long_pauses=(2.5, 4.0))
attempt = sent_with_takes(seeker, page)      # every question answered, ready, sent
"""

import dataclasses

from django.core.files.base import ContentFile

from interviews.models import Attempt
from media.measures import DeliveryMeasures, Silence
from media.models import ProcessingStatus

from . import interviews as build


def measures(*, duration=60.0, speaking=50.0, leading=1.5, long_pauses=(), threshold=2.0):
    """A DeliveryMeasures as the job stores it (dataclasses.asdict): `long_pauses` are
    the durations of the pauses longer than the threshold."""
    pauses, start = [], leading + 5
    for length in long_pauses:
        pauses.append(Silence(start, start + length))
        start += length + 5
    found = DeliveryMeasures(
        duration=duration,
        has_audio=True,
        speaking_time=speaking,
        silences=(Silence(0.0, leading), *pauses),
        pauses=tuple(pauses),
        long_pause_threshold=threshold,
        leading_silence=leading,
        loudness=-20.0,
        peak=-3.0,
        too_quiet=False,
        clipped=False,
    )
    return dataclasses.asdict(found)


def processed(take, *, rendition=b"mp4 rendition", duration=60.0, **measured):
    """`take` once the feedback job is done: measures, a remuxed copy, an MP4
    rendition (`rendition`: its bytes, or a path to a real MP4) and the status."""
    if hasattr(rendition, "read_bytes"):
        rendition = rendition.read_bytes()
    take.remuxed.save("reponse.webm", ContentFile(b"\x1aE\xdf\xa3 remuxed"), save=False)
    take.rendition.save("reponse.mp4", ContentFile(rendition), save=False)
    take.measures = measures(duration=duration, **measured)
    take.duration = duration
    take.status = ProcessingStatus.READY
    take.save()
    return take


def recorded(seeker, page, *, takes_per_question=1, rendition=b"mp4 rendition", **measured):
    """An open attempt with `takes_per_question` processed takes of every question."""
    attempt = Attempt.objects.start(seeker, page)
    for question in page.questions():
        for _number in range(takes_per_question):
            processed(build.record(attempt, question), rendition=rendition, **measured)
    return attempt


def sent_with_takes(seeker, page, **options):
    """`recorded`, then sent with the first take of each question chosen."""
    return build.send(recorded(seeker, page, **options))
