"use strict";
// The live scan page: while the run is active, polls its API endpoint (/api/scans/<id>/,
// session auth) and fills every [data-live] element from the endpoint's "view" (the
// server words every figure; this script only places them). When the run ends it shows
// the final figures and fetches the review of the changes it planned.
// Loaded in <head> by the admin's form media, so it starts once the page is parsed.
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.getElementById("scan-progress");
  if (!panel) {
    return;
  }
  const INTERVAL_MS = 1000;
  const byId = (id) => document.getElementById(id);

  const render = (view) => {
    for (const element of panel.querySelectorAll("[data-live]")) {
      const text = view[element.dataset.live];
      if (text !== undefined) {
        element.textContent = text;
      }
    }
    const bar = byId("scan-progress-bar");
    bar.max = view.bar_max;
    bar.value = view.bar_value;
    byId("scan-error").hidden = !view.error;
    byId("scan-listening").hidden = !view.listening; // then in the final figures
  };

  const showSummary = (lines) => {
    const rows = byId("scan-summary-rows");
    rows.replaceChildren();
    for (const [label, value] of lines) {
      const row = document.createElement("tr");
      const head = document.createElement("th");
      const cell = document.createElement("td");
      head.scope = "row";
      head.textContent = label;
      cell.textContent = value;
      row.append(head, cell);
      rows.append(row);
    }
    byId("scan-summary").hidden = lines.length === 0;
  };

  const showReview = async () => {
    // Server-rendered HTML of this origin (no script in it): the same panel a reload shows.
    const response = await fetch(panel.dataset.reviewUrl, { credentials: "same-origin" });
    if (response.ok) {
      byId("scan-review").innerHTML = await response.text();
    }
  };

  const finish = async (run) => {
    const cancel = byId("cancel-form");
    if (cancel) {
      cancel.closest("li").remove();
    }
    showSummary(run.summary_lines || []);
    // The "queued" toast that brought us here is old news once the run has ended.
    if (window.taggarrToasts) {
      window.taggarrToasts.clear();
    }
    await showReview();
    panel.dataset.active = "false"; // last: tests and people read it as "all shown"
  };

  const poll = async () => {
    try {
      const response = await fetch(panel.dataset.statusUrl, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (response.ok) {
        const run = await response.json();
        render(run.view);
        if (!run.is_active) {
          await finish(run);
          return;
        }
      }
    } catch (error) {
      // The server restarted or the network blinked: try again on the next tick.
    }
    window.setTimeout(poll, INTERVAL_MS);
  };

  if (panel.dataset.active === "true") {
    window.setTimeout(poll, INTERVAL_MS / 2);
  }
});
