// The header's language switcher: a choice applies at once (the form's button is there
// for a browser without scripts).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const select of document.querySelectorAll("select[data-submit-on-change]")) {
    select.addEventListener("change", () => select.form.submit());
    const button = select.form.querySelector(".taggarr-language-apply");
    if (button) button.hidden = true;
  }
});
