"""Recovery of store events webhooks may have missed, through the same idempotent handlers.

- `job.recover_missed_events`: a scheduled, resumable replay of Apple's notification history
  and Stripe's event list since the last run (state in `ops_state/recover_missed_events`).
- `resync.resync_object`: one Stripe object, Apple subscription or Play token, on demand.
"""
