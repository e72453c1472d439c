from core import privacy


def export_account(user):
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": user.role,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }
    profile = getattr(user, "seeker_profile", None) if user.is_seeker else None
    if profile is not None:
        data["seeker_profile"] = {
            "modality": profile.modality,
            "counsellor": str(profile.counsellor) if profile.counsellor else None,
            "web_volunteered_at": profile.web_volunteered_at,
            "web_validated_at": profile.web_validated_at,
            "web_validated_by": str(profile.web_validated_by) if profile.web_validated_by else None,
        }
    return data


# The profile rows go with the user row (on_delete=CASCADE): nothing else to erase.
privacy.register("account", export=export_account)
