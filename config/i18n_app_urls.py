"""Language-prefixed URLs of the apps (search page, cart, checkout, scan pages).

Each app adds one include line here.
"""

urlpatterns: list = []
