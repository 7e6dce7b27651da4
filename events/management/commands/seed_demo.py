"""Load demo data: an organiser, an attendee and upcoming events with several ticket types.

Running it again changes nothing that exists: users and events are looked up by username and slug.
"""
import datetime
import zoneinfo
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.groups import ensure_organisers_group
from events.models import Event
from events.services import create_event

DEMO_PASSWORD = "demo-pass-2026"

# Title, venue, location, days from today, currency, time zone, ticket types (name, price, capacity).
DEMO_EVENTS = [
    ("Lagos Jazz Night", "Freedom Park", "Lagos Island, Lagos", 10, "NGN", "Africa/Lagos",
     [("Regular", "5000.00", 200), ("VIP", "20000.00", 30), ("Table for four", "70000.00", 5)]),
    ("Accra Tech Summit", "Accra International Conference Centre", "Accra", 21, "GHS", "Africa/Accra",
     [("Standard", "350.00", 500), ("Student", "100.00", 100)]),
    ("Nairobi Startup Mixer", "iHub", "Nairobi", 14, "KES", "Africa/Nairobi",
     [("Early bird", "1500.00", 50), ("Regular", "2500.00", 150)]),
    ("Cape Town Food Festival", "V&A Waterfront", "Cape Town", 30, "ZAR", "Africa/Johannesburg",
     [("Day pass", "250.00", 1000), ("Weekend pass", "420.00", 400), ("Chef's table", "1800.00", 20)]),
    ("Abuja Book Fair", "Transcorp Hilton", "Abuja", 45, "NGN", "Africa/Lagos",
     [("Visitor", "2000.00", 800), ("Author meet-and-greet", "7500.00", 60)]),
    ("Django Developers Meet-up", "Co-Creation Hub", "Yaba, Lagos", 7, "NGN", "Africa/Lagos",
     [("Free entry", "0.00", 80), ("Supporter", "3000.00", 40)]),
]
DEMO_START_TIME = datetime.time(18, 0)
DEMO_DURATION = datetime.timedelta(hours=4)


class Command(BaseCommand):
    help = "Create demo users and upcoming events. Safe to run more than once."

    @transaction.atomic
    def handle(self, *args, **options):
        organiser = self._user("organiser", "organiser@example.com", "Ada", "Organiser", staff=True)
        organiser.groups.add(ensure_organisers_group())
        self._user("attendee", "attendee@example.com", "Tunde", "Attendee", staff=False)

        today = timezone.now().date()
        created = 0
        for title, venue, location, days_ahead, currency, time_zone, types in DEMO_EVENTS:
            slug = title.lower().replace(" ", "-").replace("'", "")
            if Event.objects.filter(slug=slug).exists():
                continue
            # 18:00 on the day in the event's own zone, as an organiser there would set it.
            starts_at = datetime.datetime.combine(
                today + datetime.timedelta(days=days_ahead), DEMO_START_TIME, tzinfo=zoneinfo.ZoneInfo(time_zone),
            )
            create_event(
                organiser=organiser, slug=slug, title=title, venue=venue, location=location,
                description=f"{title} at {venue}. A demo event: payments go through the sandbox.",
                starts_at=starts_at, ends_at=starts_at + DEMO_DURATION, currency=currency, time_zone=time_zone,
                status=Event.Status.PUBLISHED,
                ticket_types=[
                    {"name": name, "price": Decimal(price), "capacity": capacity}
                    for name, price, capacity in types
                ],
            )
            created += 1

        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new events)."))
        self.stdout.write(f"  Organiser (admin at /admin/): organiser / {DEMO_PASSWORD}")
        self.stdout.write(f"  Attendee: attendee / {DEMO_PASSWORD}")

    def _user(self, username, email, first_name, last_name, *, staff):
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={"email": email, "first_name": first_name, "last_name": last_name, "is_staff": staff},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user
