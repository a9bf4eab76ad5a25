"use strict";
// The live progress of a scan run on its admin page: polls /api/scans/<id>/ (session
// auth) while the run is active and updates the bar, the numbers and the summary.
// Loaded in <head> by the admin's form media, so it starts once the page is parsed.
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.getElementById("scan-progress");
  if (!panel) {
    return;
  }
  const INTERVAL_MS = 1000;
  const SUMMARY_LABELS = {
    planned_changes: "tag changes planned",
    tags_set: "tags set",
    tags_cleared: "tags removed",
    nfo_written: "NFO files written",
    nfo_errors: "NFO errors",
    tag_write_failures: "tag writes that failed",
    duration_s: "duration (s)",
    dry_run: "dry run",
  };
  const byId = (id) => document.getElementById(id);
  const setText = (id, text) => {
    const element = byId(id);
    if (element) {
      element.textContent = text;
    }
  };

  const describe = (value) => {
    if (value !== null && typeof value === "object") {
      const parts = Object.entries(value).map(([key, item]) => `${key}: ${item}`);
      return parts.length ? parts.join(", ") : "none";
    }
    return String(value);
  };

  const showSummary = (summary) => {
    const rows = byId("scan-summary-rows");
    rows.replaceChildren();
    for (const [key, label] of Object.entries(SUMMARY_LABELS)) {
      if (!(key in summary)) {
        continue;
      }
      const row = document.createElement("tr");
      const head = document.createElement("th");
      const cell = document.createElement("td");
      head.textContent = label;
      cell.textContent = describe(summary[key]);
      row.append(head, cell);
      rows.append(row);
    }
    byId("scan-summary").hidden = rows.children.length === 0;
  };

  const render = (run) => {
    const progress = run.progress;
    const bar = byId("scan-progress-bar");
    bar.max = progress.total || 1;
    bar.value = progress.total ? progress.done : progress.percent >= 100 ? 1 : 0;
    setText("scan-percent", `${Math.round(progress.percent)}%`);
    setText("scan-status", run.status);
    setText("scan-done", progress.done);
    setText("scan-total", progress.total);
    setText("scan-rate", progress.files_per_second ?? "-");
    setText("scan-eta", progress.eta_seconds === null ? "-" : `${Math.round(progress.eta_seconds)} s`);
  };

  const finish = (run) => {
    panel.dataset.active = "false";
    const cancel = byId("cancel-form");
    if (cancel) {
      cancel.closest("li").remove();
    }
    if (run.error) {
      let note = byId("scan-error");
      if (!note) {
        note = document.createElement("div");
        note.id = "scan-error";
        note.className = "form-row errornote";
        panel.append(note);
      }
      note.textContent = run.error;
    }
    showSummary(run.summary || {});
  };

  const poll = async () => {
    try {
      const response = await fetch(panel.dataset.statusUrl, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (response.ok) {
        const run = await response.json();
        render(run);
        if (!run.is_active) {
          finish(run);
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
