"""Look for a piece of personal data everywhere Tremplin keeps things: every key of the
test's Redis database (RQ job hashes decompressed) and every column of every table."""

import zlib

import django_rq
from django.db import connection


def _readable(value):
    """The bytes of `value`, and their zlib-decompressed form (RQ's job data)."""
    if isinstance(value, str):
        value = value.encode()
    try:
        return value, zlib.decompress(value)
    except zlib.error:
        return (value,)


def _values(redis, key):
    kind = redis.type(key).decode()
    if kind == "string":
        yield redis.get(key)
    elif kind == "hash":
        for field, value in redis.hgetall(key).items():
            yield field
            yield value
    elif kind == "list":
        yield from redis.lrange(key, 0, -1)
    elif kind == "set":
        yield from redis.smembers(key)
    elif kind == "zset":
        yield from redis.zrange(key, 0, -1)
    elif kind == "stream":
        for _id, entry in redis.xrange(key):
            for field, value in entry.items():
                yield field
                yield value


def redis_keys_holding(text):
    """Every Redis key whose name or content holds `text` (case-insensitive)."""
    needle = text.lower().encode()
    redis = django_rq.get_connection("default")
    found = []
    for key in redis.scan_iter(count=500):
        blobs = [key, *(value for value in _values(redis, key) if value is not None)]
        if any(needle in readable.lower() for blob in blobs for readable in _readable(blob)):
            found.append(key.decode())
    return found


def table_columns_holding(text):
    """Every (table, column) of the database with a value holding `text` (case-insensitive)."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                quoted_table = connection.ops.quote_name(table)
                quoted_column = connection.ops.quote_name(column.name)
                cursor.execute(
                    f"SELECT 1 FROM {quoted_table} WHERE LOWER(CAST({quoted_column} AS TEXT)) LIKE %s LIMIT 1",
                    [f"%{text.lower()}%"],
                )
                if cursor.fetchone():
                    found.append(f"{table}.{column.name}")
    return found
