"""Account writes shared by the registration page and the API."""
from django.contrib.auth import get_user_model
from django.db import transaction


@transaction.atomic
def register_user(*, username: str, email: str, password: str, first_name: str = "", last_name: str = ""):
    """Create an attendee account; the caller has already validated the fields."""
    user = get_user_model()(username=username, email=email, first_name=first_name, last_name=last_name)
    user.set_password(password)
    user.save()
    return user
