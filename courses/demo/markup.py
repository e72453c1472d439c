"""The markup of the demo's lessons and quizzes (courses.demo.content) turned into
StreamField blocks, in their raw form."""

import re

from django.utils.html import escape

from .content import QUIZ_INTRO


def _inline(text):
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escape(text))


def body(markup):
    """StreamField blocks (raw form) of a lesson written in the markup of courses.demo.content."""
    blocks, html, items = [], [], []

    def flush_list():
        if items:
            html.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
            items.clear()

    def flush():
        flush_list()
        if html:
            blocks.append({"type": "paragraph", "value": "".join(html)})
            html.clear()

    for line in markup.strip().splitlines():
        line = line.strip()
        if line.startswith("## "):
            flush()
            blocks.append({"type": "heading", "value": {"text": line[3:], "level": "h2"}})
        elif line.startswith("!"):
            flush()
            kind, _space, rest = line[1:].partition(" ")
            title, _bar, text = rest.partition(" | ")
            value = {"kind": kind, "title": title, "text": f"<p>{_inline(text)}</p>"}
            blocks.append({"type": "callout", "value": value})
        elif line.startswith("- "):
            items.append(_inline(line[2:]))
        elif line:
            flush_list()
            html.append(f"<p>{_inline(line)}</p>")
    flush()
    return blocks


def quiz(number, questions):
    """The blocks of week `number`'s quiz: an introduction, then the quiz."""
    parsed = []
    for text, answers in questions:
        rows = []
        for answer in answers:
            answer_text, _bar, feedback = answer[1:].partition(" | ")
            rows.append({"text": answer_text, "correct": answer[0] == "+", "feedback": feedback})
        parsed.append({"text": text, "multiple": sum(row["correct"] for row in rows) > 1, "answers": rows})
    value = {
        "title": f"Quiz de la semaine {number}",
        "pass_mark": 60 if len(parsed) > 2 else 70,
        "questions": parsed,
    }
    return [{"type": "paragraph", "value": f"<p>{escape(QUIZ_INTRO)}</p>"}, {"type": "quiz", "value": value}]


def html_list(items):
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"
