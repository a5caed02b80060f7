// bcubnd-extract review: keyboard decisions, reviewer name, export, "this value is wrong".
// Plain script, no build step. Values are only ever put into the page with textContent.
"use strict";

function $(sel) { return document.querySelector(sel); }

function say(text, bad) {
  const m = $("#message");
  if (!m) return;
  m.textContent = text;
  m.className = bad ? "bad" : "ok";
}

function reviewerName() {
  const input = $("#reviewer");
  return input ? input.value.trim() : "";
}

async function post(url, body) {
  const resp = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Requested-With": "review" },
    body: JSON.stringify(body),
    credentials: "same-origin",
  });
  let data = {};
  try { data = await resp.json(); } catch (e) { data = { error: resp.statusText }; }
  if (!resp.ok) throw new Error(data.error || resp.statusText);
  return data;
}

function needName() {
  if (reviewerName()) return false;
  say("type your name in 'Reviewer' first", true);
  $("#reviewer").focus();
  return true;
}

function setupReviewer() {
  const form = $("#who");
  if (!form) return;
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      await post("/api/reviewer", { name: reviewerName() });
      say("reviewer: " + reviewerName());
      $("#reviewer").blur();
    } catch (e) { say(e.message, true); }
  });
  $("#reviewer").addEventListener("change", () => form.requestSubmit());
}

function setupExport() {
  const button = $("#export");
  if (!button) return;
  button.addEventListener("click", async () => {
    say("exporting…");
    try {
      const data = await post("/api/export", {});
      say("exported: " + data.outputs.length + " output(s)");
    } catch (e) { say(e.message, true); }
  });
}

// ---- the cell view -------------------------------------------------------------------------
function setupCell() {
  const cell = $("#cell");
  if (!cell) return;
  const key = { d: cell.dataset.d, t: Number(cell.dataset.t), r: cell.dataset.r, c: cell.dataset.c };
  const queue = JSON.parse(cell.dataset.queue || "{}");
  const input = $("#value");
  const items = Array.from(document.querySelectorAll("#candidates li[data-text]"));
  let selected = items.findIndex((li) => li.classList.contains("selected"));
  let busy = false;

  function select(i) {
    if (!items.length) return;
    selected = (i + items.length) % items.length;
    items.forEach((li, n) => li.classList.toggle("selected", n === selected));
  }

  async function decide(action, value) {
    if (busy || needName()) return;
    busy = true;
    say("saving…");
    try {
      const data = await post("/api/decide", Object.assign({}, key, {
        action: action, value: value, queue: queue, reviewer: reviewerName(),
      }));
      for (const [column, status] of Object.entries(data.row)) {
        const td = document.querySelector('#row td[data-column="' + CSS.escape(column) + '"]');
        if (td) { td.className = td.className.replace(/status-\S+/, "status-" + status); td.title = status; }
      }
      say("saved #" + data.correction);
      window.location.assign(data.next);
    } catch (e) {
      say(e.message, true);
      busy = false;
    }
  }

  async function undo() {
    if (busy || needName()) return;
    busy = true;
    try {
      const data = await post("/api/undo", { queue: queue, reviewer: reviewerName() });
      say("undone (#" + data.correction + ")");
      window.location.assign(data.next);
    } catch (e) { say(e.message, true); busy = false; }
  }

  function accept() {
    const typed = input.value.trim();
    if (typed) return decide("type", typed);
    const li = items[selected];
    if (!li) { say("no reading to accept: type the value", true); return; }
    if (li.classList.contains("unusable")) { say("this reading is not a value of the column: type it", true); return; }
    return decide("accept", li.dataset.text);
  }

  function go(where) {
    const url = where === "next" ? cell.dataset.next : cell.dataset.prev;
    if (url) window.location.assign(url); else say("no " + where + " cell in this queue", true);
  }

  document.querySelectorAll("button[data-action]").forEach((b) => b.addEventListener("click", () => {
    const a = b.dataset.action;
    if (a === "accept") accept(); else decide(a, null);
  }));
  document.querySelectorAll("button[data-go]").forEach((b) => b.addEventListener("click", () => go(b.dataset.go)));
  $("#undo").addEventListener("click", undo);
  items.forEach((li, n) => li.addEventListener("click", () => select(n)));
  $("#decide").addEventListener("submit", (ev) => { ev.preventDefault(); accept(); });
  const page = $("#page");
  $("#zoom").addEventListener("click", () => page.classList.toggle("zoomed"));
  page.addEventListener("click", () => page.classList.toggle("zoomed"));

  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const inName = ev.target === $("#reviewer");
    if (inName) return;
    const inValue = ev.target === input;
    if (ev.key === "Enter") { ev.preventDefault(); accept(); return; }
    if (ev.key === "Escape") { input.value = ""; input.blur(); return; }
    if (inValue) return; // typing a value: every other key belongs to the input
    if (/^[0-9.,\-%]$/.test(ev.key)) { input.focus(); return; } // the key lands in the input
    const k = ev.key.toLowerCase();
    const actions = { b: "blank", i: "illegible", c: "confirm" };
    if (actions[k]) { ev.preventDefault(); decide(actions[k], null); }
    else if (k === "j") { ev.preventDefault(); go("next"); }
    else if (k === "k") { ev.preventDefault(); go("prev"); }
    else if (k === "u") { ev.preventDefault(); undo(); }
    else if (k === "z") { ev.preventDefault(); page.classList.toggle("zoomed"); }
    else if (ev.key === "ArrowDown") { ev.preventDefault(); select(selected + 1); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); select(selected - 1); }
  });
}

// ---- the queue view: Enter starts reviewing ------------------------------------------------
function setupQueue() {
  const start = $("#start");
  if (!start) return;
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && ev.target === document.body) { ev.preventDefault(); window.location.assign(start.href); }
  });
}

// ---- the document view: "this value is wrong" ----------------------------------------------
function setupDocument() {
  const dialog = $("#wrong");
  if (!dialog) return;
  let target = null;
  document.querySelectorAll("td[data-c]").forEach((td) => td.addEventListener("click", () => {
    target = td;
    $("#wrong-old").textContent = td.textContent.trim();
    $("#wrong-value").value = "";
    dialog.showModal();
    $("#wrong-value").focus();
  }));
  $("#wrong-cancel").addEventListener("click", () => dialog.close());
  $("#wrong-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!target || needName()) { dialog.close(); return; }
    const value = $("#wrong-value").value.trim();
    const key = { d: target.dataset.d, t: Number(target.dataset.t), r: target.dataset.r, c: target.dataset.c };
    try {
      const data = await post("/api/decide", Object.assign(key, {
        action: "wrong", value: value, reviewer: reviewerName(), advance: false, reason: "spot check: this value is wrong",
      }));
      target.textContent = value;
      target.className = "num status-reviewed";
      say("saved #" + data.correction);
      dialog.close();
    } catch (e) { say(e.message, true); }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setupReviewer();
  setupExport();
  setupCell();
  setupQueue();
  setupDocument();
});
