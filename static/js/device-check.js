// "Vérifier mon matériel": the camera, the microphone and the upload speed, checked before
// a mock interview or a video appointment (core/device_check.py). Nothing is recorded.
// The page holds the translated messages in <template data-message="…">; this script
// shows them in the live regions ([data-status], [data-speed-status]), which screen
// readers announce. The sound level is a <meter>: it moves all the time, so it is not
// announced; "we hear you" is said once, when the level first rises.

const root = document.querySelector("[data-device-check]");

function message(name) {
    const template = root.querySelector(`template[data-message="${name}"]`);
    return template.content.cloneNode(true);
}

function show(region, name, fill) {
    const content = message(name);
    if (fill) {
        fill(content);
    }
    region.replaceChildren(content);
}

// --- Camera and microphone ---------------------------------------------------------

const status = root.querySelector("[data-status]");
const preview = root.querySelector("[data-preview]");
const levelField = root.querySelector("[data-level-field]");
const level = root.querySelector("[data-level]");
const stopButton = root.querySelector("[data-stop]");
const HEARD = 8; // meter units (0–100) above which we say the microphone works
const SILENCE_HINT_MS = 6000;

let stream = null;
let audioContext = null;
let frame = 0;
let silenceTimer = 0;

function failure(error) {
    switch (error && error.name) {
        case "NotAllowedError":
        case "SecurityError":
            return "denied";
        case "NotFoundError":
        case "OverconstrainedError":
            return "missing";
        case "NotReadableError":
        case "AbortError":
            return "busy";
        default:
            return "failed";
    }
}

function stop() {
    cancelAnimationFrame(frame);
    clearTimeout(silenceTimer);
    if (stream) {
        stream.getTracks().forEach((track) => track.stop());
    }
    if (audioContext) {
        audioContext.close();
    }
    stream = null;
    audioContext = null;
    preview.srcObject = null;
    preview.hidden = true;
    levelField.hidden = true;
    stopButton.hidden = true;
}

function listen(audioStream) {
    // The loudness of the last few milliseconds (RMS), as 0–100 on a -60…0 dB scale.
    audioContext = new AudioContext();
    const analyser = audioContext.createAnalyser();
    analyser.fftSize = 1024;
    audioContext.createMediaStreamSource(audioStream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let heard = false;
    silenceTimer = setTimeout(() => heard || show(status, "silent"), SILENCE_HINT_MS);
    const tick = () => {
        analyser.getFloatTimeDomainData(samples);
        const rms = Math.sqrt(samples.reduce((sum, sample) => sum + sample * sample, 0) / samples.length);
        const decibels = rms > 0 ? 20 * Math.log10(rms) : -100;
        const value = Math.max(0, Math.min(100, ((decibels + 60) / 60) * 100));
        level.value = value;
        if (!heard && value > HEARD) {
            heard = true;
            clearTimeout(silenceTimer);
            show(status, "heard");
        }
        frame = requestAnimationFrame(tick);
    };
    tick();
}

async function start(withVideo) {
    stop();
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.AudioContext) {
        show(status, "unsupported");
        return;
    }
    try {
        stream = await navigator.mediaDevices.getUserMedia({
            audio: true,
            video: withVideo ? { width: { ideal: 640 }, height: { ideal: 360 } } : false,
        });
    } catch (error) {
        show(status, failure(error));
        return;
    }
    if (withVideo) {
        preview.srcObject = stream;
        preview.hidden = false;
    }
    levelField.hidden = false;
    stopButton.hidden = false;
    show(status, withVideo ? "working-video" : "working-audio");
    listen(stream);
}

root.querySelectorAll("[data-start]").forEach((button) => {
    button.addEventListener("click", () => start(button.dataset.start === "video"));
});
stopButton.addEventListener("click", () => {
    stop();
    status.replaceChildren();
    root.querySelector('[data-start="video"]').focus();
});
window.addEventListener("pagehide", stop);

// --- Connection ---------------------------------------------------------------------

const speedStatus = root.querySelector("[data-speed-status]");
const speedButton = root.querySelector("[data-speed]");

function csrfToken() {
    return root.querySelector("input[name=csrfmiddlewaretoken]").value;
}

function randomBytes(size) {
    // Random, so that no proxy or compression makes the connection look faster.
    const bytes = new Uint8Array(size);
    for (let offset = 0; offset < size; offset += 65536) {
        crypto.getRandomValues(bytes.subarray(offset, Math.min(size, offset + 65536)));
    }
    return bytes;
}

async function measure() {
    speedButton.disabled = true;
    show(speedStatus, "measuring");
    const body = randomBytes(Number(root.dataset.sampleBytes));
    const started = performance.now();
    try {
        const response = await fetch(root.dataset.speedUrl, {
            method: "POST",
            body,
            headers: { "Content-Type": "application/octet-stream", "X-CSRFToken": csrfToken() },
            credentials: "same-origin",
            cache: "no-store",
        });
        if (!response.ok) {
            throw new Error(String(response.status));
        }
        await response.json();
        const seconds = Math.max((performance.now() - started) / 1000, 0.001);
        const kbps = Math.round((body.length * 8) / 1000 / seconds);
        const name =
            kbps >= Number(root.dataset.videoCallKbps)
                ? "fast"
                : kbps >= Number(root.dataset.recordingKbps)
                  ? "medium"
                  : "slow";
        show(speedStatus, name, (content) => {
            content.querySelector("[data-kbps]").textContent = kbps.toLocaleString(document.documentElement.lang);
        });
        speedStatus.dataset.kbps = String(kbps);
    } catch {
        show(speedStatus, "offline");
    } finally {
        speedButton.disabled = false;
    }
}

speedButton.addEventListener("click", measure);
