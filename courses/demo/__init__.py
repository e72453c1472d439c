"""Demo content of the MOOCs app, for seed_demo: the catalogue, four MOOCs of four weeks
with a short captioned video each, and the demo seeker's enrolments and progress.

* content: the French texts of the courses;
* markup: those texts turned into StreamField blocks;
* videos: the introduction videos (ffmpeg, espeak-ng, the media pipeline);
* seeding: the pages, the enrolments and the progress.
"""

from .seeding import seed

__all__ = ["seed"]
