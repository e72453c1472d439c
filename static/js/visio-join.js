// The "Join" button of a visio appointment becomes active by itself when the room opens
// (VISIO_JOIN_MINUTES_BEFORE minutes before the start, contact/visio.py), without
// reloading the page. The page ([data-visio-join]) gives the opening time and the
// server's clock (ISO 8601 with offset), the link to put in place of the disabled button
// (<template data-join-link>) and the translated messages (<template data-message="…">).
// When the room opens, the live region [data-join-status] says so, politely.
//
// A timer waits for the opening time, computed on the server's clock (the visitor's may
// be a few minutes off). A hidden tab's timers are slowed down or frozen, and a computer
// asleep runs none: the time is checked again whenever the page becomes visible.
// Without JavaScript, the page says to reload it when the room opens.

const root = document.querySelector("[data-visio-join]");
// setTimeout cannot wait more than ~24.8 days; a long wait is cut into hours.
const LONGEST_WAIT = 60 * 60 * 1000;

function message(name) {
    return root.querySelector(`template[data-message="${name}"]`).content.cloneNode(true);
}

if (root) {
    const opens = Date.parse(root.dataset.opens);
    // How far the visitor's clock is behind the server's, measured when the page came.
    const skew = Date.parse(root.dataset.now) - Date.now();
    const button = root.querySelector("[data-join-button]");
    const hint = root.querySelector("[data-join-hint]");
    const status = root.querySelector("[data-join-status]");
    let timer = null;

    const open = () => {
        const link = root.querySelector("template[data-join-link]").content.cloneNode(true);
        button.replaceWith(link);
        hint.hidden = true;
        status.replaceChildren(message("open"));
        document.removeEventListener("visibilitychange", onVisible);
    };

    const check = () => {
        clearTimeout(timer);
        const left = opens - (Date.now() + (Number.isNaN(skew) ? 0 : skew));
        if (left <= 0) {
            open();
        } else {
            timer = setTimeout(check, Math.min(left, LONGEST_WAIT));
        }
    };

    function onVisible() {
        if (!document.hidden) {
            check();
        }
    }

    if (!Number.isNaN(opens) && button && hint && status) {
        hint.replaceChildren(message("waiting"));
        document.addEventListener("visibilitychange", onVisible);
        check();
    }
}
