"""Test settings: fast hashing, local memory e-mail, immediate tasks, no network."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = False
SECRET_KEY = "test-only-not-secret-" + "y" * 40
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Stripe keys are set per test where needed; never a real key.
STRIPE_SECRET_KEY = ""
STRIPE_PUBLISHABLE_KEY = ""
STRIPE_WEBHOOK_SECRET = ""
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL")
# Each test process keeps its own in-memory cache (no files shared between runs).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
