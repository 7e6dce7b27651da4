from ticketing.errors import DomainError


class NotAnOrganiser(DomainError):
    status_code = 403
    code = "not_organiser"
    default_message = "Only organisers can create events."
