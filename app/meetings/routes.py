from app.meetings import feeds, upcoming  # noqa: F401
