"""gunicorn reads this file from the folder it starts in (``gunicorn clustercollab.wsgi …``)."""


def post_worker_init(worker: object) -> None:
    # The worker's first directory or profile page need not build the per-process structures.
    from clustercollab.organisations.warm_up import warm_up_in_background

    warm_up_in_background()
