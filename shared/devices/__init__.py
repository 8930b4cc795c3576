"""A user's devices: the registry (capabilities, heartbeats, online at read time) and the
encrypted relay between them. `registry` and `relay` hold the services."""
