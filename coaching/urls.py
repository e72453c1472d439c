from django.urls import path

from .views import dashboard, exports, portfolio, reviews, seekers

app_name = "coaching"

urlpatterns = [
    # The seeker's side.
    path("mon-parcours/", dashboard.dashboard, name="dashboard"),
    path("mon-parcours/demande/", dashboard.make_request, name="make_request"),
    # The counsellor's (and team manager's) side.
    path("portefeuille/", portfolio.portfolio, name="portfolio"),
    path("portefeuille/assigner/", portfolio.bulk_assign, name="bulk_assign"),
    path("portefeuille/ajouter/", portfolio.add_seeker, name="add_seeker"),
    path("portefeuille/export.csv", exports.portfolio_csv, name="portfolio_csv"),
    path("portefeuille/modules/", exports.module_summary, name="module_summary"),
    path("portefeuille/relectures/", reviews.review_queue, name="review_queue"),
    path("portefeuille/demandeurs/<id:seeker_id>/", seekers.seeker, name="seeker"),
    path("portefeuille/demandeurs/<id:seeker_id>/notes/", seekers.add_note, name="add_note"),
    path("portefeuille/demandeurs/<id:seeker_id>/contacts/", seekers.add_contact, name="add_contact"),
    path("portefeuille/demandeurs/<id:seeker_id>/assigner/", seekers.assign, name="assign"),
    path(
        "portefeuille/demandeurs/<id:seeker_id>/affectations/<id:assignment_id>/annuler/",
        seekers.cancel_assignment,
        name="cancel_assignment",
    ),
    path("portefeuille/demandeurs/<id:seeker_id>/web/", seekers.validate_web, name="validate_web"),
    path("portefeuille/demandeurs/<id:seeker_id>/conseiller/", seekers.reassign, name="reassign"),
    path(
        "portefeuille/demandeurs/<id:seeker_id>/demandes/<id:request_id>/traitee/",
        seekers.handle_request,
        name="handle_request",
    ),
]
