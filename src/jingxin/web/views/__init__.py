"""What each page and API route shows, computed once per request from the store.

Each view is a function ``(store, scope or none, parameters) -> dict`` whose result carries
its tables and its charts' ECharts options, so a page costs one computation (cached by
:class:`jingxin.web.platform.ViewCache` under the caller's scope) and the API answers the
same dict. Aggregate views (:mod:`.aggregates`) show what the bureau publishes — the city's
and every county's totals — to every user; enterprise views (:mod:`.enterprises`) read
under the user's scope through the store's query boundary.
"""
