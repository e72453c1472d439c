"""Satisfaction: a short survey (1–5 and a comment, once) offered to the seeker after a
held appointment and after a conversation their counsellor answered (at most one a
week), and the managers' figures: the share of satisfied seekers (4 or 5) per counsellor
and per channel over a period, one aggregate query each, and per module from each module
type's own end-of-module survey (core.modules: `satisfaction_between`)."""

from dataclasses import dataclass

from django import forms
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import SeekerProfile
from core.modules import module_page_models

from .models import Satisfaction, SatisfactionChannel
from .models.satisfaction import SATISFIED


def offer(seeker, *, counsellor, channel, about, when=None):
    """Offer the survey about an occasion, once (a second call changes nothing)."""
    survey, _created = Satisfaction.objects.get_or_create(
        seeker=seeker,
        about=about,
        defaults={"counsellor": counsellor, "channel": channel, "asked_at": when or timezone.now()},
    )
    return survey


def offer_after_answer(seeker, counsellor, when):
    """The counsellor answered the seeker's messages: one survey in that ISO week."""
    year, week, _day = timezone.localdate(when).isocalendar()
    return offer(
        seeker,
        counsellor=counsellor,
        channel=SatisfactionChannel.MESSAGES,
        about=f"messages:{year}-W{week:02}",
        when=when,
    )


def pending(seeker):
    """The surveys offered to `seeker` and not answered yet, newest first."""
    return Satisfaction.objects.filter(seeker=seeker, answered_at__isnull=True).order_by("-asked_at")


class SatisfactionForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with this contact?"),
        coerce=int,
        choices=[
            (1, _("1 – not at all satisfied")),
            (2, _("2 – not very satisfied")),
            (3, _("3 – fairly satisfied")),
            (4, _("4 – satisfied")),
            (5, _("5 – very satisfied")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating from 1 to 5.")},
    )

    class Meta:
        model = Satisfaction
        fields = ["rating", "comment"]
        labels = {"comment": _("A comment (optional)")}
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}


def answer(survey, *, rating, comment="", when=None):
    survey.rating, survey.comment, survey.answered_at = rating, comment, when or timezone.now()
    survey.save(update_fields=["rating", "comment", "answered_at"])
    return survey


@dataclass(frozen=True)
class Share:
    label: str
    answers: int
    satisfied: int

    @property
    def percent(self):
        return round(100 * self.satisfied / self.answers) if self.answers else None


def _counts(surveys, key):
    return {
        row[key]: (row["answers"], row["satisfied"])
        for row in surveys.values(key)
        .order_by()
        .annotate(answers=Count("pk"), satisfied=Count("pk", filter=Q(rating__gte=SATISFIED)))
    }


def _answered(since, until):
    return Satisfaction.objects.filter(answered_at__gte=since, answered_at__lt=until)


def by_counsellor(counsellors, *, since, until):
    """A Share per counsellor of `counsellors` (a User queryset), in one query."""
    counsellors = list(counsellors)
    counts = _counts(_answered(since, until).filter(counsellor__in=counsellors), "counsellor")
    return [
        Share(person.get_full_name() or person.email, *counts.get(person.pk, (0, 0)))
        for person in counsellors
    ]


def by_module(counsellors, *, since, until):
    """A Share per module with answers to its end-of-module survey from the seekers of
    `counsellors`, read through the module interface (one aggregate query per module
    type that has a survey), by title."""
    seekers = SeekerProfile.objects.filter(counsellor__in=counsellors).values("user_id")
    shares = [
        Share(title, answers, satisfied)
        for model in module_page_models()
        for title, answers, satisfied in model.satisfaction_between(since, until, seekers).values()
    ]
    return sorted(shares, key=lambda share: share.label.lower())


def by_channel(counsellors, *, since, until):
    """A Share per channel, for the surveys about `counsellors`, in one query."""
    counts = _counts(_answered(since, until).filter(counsellor__in=counsellors), "channel")
    return [Share(label, *counts.get(value, (0, 0))) for value, label in SatisfactionChannel.choices]
