"""Every model, imported in one place so Alembic and create_app see the whole schema."""

from app.accounts.models import (  # noqa: F401
    Organisation,
    OrganisationMembership,
    User,
    UserContentLanguage,
)
from app.cities.models import City, CityLanguage, ModeratorAppointment  # noqa: F401
from app.consultations.models import Consultation  # noqa: F401
from app.pathway.models import CityStep, PathwayStep, PathwayStepText  # noqa: F401
