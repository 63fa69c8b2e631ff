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
# Off by default (tests change rows with factories and read pages again); tests/cms turn it on.
PAGE_CACHE_ENABLED = False
PAGE_CACHE_CLOCK_SKEW = 0.0
# Django's test client signs in without a request, which django-axes refuses: the lockout is
# switched on by the tests that exercise it (tests/security/test_sign_in_lockout.py).
AXES_ENABLED = False
# Rate limits stay out of other tests' way; tests/security/test_throttle.py sets its own.
RATE_LIMITS = dict.fromkeys(
    ("report", "checkout", "cart", "search", "scan", "password-reset", "registration"),
    (1_000_000, 60),
)
# Immediate tasks; a factory's repeated index tasks for one object run once (tests/coalesced_tasks.py).
TASKS = {"default": {"BACKEND": "tests.coalesced_tasks.CoalescingImmediateBackend"}}
