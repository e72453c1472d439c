"""The CV builder's own routes, under a step: `cv/<exercise id>/<action>/`.

- `apercu/` (GET): the preview of the seeker's saved CV, an HTML fragment that
  static/js/cv.js puts in the page after each autosave;
- `pdf/` (POST, `template` = classic|modern): exports the saved CV as a PDF, keeps it
  as a new version (CVExport) and sends it;
- `texte/` (GET): the plain-text version, of the saved CV or, with `?version=n`, of
  one of the seeker's versions.

Only the seeker works here, on their own CV; counsellors read the versions through
the private files (ateliers/private_files.py).
"""

import io

from django.contrib import messages
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header

from accounts.models import User
from accounts.permissions import seeker_required
from activity import log

from .. import cv as cvlib
from ..blocks import CVBuilderExercise
from ..models import Answer, CVExport, CVTemplate

ACTIONS = {"apercu": ("GET", "HEAD"), "pdf": ("POST",), "texte": ("GET", "HEAD")}
# How many times to try again when another export took the version number meanwhile.
VERSION_ATTEMPTS = 3


@seeker_required
def cv_action(request, step_page, exercise_id, action):
    block = step_page.exercises().get(exercise_id)
    if block is None or not isinstance(block.block, CVBuilderExercise) or action not in ACTIONS:
        raise Http404
    if request.method not in ACTIONS[action]:
        return HttpResponseNotAllowed(ACTIONS[action])
    answer = Answer.objects.filter(
        seeker=request.user, exercise_id=exercise_id, kind=block.block_type
    ).first()
    view = {"apercu": preview, "pdf": export_pdf, "texte": export_text}[action]
    response = view(request, step_page, exercise_id, answer)
    add_never_cache_headers(response)
    return response


def saved_cv(answer):
    return cvlib.normalize(answer.data if answer is not None else {})


def back_to_builder(request, step_page, exercise_id, problem):
    """Back to the step, at the CV builder, with the reason no export was made."""
    messages.error(request, problem)
    return redirect(f"{step_page.get_url(request)}#exercise-{exercise_id}")


def preview(request, step_page, exercise_id, answer):
    return render(request, "ateliers/cv/preview.html", {"cv": saved_cv(answer), "exercise_id": exercise_id})


def export_pdf(request, step_page, exercise_id, answer):
    template = request.POST.get("template", "")
    if template not in CVTemplate.values:
        return HttpResponseBadRequest()
    cv = saved_cv(answer)
    problem = cvlib.export_problem(cv)
    if problem:
        return back_to_builder(request, step_page, exercise_id, problem)
    pdf = cvlib.render_pdf(cv, template, request)
    export = save_version(request.user, answer, template, pdf, cvlib.render_text(cv), cv)
    log.record(
        request.user, "atelier.cv_exported", target=step_page.get_parent().specific, version=export.version
    )
    return FileResponse(
        io.BytesIO(pdf),
        as_attachment=True,
        filename=f"{cvlib.file_stem(cv, export.version)}.pdf",
        content_type="application/pdf",
    )


def save_version(seeker, answer, template, pdf, text, cv):
    """Store the PDF and keep it as the seeker's next version.

    Numbers come from the seeker's highest version, read while their user row is locked
    (two exports at once wait for each other); should another export still take the
    number (a database without row locks), the next number is tried.
    """
    export = CVExport(seeker=seeker, answer=answer, template=template, text=text, data=cv)
    export.pdf.save("cv.pdf", ContentFile(pdf), save=False)
    attempts = 0
    try:
        while True:
            try:
                with transaction.atomic():
                    list(User.objects.select_for_update().filter(pk=seeker.pk).values_list("pk", flat=True))
                    last = CVExport.objects.filter(seeker=seeker).aggregate(last=Max("version"))["last"]
                    export.version = (last or 0) + 1
                    export.save()
                return export
            except IntegrityError:
                attempts += 1
                if attempts >= VERSION_ATTEMPTS:
                    raise
    except BaseException:
        export.pdf.storage.delete(export.pdf.name)
        raise


def export_text(request, step_page, exercise_id, answer):
    version = request.GET.get("version")
    if version is not None:
        if not version.isascii() or not version.isdigit() or len(version) > 9:
            raise Http404
        export = get_object_or_404(CVExport, seeker=request.user, version=int(version))
        text, stem = export.text, cvlib.file_stem(export.data, export.version)
    else:
        cv = saved_cv(answer)
        problem = cvlib.export_problem(cv)
        if problem:
            return back_to_builder(request, step_page, exercise_id, problem)
        text, stem = cvlib.render_text(cv), cvlib.file_stem(cv)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{stem}.txt")
    return response
