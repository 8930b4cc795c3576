"""Helpers shared by the tests: local servers, token signing, an HTTP caller, ids."""
