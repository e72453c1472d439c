from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .models import Role


class RoleFieldMixin(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.SEEKER)


class TremplinUserCreationForm(RoleFieldMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | {"role"}


class TremplinUserEditForm(RoleFieldMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | {"role"}


class UserViewSet(WagtailUserViewSet):
    """Wagtail's user admin, where administrators also choose each person's role."""

    def get_form_class(self, for_update=False):
        return TremplinUserEditForm if for_update else TremplinUserCreationForm
