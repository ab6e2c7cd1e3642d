"""Write each automatic source's figure for the months not measured yet.

Run monthly by cron (see README), early in the month: it measures every month from
the source's first record to the month just ended that has no figure yet, so the
first run fills in the past and a second run writes nothing more. `--month AAAA-MM`
measures that month again, replacing its figure."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from actions.models import ComputedMeasurement
from actions.sources import Month, first_month, registered_sources


class Command(BaseCommand):
    help = "Store the monthly figures of the indicators' automatic sources."

    def add_arguments(self, parser):
        parser.add_argument(
            "--month", help="AAAA-MM: measure this month again, replacing its figures."
        )

    def handle(self, *args, month=None, **options):
        sources = registered_sources()
        if month:
            try:
                chosen = Month.parse(month)
            except ValueError:
                raise CommandError("--month takes a month as AAAA-MM, e.g. 2026-03.") from None
            for source in sources.values():
                self.store(source, chosen)
            self.stdout.write(f"{len(sources)} figure(s) written for {chosen}.")
            return
        current = Month.of(timezone.localdate())
        written = 0
        for source in sources.values():
            start = first_month(source.first_record())
            if start is None:
                continue
            done = set(
                ComputedMeasurement.objects.filter(source=source.key).values_list(
                    "month", flat=True
                )
            )
            measured = start
            while measured.first_day < current.first_day:
                if measured.first_day not in done:
                    self.store(source, measured)
                    written += 1
                measured = measured.next()
        self.stdout.write(f"{written} figure(s) written.")

    @staticmethod
    def store(source, month):
        with transaction.atomic():
            ComputedMeasurement.objects.update_or_create(
                source=source.key,
                month=month.first_day,
                defaults={"value": source.measure(month)},
            )
