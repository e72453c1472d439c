// Resumable uploads from the browser: the client of core.resumable (tus 1.0, see its
// docstring). A recording is handed over in pieces as it is made; each piece is kept in
// IndexedDB (as an ArrayBuffer: Safari cannot store Blobs there) until the server
// confirms it, and the pieces are sent in order with PATCH. After a network failure or
// a page reload the uploader asks the server where the upload stands (HEAD) and goes on
// from there, retrying with growing pauses; nothing already recorded is lost.
//
//   import { ChunkStore, Uploader } from "/static/js/resumable-upload.js";
//
//   // null where IndexedDB is unavailable: uploads then survive network failures, not reloads.
//   const store = await ChunkStore.open().catch(() => null);
//   const uploader = new Uploader(uploadUrl, { store, csrfToken, info: { take: 12 } });
//   uploader.addEventListener("progress", (event) => show(event.detail));  // {offset, stored, length}
//   recorder.addEventListener("dataavailable", (event) => uploader.append(event.data));
//   recorder.addEventListener("stop", () => uploader.finish());  // the length goes with the last PATCH
//   recorder.start(1000);  // a piece every second
//   await uploader.done;  // resolves once the server has every byte; rejects on a refusal
//
// `uploadUrl` is the `url` of the upload the app's view created (core.resumable.start),
// `csrfToken` the page's CSRF token (the cookie is HttpOnly: take it from the page).
// After a reload, `await store.pending()` lists the uploads not yet complete (with the
// `info` given above) and `await Uploader.resume(url, { store, csrfToken })` goes on with
// one; if the reload cut the recording short (`uploader.finished` is false), the page
// either keeps what was recorded (`finish()`) or drops it (`cancel()`).
//
// Events: "progress" (detail: offset confirmed by the server, bytes stored, total length
// or null), "retry" (detail: attempt, delay in ms, the error), "complete", "error"
// (detail: status and message; the upload cannot go on: refused, too large, gone, or
// logged out; its pieces stay in the store until `store.clear(url)`), "storage-error"
// (IndexedDB refused a piece: the upload goes on, but a reload would lose the pieces not
// yet sent). The pieces are the seeker's recording: `store.clearAll()` at log-out.

const TUS_VERSION = "1.0.0";
const CONTENT_TYPE = "application/offset+octet-stream";
const DB_NAME = "tremplin-uploads";
// Answers after which trying again cannot help.
const FATAL = new Set([400, 403, 404, 410, 412, 413, 415]);
// A request carries about PIECE_SECONDS of sending at the speed the previous one showed,
// between MIN_PIECE_BYTES and `maxRequestBytes` (the server's limit). nginx receives a
// body whole before passing it on, so a request cut half-way is lost whole: on a slow
// link a cut then costs seconds of sending, not minutes, while on a fast one a backlog
// (after a cut or a reload) goes in few requests.
const PIECE_SECONDS = 10;
const FIRST_PIECE_BYTES = 1024 * 1024;
const MIN_PIECE_BYTES = 256 * 1024;

function settled(request) {
    return new Promise((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
    });
}

function committed(transaction) {
    return new Promise((resolve, reject) => {
        transaction.oncomplete = () => resolve();
        transaction.onerror = () => reject(transaction.error);
        transaction.onabort = () => reject(transaction.error || new DOMException("Aborted", "AbortError"));
    });
}

function range(url) {
    return IDBKeyRange.bound([url, 0], [url, Number.MAX_SAFE_INTEGER]);
}

/** Pieces of uploads waiting for the server's confirmation, in IndexedDB: "chunks" holds
 * {url, index, start, bytes} under [url, index], "uploads" what an upload is
 * ({url, stored, nextIndex, finished, info}). */
export class ChunkStore {
    static async open(name = DB_NAME) {
        const request = indexedDB.open(name, 1);
        request.onupgradeneeded = () => {
            request.result.createObjectStore("chunks", { keyPath: ["url", "index"] });
            request.result.createObjectStore("uploads", { keyPath: "url" });
        };
        const db = await settled(request);
        db.onversionchange = () => db.close(); // let a newer version of this script upgrade it
        return new ChunkStore(db);
    }

    constructor(db) {
        this.db = db;
    }

    /** Keep one piece and what the upload is now, in one transaction. */
    async put(chunk, upload) {
        const transaction = this.db.transaction(["chunks", "uploads"], "readwrite");
        transaction.objectStore("chunks").put(chunk);
        transaction.objectStore("uploads").put(upload);
        await committed(transaction);
    }

    async saveUpload(upload) {
        const transaction = this.db.transaction("uploads", "readwrite");
        transaction.objectStore("uploads").put(upload);
        await committed(transaction);
    }

    async upload(url) {
        return settled(this.db.transaction("uploads").objectStore("uploads").get(url));
    }

    /** Every upload with pieces or a state kept here: what a page resumes after a reload. */
    async pending() {
        return settled(this.db.transaction("uploads").objectStore("uploads").getAll());
    }

    /** The upload's pieces, in order. */
    async chunks(url) {
        return settled(this.db.transaction("chunks").objectStore("chunks").getAll(range(url)));
    }

    /** Drop the pieces the server holds entirely (they end at or before `offset`). */
    async forget(url, offset) {
        const transaction = this.db.transaction("chunks", "readwrite");
        const request = transaction.objectStore("chunks").openCursor(range(url));
        request.onsuccess = () => {
            const cursor = request.result;
            if (cursor && cursor.value.start + cursor.value.bytes.byteLength <= offset) {
                cursor.delete();
                cursor.continue();
            }
        };
        await committed(transaction);
    }

    /** Forget the upload altogether. */
    async clear(url) {
        const transaction = this.db.transaction(["chunks", "uploads"], "readwrite");
        transaction.objectStore("chunks").delete(range(url));
        transaction.objectStore("uploads").delete(url);
        await committed(transaction);
    }

    /** Forget every upload (on a shared computer, before someone else uses the browser). */
    async clearAll() {
        const transaction = this.db.transaction(["chunks", "uploads"], "readwrite");
        transaction.objectStore("chunks").clear();
        transaction.objectStore("uploads").clear();
        await committed(transaction);
    }
}

class Refused extends Error {
    constructor(status, message, fatal = FATAL.has(status)) {
        super(message || `HTTP ${status}`);
        this.status = status;
        this.fatal = fatal;
    }
}

async function toArrayBuffer(data) {
    if (data instanceof Blob) {
        return data.arrayBuffer();
    }
    if (ArrayBuffer.isView(data)) {
        return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
    }
    return data.slice(0); // a copy: the caller may reuse its buffer
}

/** Sends one upload's pieces in order, from the offset the server confirms. */
export class Uploader extends EventTarget {
    #running = false;
    #attempt = 0;
    #wake = null;
    #queue = Promise.resolve();
    #serverLength = null;
    #resolve;
    #reject;

    constructor(url, { store = null, csrfToken = "", info = null, maxRequestBytes = 4 * 1024 * 1024, pieceSeconds = PIECE_SECONDS, retryDelays = [500, 1000, 2000, 4000, 8000, 15000, 30000] } = {}) {
        super();
        this.url = url;
        this.store = store;
        this.csrfToken = csrfToken;
        this.info = info;
        this.maxRequestBytes = maxRequestBytes;
        this.pieceSeconds = pieceSeconds;
        this.pieceBytes = Math.min(FIRST_PIECE_BYTES, maxRequestBytes); // the next request's most
        this.retryDelays = retryDelays;
        this.offset = null; // confirmed by the server; null: to ask (HEAD)
        this.stored = 0; // bytes handed over so far
        this.nextIndex = 0;
        this.finished = false; // no more pieces: the length is `stored`
        this.complete = false;
        this.error = null;
        this.chunks = []; // {index, start, bytes} not yet confirmed, in order
        this.done = new Promise((resolve, reject) => {
            this.#resolve = resolve;
            this.#reject = reject;
        });
        this.done.catch(() => {}); // a page that never awaits it is not an unhandled rejection
        this.onOnline = () => this.#wake?.();
        window.addEventListener("online", this.onOnline);
    }

    /** Go on with an upload started before a reload, from what `store` kept. */
    static async resume(url, options = {}) {
        const uploader = new Uploader(url, options);
        const saved = options.store ? await options.store.upload(url) : null;
        if (saved) {
            uploader.info = saved.info;
            uploader.stored = saved.stored;
            uploader.nextIndex = saved.nextIndex;
            uploader.finished = saved.finished;
            uploader.chunks = await options.store.chunks(url);
        }
        uploader.#run();
        return uploader;
    }

    get length() {
        return this.finished ? this.stored : null;
    }

    #state() {
        return { url: this.url, stored: this.stored, nextIndex: this.nextIndex, finished: this.finished, info: this.info };
    }

    /** Hand over the next piece (a Blob from MediaRecorder, an ArrayBuffer or a typed
     * array). Pieces are kept in the order of the calls. */
    append(data) {
        if (this.finished) {
            throw new Error("This upload is finished: nothing can be appended.");
        }
        const size = data.size ?? data.byteLength;
        if (!size) {
            return this.#queue;
        }
        const chunk = { url: this.url, index: this.nextIndex, start: this.stored, bytes: null };
        this.nextIndex += 1;
        this.stored += size;
        const state = this.#state();
        this.#queue = this.#queue.then(async () => {
            try {
                chunk.bytes = await toArrayBuffer(data);
            } catch (error) {
                this.#fail(new Refused(0, `A piece could not be read: ${error}`, true));
                return;
            }
            this.chunks.push(chunk);
            await this.#keep(() => this.store.put(chunk, state));
            this.#progress();
            this.#run();
        });
        return this.#queue;
    }

    /** No more pieces: the last PATCH tells the server the length. Resolves once that is
     * kept (await `done` for the server's confirmation). */
    async finish() {
        this.finished = true;
        await this.#queue;
        await this.#keep(() => this.store.saveUpload(this.#state()));
        this.#run();
    }

    /** Give up: the server forgets the upload (tus termination), and so does the store. */
    async cancel() {
        this.error = new DOMException("Upload cancelled", "AbortError");
        this.#wake?.();
        window.removeEventListener("online", this.onOnline);
        await this.#queue;
        try {
            await fetch(this.url, { method: "DELETE", headers: this.#headers(), credentials: "same-origin" });
        } finally {
            await this.#keep(() => this.store.clear(this.url));
            this.#reject(this.error);
        }
    }

    async #keep(write) {
        if (!this.store) {
            return;
        }
        try {
            await write();
        } catch (error) {
            this.dispatchEvent(new CustomEvent("storage-error", { detail: { error } }));
        }
    }

    #headers(extra = {}) {
        return { "Tus-Resumable": TUS_VERSION, "X-CSRFToken": this.csrfToken, "X-Requested-With": "fetch", ...extra };
    }

    #progress() {
        const detail = { offset: this.offset ?? 0, stored: this.stored, length: this.length };
        this.dispatchEvent(new CustomEvent("progress", { detail }));
    }

    async #run() {
        if (this.#running) {
            return;
        }
        this.#running = true;
        try {
            while (!this.complete && !this.error) {
                try {
                    if (!(await this.#step())) {
                        break; // nothing to send until the next piece
                    }
                    this.#attempt = 0;
                } catch (error) {
                    if (error instanceof Refused && error.fatal) {
                        this.#fail(error);
                        break;
                    }
                    // Offline, a cut connection, a server error: ask again where it is;
                    // after a cut, send less at a time.
                    this.offset = null;
                    if (!(error instanceof Refused)) {
                        this.#sized();
                    }
                    await this.#pause(error);
                }
            }
        } finally {
            this.#running = false;
        }
    }

    /** One request; false when there is nothing to do now. */
    async #step() {
        if (this.offset === null) {
            await this.#head();
            return true;
        }
        if (this.chunks.length && this.chunks[0].start > this.offset) {
            throw new Refused(409, "The bytes after the server's offset are no longer here.", true);
        }
        const body = this.#bodyFrom(this.offset);
        const sendsLength = this.finished && this.#serverLength === null && this.offset + body.byteLength === this.stored;
        if (!body.byteLength && !sendsLength) {
            return false;
        }
        const headers = this.#headers({ "Content-Type": CONTENT_TYPE, "Upload-Offset": String(this.offset) });
        if (sendsLength) {
            headers["Upload-Length"] = String(this.stored);
        }
        const sent = performance.now();
        const response = await fetch(this.url, { method: "PATCH", headers, body, credentials: "same-origin", cache: "no-store" });
        const offset = response.headers.get("Upload-Offset");
        if (response.status === 409 && offset !== null) {
            await this.#confirmed(Number(offset)); // another request got there first
            return true;
        }
        if (response.status !== 204) {
            throw new Refused(response.status, await response.text());
        }
        if (sendsLength) {
            this.#serverLength = this.stored;
        }
        if (body.byteLength) {
            this.#sized(body.byteLength / Math.max(performance.now() - sent, 1));
        }
        await this.#confirmed(Number(offset));
        return true;
    }

    /** The next requests' size, from the bytes per millisecond the last one showed (or,
     * after a cut, half the last size). A small piece understates the speed (the
     * round trip weighs more): pieces then grow with the next ones. */
    #sized(bytesPerMs = null) {
        const bytes = bytesPerMs === null ? this.pieceBytes / 2 : bytesPerMs * this.pieceSeconds * 1000;
        this.pieceBytes = Math.round(Math.min(this.maxRequestBytes, Math.max(MIN_PIECE_BYTES, bytes)));
    }

    async #head() {
        const response = await fetch(this.url, { method: "HEAD", headers: this.#headers(), credentials: "same-origin", cache: "no-store" });
        if (!response.ok) {
            throw new Refused(response.status);
        }
        const length = response.headers.get("Upload-Length");
        this.#serverLength = length === null ? null : Number(length);
        await this.#confirmed(Number(response.headers.get("Upload-Offset")));
    }

    /** The bytes from `offset` on, as far as the pieces at hand go, within pieceBytes. */
    #bodyFrom(offset) {
        const parts = [];
        let position = offset;
        let size = 0;
        for (const chunk of this.chunks) {
            const end = chunk.start + chunk.bytes.byteLength;
            if (end <= position) {
                continue;
            }
            if (chunk.start > position || size >= this.pieceBytes) {
                break; // a gap (not stored yet) or enough for one request
            }
            const from = position - chunk.start;
            const take = Math.min(chunk.bytes.byteLength - from, this.pieceBytes - size);
            parts.push(new Uint8Array(chunk.bytes, from, take));
            position += take;
            size += take;
        }
        if (parts.length === 1) {
            return parts[0];
        }
        const body = new Uint8Array(size);
        let at = 0;
        for (const part of parts) {
            body.set(part, at);
            at += part.byteLength;
        }
        return body;
    }

    async #confirmed(offset) {
        this.offset = offset;
        this.chunks = this.chunks.filter((chunk) => chunk.start + chunk.bytes.byteLength > offset);
        this.#progress();
        if (this.#serverLength !== null && offset === this.#serverLength) {
            await this.#keep(() => this.store.clear(this.url));
            this.complete = true;
            window.removeEventListener("online", this.onOnline);
            this.dispatchEvent(new CustomEvent("complete"));
            this.#resolve(this);
        } else {
            await this.#keep(() => this.store.forget(this.url, offset));
        }
    }

    #fail(error) {
        this.error = error;
        window.removeEventListener("online", this.onOnline);
        this.dispatchEvent(new CustomEvent("error", { detail: { status: error.status, message: error.message } }));
        this.#reject(error);
    }

    /** Wait before trying again: longer after each failure, shorter if the browser
     * comes back online. */
    #pause(error) {
        const delay = this.retryDelays[Math.min(this.#attempt, this.retryDelays.length - 1)];
        this.#attempt += 1;
        this.dispatchEvent(new CustomEvent("retry", { detail: { attempt: this.#attempt, delay, error } }));
        return new Promise((resolve) => {
            const timer = setTimeout(resolve, delay);
            this.#wake = () => {
                clearTimeout(timer);
                this.#wake = null;
                resolve();
            };
        });
    }
}
