// The CV builder (templates/ateliers/blocks/cv.html).
//
// - Live preview: after each autosave (autosave.js sends "tremplin:saved" to the form),
//   the preview of the saved CV is fetched (GET …/apercu/) and put in place of the old
//   one. The focus stays where it is and nothing is announced: the preview is there to
//   look at, the status line already says "saved".
// - The fields the server marked (its "errors", named after the saved CV's entries)
//   are marked in the form as the server would mark them on a reload.
// - "Add …", "Move up" and "Remove" act in place instead of posting the form; the
//   change is then saved like any other (an "input" event for autosave.js). Without
//   JavaScript the same buttons post the form (ateliers.cv.parse_form).
// - After a PDF export, the list of versions is refreshed from the page.

const GROUPS = ["experiences", "education", "languages"];
const ENTRY_NAME = /^(experiences|education|languages)-\d+-([a-z_]+)$/;

function parse(html) {
    return new DOMParser().parseFromString(html, "text/html");
}

// ---------------------------------------------------------------------------
// Entries: number them 0…n-1 in names, ids, labels and button values
// ---------------------------------------------------------------------------
function renumber(list) {
    const group = list.dataset.cvEntries;
    const pattern = new RegExp(`${group}-(\\d+|__index__)`, "g");
    list.querySelectorAll(":scope > [data-cv-entry]").forEach((entry, index) => {
        const replacement = `${group}-${index}`;
        entry.querySelectorAll("[name], [id], [for], [aria-describedby], button[value]").forEach((element) => {
            for (const attribute of ["name", "id", "for", "aria-describedby", "value"]) {
                const current = element.getAttribute(attribute);
                if (current && (attribute !== "value" || element.tagName === "BUTTON")) {
                    element.setAttribute(attribute, current.replace(pattern, replacement));
                }
            }
        });
        entry.querySelectorAll("[data-cv-number]").forEach((number) => {
            number.textContent = String(index + 1);
        });
        const move = entry.querySelector("[data-cv-move]");
        if (move) {
            move.hidden = index === 0;
        }
    });
    const add = list.closest("fieldset").querySelector(`[data-cv-add="${group}"]`);
    if (add) {
        add.disabled = list.children.length >= Number(list.dataset.cvMax || 99);
    }
}

function changed(form) {
    form.dispatchEvent(new Event("input", { bubbles: true }));
}

function firstField(entry) {
    return entry.querySelector("input, select, textarea");
}

function setupEntries(builder, form) {
    form.addEventListener("click", (event) => {
        if (event.target.closest("button[data-cv-default]")) {
            // Enter in a field: save now, in the background, like any other change.
            event.preventDefault();
            form.dispatchEvent(new Event("change", { bubbles: true }));
            return;
        }
        const button = event.target.closest("button[data-cv-add], button[data-cv-remove], button[data-cv-move]");
        if (!button || !form.contains(button)) {
            return;
        }
        event.preventDefault();
        if (button.dataset.cvAdd) {
            const group = button.dataset.cvAdd;
            const list = form.querySelector(`[data-cv-entries="${group}"]`);
            const template = form.querySelector(`template[data-cv-template="${group}"]`);
            if (!list || !template || list.children.length >= Number(list.dataset.cvMax || 99)) {
                return;
            }
            const entry = template.content.firstElementChild.cloneNode(true);
            list.append(entry);
            renumber(list);
            firstField(entry).focus();
            changed(form);
            return;
        }
        const entry = button.closest("[data-cv-entry]");
        const list = entry.parentElement;
        if (button.hasAttribute("data-cv-remove")) {
            const next = entry.nextElementSibling || entry.previousElementSibling;
            entry.remove();
            renumber(list);
            const add = list.closest("fieldset").querySelector("[data-cv-add]");
            (next ? firstField(next) : add).focus();
        } else {
            const previous = entry.previousElementSibling;
            if (!previous) {
                return;
            }
            list.insertBefore(entry, previous);
            renumber(list);
            (button.hidden ? firstField(entry) : button).focus();
        }
        changed(form);
    });
    GROUPS.forEach((group) => {
        const list = form.querySelector(`[data-cv-entries="${group}"]`);
        if (list) {
            renumber(list);
        }
    });
}

// ---------------------------------------------------------------------------
// Errors from the server, by field name of the saved CV
// ---------------------------------------------------------------------------
function isBlank(entry) {
    return [...entry.querySelectorAll("input, select, textarea")].every((field) => !field.value.trim());
}

function fieldFor(form, name) {
    const match = ENTRY_NAME.exec(name);
    if (!match) {
        return form.elements.namedItem(name);
    }
    // The saved CV has no empty entries: its n-th entry is the n-th filled one here.
    const [, group, field] = match;
    const position = Number(name.split("-")[1]);
    const list = form.querySelector(`[data-cv-entries="${group}"]`);
    const filled = list ? [...list.children].filter((entry) => !isBlank(entry)) : [];
    const entry = filled[position];
    return entry ? entry.querySelector(`[name$="-${field}"]`) : null;
}

function clearErrors(form) {
    form.querySelectorAll("[data-cv-error]").forEach((message) => message.remove());
    form.querySelectorAll("[aria-invalid]").forEach((field) => {
        field.removeAttribute("aria-invalid");
        const hint = field.getAttribute("aria-describedby") || "";
        const kept = hint.split(" ").filter((id) => id && !id.endsWith("-error"));
        if (kept.length) {
            field.setAttribute("aria-describedby", kept.join(" "));
        } else {
            field.removeAttribute("aria-describedby");
        }
    });
    form.querySelectorAll(".cv-field.field--error").forEach((wrapper) => wrapper.classList.remove("field--error"));
}

function markErrors(form, errors) {
    clearErrors(form);
    for (const [name, message] of Object.entries(errors || {})) {
        const field = fieldFor(form, name);
        if (!field || !field.id || typeof message !== "string") {
            continue;
        }
        const wrapper = field.closest("[data-cv-field]");
        const error = document.createElement("p");
        error.className = "field__errors";
        error.id = `${field.id}-error`;
        error.dataset.cvError = "";
        error.textContent = message;
        field.before(error);
        field.setAttribute("aria-invalid", "true");
        const described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
        field.setAttribute("aria-describedby", [...described, error.id].join(" "));
        if (wrapper) {
            wrapper.classList.add("field--error");
        }
    }
}

// ---------------------------------------------------------------------------
// Preview and versions
// ---------------------------------------------------------------------------
function setupPreview(builder, form) {
    const preview = builder.querySelector("[data-cv-preview]");
    const content = preview && preview.querySelector("[data-cv-preview-content]");
    if (!content || !preview.dataset.url) {
        return;
    }
    let controller = null;
    async function refresh() {
        if (controller) {
            controller.abort();
        }
        controller = new AbortController();
        try {
            const response = await fetch(preview.dataset.url, {
                credentials: "same-origin",
                headers: { "X-Requested-With": "fetch" },
                signal: controller.signal,
            });
            if (!response.ok) {
                return;
            }
            const paper = parse(await response.text()).querySelector(".cv-paper");
            if (paper) {
                content.replaceChildren(document.importNode(paper, true));
            }
        } catch {
            // Offline or aborted by a newer refresh: the preview stays as it was.
        }
    }
    form.addEventListener("tremplin:saved", (event) => {
        const answer = (event.detail && event.detail.response) || {};
        markErrors(form, answer.errors);
        refresh();
    });
}

function setupVersions(exercise) {
    const exportForm = exercise.querySelector("form[data-cv-export]");
    const versions = exercise.querySelector("[data-cv-versions]");
    if (!exportForm || !versions || !versions.id) {
        return;
    }
    async function refresh() {
        try {
            const response = await fetch(window.location.pathname, { credentials: "same-origin" });
            if (!response.ok) {
                return;
            }
            const fresh = parse(await response.text()).getElementById(versions.id);
            if (fresh && fresh.innerHTML !== versions.innerHTML) {
                versions.replaceChildren(...[...fresh.childNodes].map((node) => document.importNode(node, true)));
            }
        } catch {
            // The list is refreshed on the next visit.
        }
    }
    exportForm.addEventListener("submit", () => {
        // The PDF downloads; the page stays. Its new version shows once it is made.
        window.setTimeout(refresh, 2500);
        window.setTimeout(refresh, 7000);
    });
}

document.querySelectorAll("[data-cv-builder]").forEach((builder) => {
    const exercise = builder.closest(".exercise") || builder.parentElement;
    const form = builder.querySelector("form[data-cv-form]");
    if (form) {
        setupEntries(builder, form);
        setupPreview(builder, form);
    }
    setupVersions(exercise);
});
