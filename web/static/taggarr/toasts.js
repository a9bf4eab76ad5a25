"use strict";
// The admin's messages as toasts: a close button on each, and the ones that only say
// something was queued or saved (data-dismiss-after) step aside after a few seconds.
// Warnings and errors stay until closed. window.taggarrToasts.clear() lets a live page
// take back a "queued" toast once the run it announced has ended.
(() => {
  const dismiss = (toast) => {
    toast.classList.add("taggarr-toast-leaving");
    window.setTimeout(() => toast.remove(), 300);
  };
  document.addEventListener("click", (event) => {
    const button = event.target.closest(".taggarr-toast-close");
    if (button) {
      dismiss(button.closest(".taggarr-toast"));
    }
  });
  const start = () => {
    for (const toast of document.querySelectorAll(".taggarr-toast[data-dismiss-after]")) {
      const seconds = Number(toast.dataset.dismissAfter) || 8;
      window.setTimeout(() => dismiss(toast), seconds * 1000);
    }
  };
  window.taggarrToasts = {
    clear: () => document.querySelectorAll(".taggarr-toast.success, .taggarr-toast.info").forEach(dismiss),
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
