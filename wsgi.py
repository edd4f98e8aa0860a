"""The gunicorn entry point: `gunicorn wsgi:app`.

Behind a reverse proxy, set LC_TRUSTED_PROXIES (how many set X-Forwarded-For) so rate limits
count visitors, not the proxy. With several workers or servers, set LC_RATELIMIT_STORAGE_URL
(redis://…, the `redis` extra): memory storage counts per process.
"""

from app import create_app

app = create_app()
