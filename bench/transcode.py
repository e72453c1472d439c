"""Benchmark of the media pipeline (not a test): see bench/README.md.

    .venv/bin/python bench/transcode.py [--rounds 3] [--seconds 60]

Generates a 1280x720 clip with sound (lavfi), then, in each round:

1. runs it through the pipeline: `media.jobs.process_asset` on a real Asset, the code
   a worker runs (storage copy, probes, the one ffmpeg process, checks, storage save);
2. runs the same ffmpeg command directly;
3. runs one ffmpeg process per output (same options), one after another.

Prints each round, then the medians; the last line is
`overhead=<x> single_pass=<y> realtime=<z>`.

    .venv/bin/python bench/transcode.py --feedback [--rounds 3] [--seconds 120] [--rendition]

The interview answer's feedback instead: a 1280x720 WebM (VP8/Opus, written as a stream
like MediaRecorder) of espeak-ng speech with silences; each round probes it once, remuxes
it (`media.processing.remux`) and measures its sound (`media.measures.measure`), under an
answer's limits. `--rendition` also times the recording plan (one 360p MP4 and a poster).
The last line is `feedback_ratio=<(remux + measures) / answer> remux_s=<x> measures_s=<y>`
(target: feedback_ratio <= 0.15).
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
import wave
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


FEEDBACK_PHRASES = (
    "Bonjour, je m'appelle Claire Martin et je vous remercie de me recevoir.",
    "J'ai travaillé cinq ans comme préparatrice de commandes dans un entrepôt.",
    "J'y ai appris à organiser le travail d'une équipe et à tenir les délais.",
    "Je cherche aujourd'hui un poste de cheffe d'équipe en logistique.",
)
FEEDBACK_PAUSES = (0.6, 2.5, 1.0, 3.0)  # after each phrase, in turn


def generate_answer(seconds):
    """A spoken answer as a browser records it: 1280x720 VP8 and Opus, written as a
    stream (no duration, no index); 2 s before the first word, pauses of 0.6 to 3 s."""
    path = BENCH_DIR / f"answer-{seconds}s-1280x720.webm"
    if path.exists():
        return path
    print(f"Generating {path.name}…", flush=True)
    phrases = []
    for number, text in enumerate(FEEDBACK_PHRASES):
        wav = BENCH_DIR / f"phrase-{number}.wav"
        subprocess.run(["espeak-ng", "-v", "fr", "-w", str(wav), text], check=True)
        phrases.append(wav)
    inputs, total, number = ["-f", "lavfi", "-i", "aevalsrc=0:s=48000:d=2"], 2.0, 0
    while total < seconds - 8:
        wav = phrases[number % len(phrases)]
        pause = FEEDBACK_PAUSES[number % len(FEEDBACK_PAUSES)]
        inputs += ["-i", str(wav), "-f", "lavfi", "-i", f"aevalsrc=0:s=48000:d={pause}"]
        with wave.open(str(wav)) as speech:
            total += speech.getnframes() / speech.getframerate() + pause
        number += 1
    count = sum(1 for arg in inputs if arg == "-i")
    pieces = "".join(
        f"[{index}:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=mono[a{index}];"
        for index in range(count)
    )
    graph = (
        pieces
        + "".join(f"[a{index}]" for index in range(count))
        + f"concat=n={count}:v=0:a=1,apad=whole_dur={seconds}[sound]"
    )
    part = path.with_suffix(".part.webm")
    with open(part, "wb") as out:
        subprocess.run(
            ["ffmpeg", "-v", "error", "-nostdin", *inputs,
             "-f", "lavfi", "-i", f"testsrc2=s=1280x720:r=30:d={seconds}",
             "-filter_complex", graph, "-map", f"{count}:v", "-map", "[sound]",
             "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "1500k",
             "-c:a", "libopus", "-b:a", "64k", "-t", str(seconds), "-f", "webm", "pipe:1"],
            stdout=out, check=True,
        )  # fmt: skip
    part.rename(path)
    return path


def feedback(options):
    """Time the interview answer's feedback: probe, remux, measures (see the docstring)."""
    from media import measures, processing

    answer = generate_answer(options.seconds)
    limits = processing.Limits.from_settings(max_duration=options.seconds + 30)
    print(f"{os.cpu_count()} CPUs; {answer.name}, {answer.stat().st_size / 1e6:.1f} MB", flush=True)
    rounds = []
    for number in range(1, options.rounds + 1):
        with processing.work_folder(BENCH_DIR / "work" / "feedback") as work:
            started = time.perf_counter()
            info = processing.probe(answer, limits=limits)
            probed = time.perf_counter()
            [remuxed] = processing.remux(answer, work, info=info, limits=limits).outputs
            remuxed_at = time.perf_counter()
            result = measures.measure(answer, work, info=info, limits=limits)
            done = time.perf_counter()
            row = {
                "probe": probed - started,
                "remux": remuxed_at - probed,
                "measures": done - remuxed_at,
                "feedback": done - started,
            }
            if options.rendition:
                row["rendition"] = timed(
                    processing.process_file, answer, work, processing.RECORDING_PLAN, limits=limits
                )[0]
        rounds.append(row)
        print(
            f"round {number}: probe {row['probe']:.2f} s, remux {row['remux']:.2f} s, "
            f"measures {row['measures']:.2f} s, feedback {row['feedback']:.2f} s"
            + (f", 360p rendition {row['rendition']:.2f} s" if options.rendition else ""),
            flush=True,
        )
    median = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    print(
        f"answer: {remuxed.duration:.2f} s (remuxed); spoke {result.speaking_time:.1f} s, "
        f"{len(result.pauses)} pauses ({len(result.long_pauses)} over {result.long_pause_threshold:g} s, "
        f"longest {result.longest_pause:.2f} s), first word at {result.leading_silence:.2f} s, "
        f"{result.loudness} LUFS, peak {result.peak:.1f} dBFS"
    )
    print(f"sentences: {measures.describe(result, max_seconds=options.seconds)}")
    print(
        f"feedback (median of {len(rounds)}): {median['feedback']:.2f} s for {options.seconds} s "
        f"(target {0.15 * options.seconds:.1f} s)"
    )
    if options.rendition:
        print(
            f"rendition_realtime={options.seconds / median['rendition']:.2f} (answer / 360p rendition time)"
        )
    print(
        f"feedback_ratio={median['feedback'] / options.seconds:.3f} "
        f"remux_s={median['remux']:.2f} measures_s={median['measures']:.2f}"
    )


def timed(function, *args, **kwargs):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    function(*args, **kwargs)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, help="clip length (default 60 s; 120 s with --feedback)")
    parser.add_argument("--feedback", action="store_true", help="time an interview answer's feedback")
    parser.add_argument("--rendition", action="store_true", help="with --feedback: time the 360p MP4 too")
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
    options.seconds = options.seconds or (120 if options.feedback else 60)

    setup_django()
    from django.conf import settings

    overrides = dict(item.split("=", 1) for item in options.set)
    overrides = {key: int(value) if value.isdigit() else value for key, value in overrides.items()}
    settings.MEDIA_PROCESSING = {**settings.MEDIA_PROCESSING, **overrides}
    if options.feedback:
        return feedback(options)
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
