// Tremplin's video player: the quality choice (360p, 720p, audio only) of every
// templates/media/player.html on the page. Loaded as a module (once, however many
// players); without JavaScript the browser's own player still works, in the best quality.
//
// - 360p is chosen at first when the browser reports data saver or a slow connection;
// - changing quality swaps the source and resumes at the same time (playing or not);
// - audio only pauses the video and plays the audio rendition from the same time.

const SLOW_CONNECTIONS = new Set(["slow-2g", "2g", "3g"]);

function prefersLightVideo() {
    const connection = navigator.connection;
    return Boolean(connection && (connection.saveData === true || SLOW_CONNECTIONS.has(connection.effectiveType)));
}

// The resume still waiting for each element's metadata: a newer choice replaces it.
const pendingResumes = new WeakMap();

// Seek `media` to `time` and play it if it was playing, once it knows its duration.
function resume(media, time, playing) {
    const pending = pendingResumes.get(media);
    if (pending) {
        media.removeEventListener("loadedmetadata", pending);
        pendingResumes.delete(media);
    }
    const go = () => {
        pendingResumes.delete(media);
        if (time > 0) {
            try {
                media.currentTime = time;
            } catch {
                // Not seekable (yet): start from the beginning rather than fail.
            }
        }
        if (playing) {
            media.play().catch(() => {});
        }
    };
    if (media.readyState >= HTMLMediaElement.HAVE_METADATA) {
        go();
        return;
    }
    pendingResumes.set(media, go);
    media.addEventListener("loadedmetadata", go, { once: true });
    if (time > 0 || playing) {
        media.preload = "metadata";
        media.load();
    }
}

function setUpPlayer(player) {
    const video = player.querySelector("[data-player-video]");
    const audio = player.querySelector("[data-player-audio]");
    const choice = player.querySelector("[data-player-quality]");
    const status = player.querySelector("[data-player-status]");
    const audioNote = player.querySelector("[data-player-audio-note]");
    if (!video || !choice) {
        return;
    }
    const sources = new Map(
        Array.from(video.querySelectorAll("source[data-quality]"), (source) => [source.dataset.quality, source.src]),
    );
    let audioOnly = false;

    function labelOf(value) {
        const input = choice.querySelector(`input[value="${value}"]`);
        return input ? input.parentElement.textContent.trim() : value;
    }

    function choose(value, { announce = true } = {}) {
        const from = audioOnly ? audio : video;
        const time = from.currentTime;
        const playing = !from.paused && !from.ended;

        if (value === "audio" && audio) {
            video.pause();
            video.hidden = true;
            audio.hidden = false;
            if (audioNote) audioNote.hidden = false;
            audioOnly = true;
            resume(audio, time, playing);
        } else if (sources.has(value)) {
            if (audioOnly) {
                audio.pause();
                audio.hidden = true;
                if (audioNote) audioNote.hidden = true;
                video.hidden = false;
                audioOnly = false;
            }
            const url = sources.get(value);
            if (video.currentSrc !== url && video.getAttribute("src") !== url) {
                // A src attribute wins over the <source> children; the tracks stay.
                video.src = url;
            }
            resume(video, time, playing);
        } else {
            return;
        }
        const input = choice.querySelector(`input[value="${value}"]`);
        if (input) input.checked = true;
        if (announce && status) {
            status.textContent = (status.dataset.message || "{quality}").replace("{quality}", labelOf(value));
        }
    }

    choice.hidden = false;
    choice.addEventListener("change", (event) => {
        if (event.target.matches("input[type=radio]")) {
            choose(event.target.value);
        }
    });
    if (prefersLightVideo() && sources.has("360")) {
        choose("360", { announce: false });
    }
}

document.querySelectorAll("[data-player]").forEach(setUpPlayer);
