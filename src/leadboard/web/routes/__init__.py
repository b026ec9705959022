"""The web app's routes, one ``APIRouter`` per area, included by ``app.create_app``:

- ``search``: the search page (``/``) and ``/api/v1/search``, ``/api/v1/facets``;
- ``jobs``: a job's page and ``/api/v1/jobs/{id}``;
- ``match``: résumé matching, page and ``/api/v1/match``;
- ``insights``: the market pages;
- ``docs``: Swagger UI from local assets.

Each route reads its parameters, asks the ``Site`` (``web/site.py``) and answers; the work is in
``search/``, ``match/`` and ``insights/``.
"""
