from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

ORGANISERS_GROUP = "Organisers"


class CaseInsensitiveUserManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(username__iexact=username)


class User(AbstractUser):
    """A person who buys tickets; organisers are users in the Organisers group with staff access."""

    email = models.EmailField(_("email address"))

    objects = CaseInsensitiveUserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_organiser(self):
        """Whether the user may create and run events (superusers always may)."""
        if self.is_superuser:
            return True
        return self.is_staff and self.groups.filter(name=ORGANISERS_GROUP).exists()

    def save(self, *args, **kwargs):
        self.email = User.objects.normalize_email(self.email).lower() if self.email else self.email
        super().save(*args, **kwargs)
