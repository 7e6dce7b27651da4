from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


class EmailOrUsernameBackend(ModelBackend):
    """Authenticate with either the username or the email address, both case-insensitive."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        user_model = get_user_model()
        # Usernames may contain "@", so one login can match one user's username and another's
        # email. Try each candidate (at most two), the username match first, so nobody can lock a
        # user out of email login by registering that email as a username.
        candidates = sorted(
            user_model.objects.filter(Q(username__iexact=username) | Q(email__iexact=username)),
            key=lambda candidate: candidate.username.lower() != username.lower(),
        )
        if not candidates:
            # Hash anyway so a missing account takes as long as a wrong password.
            user_model().set_password(password)
            return None
        for user in candidates:
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
        return None
