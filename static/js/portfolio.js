// The portfolio's "Select" column is one Tab stop: with 250 seekers, two stops a row
// made the assignment form 500 Tabs away. The arrow keys (and Home, End) move between
// the checkboxes, the space bar ticks them, Tab leaves the column. Without JavaScript
// every checkbox stays in the Tab order.
const boxes = Array.from(document.querySelectorAll('#bulk-assign input[name="assign-seekers"]'));
if (boxes.length) {
  let current = Math.max(0, boxes.findIndex((box) => box.checked));

  const moveTo = (index) => {
    const next = Math.min(Math.max(index, 0), boxes.length - 1);
    boxes[current].tabIndex = -1;
    boxes[next].tabIndex = 0;
    current = next;
    boxes[next].focus();
  };

  boxes.forEach((box, index) => {
    box.tabIndex = index === current ? 0 : -1;
    box.addEventListener('focus', () => {
      boxes[current].tabIndex = -1;
      box.tabIndex = 0;
      current = index;
    });
    box.addEventListener('keydown', (event) => {
      const moves = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: boxes.length - 1 };
      if (event.key in moves && !event.altKey && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        moveTo(moves[event.key]);
      }
    });
  });
}
