"""Delivery measures on generated answers whose speech and silences are known
(tests/media/conftest.py: espeak-ng phrases, exact silences, WebM/Opus as a browser
records it), and the sentences made of them."""

import pytest
from django.utils import translation

from media import measures
from media.measures import DeliveryMeasures, Silence, describe, measure
from media.processing import UNREADABLE, Limits, ProcessingFailed

PRECISION = 0.25  # seconds, for a silence or a pause
SPEAKING_PRECISION = 0.5  # seconds, for the speaking time


def test_pauses_leading_silence_and_speaking_time_match_the_known_answer(answer_with_pauses, work_dir, tools):
    known = answer_with_pauses
    result = measure(known.path, work_dir)

    assert result.has_audio
    assert result.duration == pytest.approx(known.duration, abs=PRECISION)
    assert result.leading_silence == pytest.approx(known.leading, abs=PRECISION)
    assert [pause.duration for pause in result.pauses] == pytest.approx(list(known.pauses), abs=PRECISION)
    long_pauses = [pause for pause in known.pauses if pause > 2]
    assert len(result.long_pauses) == len(long_pauses) == 2
    assert [pause.duration for pause in result.long_pauses] == pytest.approx(long_pauses, abs=PRECISION)
    assert result.longest_pause == pytest.approx(max(known.pauses), abs=PRECISION)
    assert result.speaking_time == pytest.approx(known.speaking, abs=SPEAKING_PRECISION)
    assert result.silence_time == pytest.approx(known.duration - known.speaking, abs=SPEAKING_PRECISION)
    # The leading and the trailing silences are silences, not pauses.
    assert len(result.silences) == len(known.pauses) + 2
    assert result.silences[0].start == 0
    assert result.silences[-1].end == pytest.approx(result.duration)
    # Speech at a normal level.
    assert -30 < result.loudness < -15
    assert result.peak < -1
    assert not result.too_quiet and not result.clipped

    # One probe, then ONE ffmpeg run with the three filters, under the pipeline's protections.
    [probe] = [args for args in tools if args[0] == "ffprobe"]
    assert "-format_whitelist" in probe and "-protocol_whitelist" in probe
    [command] = tools.ffmpeg()
    graph = command[command.index("-filter_complex") + 1]
    assert all(name in graph for name in ("silencedetect", "ebur128", "astats"))
    before_input = command[: command.index("-i")]
    for option, value in (("-f", "matroska"), ("-protocol_whitelist", "file")):
        assert before_input[before_input.index(option) + 1] == value
    assert "-format_whitelist" in before_input and "-t" in command
    assert (work_dir / "measures.log").exists()


def test_thresholds_are_parameters(answer_with_pauses, work_dir):
    result = measure(answer_with_pauses.path, work_dir, long_pause=3, min_silence=1.0)
    # The 0.8 s gap is no silence any more; only the 3.2 s pause is longer than 3 s.
    assert [pause.duration for pause in result.pauses] == pytest.approx([2.5, 3.2], abs=PRECISION)
    assert [pause.duration for pause in result.long_pauses] == pytest.approx([3.2], abs=PRECISION)
    assert result.long_pause_threshold == 3


def test_a_very_quiet_answer_is_reported_too_quiet(quiet_answer, work_dir):
    result = measure(quiet_answer, work_dir)
    assert result.too_quiet and not result.clipped
    assert result.loudness < measures.TOO_QUIET_LUFS


def test_a_clipped_answer_is_reported_clipped(clipped_answer, work_dir):
    result = measure(clipped_answer, work_dir)
    assert result.clipped and not result.too_quiet
    assert result.peak >= measures.CLIPPED_DBFS


def test_a_recording_without_sound_gives_a_clear_result(silent_video, work_dir, tools):
    result = measure(silent_video, work_dir)
    assert result == DeliveryMeasures.without_sound(result.duration)
    assert not result.has_audio and result.speaking_time == 0 and result.pauses == ()
    assert result.duration == pytest.approx(2, abs=0.3)
    assert [args[0] for args in tools] == ["ffprobe"]  # nothing to measure
    with translation.override("fr"):
        assert describe(result, max_seconds=120) == [
            "Nous n’avons entendu aucun son dans cet enregistrement\xa0: "
            "vérifiez que votre micro est branché et autorisé."
        ]


def test_an_hls_playlist_named_webm_is_refused_like_the_pipeline_refuses_it(
    secret_clip, tmp_path, work_dir, tools
):
    playlist = tmp_path / "answer.webm"
    playlist.write_text(f"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:1.0,\n{secret_clip}\n#EXT-X-ENDLIST\n")
    with pytest.raises(ProcessingFailed) as refused:
        measure(playlist, work_dir)
    assert refused.value.reason == UNREADABLE
    assert "not on whitelist" in refused.value.log
    assert [args[0] for args in tools] == ["ffprobe"], "ffmpeg must never open a refused file"


def test_limits_are_the_callers(answer_with_pauses, work_dir):
    """An interview answer has its own limits: the measured sound stops at them."""
    result = measure(answer_with_pauses.path, work_dir, limits=Limits.from_settings(max_duration=5))
    assert result.duration == pytest.approx(5, abs=0.1)
    assert result.leading_silence == pytest.approx(answer_with_pauses.leading, abs=PRECISION)


# ---------------------------------------------------------------------------
# In words
# ---------------------------------------------------------------------------
def measures_of(*, speaking, pauses=(), leading=0.4, too_quiet=False, clipped=False):
    pauses = tuple(Silence(10.0 * number, 10.0 * number + length) for number, length in enumerate(pauses, 1))
    return DeliveryMeasures(
        duration=120,
        has_audio=True,
        speaking_time=speaking,
        silences=pauses,
        pauses=pauses,
        long_pause_threshold=2.0,
        leading_silence=leading,
        loudness=-40.0 if too_quiet else -22.0,
        peak=0.5 if clipped else -6.0,
        too_quiet=too_quiet,
        clipped=clipped,
    )


def french(result, max_seconds=120):
    with translation.override("fr"):
        return [sentence.replace("\xa0", " ") for sentence in describe(result, max_seconds=max_seconds)]


def test_sentences_in_french_with_the_figures():
    assert french(measures_of(speaking=92, pauses=(2.6, 4.0, 1.2, 3.0), leading=3.2)) == [
        "Vous avez parlé 1 min 32 sur les 2 min prévues.",
        "Vous avez commencé à parler au bout de 3,2 s.",
        "3 silences de plus de 2 secondes, le plus long de 4 s.",
    ]


def test_one_long_pause_is_singular_and_none_is_said_too():
    assert french(measures_of(speaking=45, pauses=(2.5,)))[1:] == [
        "Vous avez commencé à parler tout de suite.",
        "1 silence de plus de 2 secondes (2,5 s).",
    ]
    assert french(measures_of(speaking=60, pauses=(1.0,)), max_seconds=90) == [
        "Vous avez parlé 1 min sur les 1 min 30 prévues.",
        "Vous avez commencé à parler tout de suite.",
        "Aucun silence de plus de 2 secondes.",
    ]


def test_sound_problems_are_said_plainly():
    assert french(measures_of(speaking=30, too_quiet=True))[-1] == (
        "Le son est très faible : rapprochez-vous du micro ou montez son volume."
    )
    assert french(measures_of(speaking=30, clipped=True))[-1] == (
        "Le son sature par moments : éloignez-vous un peu du micro ou baissez son volume."
    )
    assert french(measures_of(speaking=0, leading=120, too_quiet=True)) == [
        "Nous n’avons entendu aucune parole dans cet enregistrement.",
        "Le son est très faible : rapprochez-vous du micro ou montez son volume.",
    ]


def test_english_sentences():
    with translation.override("en"):
        assert describe(measures_of(speaking=92, pauses=(2.6, 4.0), leading=3), max_seconds=120) == [
            "You spoke for 1 min 32 s of the 2 min allowed.",
            "You started speaking after 3 s.",
            "2 silences longer than 2 seconds, the longest lasting 4 s.",
        ]


def test_measured_answer_in_french(answer_with_pauses, work_dir):
    sentences = french(measure(answer_with_pauses.path, work_dir), max_seconds=120)
    assert sentences[0].startswith("Vous avez parlé ") and sentences[0].endswith(" sur les 2 min prévues.")
    assert sentences[1] == "Vous avez commencé à parler au bout de 1,5 s."
    assert sentences[2].startswith("2 silences de plus de 2 secondes, le plus long de 3,")
