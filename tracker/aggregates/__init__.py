"""Aggregates: the consistency boundaries that decide whether a development may be recorded."""
