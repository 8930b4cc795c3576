"""The common library of every function: domain services, the store port and the web layer."""

VERSION = "0.1.0"
