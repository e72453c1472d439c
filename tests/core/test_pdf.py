"""core.pdf: the one HTML-to-PDF path fetches no URL, whatever the HTML holds."""

import http.server
import io
import threading

import pytest
from pypdf import PdfReader

from core.pdf import html_to_pdf


@pytest.fixture
def server():
    """A real HTTP server on a free local port that records what it is asked for."""
    asked = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", asked
    httpd.shutdown()
    httpd.server_close()


def test_no_url_is_fetched_but_the_document_is_written(server):
    base, asked = server
    html = f"""<!doctype html><html lang="fr"><head><title>Attestation</title>
        <link rel="stylesheet" href="{base}/style.css">
        <style>@import url("{base}/import.css"); body {{ background: url("{base}/bg.png") }}</style>
        </head><body><h1>Réussir son CV</h1><img src="{base}/x.png" alt="">
        <img src="file:///etc/passwd" alt=""></body></html>"""
    pdf = html_to_pdf(html)
    assert asked == []
    reader = PdfReader(io.BytesIO(pdf))
    assert "Réussir son CV" in reader.pages[0].extract_text()
    # PDF/UA: tagged, with the document's title and language.
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert reader.metadata.title == "Attestation"
