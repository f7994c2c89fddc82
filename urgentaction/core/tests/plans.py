"""How the database plans a query, to check that an index serves it."""

import uuid

from django.db import connection


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    return explain(sql, params)


def explain(sql: str, params) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def generic_plan(sql: str, params) -> str:
    """PostgreSQL's plan of ``sql`` made once for any values of its parameters: the plan
    it keeps for a prepared statement it runs often (the settings prepare them)."""
    name = f"generic_{uuid.uuid4().hex}"
    numbered = sql % tuple(f"${number}" for number in range(1, len(params) + 1))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute(f"PREPARE {name} AS {numbered}")
        cursor.execute(f"EXPLAIN EXECUTE {name}({', '.join(['NULL'] * len(params))})")
        text = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"DEALLOCATE {name}")
    return text
