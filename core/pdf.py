"""HTML to PDF, the one way Tremplin writes PDFs (attestations, CVs): WeasyPrint, PDF/UA
(tagged: headings, lists, reading order; title and language taken from the document),
and no URL fetched but `data:` ones, whatever the HTML holds: it carries names and text
that people typed, and the templates need nothing from outside (system fonts)."""


def html_to_pdf(html):
    """The PDF of the HTML document `html`, as bytes."""
    # Imported here: WeasyPrint is large, and most processes never write a PDF.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"}))
    return document.write_pdf(pdf_variant="pdf/ua-1")
