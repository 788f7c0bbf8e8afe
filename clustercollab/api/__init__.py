"""The REST API's plumbing, shared by every app's ``api.py`` (mounted under /api/v1/).

- Errors: every error answers ``{"status", "code", "message", "errors"}`` (errors.py); document
  them with ``ERROR_RESPONSES`` / ``ErrorSerializer`` from schema.py.
- Lists: page-number pagination (``page``, ``page_size`` 1–100); a page past the end, a bad page
  or page size is a 400 (pagination.py). Counts are cached for a minute per filter combination.
- Filters: a django-filter FilterSet per list; ``filter_backends = STRICT_FILTER_BACKENDS``
  (filtering.py) also answers 400 for an unknown parameter.
- Access: read-only for everyone; members authenticate with a personal token
  (``Authorization: Bearer <token>``, authentication.py; tokens live in accounts) or their
  session. Anonymous clients and members have their own rates (throttling.py, settings
  ``API_THROTTLE_ANON`` and ``API_THROTTLE_MEMBER``, "off" to disable).
- Documentation: OpenAPI at /api/schema/, Swagger UI at /api/docs/ (from the sidecar package).
"""
