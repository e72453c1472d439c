// Lesson progress: tells the server how much of the lesson's videos was watched, so
// that a lesson whose video is seen to 90 % counts as done. Only the furthest point
// reached while playing counts (seeking ahead does not), and reports are sent at 25,
// 50, 75 and 90 %. Without JavaScript the "I have finished this lesson" button does it.

const THRESHOLDS = [25, 50, 75, 90];

const lesson = document.querySelector("[data-lesson-video-url]");
const form = document.querySelector("[data-lesson-progress]");

function report(percent) {
    const token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!token) {
        return Promise.resolve(null);
    }
    const body = new FormData();
    body.append("percent", String(percent));
    return fetch(lesson.dataset.lessonVideoUrl, {
        method: "POST",
        body,
        headers: { "X-CSRFToken": token.value },
        credentials: "same-origin",
    })
        .then((response) => (response.ok ? response.json() : null))
        .catch(() => null);
}

function track(video) {
    let furthest = 0;
    let lastTime = 0;
    const sent = new Set();
    video.addEventListener("timeupdate", () => {
        const now = video.currentTime;
        // Playing moves forward by less than a couple of seconds between events; a
        // bigger jump is a seek, which does not count as watched.
        if (now > lastTime && now - lastTime < 2) {
            furthest = Math.max(furthest, now);
        }
        lastTime = now;
        if (!video.duration || !Number.isFinite(video.duration)) {
            return;
        }
        const percent = Math.floor((100 * furthest) / video.duration);
        const reached = THRESHOLDS.filter((threshold) => percent >= threshold && !sent.has(threshold));
        if (reached.length) {
            reached.forEach((threshold) => sent.add(threshold));
            report(Math.max(...reached)).then((answer) => {
                if (answer && answer.done && form) {
                    form.hidden = true;
                }
            });
        }
    });
    video.addEventListener("ended", () => {
        if (!sent.has(100) && furthest / (video.duration || 1) >= 0.85) {
            sent.add(100);
            report(100);
        }
    });
}

if (lesson) {
    lesson.querySelectorAll("video").forEach(track);
}
