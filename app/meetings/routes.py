from app.meetings import _temp_stubs, feeds, upcoming  # noqa: F401
