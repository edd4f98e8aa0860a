"""Every model, imported in one place so Alembic and create_app see the whole schema."""

from app.accounts.models import (  # noqa: F401
    Organisation,
    OrganisationMembership,
    User,
    UserContentLanguage,
)
from app.attachments.models import Attachment  # noqa: F401
from app.audit import models as audit_models  # noqa: F401, E402
from app.cities.models import City, CityLanguage, ModeratorAppointment  # noqa: F401
from app.consultations.models import (  # noqa: F401
    Consultation,
    ConsultationPhase,
    ResidentConfirmation,
)

# Each feature's models module (empty until the feature defines models).
from app.expenditures import models as expenditures_models  # noqa: F401, E402
from app.manifesto import models as manifesto_models  # noqa: F401, E402
from app.meetings import models as meetings_models  # noqa: F401, E402
from app.moderation import models as moderation_models  # noqa: F401, E402
from app.network import models as network_models  # noqa: F401, E402
from app.notifications.models import Follow, Notification, NotificationPreference  # noqa: F401
from app.observatory import models as observatory_models  # noqa: F401, E402
from app.operators import models as operators_models  # noqa: F401, E402
from app.pathway.models import (  # noqa: F401
    CityStep,
    PathwayStep,
    PathwayStepText,
    StepRecordEntry,
)
from app.practices import models as practices_models  # noqa: F401, E402
from app.privacy import models as privacy_models  # noqa: F401, E402
from app.projects import models as projects_models  # noqa: F401, E402
from app.proposals.models import Comment, Proposal  # noqa: F401
from app.questionnaires import models as questionnaires_models  # noqa: F401, E402
from app.results.models import MunicipalResponse, ResultSnapshot  # noqa: F401
from app.review.models import (  # noqa: F401
    AssessmentAnswer,
    ConsultationReviewer,
    ProposalAssessment,
)
from app.training import models as training_models  # noqa: F401, E402
from app.translations.models import (  # noqa: F401
    MachineTranslationJob,
    Translation,
    TranslationRequest,
)
from app.voting.models import Ballot, BallotItem, PaperBatch, Support, SupportQuota  # noqa: F401
