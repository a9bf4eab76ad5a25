"use strict";
// The instance form: "library holds" only for library folders, what only an *arr has
// (its URL, key, quality profiles, searches) only for Sonarr and Radarr, and "Test the
// connection", which asks Sonarr or Radarr (through Taggarr) with the typed URL and key,
// before saving, and offers its root folders as buttons, its languages in one list per
// field (named in the page's language, writing the codes the hint shows) and its tags as
// suggestions; typing stays possible. The button is there from the start: pressed
// before the type, the URL or the key is filled in, it names them. Two or more target
// languages open the per-language tags with the server's suggestion (instance_steps.py).
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("arr-choices");
  const kind = document.getElementById("id_kind");
  if (!box || !kind) {
    return;
  }
  const byId = (id) => document.getElementById(id);
  const row = (name) => document.querySelector(`.form-row.field-${name}`);
  const isArr = () => kind.value === "sonarr" || kind.value === "radarr";

  // What only an *arr has (the server's list: instance_option_list's arr_only), hidden
  // while the kind is a library folder, with a section left with nothing to show; and
  // the steps of the kind chosen (a new form has both, the other hidden).
  const arrOnly = (box.dataset.arrOnly || "").split(/\s+/).filter(Boolean);
  const showKind = () => {
    const content = row("library_content");
    if (content) {
      content.hidden = isArr();
    }
    const library = kind.value === "library";
    for (const name of arrOnly) {
      const line = row(name);
      if (line) {
        line.hidden = library;
      }
    }
    for (const section of kind.form.querySelectorAll("fieldset")) {
      const lines = [...section.querySelectorAll(".form-row")].filter(
        (line) => !line.classList.contains("taggarr-toolbar"));
      if (lines.length) {
        section.hidden = lines.every((line) => line.hidden);
      }
    }
    const steps = document.querySelectorAll("[data-steps]");
    if (steps.length > 1) {
      for (const list of steps) {
        list.hidden = (list.dataset.steps === "library") !== library;
      }
    }
  };
  // The field's own label, as the page shows it ("URL", "API-Schlüssel").
  const labelOf = (field) => (field.labels?.[0]?.textContent || field.name).replace(/:\s*$/, "").trim();
  // "URL und API-Schlüssel": a list as the page's language writes one.
  const listed = (words) => {
    try {
      return new Intl.ListFormat(document.documentElement.lang || undefined, { type: "conjunction" }).format(words);
    } catch (error) {
      return words.join(", ");
    }
  };
  // What the test needs that the form does not have yet: the fields, first to last.
  const missing = () => {
    const url = byId("id_url");
    const key = byId("id_api_key");
    const needed = [];
    if (!isArr()) {
      needed.push(kind);
    }
    if (url && !url.value.trim()) {
      needed.push(url);
    }
    // A saved instance is asked with its saved key when none is typed.
    if (key && !key.value.trim() && !box.dataset.objectId) {
      needed.push(key);
    }
    return needed;
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
  // Dozens of languages: one list to pick from, not a button each.
  const picker = (anchor, id, values, onPick) => {
    byId(id)?.remove();
    const select = document.createElement("select");
    select.id = id;
    select.className = "taggarr-language-picker";
    const listName = anchor.labels?.[0]?.textContent || gettext("the list");
    select.setAttribute("aria-label", interpolate(gettext("Add a language to %(list)s"), { list: listName }, true));
    select.append(new Option(gettext("Add a language…"), ""));
    for (const [label, value] of values) {
      select.append(new Option(label, value));
    }
    select.addEventListener("change", () => {
      if (select.value) {
        onPick(select.value);
      }
      select.value = "";
    });
    anchor.after(select);
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
    // Named in the page's language, with the code the field is written in ("Deutsch (de)").
    const named = (list) => list.map((l) => [`${l.name} (${l.code})`, l.code]);
    const languages = named(answer.languages);
    if (targets) {
      // The targets' list holds every variety too: "français canadien (fr-CA)".
      picker(targets, "language-choices", named(answer.targets || answer.languages), (value) => {
        addToList(targets, value);
        suggest();
      });
    }
    if (extras) {
      picker(extras, "extra-language-choices", languages, (value) => addToList(extras, value));
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
  button.textContent = gettext("Test the connection");
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
    if (kind.value && !isArr()) {
      status.textContent = gettext(
        "A library folder is tested once saved: Test connection on its page checks its folders.");
      status.className = "taggarr-quiet";
      return;
    }
    const needed = missing();
    if (needed.length) {
      status.textContent = interpolate(
        gettext("To test the connection, fill in first: %(fields)s."),
        { fields: listed(needed.map(labelOf)) }, true);
      status.className = "taggarr-bad";
      needed[0].focus();
      return;
    }
    const form = kind.form;
    const body = new FormData();
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    body.append("kind", kind.value);
    body.append("url", byId("id_url")?.value || "");
    body.append("api_key", byId("id_api_key")?.value || "");
    body.append("object_id", box.dataset.objectId || "");
    status.textContent = gettext("Asking…");
    try {
      const response = await fetch(box.dataset.url, { method: "POST", body, credentials: "same-origin" });
      const answer = await response.json();
      if (answer.error) {
        status.textContent = interpolate(gettext("Connection test failed: %(error)s"), { error: answer.error }, true);
        status.className = "taggarr-bad";
        return;
      }
      offer(answer);
      status.className = "taggarr-ok";
      const folders = answer.root_folders.length;
      const languages = answer.languages.length;
      const found = interpolate(
        ngettext("%(folders)s root folder", "%(folders)s root folders", folders), { folders }, true);
      const offered = interpolate(
        ngettext("%(languages)s language", "%(languages)s languages", languages), { languages }, true);
      status.textContent = interpolate(
        gettext("Connection test passed: %(folders)s and %(languages)s to pick from below."),
        { folders: found, languages: offered }, true);
    } catch (error) {
      status.textContent = gettext("Connection test failed: no answer from Taggarr.");
      status.className = "taggarr-bad";
    }
  });

  // Two or more targets: per-language tags are offered, their folded section opened once.
  const targetsField = byId("id_target_languages");
  const perLanguage = byId("id_language_tags");
  const suggestion = byId("per-language-suggestion");
  let opened = false;
  const suggest = () => {
    if (!targetsField || !perLanguage || !suggestion) {
      return;
    }
    const parts = targetsField.value.split(/[,;]/).map((part) => part.trim().toLowerCase()).filter(Boolean);
    const shown = new Set(parts).size >= 2 && !perLanguage.checked;
    suggestion.hidden = !shown;
    const section = suggestion.closest("details");
    if (shown && section && !section.open && !opened) {
      section.open = true;
      opened = true;
    }
  };
  targetsField?.addEventListener("input", suggest);
  perLanguage?.addEventListener("change", suggest);
  suggest();

  kind.addEventListener("change", showKind);
  showKind();
});
