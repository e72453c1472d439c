"""Reading the process table (/proc) in tests about processes left behind."""

from pathlib import Path


def _stat(pid_dir):
    """(name, state, parent pid) of one /proc/<pid>/stat."""
    name, rest = pid_dir.joinpath("stat").read_text().split(" (", 1)[1].rsplit(")", 1)
    fields = rest.split()
    return name, fields[0], int(fields[1])


def descendants(pid):
    """PIDs of every process below `pid`."""
    children = {}
    for pid_dir in Path("/proc").glob("[0-9]*"):
        try:
            _name, _state, parent = _stat(pid_dir)
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(pid_dir.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pid):
    """True while `pid` runs (a zombie counts as gone)."""
    try:
        return _stat(Path(f"/proc/{pid}"))[1] != "Z"
    except (OSError, IndexError, ValueError):
        return False


def running(name, *, mentioning=None):
    """PIDs of the live processes called `name`, anywhere on the machine (an orphan is
    adopted by init, so looking only below the test process would miss it); with
    `mentioning`, only those with that text in their command line, so that what other
    test processes run at the same time is not counted."""
    found = []
    for pid_dir in Path("/proc").glob("[0-9]*"):
        try:
            process_name, state, _parent = _stat(pid_dir)
            command = pid_dir.joinpath("cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except (OSError, IndexError, ValueError):
            continue
        if process_name == name and state != "Z" and (mentioning is None or mentioning in command):
            found.append(int(pid_dir.name))
    return found
