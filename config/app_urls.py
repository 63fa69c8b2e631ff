"""URLs without a language prefix (GS1 Digital Link resolver, webhooks, JSON APIs).

Each app adds one include line here.
"""

urlpatterns: list = []
