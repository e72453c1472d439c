"""Benchmark of the media pipeline (not a test): see bench/README.md.

    .venv/bin/python bench/transcode.py [--rounds 3] [--seconds 60]

Generates a 1280x720 clip with sound (lavfi), then, in each round:

1. runs it through the pipeline: `media.jobs.process_asset` on a real Asset, the code
   a worker runs (storage copy, probes, the one ffmpeg process, checks, storage save);
2. runs the same ffmpeg command directly;
3. runs one ffmpeg process per output (same options), one after another.

Prints each round, then the medians; the last line is
`overhead=<x> single_pass=<y> realtime=<z>`.
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench"


def setup_django():
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(BASE_DIR))
    # The test settings on a database and folders of the benchmark's own.
    os.environ["DJANGO_SETTINGS_MODULE"] = "tremplin.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(BENCH_DIR / "uploads")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_PROCESSING = {**settings.MEDIA_PROCESSING, "WORK_DIR": str(BENCH_DIR / "work")}
    call_command("migrate", verbosity=0)


SOURCES = {
    # What a phone's hardware encoder writes at 720p: a high, steady bit rate.
    "phone": ["-b:v", "8M", "-maxrate", "8M", "-bufsize", "16M"],
    # A lighter file: x264's own choice of bit rate for this easy picture (about 2.8 Mb/s).
    "light": ["-crf", "23"],
}


def generate_clip(seconds, source):
    """H.264/AAC in MP4 with the index at the end, as cameras write it."""
    path = BENCH_DIR / f"clip-{seconds}s-1280x720-{source}.mp4"
    if not path.exists():
        print(f"Generating {path.name}…", flush=True)
        part = path.with_suffix(".part.mp4")
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-nostdin",
                "-y",
                "-f",
                "lavfi",
                "-i",
                f"testsrc2=s=1280x720:r=30:d={seconds}",
                "-f",
                "lavfi",
                "-i",
                f"sine=f=440:d={seconds}:sample_rate=48000",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                *SOURCES[source],
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
                "-b:a",
                "128k",
                "-shortest",
                str(part),
            ],  # fmt: skip
            check=True,
        )
        part.rename(path)
    return path


class Spy:
    """Records the ffmpeg command the pipeline runs (through media.processing's subprocess.run)."""

    def __init__(self, processing):
        import types

        self.commands = []
        real_run = subprocess.run

        def run(args, *rest, **options):
            if args[0] == "ffmpeg":
                self.commands.append(list(args))
            return real_run(args, *rest, **options)

        processing.subprocess = types.SimpleNamespace(**{**vars(subprocess), "run": run})


def timed(function, *args):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    function(*args)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument(
        "--source", choices=SOURCES, default="phone", help="how the generated clip is encoded"
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a MEDIA_PROCESSING setting for this run, e.g. --set X264_PRESET=faster",
    )
    options = parser.parse_args()

    setup_django()
    from django.conf import settings

    overrides = dict(item.split("=", 1) for item in options.set)
    overrides = {key: int(value) if value.isdigit() else value for key, value in overrides.items()}
    settings.MEDIA_PROCESSING = {**settings.MEDIA_PROCESSING, **overrides}
    from django.core.files import File
    from django.db.models.signals import post_delete, post_save

    from media import jobs, processing, signal_handlers
    from media.models import Asset, ProcessingStatus

    clip = generate_clip(options.seconds, options.source)
    # No Redis needed: the job function is called here, as a worker would call it.
    post_save.disconnect(signal_handlers.process_new_original, sender=Asset)
    post_delete.disconnect(signal_handlers.delete_asset_outputs, sender=Asset)
    for previous in Asset.objects.all():  # the last run's asset and renditions
        processing.delete_stored(
            previous.file.storage, [file.name for file in previous.rendition_files().values()]
        )
        previous.delete()
    with open(clip, "rb") as handle:
        asset = Asset.objects.create(title="Benchmark", type="video", file=File(handle, name=clip.name))
    spy = Spy(processing)
    work = Path(processing.work_dir_for(asset))
    source = work / "original"

    def fresh_copy():
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        shutil.copyfile(clip, source)

    def run_all(commands):
        for command in commands:
            subprocess.run(command, check=True, stdin=subprocess.DEVNULL)  # noqa: S603

    rounds = []
    encoder = {key: processing.config(key) for key in processing.ENCODER_DEFAULTS}
    print(f"{os.cpu_count()} CPUs; {encoder}; {clip.name}, {clip.stat().st_size / 1e6:.0f} MB", flush=True)
    for number in range(1, options.rounds + 1):
        # 1. The pipeline.
        Asset.objects.filter(pk=asset.pk).update(status=ProcessingStatus.PENDING)
        spy.commands.clear()
        pipeline, pipeline_cpu = timed(jobs.process_asset, asset.pk)
        asset.refresh_from_db()
        assert asset.status == ProcessingStatus.READY, asset.failure_reason + asset.processing_log
        [command] = spy.commands
        duration = asset.duration

        # 2. The same ffmpeg command, run directly on the same input path.
        fresh_copy()
        direct, direct_cpu = timed(run_all, [command])

        # 3. One process per output, one after another, same options.
        fresh_copy()
        info = processing.probe(source)
        outputs = processing.plan(info, work)
        per_output = [
            processing.build_transcode(source, info, [output]).compile(cmd="ffmpeg") for output in outputs
        ]
        separate, separate_cpu = timed(run_all, per_output)
        shutil.rmtree(work, ignore_errors=True)

        rounds.append(
            {
                "pipeline": pipeline,
                "direct": direct,
                "separate": separate,
                "overhead": pipeline / direct,
                "single_pass": pipeline / separate,
                "realtime": duration / pipeline,
            }
        )
        print(
            f"round {number}: pipeline {pipeline:.2f} s (ffmpeg+ffprobe cpu {pipeline_cpu:.1f} s), "
            f"same command directly {direct:.2f} s (cpu {direct_cpu:.1f} s), "
            f"one process per output {separate:.2f} s (cpu {separate_cpu:.1f} s)",
            flush=True,
        )

    median = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    sizes = {kind: file.size for kind, file in asset.rendition_files().items()}
    print(f"renditions: {', '.join(f'{kind} {size / 1e6:.1f} MB' for kind, size in sizes.items())}")
    print(f"media duration: {duration:.2f} s")
    print(f"wall time (median of {len(rounds)}): pipeline {median['pipeline']:.2f} s, "
          f"direct {median['direct']:.2f} s, one process per output {median['separate']:.2f} s")  # fmt: skip
    print(f"realtime factor: {median['realtime']:.2f} (media duration / pipeline wall time)")
    print(f"overhead ratio: {median['overhead']:.3f} (pipeline / same command directly; target <= 1.10)")
    print(
        f"single-pass ratio: {median['single_pass']:.3f} (pipeline / one process per output; target <= 0.85)"
    )
    print(
        f"overhead={median['overhead']:.3f} single_pass={median['single_pass']:.3f} realtime={median['realtime']:.2f}"
    )


if __name__ == "__main__":
    main()
