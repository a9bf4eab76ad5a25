"use strict";
// The instance form: "library holds" only for library folders, and "Fetch from the
// *arr", which asks Sonarr or Radarr (through Taggarr) for its root folders, languages
// and tags and offers them as buttons that fill the fields; typing stays possible.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("arr-choices");
  const kind = document.getElementById("id_kind");
  if (!box || !kind) {
    return;
  }
  const byId = (id) => document.getElementById(id);
  const row = (name) => document.querySelector(`.form-row.field-${name}`);
  const isArr = () => kind.value === "sonarr" || kind.value === "radarr";

  const showKind = () => {
    const content = row("library_content");
    if (content) {
      content.hidden = isArr();
    }
    button.hidden = !isArr();
  };

  const chips = (anchor, id, values, onPick) => {
    byId(id)?.remove();
    const list = document.createElement("div");
    list.className = "taggarr-choices";
    list.id = id;
    for (const [label, value] of values) {
      const chip = document.createElement("button");
      chip.type = "button";
      chip.textContent = label;
      chip.addEventListener("click", () => onPick(value));
      list.append(chip);
    }
    anchor.after(list);
  };
  const addLine = (field, value) => {
    const lines = field.value.split("\n").map((line) => line.trim()).filter(Boolean);
    if (!lines.includes(value)) {
      field.value = [...lines, value].join("\n");
    }
  };
  const addToList = (field, value) => {
    const parts = field.value.split(",").map((part) => part.trim()).filter(Boolean);
    if (!parts.includes(value)) {
      field.value = [...parts, value].join(", ");
    }
  };

  const offer = (answer) => {
    const folders = byId("id_root_folders");
    const targets = byId("id_target_languages");
    const extras = byId("id_allowed_extra_languages");
    if (folders) {
      chips(folders, "root-folder-choices", answer.root_folders.map((p) => [p, p]),
        (value) => addLine(folders, value));
    }
    const languages = answer.languages.map((l) => [l.name, l.code]);
    if (targets) {
      chips(targets, "language-choices", languages, (value) => addToList(targets, value));
    }
    if (extras) {
      chips(extras, "extra-language-choices", languages, (value) => addToList(extras, value));
    }
    let tags = byId("arr-tag-labels");
    if (!tags) {
      tags = document.createElement("datalist");
      tags.id = "arr-tag-labels";
      box.after(tags);
    }
    tags.replaceChildren(...answer.tags.map((label) => new Option(label, label)));
    for (const input of document.querySelectorAll('input[id^="id_tag_"]')) {
      input.setAttribute("list", "arr-tag-labels");
    }
  };

  const button = document.createElement("button");
  button.type = "button";
  button.className = "button";
  button.id = "fetch-arr-choices";
  button.textContent = "Fetch folders, languages and tags from the *arr";
  const status = document.createElement("span");
  status.className = "taggarr-quiet";
  status.id = "arr-choices-status";
  status.setAttribute("aria-live", "polite");
  const anchor = row("api_key") || row("url");
  if (anchor) {
    const holder = document.createElement("div");
    holder.className = "form-row taggarr-toolbar";
    holder.append(button, status);
    anchor.after(holder);
  }

  button.addEventListener("click", async () => {
    const form = kind.form;
    const body = new FormData();
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    body.append("kind", kind.value);
    body.append("url", byId("id_url")?.value || "");
    body.append("api_key", byId("id_api_key")?.value || "");
    body.append("object_id", box.dataset.objectId || "");
    status.textContent = "Asking…";
    try {
      const response = await fetch(box.dataset.url, { method: "POST", body, credentials: "same-origin" });
      const answer = await response.json();
      if (answer.error) {
        status.textContent = `Could not fetch the choices: ${answer.error}`;
        return;
      }
      offer(answer);
      status.textContent = `${answer.root_folders.length} root folders, ${answer.languages.length} languages and ${answer.tags.length} tags offered below their fields.`;
    } catch (error) {
      status.textContent = "Could not fetch the choices: no answer from Taggarr.";
    }
  });

  kind.addEventListener("change", showKind);
  showKind();
});
