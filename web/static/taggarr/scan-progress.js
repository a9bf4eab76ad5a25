"use strict";
// The live scan page: while the run is active, polls its API endpoint (/api/scans/<id>/,
// session auth) and fills every [data-live] element from the endpoint's "view" (the
// server words every figure; this script only places them). When the run ends it shows
// the final figures and fetches the review of the changes it planned. The items by state
// below the panel are fetched again with it (every few polls, and once at the end), and
// while items are left the panel's percentage and bar are theirs: the page tells one
// story (issue 93), never "succeeded 100 %" above items not yet taken.
// Loaded in <head> by the admin's form media, so it starts once the page is parsed.
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.getElementById("scan-progress");
  if (!panel) {
    return;
  }
  const INTERVAL_MS = 1000;
  const ITEMS_EVERY = 3; // polls: the section reads every row of the run
  let polls = 0;
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
    // Items left: the percentage and the bar as the section's rows count them.
    const items = byId("scan-items-by-state");
    if (items && items.dataset.percent) {
      byId("scan-percent").textContent = items.dataset.percent;
      bar.max = Number(items.dataset.barMax);
      bar.value = Number(items.dataset.barValue);
    }
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

  const refreshItems = async () => {
    // Server-rendered HTML of this origin (no script in it): the section a reload shows.
    const response = await fetch(panel.dataset.itemsUrl, { credentials: "same-origin" });
    const old = byId("scan-items-by-state");
    if (response.ok && old) {
      const template = document.createElement("template");
      template.innerHTML = await response.text();
      const fresh = template.content.getElementById("scan-items-by-state");
      if (fresh) {
        old.replaceWith(fresh);
      }
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
        polls += 1;
        if (!run.is_active || polls % ITEMS_EVERY === 0) {
          await refreshItems();
        }
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
