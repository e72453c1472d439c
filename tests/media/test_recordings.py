"""The pipeline's core on a recording (what an interview answer goes through): a remux
without re-encoding that makes a browser's WebM seekable, and the recording plan (one
small MP4 and a poster), with the same protections as the library."""

import subprocess

import pytest

from media.processing import (
    RECORDING_PLAN,
    REMUX,
    TOO_LONG,
    UNREADABLE,
    Limits,
    ProcessingFailed,
    process_file,
    remux,
)
from tests.media.conftest import ffprobe_json


def packets(path, stream):
    """(size, flags) of every packet of one stream: equal when nothing was re-encoded."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", stream, "-show_entries", "packet=size,flags",
         "-of", "csv=p=0", str(path)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return out.split()


def test_remux_makes_a_browser_webm_seekable_without_re_encoding(browser_webm, work_dir, tools):
    assert "duration" not in ffprobe_json(browser_webm)["format"]  # as MediaRecorder writes it

    result = remux(browser_webm, work_dir)

    [output] = result.outputs
    assert output.kind == output.form == REMUX
    assert output.path == work_dir / "remuxed.webm"
    assert output.duration == pytest.approx(2, abs=0.3)
    assert (output.width, output.height) == (320, 240)
    written = ffprobe_json(output.path)
    assert written["format"]["format_name"] == "matroska,webm"
    assert float(written["format"]["duration"]) == pytest.approx(2, abs=0.3)
    assert {stream["codec_name"] for stream in written["streams"]} == {"vp8", "opus"}
    assert packets(output.path, "v") == packets(browser_webm, "v")
    assert packets(output.path, "a") == packets(browser_webm, "a")
    # The index is written (Cues), at the front: a player seeks without reading to the end.
    head = output.path.read_bytes()[:4096]
    assert b"\x1c\x53\xbb\x6b" in head  # the Cues element's id

    [command] = tools.ffmpeg()
    assert command[command.index("-c") + 1] == "copy" and "libx264" not in command
    before_input = command[: command.index("-i")]
    assert before_input[before_input.index("-f") + 1] == "matroska"
    assert before_input[before_input.index("-protocol_whitelist") + 1] == "file"
    assert "-format_whitelist" in before_input and "-t" in command
    assert result.info.duration is None  # the probe of the original could not say


def test_remux_keeps_an_mp4_in_mp4(clip_360, work_dir):
    [output] = remux(clip_360, work_dir).outputs
    assert output.path.name == "remuxed.mp4"
    assert ffprobe_json(output.path)["format"]["format_name"].startswith("mov,mp4")
    assert output.duration == pytest.approx(2, abs=0.3)


def test_remux_of_an_audio_only_answer(answer_with_pauses, work_dir):
    [output] = remux(answer_with_pauses.path, work_dir).outputs
    assert output.path.name == "remuxed.webm" and output.width is None
    assert output.duration == pytest.approx(answer_with_pauses.duration, abs=0.3)


def test_remux_refuses_a_recording_over_the_callers_limit(browser_webm, work_dir):
    """A streamed WebM does not say how long it is: the remux finds out and refuses it."""
    with pytest.raises(ProcessingFailed) as refused:
        remux(browser_webm, work_dir, limits=Limits.from_settings(max_duration=1))
    assert refused.value.reason == TOO_LONG % {"limit": "0 min 01 s"}


def test_remux_refuses_an_hls_playlist_in_disguise(secret_clip, tmp_path, work_dir, tools):
    playlist = tmp_path / "answer.webm"
    playlist.write_text(f"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:1.0,\n{secret_clip}\n#EXT-X-ENDLIST\n")
    with pytest.raises(ProcessingFailed) as refused:
        remux(playlist, work_dir)
    assert refused.value.reason == UNREADABLE
    assert [args[0] for args in tools] == ["ffprobe"]


def test_recording_plan_gives_one_small_mp4_and_a_poster_in_one_ffmpeg_process(clip_720, work_dir, tools):
    result = process_file(clip_720, work_dir, RECORDING_PLAN)
    by_kind = {output.kind: output for output in result.outputs}
    assert set(by_kind) == {"video", "poster"}  # the sound is in the MP4: no audio-only file
    video = ffprobe_json(by_kind["video"].path)
    streams = {stream["codec_type"]: stream for stream in video["streams"]}
    assert (streams["video"]["codec_name"], streams["video"]["width"], streams["video"]["height"]) == (
        "h264",
        640,
        360,
    )
    assert streams["audio"]["codec_name"] == "aac"
    assert by_kind["video"].duration == pytest.approx(2, abs=0.3)
    assert by_kind["poster"].path.stat().st_size > 0
    assert len(tools.ffmpeg()) == 1


def test_recording_plan_for_a_browser_webm_and_an_audio_only_answer(
    browser_webm, answer_with_pauses, work_dir
):
    small = process_file(
        browser_webm, work_dir, RECORDING_PLAN, limits=Limits.from_settings(max_duration=150)
    )
    assert {output.kind: (output.width, output.height) for output in small.outputs} == {
        "video": (320, 240),  # small stays small
        "poster": (320, 240),
    }
    sound_only = process_file(answer_with_pauses.path, work_dir, RECORDING_PLAN)
    [audio] = sound_only.outputs
    assert audio.kind == "audio" and audio.path.suffix == ".m4a"
    assert audio.duration == pytest.approx(answer_with_pauses.duration, abs=0.3)
