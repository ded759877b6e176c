"""Import every model so that SQLAlchemy's metadata (and Alembic) sees the whole schema."""
from advocacy.audit.models import *  # noqa: F401,F403
from advocacy.auth.models import *  # noqa: F401,F403
from advocacy.pairings.models import *  # noqa: F401,F403
from advocacy.parliamentarians.models import *  # noqa: F401,F403
from advocacy.prisoners.models import *  # noqa: F401,F403
from advocacy.statements.models import *  # noqa: F401,F403
from advocacy.outbox.models import *  # noqa: F401,F403
from advocacy.reminders.models import *  # noqa: F401,F403
from advocacy.matching.models import *  # noqa: F401,F403
from advocacy.api.models import *  # noqa: F401,F403
from advocacy.feeds.models import *  # noqa: F401,F403
from advocacy.transfer.models import *  # noqa: F401,F403
from advocacy.public.models import *  # noqa: F401,F403
from advocacy.impact.models import *  # noqa: F401,F403
from advocacy.names.models import *  # noqa: F401,F403
from advocacy.staff_version import StaffDataVersion  # noqa: F401
