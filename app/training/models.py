"""Training for municipal staff (step 3): courses of modules, and who completed which module.

Course and module texts are published by the association in the six interface locales: they are
data, stored per locale, read with a fallback (the reader's locale, then en, then it, then any).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User

FALLBACK_LOCALES = ("en", "it")
MAX_MODULE_MINUTES = 600


def _in_locale(texts, locale: str):
    by_locale = {text.locale: text for text in texts}
    for candidate in (locale, *FALLBACK_LOCALES):
        if candidate in by_locale:
            return by_locale[candidate]
    return next(iter(by_locale.values()), None)


class Course(db.Model):
    __tablename__ = "training_courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Fixed once created: the step records name the course by its slug.
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    published: Mapped[bool] = mapped_column(sa.Boolean, default=False, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    texts: Mapped[list[CourseText]] = relationship(
        back_populates="course", cascade="all, delete-orphan", lazy="selectin"
    )
    modules: Mapped[list[Module]] = relationship(
        back_populates="course",
        cascade="all, delete-orphan",
        order_by="[Module.position, Module.id]",
    )

    def text(self, locale: str) -> CourseText | None:
        return _in_locale(self.texts, locale)

    def __repr__(self) -> str:
        return f"<Course {self.slug}>"


class CourseText(db.Model):
    __tablename__ = "training_course_texts"
    __table_args__ = (sa.UniqueConstraint("course_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("training_courses.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(sa.String(8))
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text, default="")

    course: Mapped[Course] = relationship(back_populates="texts")


class Module(db.Model):
    __tablename__ = "training_modules"
    __table_args__ = (
        sa.CheckConstraint("position >= 1", name="position_positive"),
        sa.CheckConstraint(
            f"estimated_minutes >= 1 AND estimated_minutes <= {MAX_MODULE_MINUTES}",
            name="minutes_in_range",
        ),
        sa.CheckConstraint(
            "link_url IS NULL OR link_url LIKE 'http://%' OR link_url LIKE 'https://%'",
            name="link_http",
        ),
        sa.Index("ix_training_modules_course_id_position", "course_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("training_courses.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(sa.Integer)
    estimated_minutes: Mapped[int] = mapped_column(sa.Integer)
    link_url: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    course: Mapped[Course] = relationship(back_populates="modules")
    texts: Mapped[list[ModuleText]] = relationship(
        back_populates="module", cascade="all, delete-orphan", lazy="selectin"
    )

    def text(self, locale: str) -> ModuleText | None:
        return _in_locale(self.texts, locale)

    def __repr__(self) -> str:
        return f"<Module {self.id} of course {self.course_id}>"


class ModuleText(db.Model):
    __tablename__ = "training_module_texts"
    __table_args__ = (sa.UniqueConstraint("module_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("training_modules.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(sa.String(8))
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")

    module: Mapped[Module] = relationship(back_populates="texts")


class ModuleCompletion(db.Model):
    """A member of municipal staff marked a module done (one row per person and module)."""

    __tablename__ = "training_module_completions"
    __table_args__ = (sa.UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_modules.id", ondelete="CASCADE"), index=True
    )
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()
    module: Mapped[Module] = relationship()
