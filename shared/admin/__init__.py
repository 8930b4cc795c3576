"""Support tools: credit adjustments and job refunds, models, user stats, bans.

Kept free of imports: `shared.web.functions` imports `shared.admin.bans` for the ban check
on every callable, and must not pull in the rest of the admin area (or a cycle) with it.
Import the submodules directly.
"""
