"""The web layer: the callable protocol, ID tokens, webhooks and event functions."""
