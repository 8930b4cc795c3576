"""Local development: the all-in-one dev server, its scheduler and dev ID tokens."""
