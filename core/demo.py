"""Demo content of the core app: the home page at the root of the site."""

from wagtail.models import Page, Site

from .models import HomePage

HOME_INTRO = "Se former en ligne et garder le lien avec sa conseillère, à son rythme."
HOME_BODY = [
    {"type": "heading", "value": {"text": "Comment ça marche ?", "level": "h2"}},
    {
        "type": "paragraph",
        "value": (
            "<ul><li>Des MOOC de quatre semaines, environ deux heures par semaine.</li>"
            "<li>Des e-ateliers pour écrire son CV et utiliser les réseaux sociaux.</li>"
            "<li>Une conseillère qui suit vos progrès et répond à vos travaux.</li></ul>"
        ),
    },
]


def seed(out):
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's first migration leaves a "Welcome" page; Tremplin's home replaces it.
        for page in root.get_children().exclude(content_type__model="homepage"):
            page.delete()
        home = root.add_child(
            instance=HomePage(title="Tremplin", slug="accueil", intro=HOME_INTRO, body=HOME_BODY)
        )
        home.save_revision().publish()
        out("Page d'accueil créée.")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Tremplin"
        )
    elif site.root_page_id != home.pk or site.site_name != "Tremplin":
        site.root_page = home
        site.site_name = "Tremplin"
        site.save()
    return home
