"""Permission cases of the training routes (merged by tests/auth/test_permissions.py).

Everyone reads the published courses; municipal moderators (of any city) mark modules done; only
the association admin writes courses and modules.
"""

from tests.matrix import Case, admin_only, everyone, only
from tests.training.factories import course, course_form, module_form

# Municipal moderators of any city; the other signed-in visitors are refused.
MODERATORS = only({"moderator_here": 302, "moderator_elsewhere": 302})


def _module_url(world, action: str) -> str:
    module = course(modules=2).modules[0]
    return f"/training/modules/{module.id}/{action}"


CASES: dict[str, Case] = {
    "training.index": Case("GET", lambda w: "/training/", everyone(200)),
    "training.course": Case("GET", lambda w: f"/training/courses/{course().slug}", everyone(200)),
    "training.complete_module": Case(
        "POST", lambda w: _module_url(w, "done"), MODERATORS, login_redirect=True
    ),
    "training.undo_module": Case(
        "POST", lambda w: _module_url(w, "undone"), MODERATORS, login_redirect=True
    ),
    "training.new_course": Case(
        "POST",
        lambda w: "/training/courses/new",
        admin_only(302),
        data=lambda w: course_form(),
        login_redirect=True,
    ),
    "training.edit_course": Case(
        "POST",
        lambda w: f"/training/courses/{course().slug}/edit",
        admin_only(302),
        data=lambda w: course_form(published="y"),
        login_redirect=True,
    ),
    "training.new_module": Case(
        "POST",
        lambda w: f"/training/courses/{course().slug}/modules/new",
        admin_only(302),
        data=lambda w: module_form(),
        login_redirect=True,
    ),
    "training.edit_module": Case(
        "POST",
        lambda w: _module_url(w, "edit"),
        admin_only(302),
        data=lambda w: module_form(position="2"),
        login_redirect=True,
    ),
}
