"""What the media app adds to Wagtail's admin on top of wagtailmedia.

- The library listing and the edit page show the processing status (templates in
  templates/wagtailmedia/media/, which extend wagtailmedia's own), with a Retry action.
- Captions are managed with a ModelViewSet, in a "Media" submenu beside the library.
- wagtailmedia's usage page checks the asset's collection, as its edit page does.
- The admin home lists the videos to caption and the media that failed.
- Editing a page that uses videos without published French captions shows a warning,
  telling a draft to review from missing captions.

Who may do what is written in media.permissions.
"""

from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.contrib.messages.storage.base import Message
from django.db.models import Prefetch
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import ReferenceIndex
from wagtail.permissions import register_permission_policy

from . import views
from .captions import REQUIRED_CAPTION_LANGUAGE
from .forms import CaptionForm
from .home_panel import add_media_panel
from .models import Asset, Caption, CaptionStatus
from .permissions import CaptionPermissionPolicy

# Before any view asks, as Wagtail 8 requires (see media.permissions).
register_permission_policy(Caption, CaptionPermissionPolicy())


# ---------------------------------------------------------------------------
# Retry, usage
# ---------------------------------------------------------------------------
@hooks.register("register_admin_urls")
def register_retry_url():
    return [path("media/retry/<id:asset_id>/", views.retry, name="media_retry")]


# order=-1: before wagtailmedia's own "media/usage/<id>/" (the first URL that matches
# wins), so that reverse("wagtailmedia:media_usage") leads to the checked view. It takes
# every <int:> wagtailmedia's would, so none slips past the check.
@hooks.register("register_admin_urls", order=-1)
def register_usage_url():
    return [path("media/usage/<int:media_id>/", views.usage, name="media_usage")]


# ---------------------------------------------------------------------------
# The admin home: what needs the editors (media.home_panel)
# ---------------------------------------------------------------------------
hooks.register("construct_homepage_panels", add_media_panel)


# ---------------------------------------------------------------------------
# Captions
# ---------------------------------------------------------------------------
class CaptionViewSet(ModelViewSet):
    model = Caption
    icon = "comment"
    url_prefix = "media/captions"
    menu_label = gettext_lazy("Captions")
    menu_name = "captions"
    add_to_admin_menu = False  # in the "Media" submenu, see below
    form_fields = ["asset", "language", "file"]
    list_display = ["asset", "language", "status", "file", "created_at"]
    list_filter = ["language", "status"]
    copy_view_enabled = False
    index_view_class = views.CaptionIndexView
    add_view_class = views.CaptionCreateView
    edit_view_class = views.CaptionEditView
    delete_view_class = views.CaptionDeleteView
    history_view_class = views.CaptionHistoryView
    usage_view_class = views.CaptionUsageView

    def get_form_class(self, for_update=False):
        return CaptionForm

    def get_permissions_to_register(self):
        # CaptionPermissionPolicy ignores Caption's model permissions: do not offer them.
        return super().get_permissions_to_register().none()


caption_viewset = CaptionViewSet("captions")


@hooks.register("register_admin_viewset")
def register_caption_viewset():
    return caption_viewset


@hooks.register("construct_main_menu")
def put_captions_under_media(request, menu_items):
    """wagtailmedia's "Media" item becomes a submenu: the library, then captions."""
    for position, item in enumerate(menu_items):
        if item.name != "media" or isinstance(item, SubmenuMenuItem):
            continue
        library = MenuItem(gettext_lazy("Library"), item.url, name="media-library", icon_name="media")
        captions = caption_viewset.get_menu_item()
        menu_items[position] = SubmenuMenuItem(
            item.label,
            Menu(items=[library, captions]),
            name="media",
            icon_name=item.icon_name,
            order=item.order,
        )
        return


# ---------------------------------------------------------------------------
# Pages that use videos without French captions
# ---------------------------------------------------------------------------
def referenced_asset_ids(page):
    """The ids of the assets `page` uses, by Wagtail's reference index.

    The index records the page as saved in the database (for a live page: its live
    version); the latest draft, which the editor is looking at, is read with the same
    extractor the index uses.
    """
    asset_type = ContentType.objects.get_for_model(Asset)
    ids = {
        int(object_id)
        for object_id in ReferenceIndex.get_references_for_object(page)
        .filter(to_content_type=asset_type)
        .values_list("to_object_id", flat=True)
        if object_id.isdigit()
    }
    for field in page._meta.get_fields():
        if hasattr(field, "extract_references"):
            value = field.value_from_object(page)
            if value is None:
                continue
            for model, object_id, _model_path, _content_path in field.extract_references(value):
                if issubclass(model, Asset) and str(object_id).isdigit():
                    ids.add(int(object_id))
    return ids


def videos_needing_captions(page):
    """The videos `page` uses without published French captions: (missing, drafts), the
    drafts as (video, its French draft caption)."""
    ids = referenced_asset_ids(page)
    if not ids:
        return [], []
    videos = (
        Asset.objects.filter(pk__in=ids, type="video")
        .exclude(
            pk__in=Caption.objects.published().filter(language=REQUIRED_CAPTION_LANGUAGE).values("asset_id")
        )
        .prefetch_related(
            Prefetch(
                "captions",
                queryset=Caption.objects.filter(
                    language=REQUIRED_CAPTION_LANGUAGE, status=CaptionStatus.DRAFT
                ),
                to_attr="french_drafts",
            )
        )
        .order_by("title")
    )
    missing, drafts = [], []
    for video in videos:
        if video.french_drafts:
            drafts.append((video, video.french_drafts[0]))
        else:
            missing.append(video)
    return missing, drafts


def _titles(videos):
    return ", ".join(_("“%(title)s”") % {"title": video.title} for video in videos)


def captions_warnings(page):
    """The warnings for `page` ((text, buttons) each): videos without French captions,
    and videos whose French captions are a draft visitors do not see yet."""
    missing, drafts = videos_needing_captions(page)
    warnings = []
    if missing:
        text = ngettext(
            "This page uses a video without French captions: %(titles)s. "
            "Deaf and hard-of-hearing visitors cannot follow it.",
            "This page uses videos without French captions: %(titles)s. "
            "Deaf and hard-of-hearing visitors cannot follow them.",
            len(missing),
        ) % {"titles": _titles(missing)}
        add_url = reverse(caption_viewset.get_url_name("add"))
        buttons = [
            messages.button(
                f"{add_url}?asset={video.pk}&language={REQUIRED_CAPTION_LANGUAGE}",
                _("Add captions to “%(title)s”") % {"title": video.title},
                new_window=True,
            )
            for video in missing[:3]
        ]
        warnings.append((text, buttons))
    if drafts:
        text = ngettext(
            "This page uses a video whose French captions are an automatic draft to review: %(titles)s. "
            "Visitors do not see them until an editor publishes them.",
            "This page uses videos whose French captions are automatic drafts to review: %(titles)s. "
            "Visitors do not see them until an editor publishes them.",
            len(drafts),
        ) % {"titles": _titles(video for video, _caption in drafts)}
        buttons = [
            messages.button(
                reverse(caption_viewset.get_url_name("edit"), args=[caption.pk]),
                _("Review the captions of “%(title)s”") % {"title": video.title},
                new_window=True,
            )
            for video, caption in drafts[:3]
        ]
        warnings.append((text, buttons))
    return warnings


def _expects_html(request):
    return request.accepts("text/html")


def _warn(request, page):
    for text, buttons in captions_warnings(page):
        rendered = messages.render(text, buttons)
        # After a save the warning is already waiting for the next page (often this same
        # edit view): checking membership does not consume the stored messages.
        if Message(message_levels.WARNING, rendered) in get_messages(request):
            continue
        messages.warning(request, text, buttons=buttons)


@hooks.register("before_edit_page")
def warn_on_edit(request, page):
    if request.method == "GET" and _expects_html(request):
        _warn(request, page)


@hooks.register("after_edit_page")
@hooks.register("after_create_page")
def warn_after_save(request, page):
    # Autosave (JSON) requests show no messages: the next full page load will.
    if _expects_html(request):
        _warn(request, page)
