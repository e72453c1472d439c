// The seeker's recording session of a mock interview (interviews/views/session.py).
//
// For each question: a think-time countdown (the seeker may answer early), then
// MediaRecorder records with a visible timer and stops at the maximum. The recording is
// cut in pieces (timeslice) that the resumable Uploader (resumable-upload.js, tus 1.0)
// keeps in IndexedDB and sends while recording goes on; after a reload the pieces not
// yet sent are sent (store.pending()). When recording stops the seeker plays it back,
// then keeps it or records again (the take and its upload are then deleted). A kept
// take's status is polled (conditional GET) until its measures are ready.
//
// Screen readers hear the countdowns every 10 seconds and in the last 5, not every
// second: the visible timer is aria-hidden, the announcements go to the question's
// live region. Everything is a button: the keyboard alone does it all, and focus moves
// to the next useful button. Messages are translated in <template data-message> of
// the page. Without MediaRecorder the page keeps its file forms.

const root = document.querySelector("[data-interview-session]");
const csrfToken = root.dataset.csrf;
// The largest piece the server takes in one request (RESUMABLE_UPLOAD_CHUNK_MAX_BYTES);
// the uploader sizes its pieces to the link below that.
const maxRequestBytes = Number(root.dataset.uploadPieceBytes) || undefined;
const POLL_MS = 1500;
const POLL_FOR_MS = 10 * 60_000; // a take whose upload went on elsewhere is not polled forever
const TIMESLICE_MS = 1000;
const PRACTICE_MAX_MS = 30_000;

const VIDEO_TYPES = ["video/webm;codecs=vp8,opus", "video/webm", "video/mp4"];
const AUDIO_TYPES = ["audio/webm;codecs=opus", "audio/webm", "audio/mp4", "audio/ogg;codecs=opus"];

function message(name, values = {}) {
    const template = root.querySelector(`template[data-message="${name}"]`);
    let text = template.content.textContent.trim();
    for (const [key, value] of Object.entries(values)) {
        text = text.replace(`{${key}}`, value);
    }
    return text;
}

function say(region, text) {
    region.textContent = text;
}

function clock(seconds) {
    const whole = Math.max(0, Math.ceil(seconds));
    return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

/** Said at sensible moments only: every 10 seconds, then each of the last 5. */
function worthSaying(secondsLeft) {
    return secondsLeft > 0 && (secondsLeft <= 5 || secondsLeft % 10 === 0);
}

function audioOnly() {
    return root.querySelector("[data-mode]:checked")?.value === "audio";
}

function supportedType(audio) {
    return (audio ? AUDIO_TYPES : VIDEO_TYPES).find((type) => MediaRecorder.isTypeSupported(type)) || "";
}

async function openStream(audio) {
    const video = audio ? false : { width: { ideal: 640 }, height: { ideal: 360 } };
    return navigator.mediaDevices.getUserMedia({ audio: true, video });
}

function streamProblem(error) {
    if (error && (error.name === "NotFoundError" || error.name === "OverconstrainedError")) {
        return message("missing");
    }
    return message("denied");
}

function stopStream(stream) {
    stream?.getTracks().forEach((track) => track.stop());
}

function show(element, visible = true) {
    if (element) {
        element.hidden = !visible;
    }
}

async function post(url) {
    return fetch(url, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken, "X-Requested-With": "fetch" },
        credentials: "same-origin",
    });
}

// --- A kept take: its status polled until measured ------------------------------------

function takeArticle(take) {
    const article = document.createElement("article");
    article.className = "interview-take";
    article.dataset.take = "";
    article.dataset.takeId = take.id;
    article.dataset.statusUrl = take.status_url;
    article.dataset.takeStatus = take.status || "pending";
    const heading = document.createElement("h3");
    heading.id = `take-${take.id}-title`;
    heading.textContent = message("answer", { number: take.number });
    article.setAttribute("aria-labelledby", heading.id);
    const result = document.createElement("div");
    result.dataset.takeResult = "";
    const form = document.createElement("form");
    form.method = "post";
    form.action = take.delete_url;
    const token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrfmiddlewaretoken";
    token.value = csrfToken;
    const next = document.createElement("input");
    next.type = "hidden";
    next.name = "next";
    next.value = `${location.pathname}#question-${take.position}`;
    const button = document.createElement("button");
    button.type = "submit";
    button.className = "button button--link";
    button.textContent = message("delete-answer", { number: take.number });
    form.append(token, next, button);
    article.append(heading, result, form);
    return article;
}

function showResult(article, data, region) {
    const result = article.querySelector("[data-take-result]");
    article.dataset.takeStatus = data.status;
    if (data.status === "ready") {
        const list = document.createElement("ul");
        list.className = "interview-take__measures";
        list.dataset.measures = "";
        for (const sentence of data.sentences) {
            const item = document.createElement("li");
            item.textContent = sentence;
            list.append(item);
        }
        result.replaceChildren(list);
        if (region) {
            say(region, `${message("ready")} ${data.sentences.join(" ")}`);
        }
    } else if (data.status === "failed") {
        const paragraph = document.createElement("p");
        paragraph.className = "message message--error";
        paragraph.textContent = `${message("failed")} ${data.error}`;
        result.replaceChildren(paragraph);
        if (region) {
            say(region, paragraph.textContent);
        }
    }
}

async function watchTake(article, region) {
    if (article.dataset.watched) {
        return;
    }
    article.dataset.watched = "watched";
    let etag = null;
    const until = Date.now() + POLL_FOR_MS;
    while (document.contains(article) && Date.now() < until) {
        const headers = etag ? { "If-None-Match": etag } : {};
        try {
            const response = await fetch(article.dataset.statusUrl, { headers, credentials: "same-origin", cache: "no-store" });
            if (response.status === 404) {
                return;
            }
            if (response.ok) {
                etag = response.headers.get("ETag");
                const data = await response.json();
                if (data.status === "ready" || data.status === "failed") {
                    showResult(article, data, region);
                    return;
                }
            }
        } catch {
            // offline for a moment: ask again
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
}

function followUpload(uploader, question, article) {
    const field = question.querySelector("[data-progress-field]");
    const bar = question.querySelector("[data-progress]");
    const region = question.querySelector("[data-status]");
    show(field);
    uploader.addEventListener("progress", (event) => {
        const { offset, stored } = event.detail;
        bar.value = stored ? Math.floor((100 * offset) / stored) : 0;
    });
    uploader.done.then(
        () => {
            bar.value = 100;
            show(field, false);
            say(region, message("sent"));
            watchTake(article, region);
        },
        (error) => {
            if (error?.name !== "AbortError") {
                say(region, message("upload-error"));
            }
        },
    );
}

/** The link to the send page, after the questions, once a take is kept. */
function showSendStep(url) {
    const step = root.querySelector("[data-send-step]");
    step.querySelector("[data-send-link]").href = url;
    show(step);
}

// --- One question ---------------------------------------------------------------------

class QuestionRecorder {
    constructor(section, store) {
        this.section = section;
        this.store = store;
        this.thinkSeconds = Number(section.dataset.thinkSeconds);
        this.answerSeconds = Number(section.dataset.answerSeconds);
        this.region = section.querySelector("[data-status]");
        this.timer = section.querySelector("[data-timer]");
        this.preview = section.querySelector("[data-preview]");
        this.replay = section.querySelector("[data-replay]");
        this.buttons = {
            begin: section.querySelector("[data-begin]"),
            answerNow: section.querySelector("[data-answer-now]"),
            stop: section.querySelector("[data-stop]"),
            choice: section.querySelector("[data-choice]"),
            keep: section.querySelector("[data-keep]"),
            again: section.querySelector("[data-again]"),
        };
        this.buttons.begin.addEventListener("click", () => this.begin());
        this.buttons.answerNow.addEventListener("click", () => this.record());
        this.buttons.stop.addEventListener("click", () => this.stop());
        this.buttons.keep.addEventListener("click", () => this.keep());
        this.buttons.again.addEventListener("click", () => this.again());
        this.ticker = 0;
    }

    #tick(seconds, kind, done) {
        clearInterval(this.ticker);
        const ends = Date.now() + seconds * 1000;
        let lastSaid = null;
        const step = () => {
            const left = Math.max(0, Math.ceil((ends - Date.now()) / 1000));
            this.timer.textContent = kind === "recording" ? `● ${clock(this.answerSeconds - left)} / ${clock(this.answerSeconds)}` : clock(left);
            if (left !== lastSaid && (worthSaying(left) || lastSaid === null)) {
                say(this.region, message(kind, { seconds: left }));
            }
            lastSaid = left;
            if (left <= 0) {
                clearInterval(this.ticker);
                done();
            }
        };
        step();
        this.ticker = setInterval(step, 250);
    }

    async begin() {
        this.reset();
        this.audio = audioOnly();
        try {
            this.stream = await openStream(this.audio);
        } catch (error) {
            say(this.region, streamProblem(error));
            return;
        }
        if (!this.audio) {
            this.preview.srcObject = this.stream;
            this.preview.play().catch(() => {});
            show(this.preview);
        }
        show(this.buttons.begin, false);
        show(this.buttons.answerNow);
        show(this.timer);
        this.buttons.answerNow.focus();
        this.#tick(this.thinkSeconds, "thinking", () => this.record());
    }

    async record() {
        if (this.recorder) {
            return;
        }
        clearInterval(this.ticker);
        // "Answer now" keeps the focus until "stop" takes it: hiding it first would drop
        // the focus on the page's <body> while the take is being started.
        const type = supportedType(this.audio);
        this.recorder = new MediaRecorder(this.stream, type ? { mimeType: type } : {});
        this.type = this.recorder.mimeType || type;
        const response = await post(this.section.dataset.startUrl);
        if (!response.ok) {
            say(this.region, message("upload-error"));
            this.reset();
            this.buttons.begin.focus();
            return;
        }
        this.take = await response.json();
        this.uploader = new this.store.Uploader(this.take.upload_url, {
            store: this.store.chunks,
            csrfToken,
            maxRequestBytes,
            info: { take: this.take, position: this.section.dataset.position, page: location.pathname },
        });
        this.blobs = [];
        this.recorder.addEventListener("dataavailable", (event) => {
            if (event.data.size) {
                this.blobs.push(event.data);
                this.uploader.append(event.data);
            }
        });
        const stopped = new Promise((resolve) => this.recorder.addEventListener("stop", resolve));
        this.stopped = stopped.then(() => this.uploader.finish());
        this.recorder.start(TIMESLICE_MS);
        show(this.buttons.stop);
        this.buttons.stop.focus();
        show(this.buttons.answerNow, false);
        say(this.region, message("started"));
        this.#tick(this.answerSeconds, "recording", () => this.stop());
    }

    async stop() {
        clearInterval(this.ticker);
        if (!this.recorder || this.recorder.state === "inactive") {
            return;
        }
        this.recorder.stop();
        await this.stopped;
        stopStream(this.stream);
        show(this.preview, false);
        show(this.buttons.stop, false);
        show(this.timer, false);
        this.replay.src = URL.createObjectURL(new Blob(this.blobs, { type: this.type }));
        show(this.replay);
        show(this.buttons.choice);
        say(this.region, message("stopped"));
        this.buttons.keep.focus();
    }

    keep() {
        show(this.buttons.choice, false);
        show(this.replay, false);
        const article = takeArticle(this.take);
        this.section.querySelector("[data-takes]").append(article);
        say(this.region, message("kept"));
        followUpload(this.uploader, this.section, article);
        showSendStep(this.take.send_url);
        this.recorder = null;
        show(this.buttons.begin);
        this.buttons.begin.focus();
    }

    async again() {
        const { uploader, take } = this;
        this.reset();
        // "Record again" is hidden: the focus waits on "start" until the think time begins.
        this.buttons.begin.focus();
        await uploader?.cancel().catch(() => {});
        if (take) {
            await post(take.delete_url);
        }
        this.begin();
    }

    reset() {
        clearInterval(this.ticker);
        stopStream(this.stream);
        this.stream = null;
        this.recorder = null;
        this.uploader = null;
        this.take = null;
        if (this.replay.src) {
            URL.revokeObjectURL(this.replay.src);
            this.replay.removeAttribute("src");
        }
        for (const element of [this.preview, this.replay, this.timer, this.buttons.answerNow, this.buttons.stop, this.buttons.choice]) {
            show(element, false);
        }
        show(this.buttons.begin);
    }
}

// --- The practice question: recorded and replayed here, never sent ---------------------

function practice() {
    const start = root.querySelector("[data-practice-start]");
    const stop = root.querySelector("[data-practice-stop]");
    const replay = root.querySelector("[data-practice-replay]");
    const region = root.querySelector("[data-practice-status]");
    let recorder = null;
    let timeout = 0;
    start.addEventListener("click", async () => {
        let stream;
        try {
            stream = await openStream(audioOnly());
        } catch (error) {
            say(region, streamProblem(error));
            return;
        }
        const type = supportedType(audioOnly());
        recorder = new MediaRecorder(stream, type ? { mimeType: type } : {});
        const blobs = [];
        recorder.addEventListener("dataavailable", (event) => blobs.push(event.data));
        recorder.addEventListener("stop", () => {
            stopStream(stream);
            clearTimeout(timeout);
            if (replay.src) {
                URL.revokeObjectURL(replay.src);
            }
            replay.src = URL.createObjectURL(new Blob(blobs, { type: recorder.mimeType || type }));
            show(replay);
            show(stop, false);
            show(start);
            say(region, message("practice-ready"));
            replay.focus();
        });
        recorder.start();
        show(start, false);
        show(stop);
        stop.focus();
        say(region, message("started"));
        timeout = setTimeout(() => recorder.state !== "inactive" && recorder.stop(), PRACTICE_MAX_MS);
    });
    stop.addEventListener("click", () => recorder?.state !== "inactive" && recorder?.stop());
}

// --- Start ------------------------------------------------------------------------------

async function resumePending(store) {
    if (!store.chunks) {
        return;
    }
    for (const pending of await store.chunks.pending()) {
        const take = pending.info?.take;
        if (!take || pending.info.page !== location.pathname) {
            continue; // another interview's: left to its own page
        }
        const section = root.querySelector(`[data-question][data-position="${pending.info.position}"]`);
        const article = root.querySelector(`[data-take-id="${take.id}"]`);
        if (!section || !article) {
            await store.chunks.clear(pending.url); // the take was deleted meanwhile
            continue;
        }
        say(section.querySelector("[data-status]"), message("resuming"));
        const uploader = await store.Uploader.resume(pending.url, { store: store.chunks, csrfToken, maxRequestBytes });
        if (!uploader.finished) {
            await uploader.finish(); // the reload cut the recording short: keep what was recorded
        }
        followUpload(uploader, section, article);
    }
}

async function main() {
    const canRecord = "MediaRecorder" in window && navigator.mediaDevices?.getUserMedia;
    if (!canRecord) {
        show(root.querySelector("[data-unsupported]"));
        return;
    }
    const { ChunkStore, Uploader } = await import(root.dataset.uploadModule);
    const store = { Uploader, chunks: await ChunkStore.open().catch(() => null) };
    for (const element of root.querySelectorAll("[data-recorder-only]")) {
        show(element);
    }
    for (const details of root.querySelectorAll("[data-file-form]")) {
        details.open = false;
    }
    practice();
    for (const section of root.querySelectorAll("[data-question]")) {
        new QuestionRecorder(section, store);
    }
    await resumePending(store);
    for (const article of root.querySelectorAll("[data-take]")) {
        const status = article.dataset.takeStatus;
        if (status === "pending" || status === "processing") {
            const region = article.closest("[data-question]").querySelector("[data-status]");
            watchTake(article, region);
        }
    }
    root.dataset.recorderReady = "ready";
}

main();
