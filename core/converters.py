"""Path converters shared by every app's URLconf.

`<id:name>` is the converter for database ids in URLs: digits, at most the largest
value a BigAutoField holds. An id past that range can name no row, so the URL does
not match and the answer is 404, on every database (SQLite refuses such a number
with OverflowError, which would otherwise be a 500).
"""

from django.urls import register_converter
from django.urls.converters import get_converters

LARGEST_ID = 2**63 - 1


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value):
        number = int(value)
        if number > LARGEST_ID:
            raise ValueError("out of range")  # the pattern does not match: 404
        return number

    def to_url(self, value):
        return str(int(value))


def register():
    """Called by CoreConfig.ready(), which a test run may call again."""
    if "id" not in get_converters():
        register_converter(IdConverter, "id")
