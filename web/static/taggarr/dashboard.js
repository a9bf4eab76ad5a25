"use strict";
// Instance health on the dashboard: asks each instance's "test connection" endpoint
// once the page is shown, so a slow or unreachable *arr never delays the page itself.
(() => {
  const main = document.querySelector(".taggarr-dashboard");
  if (!main) {
    return;
  }
  const csrfToken = main.dataset.csrfToken;
  for (const cell of document.querySelectorAll(".taggarr-reachability")) {
    fetch(cell.dataset.testUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken },
    })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((report) => {
        cell.textContent = `${report.ok ? "yes" : "no"}: ${report.lines.join("; ")}`;
        cell.classList.add(report.ok ? "taggarr-ok" : "taggarr-bad");
      })
      .catch((status) => {
        cell.textContent = `could not check (${status})`;
        cell.classList.add("taggarr-bad");
      });
  }
})();
