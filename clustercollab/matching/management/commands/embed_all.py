from django.core.management.base import BaseCommand, CommandError, CommandParser

from clustercollab.matching.services import embed_kind
from clustercollab.matching.texts import KINDS


class Command(BaseCommand):
    help = (
        "Embed every public profile, post, call, event, news item and success story whose text "
        "changed since it was last embedded (resumes where an interrupted run stopped)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--kind", action="append", choices=sorted(KINDS), help="Only this kind (repeatable)."
        )
        parser.add_argument("--batch-size", type=int, default=64)
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the work for the task worker and return at once.",
        )

    def handle(self, *args: object, **options: object) -> None:
        batch_size = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if options["enqueue"]:
            from clustercollab.matching.tasks import embed_all

            result = embed_all.enqueue(kinds=options["kind"], batch_size=batch_size)
            self.stdout.write(f"Queued the embedding as task {result.id}.")
            return
        for kind in options["kind"] or list(KINDS):
            result = embed_kind(kind, batch_size=batch_size, show_progress=options["verbosity"] > 0)
            self.stdout.write(
                f"{kind}: {result['public']} public, {result['embedded']} embedded, "
                f"{result['removed']} removed"
            )
