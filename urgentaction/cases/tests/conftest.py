"""Staff clients for the cases' admin pages (the staff pages' own fixtures)."""

from urgentaction.staff.tests.conftest import (  # noqa: F401 (fixtures)
    campaigner_client,
    superuser_client,
)
