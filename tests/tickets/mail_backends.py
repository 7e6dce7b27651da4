"""Mail backends for tests: one that always fails, like a provider that is down."""
from django.core.mail.backends.base import BaseEmailBackend


class FailingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail provider refused the connection")
