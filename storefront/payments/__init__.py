"""Payment methods behind one small interface (`base.py`): the gateways and the checkout's
lookups (`gateways.py`), every Stripe call (`stripe_api.py`), its webhook handler
(`webhooks.py`), the VietQR payload (`vietqr.py`). The package itself imports nothing, so
`orders` may use `stripe_api` while the gateways use `orders`.
"""
