"use strict";
// The log viewer: a changed filter reloads the page; "Follow" asks the server for the
// last lines every few seconds and keeps the view at the end if it was there.
(() => {
  const POLL_MS = 3000;
  const form = document.getElementById("log-filter");
  const shown = document.getElementById("log-lines-shown");
  const follow = document.getElementById("log-follow");
  if (!form || !shown || !follow) {
    return;
  }
  for (const select of form.querySelectorAll("select")) {
    select.addEventListener("change", () => form.submit());
  }
  const render = (lines) => {
    const atEnd = shown.scrollTop + shown.clientHeight >= shown.scrollHeight - 4;
    shown.replaceChildren(
      ...lines.map(([level, text]) => {
        const span = document.createElement("span");
        span.className = `lvl-${level}`;
        span.textContent = `${text}\n`;
        return span;
      }),
    );
    if (atEnd) {
      shown.scrollTop = shown.scrollHeight;
    }
  };
  let timer = null;
  const poll = async () => {
    try {
      const response = await fetch(shown.dataset.jsonUrl, { credentials: "same-origin" });
      if (response.ok) {
        render((await response.json()).lines);
      }
    } catch (error) {
      // The server restarted: the next tick asks again.
    }
    if (follow.checked) {
      timer = window.setTimeout(poll, POLL_MS);
    }
  };
  follow.addEventListener("change", () => {
    window.clearTimeout(timer);
    if (follow.checked) {
      shown.scrollTop = shown.scrollHeight;
      poll();
    }
  });
  shown.scrollTop = shown.scrollHeight;
})();
