from django.core.management.base import BaseCommand

from follow.digests import send_digests


class Command(BaseCommand):
    help = (
        "Queue the subscriptions' digests that are due: the agenda's and the associations' "
        "once a week, the plan's summary once a month. Run it daily from cron: a digest is "
        "sent once per subscription and period, whatever the number of runs."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{send_digests()} digest(s) queued.")
