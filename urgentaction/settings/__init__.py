"""Settings for Urgent Action, read from environment variables: the site's (base.py) and
the product's own (product.py).

Every variable is listed in ``.env.example`` and the README; a test fails when one is not.
"""

from urgentaction.settings.base import *  # noqa: F403
from urgentaction.settings.product import *  # noqa: F403
