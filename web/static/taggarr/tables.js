"use strict";
// On a phone a table row becomes a card: each cell is shown under its column's name.
// The names come from the table's own header, copied into data-label here (the
// stylesheet shows them below 768 px); a table marked data-keep-table is left alone.
(() => {
  const label = (table) => {
    const head = table.tHead;
    if (!head || head.classList.contains("visually-hidden") || table.hasAttribute("data-keep-table")) {
      return;
    }
    const names = Array.from(head.rows[head.rows.length - 1].cells, (cell) =>
      cell.textContent.replace(/\s+/g, " ").trim(),
    );
    table.classList.add("taggarr-cards");
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let column = 0;
        for (const cell of row.cells) {
          // A cell across several columns (an empty table's note) is its own text.
          if (names[column] && (cell.colSpan || 1) === 1 && !cell.hasAttribute("data-label")) {
            cell.dataset.label = names[column];
          }
          column += cell.colSpan || 1;
        }
      }
    }
  };
  const labelAll = (root) => root.querySelectorAll("table").forEach(label);
  const start = () => {
    labelAll(document);
    // Panels a live page fills later (the review after a scan ends) get labels too.
    new MutationObserver((changes) => {
      for (const change of changes) {
        change.addedNodes.forEach((node) => node.querySelectorAll && labelAll(node));
      }
    }).observe(document.body, { childList: true, subtree: true });
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
