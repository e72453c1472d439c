# HomePage.body: rich text becomes a StreamField (headings, paragraphs, videos).
#
# The rich text of the page and of its revisions is converted first, while the column
# is still text: every <h2>/<h3> becomes a heading block, the HTML between them a
# paragraph block. Then the column becomes JSON (PostgreSQL casts the text to jsonb,
# so every row must already hold valid JSON). Backwards, the stream is written back as
# HTML (videos cannot be: they are dropped).

import html
import json
import re
import uuid

import wagtail.fields
from django.db import migrations

HEADING = re.compile(r"<(h[23])\b[^>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
TAG = re.compile(r"<[^>]+>")


def html_to_stream(source):
    if not source:
        return []
    if isinstance(source, list):
        return source
    stripped = source.strip()
    if stripped.startswith("["):
        try:
            return json.loads(stripped)  # already a stream
        except ValueError:
            pass
    blocks = []

    def paragraph(fragment):
        if fragment.strip():
            blocks.append({"type": "paragraph", "value": fragment.strip(), "id": str(uuid.uuid4())})

    position = 0
    for match in HEADING.finditer(source):
        paragraph(source[position : match.start()])
        text = html.unescape(TAG.sub("", match.group(2))).strip()[:120]
        if text:
            blocks.append(
                {"type": "heading", "value": {"text": text, "level": match.group(1).lower()}, "id": str(uuid.uuid4())}
            )
        position = match.end()
    paragraph(source[position:])
    return blocks


def stream_to_html(stream):
    if isinstance(stream, str):
        try:
            stream = json.loads(stream) if stream.strip() else []
        except ValueError:
            return stream  # already HTML
    parts = []
    for block in stream or []:
        if block.get("type") == "heading":
            level = "h3" if block["value"].get("level") == "h3" else "h2"
            parts.append(f"<{level}>{html.escape(block['value'].get('text', ''))}</{level}>")
        elif block.get("type") == "paragraph":
            parts.append(block["value"])
    return "".join(parts)


def _revisions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    content_type = ContentType.objects.filter(app_label="core", model="homepage").first()
    if content_type is None:
        return Revision.objects.none()
    return Revision.objects.filter(content_type=content_type)


def forwards(apps, schema_editor):
    HomePage = apps.get_model("core", "HomePage")
    for page in HomePage.objects.all():
        page.body = json.dumps(html_to_stream(page.body))
        page.save(update_fields=["body"])
    for revision in _revisions(apps):
        if "body" in revision.content:
            revision.content["body"] = json.dumps(html_to_stream(revision.content["body"]))
            revision.save(update_fields=["content"])


def backwards(apps, schema_editor):
    HomePage = apps.get_model("core", "HomePage")
    for page in HomePage.objects.all():
        page.body = stream_to_html(page.body)
        page.save(update_fields=["body"])
    for revision in _revisions(apps):
        if "body" in revision.content:
            revision.content["body"] = stream_to_html(revision.content["body"])
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0001_initial'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name='homepage',
            name='body',
            field=wagtail.fields.StreamField([('heading', 2), ('paragraph', 3), ('video', 7)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'label': 'Text', 'max_length': 120}), 1: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('h2', 'Section (h2)'), ('h3', 'Subsection (h3)')], 'help_text': 'A subsection must follow a section: do not skip levels.', 'label': 'Level'}), 2: ('wagtail.blocks.StructBlock', [[('text', 0), ('level', 1)]], {}), 3: ('core.blocks.ParagraphBlock', (), {'features': ['bold', 'italic', 'ol', 'ul', 'link']}), 4: ('wagtailmedia.blocks.VideoChooserBlock', (), {'label': 'Video'}), 5: ('wagtail.blocks.CharBlock', (), {'help_text': 'Shown under the video, e.g. what it is about.', 'label': 'Caption', 'max_length': 255, 'required': False}), 6: ('wagtail.blocks.TextBlock', (), {'help_text': 'The full text of what is said: useful without sound and on slow connections.', 'label': 'Transcript', 'required': False}), 7: ('wagtail.blocks.StructBlock', [[('video', 4), ('caption', 5), ('transcript', 6)]], {})}, verbose_name='body'),
        ),
    ]
