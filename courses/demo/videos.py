"""The introduction video of each demo MOOC: about ten seconds of its title on a
coloured background, made with ffmpeg, with a French voice read by espeak-ng when it is
installed (a plain tone otherwise); processed at once by the media pipeline in this
process, and captioned in French.
"""

import shutil
import subprocess
import textwrap
import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile

from media.captions import check_webvtt
from media.jobs import process_asset
from media.models import Asset, Caption, ProcessingStatus, original_upload_to

LEAD, GAP, TAIL = 0.5, 0.35, 0.8  # seconds of silence before, between and after sentences
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def _speak(sentences, work):
    """A WAV of the sentences read by espeak-ng and each one's (start, end); None without it."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        return None
    frames, params, timings, position = [], None, [], LEAD
    for index, sentence in enumerate(sentences):
        path = work / f"phrase-{index}.wav"
        if not _run([espeak, "-v", "fr", "-s", "155", "-w", str(path), sentence], work) or not path.exists():
            return None
        with wave.open(str(path)) as speech:
            params = params or speech.getparams()
            frames.append(speech.readframes(speech.getnframes()))
            seconds = speech.getnframes() / speech.getframerate()
        timings.append((position, position + seconds))
        position += seconds + GAP
    rate, width, channels = params.framerate, params.sampwidth, params.nchannels

    def silence(seconds):
        return b"\0" * int(seconds * rate) * width * channels

    audio = work / "voix.wav"
    with wave.open(str(audio), "wb") as out:
        out.setparams(params)
        out.writeframes(silence(LEAD) + silence(GAP).join(frames) + silence(TAIL))
    return audio, timings


def _estimated_timings(sentences):
    """Without a voice: about 2.6 words a second, for the captions of a plain tone."""
    timings, position = [], LEAD
    for sentence in sentences:
        seconds = max(1.5, len(sentence.split()) / 2.6)
        timings.append((position, position + seconds))
        position += seconds + GAP
    return timings


def _run(command, cwd):
    """Run a command (a list, never a shell); True when it succeeded."""
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, timeout=120, check=False)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired):  # not installed, or stuck
        return False
    return done.returncode == 0


def _ffmpeg(args, cwd):
    return _run(["ffmpeg", "-v", "error", "-nostdin", "-y", *args], cwd)


def make_video(course, work):
    """A 640x360 MP4 of about ten seconds introducing `course`: its title on a coloured
    background, a French voice (or a tone). Returns (path, [(start, end, text)]), or None."""
    work.mkdir(parents=True, exist_ok=True)
    sentences = course["speech"]
    spoken = _speak(sentences, work)
    timings = spoken[1] if spoken else _estimated_timings(sentences)
    seconds = round(min(max(timings[-1][1] + TAIL, 8), 14), 2)
    if spoken:
        audio = ["-i", spoken[0].name]
        audio_filter = ["-af", "apad"]
    else:
        audio = ["-f", "lavfi", "-i", f"sine=f=440:d={seconds}:sample_rate=48000"]
        audio_filter = ["-af", "volume=0.15"]
    # Texts go through files (textfile=), so quotes and colons of a title need no escaping.
    lines = [("Tremplin", 20, "40")]
    lines += [
        (line, 32, f"{130 + 44 * number}") for number, line in enumerate(textwrap.wrap(course["title"], 28))
    ]
    lines += [("Bienvenue dans le MOOC", 22, "h-70")]
    font = f"fontfile={FONT}" if FONT.exists() else "font=DejaVu Sans"
    draws = []
    for number, (text, size, y) in enumerate(lines):
        (work / f"texte-{number}.txt").write_text(text, encoding="utf-8")
        draws.append(
            f"drawtext={font}:textfile=texte-{number}.txt:fontcolor=white:fontsize={size}:x=(w-text_w)/2:y={y}"
        )
    background = ["-f", "lavfi", "-i", f"color=c={course['colour']}:s=640x360:r=25:d={seconds}"]
    encode = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k"]
    encode += ["-t", str(seconds), "-movflags", "+faststart", "video.mp4"]
    titled = [*background, *audio, "-vf", ",".join(draws), *audio_filter, *encode]
    plain = [*background, *audio, *audio_filter, *encode]  # ffmpeg without drawtext or font
    if not (_ffmpeg(titled, work) or _ffmpeg(plain, work)):
        return None
    cues = [(start, end, sentence) for (start, end), sentence in zip(timings, sentences, strict=True)]
    return work / "video.mp4", cues


def _timestamp(seconds):
    minutes, rest = divmod(round(seconds * 1000), 60_000)
    return f"{minutes // 60:02d}:{minutes % 60:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def webvtt(cues):
    blocks = ["WEBVTT"]
    for start, end, text in cues:
        # At most 42 characters a line, on two lines of about the same length.
        lines = textwrap.wrap(text, 42 if len(text) <= 42 else min(42, len(text) // 2 + 6))
        blocks.append(f"{_timestamp(start)} --> {_timestamp(end)}\n" + "\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _store_video(title, made, editor):
    """An asset for the video `made` (path, cues), processed now and captioned in French."""
    path, cues = made
    # Created without its file, then given it by an update: the post_save handler would
    # queue a job for a worker that `make run` has not started yet. The pipeline runs
    # here instead, so that the video is ready at once.
    asset = Asset.objects.create(title=title, type="video", uploaded_by_user=editor)
    with open(path, "rb") as handle:
        name = asset.file.storage.save(original_upload_to(asset, "presentation.mp4"), File(handle))
    Asset.objects.filter(pk=asset.pk).update(file=name)
    outcome = process_asset(asset.pk)
    asset.refresh_from_db()
    if outcome != "ready":
        return asset
    vtt = webvtt(cues).encode()
    check_webvtt(vtt)
    Caption.objects.create(asset=asset, language="fr", file=ContentFile(vtt, name="fr.vtt"))
    return asset


def introduction_videos(courses, work, editor, out):
    """{slug: the ready, captioned introduction video of the course, or None}.

    A video left by an earlier run is reused; the others are made side by side (ffmpeg
    and espeak-ng only), then processed one by one.
    """
    titles = {course["slug"]: f"Présentation du MOOC « {course['title']} »" for course in courses}
    ready = Asset.objects.filter(
        title__in=titles.values(), status=ProcessingStatus.READY, captions__language="fr"
    )
    found = {asset.title: asset for asset in ready}
    to_make = [course for course in courses if titles[course["slug"]] not in found]
    with ThreadPoolExecutor(max_workers=4) as pool:
        made = pool.map(lambda course: make_video(course, work / course["slug"]), to_make)
        made = {course["slug"]: video for course, video in zip(to_make, made, strict=True)}
    videos = {}
    for course in courses:
        slug, title = course["slug"], titles[course["slug"]]
        asset = found.get(title)
        if asset is None and made[slug] is None:
            out(f"  Vidéo impossible à créer pour « {course['title']} » : ffmpeg est-il installé ?")
        elif asset is None:
            asset = _store_video(title, made[slug], editor)
            if not asset.is_ready:
                out(f"  La vidéo de « {course['title']} » n'a pas pu être traitée : {asset.failure_reason}")
                asset = None
        videos[slug] = asset
    return videos
