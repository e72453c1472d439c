// Drafts that save themselves: every form[data-autosave] of an e-atelier step (free
// text, checklist, CV builder) is posted in the background a moment after the seeker
// stops typing or ticks a box, so nothing is lost when the page is closed or reloaded.
// The server (ateliers.views.work.save_answer) answers with JSON:
//   {"saved_at": "...", "message": "Draft saved at 14:05"}   or   {"errors": {...}} (400)
// The status line ([data-autosave-status], aria-live="polite") says what happened; its
// data-* attributes hold the translated messages. After each save the form receives a
// "tremplin:saved" event (detail: {form, response}): the CV builder refreshes its preview.
// Without JavaScript, the form's own "Save" button does the same job.

const DELAY = 1200;

function snapshot(form) {
    // What the form would send, as a string to compare; the CSRF token does not count.
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
        if (name !== "csrfmiddlewaretoken" && typeof value === "string") {
            params.append(name, value);
        }
    }
    return params.toString();
}

function savedSnapshot(form) {
    // What the server rendered (the fields' default values), in the order FormData uses:
    // text typed or restored by the browser before this script ran counts as unsaved.
    const params = new URLSearchParams();
    for (const field of form.elements) {
        if (!field.name || field.disabled || field.name === "csrfmiddlewaretoken") {
            continue;
        }
        if (field.type === "checkbox" || field.type === "radio") {
            if (field.defaultChecked) {
                params.append(field.name, field.value);
            }
        } else if (field.tagName === "SELECT") {
            for (const option of field.options) {
                if (option.defaultSelected) {
                    params.append(field.name, option.value);
                }
            }
        } else if (field.type !== "file" && field.type !== "submit" && field.type !== "button") {
            params.append(field.name, field.defaultValue);
        }
    }
    return params.toString();
}

function firstError(errors) {
    const messages = Object.values(errors || {}).flat();
    return messages.length ? String(messages[0]) : "";
}

function setup(form) {
    const status = form.querySelector("[data-autosave-status]");
    const hint = form.querySelector("[data-autosave-hint]");
    const token = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!status || !token) {
        return;
    }
    if (hint) {
        hint.hidden = false;
    }
    let saved = savedSnapshot(form);
    let timer = null;
    let sending = false;
    let again = false;
    let stopped = false;

    function show(text, state) {
        status.dataset.state = state;
        if (status.textContent !== text) {
            status.textContent = text;
        }
    }

    async function save() {
        timer = null;
        if (stopped) {
            return;
        }
        const state = snapshot(form);
        if (state === saved) {
            return;
        }
        if (sending) {
            again = true;
            return;
        }
        sending = true;
        show(status.dataset.saving, "saving");
        try {
            const response = await fetch(form.action, {
                method: "POST",
                body: new FormData(form),
                headers: { "X-CSRFToken": token.value, "X-Requested-With": "fetch", Accept: "application/json" },
                credentials: "same-origin",
            });
            const answer = await response.json().catch(() => ({}));
            if (response.ok) {
                saved = state;
                const problem = firstError(answer.errors);
                show(problem ? `${answer.message} — ${problem}` : answer.message, problem ? "error" : "saved");
                form.dispatchEvent(new CustomEvent("tremplin:saved", { bubbles: true, detail: { form, response: answer } }));
            } else {
                // 400: not saved, say why; 409: sent for review, answers are locked;
                // 403: logged out or the page is too old. Nothing more is tried.
                show(firstError(answer.errors) || status.dataset.failed, "error");
                if (response.status === 409 || response.status === 403) {
                    stopped = true;
                }
            }
        } catch {
            // Offline or the server is unreachable: `saved` is unchanged, so the next
            // change (or the connection coming back) sends everything again.
            show(status.dataset.offline, "error");
        } finally {
            sending = false;
            if (again) {
                again = false;
                schedule();
            }
        }
    }

    function schedule() {
        clearTimeout(timer);
        timer = setTimeout(save, DELAY);
    }

    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    form.addEventListener("submit", () => {
        // The "Save" button posts the form itself (and reloads the page).
        clearTimeout(timer);
        stopped = true;
    });
    window.addEventListener("online", schedule);
    // Typed before this script ran, or restored by the browser: save it too.
    if (snapshot(form) !== saved) {
        schedule();
    }
    // Leaving the page with an unsaved change: send it anyway (a normal form POST).
    window.addEventListener("pagehide", () => {
        if (!stopped && snapshot(form) !== saved && navigator.sendBeacon) {
            const body = new FormData(form);
            body.append("_autosave", "1");
            navigator.sendBeacon(form.action, body);
        }
    });
}

document.querySelectorAll("form[data-autosave]").forEach(setup);
