"""Benchmark of speech to text (not a test): see bench/README.md.

    .venv/bin/python bench/transcribe.py [--rounds 3] [--seconds 120]

Makes a spoken French answer with espeak-ng from known sentences (none repeated) and known
silences, with the helpers of tests/media/conftest.py, put in a small H.264/AAC MP4 as a
library video; loads the model (as a transcription worker does once, before its first
job: tremplin/worker.py); then, in each round, runs the real job,
`media.draft_captions.transcribe_asset`, in this process, as the worker runs it (storage
copy, probe, the ffmpeg conversion to 16 kHz WAV, Whisper, the draft captions saved).

Prints each round, the realtime factor (seconds of audio per wall second, median), the
peak resident memory of this process (VmHWM: model, Django and the job), and the word
error rate of the stored draft's words against the known text. Last line:
`realtime=<x> peak_mb=<y> wer=<z>` (targets: realtime >= 2, peak_mb < 1024).
"""

import argparse
import os
import resource
import statistics
import subprocess
import time
from pathlib import Path

from transcode import BENCH_DIR, setup_django

# A seeker's answer to "Parlez-moi de vous", in short sentences as espeak-ng says them
# well; Whisper falls back to sampling (slower, random) on repeated text, so none repeats.
SENTENCES = (
    "Bonjour, je m'appelle Claire Martin et j'ai trente-quatre ans.",
    "J'ai travaillé cinq ans comme préparatrice de commandes dans un entrepôt.",
    "Nous expédiions chaque jour plus de deux mille colis vers toute la France.",
    "J'ai appris à lire un bon de commande et à utiliser un scanner.",
    "Au bout de deux ans, on m'a confié la formation des nouveaux intérimaires.",
    "J'aime transmettre ce que je sais et voir les gens progresser.",
    "En deux mille vingt, l'entreprise a fermé son site de Villeurbanne.",
    "J'ai profité de cette période pour passer mon permis cariste.",
    "Ensuite, j'ai suivi une formation de six mois en gestion des stocks.",
    "Je connais maintenant les inventaires tournants et les logiciels de gestion.",
    "Mon dernier stage s'est déroulé dans une plateforme de la grande distribution.",
    "Je devais organiser les tournées du matin avec le chef de quai.",
    "Il fallait parfois changer tout le planning à cause d'un camion en retard.",
    "Je crois que je garde mon calme quand tout le monde s'énerve.",
    "Mes collègues disent que je suis ponctuelle et que je tiens parole.",
    "Mon point faible, c'est que j'ai du mal à déléguer les tâches.",
    "Je travaille là-dessus en faisant davantage confiance à l'équipe.",
    "Aujourd'hui, je cherche un poste de cheffe d'équipe en logistique.",
    "Votre entreprise m'intéresse parce qu'elle recrute des personnes en reconversion.",
    "J'ai lu que vous ouvriez un nouvel entrepôt près de Lyon.",
    "Je suis disponible tout de suite et je peux travailler en horaires décalés.",
    "J'habite à vingt minutes en voiture de votre site.",
    "Je vous remercie de m'avoir écoutée et je suis prête à répondre à vos questions.",
    "Pendant mon temps libre, j'entraîne une équipe de basket de jeunes filles.",
    "Cela m'a appris la patience et l'importance des règles claires.",
    "Je serais heureuse de rejoindre votre équipe dès le mois prochain.",
    "Merci encore pour votre temps et à bientôt, je l'espère.",
)
PAUSES = (0.7, 1.5, 0.9, 2.5, 1.1)  # after each sentence, in turn


def generate_answer(seconds, tests_conftest):
    """The sentences said in turn with their pauses until `seconds` is nearly reached, 1 s
    of silence first; returns the MP4's path and the text actually said."""
    path = BENCH_DIR / f"spoken-answer-{seconds}s.mp4"
    text_path = path.with_suffix(".txt")
    if path.exists() and text_path.exists():
        return path, text_path.read_text()
    print(f"Generating {path.name}…", flush=True)
    folder = BENCH_DIR / "sentences"
    folder.mkdir(parents=True, exist_ok=True)
    pieces, said, total = [1.0], [], 1.0
    for number, sentence in enumerate(SENTENCES):
        wav, duration = tests_conftest.speech(folder / f"sentence-{number}.wav", sentence)
        pause = PAUSES[number % len(PAUSES)]
        if total + duration + pause > seconds:
            break
        pieces += [wav, pause]
        said.append(sentence)
        total += duration + pause
    sound = tests_conftest.spoken_answer(BENCH_DIR / "spoken-answer.webm", pieces)
    part = path.with_suffix(".part.mp4")
    subprocess.run(
        ["ffmpeg", "-v", "error", "-nostdin", "-y",
         "-f", "lavfi", "-i", f"testsrc2=s=320x240:r=15:d={seconds}", "-i", str(sound),
         "-filter_complex", f"[1:a]apad=whole_dur={seconds}[a]", "-map", "0:v", "-map", "[a]",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-b:a", "64k", "-t", str(seconds), str(part)],
        check=True,
    )  # fmt: skip
    part.rename(path)
    text_path.write_text(" ".join(said))
    return path, " ".join(said)


def peak_mb():
    """This process's peak resident memory (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=120, help="length of the answer")
    options = parser.parse_args()

    setup_django()
    from django.core.files import File
    from django.db.models.signals import post_delete, post_save

    from media import draft_captions, processing, signal_handlers, transcription
    from media.models import Asset, Caption, ProcessingStatus, TranscriptionStatus
    from tests.media import conftest as tests_conftest
    from tests.media.test_transcription import word_error_rate

    clip, known_text = generate_answer(options.seconds, tests_conftest)
    # No Redis, no media job: the asset is made "processed" here, and its transcription
    # job is called as the worker calls it.
    post_save.disconnect(signal_handlers.process_new_original, sender=Asset)
    post_delete.disconnect(signal_handlers.delete_asset_outputs, sender=Asset)
    for previous in Asset.objects.all():  # the last run's asset and captions
        for caption in previous.captions.all():
            caption.file.delete(save=False)
        processing.delete_stored(previous.file.storage, [previous.file.name])
        previous.delete()
    with open(clip, "rb") as handle:
        asset = Asset.objects.create(
            title="Benchmark", type="video", file=File(handle, name=clip.name), status=ProcessingStatus.READY
        )

    started = time.perf_counter()
    transcription.get_model()  # once per worker (tremplin/worker.py)
    load = time.perf_counter() - started
    print(
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; {clip.name}: "
        f"{len(known_text.split())} words; model loaded and checked in {load:.2f} s, "
        f"peak {peak_mb():.0f} MB so far",
        flush=True,
    )
    rounds = []
    for number in range(1, options.rounds + 1):
        Caption.objects.filter(asset=asset).delete()
        Asset.objects.filter(pk=asset.pk).update(
            transcription_status=TranscriptionStatus.PENDING, transcription_attempts=0
        )
        started = time.perf_counter()
        outcome = draft_captions.transcribe_asset(asset.pk)
        wall = time.perf_counter() - started
        assert outcome == "draft", outcome
        caption = Caption.objects.get(asset=asset)
        vtt = caption.file.read().decode()
        heard = " ".join(line for block in vtt.split("\n\n")[1:] for line in block.strip().split("\n")[1:])
        wer = word_error_rate(known_text, heard)
        rounds.append({"wall": wall, "realtime": options.seconds / wall, "wer": wer})
        print(
            f"round {number}: {wall:.2f} s for {options.seconds} s, realtime {options.seconds / wall:.2f}, "
            f"WER {wer:.3f}, peak {peak_mb():.0f} MB, load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )
    print(f"heard: {heard}")
    median = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    print(f"realtime={median['realtime']:.2f} peak_mb={peak_mb():.0f} wer={median['wer']:.3f}")


if __name__ == "__main__":
    main()
