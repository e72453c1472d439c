import factory

from accounts.models import Modality, Role, Team, User

PASSWORD = "un-mot-de-passe-solide"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.test")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    role = Role.SEEKER
    password = factory.django.Password(PASSWORD)


class SeekerFactory(UserFactory):
    """A job seeker; pass `counsellor=` and `modality=` to place them in a portfolio."""

    role = Role.SEEKER

    @factory.post_generation
    def counsellor(self, create, extracted, **kwargs):
        if extracted is not None:
            self.seeker_profile.counsellor = extracted
            self.seeker_profile.save(update_fields=["counsellor"])

    @factory.post_generation
    def modality(self, create, extracted, **kwargs):
        if extracted is not None:
            self.seeker_profile.modality = Modality(extracted)
            self.seeker_profile.save(update_fields=["modality"])


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Agence {n}")


class CounsellorFactory(UserFactory):
    role = Role.COUNSELLOR

    @factory.post_generation
    def team(self, create, extracted, **kwargs):
        if extracted is not None:
            self.counsellor_profile.team = extracted
            self.counsellor_profile.save(update_fields=["team"])


class ManagerFactory(CounsellorFactory):
    role = Role.MANAGER


class EditorFactory(UserFactory):
    role = Role.EDITOR
