"""The web platform: pages and a JSON API over the store, county by county (issue #12).

``platform`` (the one store a server owns, and the views' cache), ``security`` (sessions,
CSRF, throttling, permissions), ``auth`` (signing in and out), ``views`` (what each page
shows, computed once under the user's scope), ``api`` and ``pages`` (the routes),
``errors`` (one error shape), ``app`` (the FastAPI application).
"""
