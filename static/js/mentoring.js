// Mentoring pages follow the queue live (CrunchLive, live.js). The server puts a mentor's
// connection in the mentors' rooms of their account (every request, or their organisation's
// challenges) and a student's in their team's room; each "help_request" event only says that
// something changed, and the page fetches its own panel again from the server (which applies
// the mentor's filters and rights): [data-queue-live] on the mentors' queue,
// [data-help-live] on the team's help page. After a reconnection the panels are fetched
// again, so nothing is missed. Every page is complete without this file.
(function () {
  "use strict";
  if (typeof CrunchLive === "undefined") return;
  const queue = document.querySelector("[data-queue-live]");
  const help = document.querySelector("[data-help-live]");
  const panel = queue || help;
  if (!panel) return;
  const announcer = document.querySelector(queue ? "[data-queue-announce]" : "[data-help-announce]");
  let pending = null;
  let stale = false;         // an event came while fetching: fetch once more afterwards

  function ids(root) {
    return new Set(Array.from(root.querySelectorAll("[data-queue-request]"),
      (element) => element.dataset.queueRequest));
  }

  function typing() {
    const active = document.activeElement;
    return active && panel.contains(active) && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName);
  }

  function refresh(message) {
    if (pending) { stale = true; return; }
    pending = fetch(panel.dataset.url, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : null))
      .then((html) => {
        if (html === null) return;
        if (help && typing() && !html.includes("data-help-request")) return;  // keep what is typed
        const before = ids(panel);
        panel.innerHTML = html;
        for (const item of panel.querySelectorAll("[data-queue-request]")) {
          if (!before.has(item.dataset.queueRequest)) item.classList.add("help-new");
        }
        if (announcer && message) announcer.textContent = message;
      })
      .finally(() => {
        pending = null;
        if (stale) { stale = false; refresh(null); }
      });
  }

  CrunchLive.on("help_request", (payload) => {
    if (help && String(payload.team_id) !== help.dataset.team) return;
    const message = help && payload.change === "claimed" ? announcer.dataset.claimed
      : (help ? announcer.dataset.changed : announcer.dataset.new);
    refresh(message);
  });
  CrunchLive.onConnect((again) => {
    if (again) refresh(null);
  });
})();
