"""tracker: an event-sourced tracker of diplomatic mediation efforts (the write side and CLI)."""

__version__ = "0.1.0"
