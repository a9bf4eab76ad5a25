"use strict";
// Parts of a page that change while scans run ([data-live-key]) are fetched again from
// the server and swapped in place: fast while something runs ([data-live-active="true"]
// in the fresh copy), slowly otherwise. The HTML is this origin's own page, parsed
// inert (DOMParser runs no script); form controls outside those parts are untouched.
// The admin's form media load it in <head>: it starts once the page is parsed.
const taggarrLive = () => {
  const FAST_MS = 2000;
  const SLOW_MS = 15000;
  if (!document.querySelector("[data-live-key]")) {
    return;
  }
  const active = (root) => root.querySelector('[data-live-active="true"]') !== null;
  let delay = active(document) ? FAST_MS : SLOW_MS;
  const refresh = async () => {
    try {
      const response = await fetch(window.location.href, { credentials: "same-origin" });
      if (response.ok) {
        const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
        for (const part of fresh.querySelectorAll("[data-live-key]")) {
          const old = document.querySelector(`[data-live-key="${part.dataset.liveKey}"]`);
          if (old && old.innerHTML !== part.innerHTML) {
            old.replaceWith(document.importNode(part, true));
          }
        }
        delay = active(fresh) ? FAST_MS : SLOW_MS;
      }
    } catch (error) {
      // The server restarted or the network blinked: try again later.
    }
    window.setTimeout(refresh, delay);
  };
  window.setTimeout(refresh, delay);
};
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", taggarrLive);
} else {
  taggarrLive();
}
