"""The read side: catch-up from the event log into read-model tables, and the queries.

It reads events through the library's recorder and mapper and never imports `tracker`.
"""
