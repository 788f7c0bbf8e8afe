"""Settings of the HTTP benchmark's server: the site's settings plus a bare view (bench/http.py).

Only ``bench/http.py`` uses this module (``DJANGO_SETTINGS_MODULE=bench.settings_http``): the
bare view, which touches no database, exists only here, never in the site's own URLs.
"""

from clustercollab.settings import *  # noqa: F403
from clustercollab.settings import STORAGES

ROOT_URLCONF = "bench.urls_http"
# Pages, not static-file hashing, are measured: no collectstatic manifest needed.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
