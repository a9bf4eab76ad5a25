"use strict";
// The media list's "Table | Posters" toggle: switches at once and remembers the choice
// in a cookie, which the server reads to draw the list the same way next time
// (web/admin/media_grid.py), so nothing moves when the page shows.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-media-view]");
  if (!button) {
    return;
  }
  const view = button.dataset.mediaView;
  const views = document.querySelector(".taggarr-media-views");
  if (views) {
    views.dataset.view = view;
  }
  for (const each of document.querySelectorAll("[data-media-view]")) {
    each.setAttribute("aria-pressed", String(each === button));
  }
  const secure = window.location.protocol === "https:" ? "; secure" : "";
  document.cookie = `taggarr_media_view=${view}; path=/; max-age=31536000; samesite=lax${secure}`;
});
