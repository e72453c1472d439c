"""People: one user model with a role, and the profiles that go with the roles."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activity.log import record


class Role(models.TextChoices):
    SEEKER = "seeker", _("Job seeker")
    COUNSELLOR = "counsellor", _("Counsellor")
    MANAGER = "manager", _("Team manager")
    EDITOR = "editor", _("Editor")
    ADMIN = "admin", _("Administrator")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    @classmethod
    def normalize_email(cls, email):
        return (email or "").strip().lower()


class User(AbstractUser):
    """A person who logs in with their e-mail address.

    The role says which part of Tremplin is theirs; Wagtail admin access for editors
    comes from the "Editors" group (see accounts.roles), so Wagtail's own permission
    system keeps working unchanged.
    """

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.SEEKER)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = UserManager.normalize_email(self.email)
        super().save(*args, **kwargs)

    @property
    def is_seeker(self):
        return self.role == Role.SEEKER


class Modality(models.TextChoices):
    """How closely the public employment service accompanies a seeker."""

    SUIVI = "suivi", _("Suivi")
    GUIDE = "guide", _("Guidé")
    RENFORCE = "renforce", _("Renforcé")


class Team(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    manager = models.ForeignKey(
        User,
        verbose_name=_("manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_teams",
        limit_choices_to={"role": Role.MANAGER},
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CounsellorProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="counsellor_profile")
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="counsellors",
    )
    capacity_web = models.PositiveIntegerField(_("capacity, 100 % web"), default=250)
    capacity_guide = models.PositiveIntegerField(_("capacity, guidé"), default=150)
    capacity_renforce = models.PositiveIntegerField(_("capacity, renforcé"), default=70)

    class Meta:
        verbose_name = _("counsellor profile")
        verbose_name_plural = _("counsellor profiles")

    def __str__(self):
        return str(self.user)


class SeekerProfile(models.Model):
    """What the employment service knows of a job seeker's follow-up.

    "100 % web" is a volunteer's choice, validated by a counsellor after the
    registration interview and reversible at the seeker's request. Every change is
    written to the activity log (who and when) by the methods below.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="seeker_profile")
    modality = models.CharField(
        _("accompaniment modality"), max_length=10, choices=Modality, default=Modality.SUIVI
    )
    counsellor = models.ForeignKey(
        User,
        verbose_name=_("counsellor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="portfolio",
        limit_choices_to={"role": Role.COUNSELLOR},
    )
    web_volunteered_at = models.DateTimeField(_("volunteered for 100 % web on"), null=True, blank=True)
    web_validated_at = models.DateTimeField(_("100 % web validated on"), null=True, blank=True)
    web_validated_by = models.ForeignKey(
        User,
        verbose_name=_("100 % web validated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("seeker profile")
        verbose_name_plural = _("seeker profiles")

    def __str__(self):
        return str(self.user)

    @property
    def is_web(self):
        """True when the seeker is followed 100 % online."""
        return self.web_validated_at is not None

    def volunteer_for_web(self, *, now=None):
        self.web_volunteered_at = now or timezone.now()
        self.save(update_fields=["web_volunteered_at"])
        record(self.user, "web.volunteered", actor=self.user, when=self.web_volunteered_at)

    def validate_web(self, counsellor, *, now=None):
        now = now or timezone.now()
        self.web_volunteered_at = self.web_volunteered_at or now
        self.web_validated_at = now
        self.web_validated_by = counsellor
        self.save(update_fields=["web_volunteered_at", "web_validated_at", "web_validated_by"])
        record(self.user, "web.validated", actor=counsellor, when=now)

    def withdraw_from_web(self, actor, *, now=None):
        """Return to traditional follow-up: the seeker may ask at any time."""
        now = now or timezone.now()
        self.web_volunteered_at = None
        self.web_validated_at = None
        self.web_validated_by = None
        self.save(update_fields=["web_volunteered_at", "web_validated_at", "web_validated_by"])
        record(self.user, "web.withdrawn", actor=actor, when=now)
