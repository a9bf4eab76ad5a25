"use strict";
// "Copy" buttons: <button data-copy-target="input-id">. The Clipboard API exists only
// in secure contexts (HTTPS, localhost); on a plain-HTTP LAN the selection is copied.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) {
    return;
  }
  const id = button.dataset.copyTarget;
  const input = document.getElementById(id);
  const note = document.querySelector(`[data-copied-for="${id}"]`);
  const done = () => {
    if (note) {
      note.hidden = false;
    }
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(input.value).then(done, () => input.select());
    return;
  }
  input.focus();
  input.select();
  if (document.execCommand("copy")) {
    done();
  }
});
