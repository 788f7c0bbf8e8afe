"""Matchmaking events with B2B meetings.

Flow: staff create an event (and may give organisations organiser rights) → organisers add
sessions, meeting blocks (which generate slots), tables or virtual rooms, participant types and
the request matrix → organisations apply (eligibility checked from their profile data, late
applications flagged) → organisers select, put on the reserve list or reject in bulk →
participants request meetings.

Two scheduling modes:
- participants pick slots: a request holds a slot and a table at once (``services._book``,
  row locks + unique constraints); declining, cancelling or expiry frees them;
- organisers schedule: accepted requests go to the scheduler package
  (``clustercollab.matchmaking.scheduling``) through ``agenda.py``: schedule all (a background
  task, ``tasks.run_scheduler``, one ``SchedulingRun`` at a time per event, its progress polled
  by the organiser's page) → draft with warnings → lock → publish → each participant is
  e-mailed what changed for them; the next run keeps locked meetings and disturbs the published
  agenda as little as possible.

Run ``manage.py matchmaking_housekeeping`` every few minutes (cron): it expires unanswered
requests and queues reminders 24 hours before meetings.
"""
