"""Demo content of the contact app (seed_demo finds it by name)."""

from . import appointments_demo, messages_demo


def seed(out):
    messages_demo.seed(out)
    appointments_demo.seed(out)
