from wagtail.users.apps import WagtailUsersAppConfig


class TremplinUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with the role field of Tremplin's user model."""

    user_viewset = "accounts.viewsets.UserViewSet"
