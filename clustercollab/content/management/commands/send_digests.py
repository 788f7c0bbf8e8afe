"""manage.py send_digests: enqueue this week's digest e-mails (run it weekly, e.g. from cron)."""

from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from clustercollab.content.follows.services import digests_due
from clustercollab.content.follows.tasks import send_digest


class Command(BaseCommand):
    help = (
        "Enqueue one digest e-mail per member whose weekly digest is due. Each task sends "
        "nothing when the member unsubscribed or nothing new matches their follows."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        user_ids = digests_due()
        for user_id in tqdm(
            user_ids, desc="Digests", unit=" members", disable=options["verbosity"] < 1
        ):
            send_digest.enqueue(user_id=user_id)
        if options["verbosity"] > 0:
            self.stdout.write(f"digests enqueued: {len(user_ids)}")
