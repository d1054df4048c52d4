// Jury scoring from a phone, with an unstable Wi-Fi.
// Every score is first put in an outbox kept in this browser (localStorage), with an id made
// here; the outbox is then sent, one event at a time, to the JSON endpoint. An event leaves
// the outbox only once the server has answered it (after its commit): a score entered offline
// waits and is sent when the connection returns, and a repeated send (a lost answer, another
// tab) is answered by the server with the original event — recorded exactly once.
// Without this file the scoring form still works as a plain form.
(function () {
  "use strict";
  const box = document.querySelector("[data-outbox]");
  if (!box || !window.localStorage || !window.fetch) return;
  const storageKey = "crunchtime-outbox-" + box.dataset.key;
  const statusLine = box.querySelector("[data-outbox-status]");
  const undoButton = box.querySelector("[data-undo]");
  const form = document.querySelector("form[data-scoring]");
  const UNDO_MS = 30000;
  const RETRY_MS = 10000;
  let sending = false;
  let inFlight = null;
  let lastBatch = [];
  let undoTimer = null;

  function say(message) {
    if (statusLine) statusLine.textContent = message || "";
  }

  // One localStorage entry per event (no read-modify-write of a shared list, so two tabs
  // never overwrite each other's events), sent in the order they were entered.
  function load() {
    const items = [];
    for (let i = 0; i < localStorage.length; i += 1) {
      const key = localStorage.key(i);
      if (!key || !key.startsWith(storageKey + ":")) continue;
      try {
        items.push(JSON.parse(localStorage.getItem(key)));
      } catch (error) {
        localStorage.removeItem(key);
      }
    }
    return items.sort((a, b) => a.order - b.order);
  }

  let counter = 0;
  function enqueue(items) {
    for (const item of items) {
      item.order = Date.now() * 1000 + (counter++ % 1000);
      localStorage.setItem(storageKey + ":" + item.body.client_event_id, JSON.stringify(item));
    }
  }

  function removeFromOutbox(id) {
    localStorage.removeItem(storageKey + ":" + id);
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20),
            hex.slice(20)].join("-");
  }

  function pendingMessage() {
    const count = load().length;
    return count ? box.dataset.msgPending.replace("{n}", count) : "";
  }

  // Send the outbox in order; stop (keeping the rest) at the first network failure. A
  // refusal (4xx: not assigned, round closed…) is final: it is shown and dropped.
  async function flush() {
    if (sending) return;
    sending = true;
    let sent = 0;
    let refusal = "";
    try {
      for (;;) {
        const item = load()[0];
        if (!item) break;
        inFlight = item.body.client_event_id;
        const answer = await send(item);
        inFlight = null;
        if (answer === "stop") return;
        removeFromOutbox(item.body.client_event_id);
        if (answer.ok) sent += 1;
        else refusal = box.dataset.msgRefused + " " + (answer.message || "");
      }
      if (refusal) say(refusal);
      else if (sent) say(box.dataset.msgSaved);
    } finally {
      inFlight = null;
      sending = false;
    }
  }

  async function send(item) {
    let response;
    try {
      response = await fetch(box.dataset.endpoint, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json",
                   "X-CSRFToken": box.dataset.csrf },
        body: JSON.stringify(item.body),
      });
    } catch (error) {
      say(box.dataset.msgQueued + " " + pendingMessage());
      return "stop";
    }
    const answer = await response.json().catch(() => ({}));
    if (response.status === 401 || answer.error === "csrf") {
      say(box.dataset.msgLogin);
      return "stop";
    }
    if (response.status >= 500 || response.status === 429) {
      say(box.dataset.msgQueued + " " + pendingMessage());
      return "stop";
    }
    return { ok: response.ok, message: answer.message };
  }

  function fieldsetOf(criterionId) {
    return form.querySelector(`fieldset[data-criterion="${criterionId}"]`);
  }

  function showValue(criterionId, value) {
    const fieldset = fieldsetOf(criterionId);
    if (!fieldset) return;
    fieldset.dataset.current = value;
    for (const input of fieldset.querySelectorAll("input[type=radio]")) {
      input.checked = input.value === value;
    }
  }

  function changedScores() {
    const comment = form.querySelector("textarea[name=comment]");
    const text = comment ? comment.value.trim() : "";
    const commentChanged = comment && text !== (comment.dataset.current || "");
    const batch = [];
    for (const fieldset of form.querySelectorAll("fieldset[data-criterion]")) {
      const checked = fieldset.querySelector("input[type=radio]:checked");
      if (!checked || (checked.value === fieldset.dataset.current && !commentChanged)) continue;
      batch.push({
        previous: fieldset.dataset.current || "",
        body: { client_event_id: newId(), kind: "score", round_id: Number(form.dataset.round),
                team_id: Number(form.dataset.team), criterion_id: Number(fieldset.dataset.criterion),
                value: Number(checked.value), comment: text },
      });
    }
    if (comment && batch.length) comment.dataset.current = text;
    return batch;
  }

  function offerUndo(batch) {
    lastBatch = batch;
    clearTimeout(undoTimer);
    undoButton.hidden = false;
    undoTimer = setTimeout(() => { undoButton.hidden = true; lastBatch = []; }, UNDO_MS);
  }

  // A score still in the outbox is simply dropped; one already sent (or being sent) gets an
  // undo event queued behind it.
  function undoLastBatch() {
    clearTimeout(undoTimer);
    undoButton.hidden = true;
    const queued = new Set(load().map((item) => item.body.client_event_id));
    const undos = [];
    for (const item of lastBatch) {
      const id = item.body.client_event_id;
      if (queued.has(id) && id !== inFlight) {
        removeFromOutbox(id);
      } else {
        undos.push({ body: { client_event_id: newId(), kind: "undo", reverts: id } });
      }
      showValue(item.body.criterion_id, item.previous);
    }
    lastBatch = [];
    enqueue(undos);
    say(box.dataset.msgUndone);
    flush();
  }

  if (form) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const batch = changedScores();
      if (!batch.length) {
        say(box.dataset.msgNothing);
        return;
      }
      for (const item of batch) showValue(item.body.criterion_id, String(item.body.value));
      enqueue(batch);
      offerUndo(batch);
      say(navigator.onLine === false ? box.dataset.msgQueued : box.dataset.msgSending);
      flush();
    });
  }
  if (undoButton) undoButton.addEventListener("click", undoLastBatch);
  window.addEventListener("online", flush);
  setInterval(() => { if (load().length) flush(); }, RETRY_MS);
  if (load().length) {
    say(pendingMessage());
    flush();
  }
})();
