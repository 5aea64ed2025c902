"""Development types: the immutable facts of a mediation effort (SPEC §2–3).

This package imports nothing from `tracker` or `projections`.
"""
