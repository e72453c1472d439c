// The conversation page asks for new messages without reloading: every 10 seconds
// while the page is visible, every minute when it is hidden, and at once when it comes
// back. Each request sends the ETag of the last answer: the server answers 304, from one
// query, while nothing changed. New messages are appended (the list is aria-live) and
// "Read" appears under the reader's own messages once the other side has opened them.
// Without JavaScript the page works the same; it shows new messages when reloaded.
const list = document.getElementById('chat-messages');
if (list && list.dataset.pollUrl) {
  const VISIBLE_DELAY = 10000;
  const HIDDEN_DELAY = 60000;
  let after = Number(list.dataset.after) || 0;
  let etag = null;
  let timer = null;
  let busy = false;

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(poll, document.hidden ? HIDDEN_DELAY : VISIBLE_DELAY);
  };

  const showRead = (through) => {
    for (const item of list.querySelectorAll('li[data-own]')) {
      if (Number(item.dataset.id) <= through) {
        const read = item.querySelector('.chat__read');
        if (read) read.hidden = false;
      }
    }
  };

  async function poll() {
    if (busy) return;
    busy = true;
    try {
      const url = new URL(list.dataset.pollUrl, window.location.href);
      url.searchParams.set('apres', String(after));
      if (!document.hidden) url.searchParams.set('lu', '1');
      const headers = { Accept: 'application/json' };
      if (etag) headers['If-None-Match'] = etag;
      const response = await fetch(url, { headers, cache: 'no-store', credentials: 'same-origin' });
      if (response.status === 200) {
        etag = response.headers.get('ETag');
        const data = await response.json();
        for (const message of data.messages) {
          if (message.id > after && !document.getElementById(`message-${message.id}`)) {
            list.insertAdjacentHTML('beforeend', message.html);
          }
          after = Math.max(after, message.id);
        }
        if (data.messages.length) document.getElementById('chat-empty')?.remove();
        showRead(data.read_through);
      }
    } catch {
      // Offline for a moment: the next attempt comes on schedule.
    } finally {
      busy = false;
      schedule();
    }
  }

  document.addEventListener('visibilitychange', () => (document.hidden ? schedule() : poll()));
  schedule();
}
