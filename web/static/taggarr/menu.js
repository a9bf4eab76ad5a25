// The header's menu button (templates/admin/base_site.html, a <details> that opens
// without scripts too): Escape closes it and gives the focus back to the button; a tap or
// a click beside it closes it. On a wide screen its content stands in the header
// (header.css); a browser without ::details-content gets it open there instead.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const menu = document.getElementById("taggarr-menu");
  if (!menu) {
    return;
  }
  const button = menu.querySelector("summary");
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.open && menu.contains(document.activeElement)) {
      menu.open = false;
      button.focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (menu.open && !menu.contains(event.target) && getComputedStyle(button).display !== "none") {
      menu.open = false;
    }
  });
  if (!CSS.supports("selector(::details-content)")) {
    const wide = window.matchMedia("(min-width: 1280px)");
    const follow = () => {
      menu.open = wide.matches;
    };
    wide.addEventListener("change", follow);
    follow();
  }
});
