from app.questionnaires import result_views  # noqa: F401
