"""Positions in an exercise's list (checklist items, self-check answers), as posted by
a form and as stored in an answer's data. Nothing posted is trusted: a position must
be a number below the list's length."""


def posted_indexes(data, name, count):
    """The distinct valid indexes posted as `name` (a QueryDict or a dict of lists),
    sorted; None if one of them is not a position of the list."""
    chosen = set()
    for raw in data.getlist(name) if hasattr(data, "getlist") else data.get(name, []):
        if not str(raw).isdigit() or int(raw) >= count:
            return None
        chosen.add(int(raw))
    return sorted(chosen)


def stored_indexes(data, key, count):
    """The valid positions listed under `key` in an answer's data ({"ticked": [0, 2]},
    {"chosen": [1]}), sorted; anything else is left out."""
    values = data.get(key) if isinstance(data, dict) else None
    if not isinstance(values, list):
        return []
    return sorted({int(v) for v in values if str(v).isdigit() and int(v) < count})
