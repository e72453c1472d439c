"""StreamField blocks of the media app: a video with the accessible player."""

import mimetypes
import uuid

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtailmedia.blocks import VideoChooserBlock

from .models import ProcessingStatus

# The player's quality choices, best first, by the Asset field that stores each file.
VIDEO_QUALITIES = (("720", "rendition_720", "720p"), ("360", "rendition_360", "360p"))


def _language_names(code):
    """(own name, name in the visitor's language): "Français" for the browser's captions
    menu, "French" or "français" in the text around the player."""
    try:
        info = get_language_info(code)
    except KeyError:
        return code, code
    return info["name_local"].capitalize(), str(info["name_translated"])


def player_context(asset, *, language=None, caption="", transcript=""):
    """What templates/media/player.html needs to show `asset`.

    `language` is the visitor's (request.LANGUAGE_CODE): the captions track in that
    language is on by default. Only published captions are offered (never a draft);
    they are read from `asset.captions.all()`, so prefetch them when showing several
    videos (VideoBlock does).
    """
    language = language or get_language()
    context = {
        "asset": asset,
        "uid": uuid.uuid4().hex[:10],
        "caption": caption,
        "transcript": transcript,
        "status": getattr(asset, "status", None),
        "ready": False,
    }
    if asset is None:
        return context
    sources = [
        {"quality": quality, "label": label, "src": getattr(asset, field).url, "type": "video/mp4"}
        for quality, field, label in VIDEO_QUALITIES
        if getattr(asset, field)
    ]
    audio = None
    if asset.rendition_audio:
        audio = {
            "src": asset.rendition_audio.url,
            "type": mimetypes.guess_type(asset.rendition_audio.name)[0] or "audio/mp4",
        }
    tracks = []
    # An automatic draft is for editors only, until one of them publishes it.
    for caption_file in asset.published_captions():
        label, name = _language_names(caption_file.language)
        tracks.append(
            {
                "src": caption_file.file.url,
                "srclang": caption_file.language,
                "label": label,
                "name": name,
                "default": caption_file.language == language,
            }
        )
    # The visitor's language first, then the site's order of languages.
    order = [code for code, _name in settings.LANGUAGES]
    tracks.sort(
        key=lambda track: (
            not track["default"],
            order.index(track["srclang"]) if track["srclang"] in order else 99,
        )
    )
    context.update(
        {
            "ready": asset.status == ProcessingStatus.READY and asset.type == "video" and bool(sources),
            "sources": sources,
            "default_quality": sources[0]["quality"] if sources else None,
            "audio": audio,
            "tracks": tracks,
            "poster": asset.poster.url if asset.poster else "",
            "has_choice": len(sources) + bool(audio) > 1,
        }
    )
    return context


class VideoBlock(blocks.StructBlock):
    """A video of the media library, shown with Tremplin's accessible player."""

    video = VideoChooserBlock(label=_("Video"))
    caption = blocks.CharBlock(
        label=_("Caption"),
        required=False,
        max_length=255,
        help_text=_("Shown under the video, e.g. what it is about."),
    )
    transcript = blocks.TextBlock(
        label=_("Transcript"),
        required=False,
        help_text=_("The full text of what is said: useful without sound and on slow connections."),
    )

    class Meta:
        icon = "wagtailmedia-video"
        label = _("Video")
        template = "media/player.html"
        description = _(
            "A video from the media library, with captions, a choice of quality and an audio-only mode."
        )

    def bulk_to_python(self, values):
        structs = super().bulk_to_python(values)
        # One query for the captions of every video of the stream, not one per video.
        prefetch_related_objects([struct["video"] for struct in structs if struct.get("video")], "captions")
        return structs

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        context.update(
            player_context(
                value.get("video"),
                language=getattr(request, "LANGUAGE_CODE", None),
                caption=value.get("caption", ""),
                transcript=value.get("transcript", ""),
            )
        )
        return context
