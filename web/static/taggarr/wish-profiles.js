"use strict";
// The mapping page (templates/admin/wish_profiles/mapping.html): a new choice of quality
// profile shows that profile's judgement at once, read from the row's fold (every
// profile's judgement is there, so that the page says it without scripts too).
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-wish-choice]");
  if (!select) {
    return;
  }
  const row = select.closest(".taggarr-wish-row");
  const shown = document.getElementById(select.getAttribute("aria-describedby"));
  if (!row || !shown) {
    return;
  }
  shown.classList.remove("taggarr-judgement-ok", "taggarr-judgement-warn");
  if (!select.value) {
    shown.textContent = shown.dataset.unmanaged;
    return;
  }
  const item = row.querySelector(`li[data-profile="${CSS.escape(select.value)}"]`);
  if (!item) {
    shown.textContent = shown.dataset.unjudged;
    return;
  }
  shown.textContent = item.dataset.sentence;
  if (item.dataset.ok === "yes") {
    shown.classList.add("taggarr-judgement-ok");
  } else if (item.dataset.ok === "no") {
    shown.classList.add("taggarr-judgement-warn");
  }
});
