"""Spoken answers made up for the demo: espeak-ng's French voice over ffmpeg's testsrc2
picture, with real silences between the phrases, written as a browser's MediaRecorder
writes it (a WebM, VP8 and Opus, as a stream: no duration, no index).

This makes input for the pipeline, it does not process anything: the demo then sends
the file through the real jobs (interviews.jobs), as any recording.
"""

import shutil
import subprocess
from pathlib import Path

TIMEOUT = 120
SIZE = "640x360"


def missing_tools():
    """The programs this needs that are not installed ([] when all are)."""
    return [name for name in ("espeak-ng", "ffmpeg") if shutil.which(name) is None]


def _speech(path, text):
    subprocess.run(  # noqa: S603 - fixed programs, arguments built here
        ["espeak-ng", "-v", "fr", "-s", "150", "-w", str(path), text],  # noqa: S607 - found on the PATH
        check=True,
        timeout=TIMEOUT,
    )
    return path


# espeak-ng pads its speech with silence: cut it at both ends, so the silences are exact.
TRIM = "silenceremove=start_periods=1:start_threshold=-50dB"
TRIM_BOTH_ENDS = f"{TRIM},areverse,{TRIM},areverse"


def spoken_answer(work: Path, name, pieces):
    """`work`/`name`.webm: `pieces` in order, each a phrase (str, spoken) or a silence
    (seconds, exact), over the test picture; returns its path."""
    inputs, labels = ["-f", "lavfi", "-i", f"testsrc2=s={SIZE}:r=25"], []
    for number, piece in enumerate(pieces, start=1):
        if isinstance(piece, str):
            inputs += ["-i", str(_speech(work / f"{name}-{number}.wav", piece))]
            trim = f"{TRIM_BOTH_ENDS},"
        else:
            inputs += ["-f", "lavfi", "-i", f"aevalsrc=0:s=48000:d={piece}"]
            trim = ""
        labels.append(
            f"[{number}:a]{trim}aresample=48000,aformat=sample_fmts=fltp:channel_layouts=mono[a{number}]"
        )
    joined = "".join(f"[a{number}]" for number in range(1, len(pieces) + 1))
    graph = ";".join(labels) + f";{joined}concat=n={len(pieces)}:v=0:a=1[audio]"
    path = work / f"{name}.webm"
    with open(path, "wb") as out:
        subprocess.run(  # noqa: S603 - fixed programs, arguments built here
            ["ffmpeg", "-v", "error", "-nostdin", *inputs, "-filter_complex", graph,  # noqa: S607
             "-map", "0:v", "-map", "[audio]", "-shortest",
             "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "400k",
             "-c:a", "libopus", "-b:a", "48k", "-f", "webm", "pipe:1"],
            stdout=out, check=True, timeout=TIMEOUT,
        )  # fmt: skip
    return path
