// Time-coded comments on the answers of a mock interview, shared by the counsellor's
// review page and the seeker's page of an attempt (templates/interviews/review/answer.html).
// Loaded as a module; without JavaScript the pages still work: comments are listed by
// time, and the counsellor adds one with a form where the time is typed (m:ss).
//
// - a comment's time is a button: it takes the video to that moment; so are the lines
//   of the answer's transcript (and, with the mouse, each of its words);
// - markers on a timeline under the video show where the comments are (a mouse
//   shortcut to the same moments: the list is the keyboard's way, so the timeline is
//   hidden from assistive technologies);
// - the counsellor's comment box pauses the video when it gets the focus and fills the
//   time field with the video's time (unless they typed a time themselves);
// - Alt + Shift + C pauses the video being watched and goes to its comment box (not
//   from a text field, where the keys type);
// - a comment is sent with fetch (JSON back) and takes its place in the list, by time.

const SHORTCUT_CODE = "KeyC";

export function formatTime(seconds) {
    const whole = Math.max(0, Math.floor(seconds));
    return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

const status = document.querySelector("[data-review-status]");

function announce(message) {
    if (!status) {
        return;
    }
    status.textContent = "";
    // A new text after a pause, so that screen readers read it even when repeated.
    window.setTimeout(() => {
        status.textContent = message;
    }, 50);
}

const MESSAGES = {
    fr: {
        seek: "Vidéo placée à {time}.",
        added: "Commentaire ajouté à {time}.",
        deleted: "Commentaire supprimé.",
        watch: "Regarder à partir de {time}",
        remove: "Supprimer le commentaire à {time}",
        failed: "Le commentaire n'a pas pu être enregistré. Réessayez.",
    },
    en: {
        seek: "Video moved to {time}.",
        added: "Comment added at {time}.",
        deleted: "Comment deleted.",
        watch: "Watch from {time}",
        remove: "Delete the comment at {time}",
        failed: "The comment could not be saved. Try again.",
    },
};

function message(name, time = "") {
    const language = document.documentElement.lang.startsWith("en") ? "en" : "fr";
    return MESSAGES[language][name].replace("{time}", time);
}

let current = null; // the answer last played, focused or commented on

class Answer {
    constructor(root) {
        this.root = root;
        this.video = root.querySelector("[data-review-video]");
        this.list = root.querySelector("[data-comment-list]");
        this.empty = root.querySelector("[data-comment-empty]");
        this.timeline = root.querySelector("[data-timeline]");
        this.form = root.querySelector("[data-comment-form]");
        this.list.addEventListener("click", (event) => {
            const button = event.target.closest("[data-seek]");
            if (button) {
                this.seek(Number(button.dataset.seek));
            }
        });
        this.list.addEventListener("submit", (event) => this.deleteComment(event));
        // The transcript: a line's time (a button) or any word (the mouse) seeks there.
        root.querySelector("[data-transcript]")?.addEventListener("click", (event) => {
            const word = event.target.closest("[data-seek]");
            if (word) {
                this.seek(Number(word.dataset.seek));
            }
        });
        if (this.video) {
            for (const name of ["play", "focus"]) {
                this.video.addEventListener(name, () => {
                    current = this;
                });
            }
            this.video.addEventListener("loadedmetadata", () => this.drawMarkers());
            this.video.addEventListener("durationchange", () => this.drawMarkers());
        }
        if (this.form) {
            this.setUpForm();
        }
        this.drawMarkers();
    }

    duration() {
        const stored = Number(this.timeline?.dataset.duration);
        if (stored > 0) {
            return stored;
        }
        const known = this.video?.duration;
        return Number.isFinite(known) && known > 0 ? known : 0;
    }

    seek(seconds) {
        if (!this.video) {
            return;
        }
        current = this;
        this.video.currentTime = seconds;
        announce(message("seek", formatTime(seconds)));
    }

    drawMarkers() {
        if (!this.timeline) {
            return;
        }
        const duration = this.duration();
        const markers = [];
        for (const item of this.list.querySelectorAll("[data-at]")) {
            const at = Number(item.dataset.at);
            const marker = document.createElement("span");
            marker.className = "review-timeline__marker";
            marker.dataset.at = String(at);
            marker.title = `${formatTime(at)} · ${item.querySelector(".review-comments__text")?.textContent ?? ""}`;
            // CSSOM, not a style attribute: allowed by the Content-Security-Policy.
            marker.style.left = `${duration ? Math.min(100, (100 * at) / duration) : 0}%`;
            marker.addEventListener("click", () => this.seek(at));
            markers.push(marker);
        }
        this.timeline.replaceChildren(...markers);
        this.timeline.hidden = !duration;
    }

    setUpForm() {
        const at = this.form.querySelector("[data-comment-at]");
        const text = this.form.querySelector("[data-comment-text]");
        const error = this.form.querySelector("[data-comment-error]");
        at.addEventListener("input", () => {
            at.dataset.typed = at.value ? "1" : "";
        });
        // The video stops while the counsellor writes; the comment takes its time.
        text.addEventListener("focus", () => this.stamp(false));
        this.form.addEventListener("submit", async (event) => {
            event.preventDefault();
            error.hidden = true;
            let response;
            try {
                response = await fetch(this.form.action, {
                    method: "POST",
                    body: new FormData(this.form),
                    headers: { Accept: "application/json" },
                    credentials: "same-origin",
                });
            } catch {
                this.showError(error, [message("failed")]);
                return;
            }
            const data = await response.json().catch(() => ({ errors: [message("failed")] }));
            if (!response.ok) {
                this.showError(error, data.errors || [message("failed")]);
                return;
            }
            this.insert(data);
            text.value = "";
            at.value = "";
            at.dataset.typed = "";
            announce(message("added", data.at_label));
            text.focus();
        });
    }

    // Pause the video and put its time in the time field (also when the video was
    // already paused, unless the counsellor typed a time: `always` overrides that).
    stamp(always) {
        current = this;
        if (!this.video) {
            return;
        }
        const at = this.form.querySelector("[data-comment-at]");
        const wasPlaying = !this.video.paused;
        this.video.pause();
        if (always || wasPlaying || !at.dataset.typed) {
            at.value = formatTime(this.video.currentTime);
            at.dataset.typed = "";
        }
    }

    showError(element, errors) {
        element.textContent = errors.join(" ");
        element.hidden = false;
    }

    insert(comment) {
        const item = document.createElement("li");
        item.className = "review-comments__item";
        item.dataset.at = String(comment.at_seconds);
        const button = document.createElement("button");
        button.type = "button";
        button.className = "review-comments__time";
        button.dataset.seek = String(comment.at_seconds);
        button.setAttribute("aria-label", message("watch", comment.at_label));
        button.textContent = comment.at_label;
        const text = document.createElement("span");
        text.className = "review-comments__text";
        text.textContent = comment.text;
        item.append(button, " ", text);
        if (comment.delete_url) {
            const form = document.createElement("form");
            form.method = "post";
            form.action = comment.delete_url;
            form.className = "review-comments__delete";
            form.dataset.commentDelete = "";
            const token = this.form.querySelector("[name=csrfmiddlewaretoken]").cloneNode();
            const remove = document.createElement("button");
            remove.type = "submit";
            remove.className = "button button--link";
            remove.textContent = message("remove", comment.at_label);
            form.append(token, remove);
            item.append(" ", form);
        }
        const after = [...this.list.children].find((other) => Number(other.dataset.at) > comment.at_seconds);
        this.list.insertBefore(item, after ?? null);
        this.empty.hidden = true;
        this.drawMarkers();
    }

    async deleteComment(event) {
        const form = event.target.closest("[data-comment-delete]");
        if (!form) {
            return;
        }
        event.preventDefault();
        const response = await fetch(form.action, {
            method: "POST",
            body: new FormData(form),
            headers: { Accept: "application/json" },
            credentials: "same-origin",
        }).catch(() => null);
        if (!response || !response.ok) {
            form.submit(); // let the server answer the usual way
            return;
        }
        form.closest("li").remove();
        this.empty.hidden = this.list.children.length > 0;
        this.drawMarkers();
        announce(message("deleted"));
        this.form?.querySelector("[data-comment-text]").focus();
    }

    startComment() {
        this.stamp(true);
        this.form.querySelector("[data-comment-text]").focus();
    }
}

const answers = [...document.querySelectorAll("[data-review-answer]")].map((root) => new Answer(root));

// Fields where the keys type text: there the shortcut is left to the keyboard (on a
// Mac, Option + Shift + C types "Ç"), and the counsellor is writing already.
const NOT_TYPED = new Set(["button", "checkbox", "radio", "submit", "reset", "range", "color", "file", "image"]);

function typingIn(element) {
    if (element.isContentEditable || element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement) {
        return true;
    }
    return element instanceof HTMLInputElement && !NOT_TYPED.has(element.type);
}

document.addEventListener("keydown", (event) => {
    if (!(event.altKey && event.shiftKey && event.code === SHORTCUT_CODE) || typingIn(event.target)) {
        return;
    }
    const target = current ?? answers.find((answer) => answer.form);
    if (target?.form) {
        event.preventDefault();
        target.startComment();
    }
});
