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
  const undoKey = "crunchtime-undo-" + box.dataset.key;
  let flushing = null;
  let inFlight = null;
  let lastBatch = [];
  let lastTeam = "";
  let undoTimer = null;
  let undoneMessage = box.dataset.msgUndone;
  let leaving = false;

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
  // refusal (4xx: not assigned, round closed…) is final: it is shown and dropped. The last
  // event sent sets the message: an undo says the scores are undone, a score that it is saved.
  // Anyone may wait for the sending under way: it resolves once the outbox is sent or stuck.
  function flush() {
    if (!flushing) flushing = sendAll().finally(() => { flushing = null; inFlight = null; });
    return flushing;
  }

  async function sendAll() {
    let lastSent = "";
    let refusal = "";
    for (;;) {
      const item = load()[0];
      if (!item) break;
      inFlight = item.body.client_event_id;
      const answer = await send(item);
      inFlight = null;
      if (answer === "stop") return;
      removeFromOutbox(item.body.client_event_id);
      if (answer.ok) lastSent = item.body.kind;
      else refusal = box.dataset.msgRefused + " " + (answer.message || "");
    }
    if (refusal) say(refusal);
    else if (lastSent === "undo") say(undoneMessage);
    else if (lastSent) say(box.dataset.msgSaved);
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
    return form ? form.querySelector(`fieldset[data-criterion="${criterionId}"]`) : null;
  }

  // Only on this team's sheet: an undo offered for the previous team leaves this one alone.
  function showValue(item, value) {
    if (!form || item.body.team_id !== Number(form.dataset.team)) return;
    const fieldset = fieldsetOf(item.body.criterion_id);
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

  // The undo button counts down the seconds left and goes at 0. Its offer survives the move
  // to the next team (sessionStorage), so "save and go on" keeps its 30 seconds of undo.
  function offerUndo(batch, until, team) {
    if (!undoButton) return;
    lastBatch = batch;
    lastTeam = team || "";
    clearInterval(undoTimer);
    const tick = () => {
      const left = Math.ceil((until - Date.now()) / 1000);
      if (left <= 0) {
        withdrawUndo();
        return;
      }
      undoButton.textContent = box.dataset.msgUndoLeft.replace("{n}", left);
    };
    undoButton.hidden = false;
    tick();
    undoTimer = setInterval(tick, 1000);
  }

  function withdrawUndo() {
    clearInterval(undoTimer);
    if (undoButton) undoButton.hidden = true;
    lastBatch = [];
    sessionStorage.removeItem(undoKey);
  }

  function carryUndo(batch, until, team) {
    try {
      sessionStorage.setItem(undoKey, JSON.stringify({ batch, until, team }));
    } catch (error) { /* private mode: the offer simply stays on this page */ }
  }

  function carriedUndo() {
    try {
      const carried = JSON.parse(sessionStorage.getItem(undoKey) || "null");
      if (carried && carried.until > Date.now()) return carried;
    } catch (error) { /* unreadable: dropped below */ }
    sessionStorage.removeItem(undoKey);
    return null;
  }

  // A score still in the outbox is simply dropped; one already sent (or being sent) gets an
  // undo event queued behind it.
  function undoLastBatch() {
    const batch = lastBatch;
    const team = lastTeam;
    withdrawUndo();
    const queued = new Set(load().map((item) => item.body.client_event_id));
    const undos = [];
    for (const item of batch) {
      const id = item.body.client_event_id;
      if (queued.has(id) && id !== inFlight) {
        removeFromOutbox(id);
      } else {
        undos.push({ body: { client_event_id: newId(), kind: "undo", reverts: id } });
      }
      showValue(item, item.previous);
    }
    const elsewhere = team && (!form || team !== form.dataset.teamCode);
    undoneMessage = elsewhere ? box.dataset.msgUndoneTeam.replace("{team}", team)
                              : box.dataset.msgUndone;
    enqueue(undos);
    say(undoneMessage);
    flush();
  }

  // A tap on a score brings the next criterion into view above the save bar: a team is
  // scored with taps only. Keys move the choice without scrolling (the focus stays put).
  let pointerAt = 0;
  function bringIntoView(element) {
    const rect = element.getBoundingClientRect();
    const bar = form.querySelector("[data-score-actions]");
    const floor = bar ? Math.min(bar.getBoundingClientRect().top, window.innerHeight)
                      : window.innerHeight;
    const overflow = rect.bottom + 8 - floor;
    if (overflow <= 0) return;
    const reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    window.scrollBy({ top: Math.min(overflow, rect.top - 8), behavior: reduce ? "auto" : "smooth" });
  }

  function go(url) {
    leaving = true;
    window.location.assign(url);
  }

  async function saveAndGoOn(batch) {
    carryUndo(batch, Date.now() + UNDO_MS, form.dataset.teamCode);
    await flush();
    if (load().length === 0) {
      go(form.dataset.next);
    } else {
      say(box.dataset.msgQueued + " " + box.dataset.msgStay);
      sessionStorage.removeItem(undoKey);
    }
  }

  if (form) {
    form.addEventListener("pointerdown", () => { pointerAt = Date.now(); });
    form.addEventListener("change", (event) => {
      const fieldset = event.target.closest("fieldset[data-criterion]");
      if (!fieldset || Date.now() - pointerAt > 1500) return;
      const all = Array.from(form.querySelectorAll("fieldset[data-criterion]"));
      const following = all[all.indexOf(fieldset) + 1];
      if (following) bringIntoView(following);
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (leaving) return;
      const onward = Boolean(event.submitter && event.submitter.hasAttribute("data-next-button"));
      const batch = changedScores();
      if (!batch.length) {
        if (onward) go(form.dataset.next);
        else say(box.dataset.msgNothing);
        return;
      }
      for (const item of batch) showValue(item, String(item.body.value));
      enqueue(batch);
      offerUndo(batch, Date.now() + UNDO_MS, form.dataset.teamCode);
      undoneMessage = box.dataset.msgUndone;
      say(navigator.onLine === false ? box.dataset.msgQueued : box.dataset.msgSending);
      if (onward) saveAndGoOn(batch);
      else flush();
    });
  }
  if (undoButton) undoButton.addEventListener("click", undoLastBatch);
  window.addEventListener("online", flush);
  setInterval(() => { if (load().length) flush(); }, RETRY_MS);
  const carried = carriedUndo();
  if (carried) {
    offerUndo(carried.batch, carried.until, carried.team);
    say(box.dataset.msgSavedTeam.replace("{team}", carried.team));
  }
  if (load().length) {
    say(pendingMessage());
    flush();
  }
})();
