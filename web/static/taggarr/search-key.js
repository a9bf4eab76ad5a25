// The header's search (templates/admin/base_site.html): "/" or "s" puts the cursor in it,
// as in Sonarr and Radarr; not while typing in a field, nor with Ctrl, Alt or Meta held
// (the browser's own shortcuts stay).
"use strict";
document.addEventListener("keydown", (event) => {
  if (event.key !== "/" && event.key !== "s") {
    return;
  }
  if (event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented) {
    return;
  }
  const target = event.target;
  if (target instanceof HTMLElement && (target.closest("input, textarea, select") || target.isContentEditable)) {
    return;
  }
  const field = document.getElementById("taggarr-search");
  if (!field) {
    return;
  }
  event.preventDefault();
  field.focus();
  field.select();
});
