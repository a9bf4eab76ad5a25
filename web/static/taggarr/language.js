// The header's language switcher: a choice applies at once (the form's button is in a
// <noscript>, for a browser without scripts: hiding it here would shift the header).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const select of document.querySelectorAll("select[data-submit-on-change]")) {
    select.addEventListener("change", () => select.form.submit());
  }
});
