"""Demo accounts, all with the password DEMO_PASSWORD."""

from django.utils import timezone

from .models import Modality, Role, Team, User

DEMO_PASSWORD = "tremplin-demo"

# The demo accounts' addresses: every app's demo.py (and the README) uses these.
SEEKER_EMAIL = "demandeur@tremplin.test"
COUNSELLOR_EMAIL = "conseillere@tremplin.test"
EDITOR_EMAIL = "editrice@tremplin.test"
MANAGER_EMAIL = "responsable@tremplin.test"
ADMIN_EMAIL = "admin@tremplin.test"

DEMO_ACCOUNTS = [
    (SEEKER_EMAIL, "Karim", "Benali", Role.SEEKER),
    (COUNSELLOR_EMAIL, "Sophie", "Martin", Role.COUNSELLOR),
    (EDITOR_EMAIL, "Claire", "Dubois", Role.EDITOR),
    (MANAGER_EMAIL, "Nadia", "Lefèvre", Role.MANAGER),
    (ADMIN_EMAIL, "Alex", "Morel", Role.ADMIN),
]


def _account(email, first_name, last_name, role):
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email)
    user.first_name, user.last_name, user.role = first_name, last_name, role
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def seed(out):
    users = {email: _account(email, first, last, role) for email, first, last, role in DEMO_ACCOUNTS}
    seeker = users[SEEKER_EMAIL]
    counsellor = users[COUNSELLOR_EMAIL]
    manager = users[MANAGER_EMAIL]

    team, _ = Team.objects.get_or_create(name="Agence Lyon Part-Dieu", defaults={"manager": manager})
    if team.manager_id != manager.pk:
        team.manager = manager
        team.save(update_fields=["manager"])
    counsellor.counsellor_profile.team = team
    counsellor.counsellor_profile.save(update_fields=["team"])
    manager.counsellor_profile.team = team
    manager.counsellor_profile.save(update_fields=["team"])

    profile = seeker.seeker_profile
    profile.modality = Modality.GUIDE
    profile.counsellor = counsellor
    profile.save(update_fields=["modality", "counsellor"])
    if not profile.is_web:
        profile.validate_web(counsellor, now=timezone.now())

    out(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
    for email, *_names, role in DEMO_ACCOUNTS:
        out(f"  {email:<28} {Role(role).label}")
