"""What a web worker builds once before its first directory or profile page.

Each process keeps, current with the database, the directory's index (``directory_index.py``,
with the similar-organisations box's columns derived from it), the partner graph
(``matching.recommend``) and the profiles' vectors (``matching.index``). Built on first use they
would make one visitor wait a second or more; ``gunicorn.conf.py`` builds them in a background
thread as each worker starts, and a request arriving meanwhile waits only for what is left.
"""

import logging
import threading
import time

from django.db import connections

logger = logging.getLogger(__name__)


def warm_up(using: str = "default") -> None:
    """Build this process's directory index, partner graph and vectors now."""
    from clustercollab.matching.recommend import partner_graph
    from clustercollab.matching.selectors import vectors_ready
    from clustercollab.organisations.directory_index import directory_index
    from clustercollab.organisations.similar import prepare_candidate_pools

    prepare_candidate_pools(directory_index(using))
    partner_graph()
    vectors_ready("organisation")


def warm_up_in_background() -> threading.Thread:
    """``warm_up`` in a daemon thread, which closes its database connections when done."""

    def run() -> None:
        started = time.monotonic()
        try:
            warm_up()
        except Exception:
            # A worker serves anyway: what failed here is built on first use.
            logger.exception("warm-up failed")
        else:
            logger.info("warm-up done in %.1f s", time.monotonic() - started)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name="warm-up", daemon=True)
    thread.start()
    return thread
