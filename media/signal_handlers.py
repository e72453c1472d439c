"""Wiring of the media pipeline to model events (written with media.jobs).

* A new asset, or an asset whose original file was replaced, is processed once the
  transaction commits.
* A deleted asset takes its renditions, poster and pending jobs (processing, draft
  captions) with it (wagtailmedia deletes the original and the thumbnail); a deleted
  caption takes its file. Files go only once the deletion is committed.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver

from .models import Asset, Caption, ProcessingStatus

_LOADED_FILE = "_media_loaded_file_name"


def _file_name(value):
    return getattr(value, "name", value) or ""


@receiver(post_init, sender=Asset)
def remember_loaded_file(sender, instance, **kwargs):
    # A deferred `file` is not in __dict__; reading it here would cost a query per row.
    if "file" in instance.__dict__:
        setattr(instance, _LOADED_FILE, _file_name(instance.__dict__["file"]))


@receiver(post_save, sender=Asset)
def process_new_original(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    current = _file_name(instance.file)
    previous = getattr(instance, _LOADED_FILE, None)
    setattr(instance, _LOADED_FILE, current)
    if not current or (not created and current == previous):
        return
    if update_fields is not None and "file" not in update_fields:
        return
    if not created:
        # A replaced original: its renditions are out of date until processed again.
        Asset.objects.filter(pk=instance.pk).update(
            status=ProcessingStatus.PENDING, failure_reason="", attempts=0
        )
        instance.status, instance.failure_reason, instance.attempts = ProcessingStatus.PENDING, "", 0
    from .jobs import enqueue_processing

    enqueue_processing(instance)


@receiver(post_delete, sender=Asset)
def delete_asset_outputs(sender, instance, **kwargs):
    storage = instance.file.storage
    names = {file.name for file in instance.rendition_files().values()}
    job_ids = (instance.job_id, instance.transcription_job_id)

    def cleanup():
        from .jobs import cancel_processing
        from .processing import delete_stored

        for job_id in job_ids:
            cancel_processing(job_id)
        delete_stored(storage, names)

    transaction.on_commit(cleanup, robust=True)


@receiver(post_delete, sender=Caption)
def delete_caption_file(sender, instance, **kwargs):
    if instance.file:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name), robust=True)
