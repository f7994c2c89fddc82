"""The API benchmark's part inside a site (a Django process, in the site's environment).

``python benchmarks/api.py prepare FILE`` makes an API key with the read scope, as
``manage.py create_api_key NAME --scopes read`` does, and writes to FILE as JSON what
measure_api.py asks the site for: the key, the paths of the demo campaign's first page of
letters and of a page DEEP of the way through them (by a cursor, as a client that walks
them gets one), how many letters there are, and how the database plans each page's query
(EXPLAIN QUERY PLAN).
"""

import json
import sys
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
# Where the deep page starts: this share of the campaign's letters lies before it.
DEEP = 0.9
# A page as a client reads it by default.
LIMIT = 100


def prepare(output: Path) -> None:
    import django

    django.setup()
    from django.db import connection

    from urgentaction.actions.models import Action
    from urgentaction.api.cursor import Position, make_cursor
    from urgentaction.api.keys import create_key
    from urgentaction.api.pages import letters_page
    from urgentaction.campaigns.demo import DEMO_SLUG
    from urgentaction.campaigns.models import Campaign

    campaign = Campaign.objects.get(slug=DEMO_SLUG)
    _key, secret = create_key(name=f"benchmark {output.stem}", scopes=["read"])
    letters = Action.objects.filter(campaign=campaign).order_by("updated_at", "pk")
    count = letters.count()
    if not count:
        raise RuntimeError("the demo campaign has no letters to list")
    updated_at, pk = letters.values_list("updated_at", "pk")[int((count - 1) * DEEP)]
    after = Position(updated_at, pk)
    path = f"/api/v1/campaigns/{DEMO_SLUG}/actions"
    deep = urlencode({"cursor": make_cursor(after, campaign_id=campaign.pk), "limit": LIMIT})
    plans = {}
    for name, position in (("first", None), ("deep", after)):
        page = letters_page(campaign, since=None, after=position, limit=LIMIT + 1, personal=False)
        sql, params = page.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plans[name] = "; ".join(str(row[-1]) for row in cursor.fetchall())
    output.write_text(
        json.dumps(
            {
                "key": secret,
                "first": f"{path}?limit={LIMIT}",
                "deep": f"{path}?{deep}",
                "letters": count,
                "plans": plans,
            }
        )
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if len(sys.argv) == 3 and sys.argv[1] == "prepare":
        prepare(Path(sys.argv[2]))
    else:
        sys.exit("usage: python benchmarks/api.py prepare FILE")
