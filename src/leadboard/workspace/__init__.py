"""The job seeker's own data, kept on this machine: saved searches (and their feeds), later the
alerts they send and the application tracker.

- ``store.py``: ``Workspace``, the one owner of the workspace tables (``saved_searches``,
  ``alert_deliveries``, ``saved_jobs``, ``application_events``); SQL only there.
- ``searches.py``: what a saved search matches now, what is new since its owner last looked.
- ``feeds.py``: a saved search as an Atom feed.
"""
