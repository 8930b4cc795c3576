"""Scheduled jobs' logic (one module per job family; entry points live in functions/).

Each job is idempotent and resumable: running it twice, or two runs racing, settles nothing
twice, and a job that stops half-way continues from its token in `ops_state/{job}`.
"""
