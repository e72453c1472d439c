"""`{% video_player asset %}`: the player of templates/media/player.html outside a StreamField."""

from django import template

from media.blocks import player_context

register = template.Library()


@register.inclusion_tag("media/player.html", takes_context=True)
def video_player(context, asset, caption="", transcript=""):
    request = context.get("request")
    return player_context(
        asset,
        language=getattr(request, "LANGUAGE_CODE", None),
        caption=caption,
        transcript=transcript,
    )
