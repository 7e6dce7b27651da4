"""The base of every domain exception that services raise.

Each subclass carries its HTTP status so the API exception handler and the page views translate it in
one place. Apps define their own subclasses in `<app>/exceptions.py`.
"""


class DomainError(Exception):
    """A rule of the product was broken; the message is safe to show to the user."""

    status_code = 400
    code = "invalid"
    default_message = "The request could not be completed."

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(self.message)
