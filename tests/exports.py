"""Reading a person's export archive (core.data_export) as the tests see it."""

import io
import json
import zipfile

from core.data_export import DATA_NAME


def archive_of(response):
    """The ZIP archive a download of /compte/mes-donnees/ returned."""
    assert response.status_code == 200, response.status_code
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def exported(response):
    """The JSON part of the archive: {"exported_at", "data", "files", "missing_files"}."""
    return json.loads(archive_of(response).read(DATA_NAME))
