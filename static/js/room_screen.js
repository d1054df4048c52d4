// The screen at a room's door (templates/scheduling/room_screen.html): it fetches its own
// page again and swaps the pitches shown when a jury marks a pitch of this room done or late
// or the schedule changes (live event "schedule" naming the room), after a reconnection, and
// when the clock moves it on (data-refresh-at: the end of a pitch, the start of the next),
// with a minute's tick as a safety net. The page is complete without this file.
(function () {
  "use strict";
  const main = document.querySelector("[data-room-screen]");
  if (!main) return;
  const room = Number(main.dataset.roomScreen);
  const content = main.querySelector("[data-room-screen-content]");
  let timer = null;
  let busy = false;
  let again = false;

  function plan() {
    clearTimeout(timer);
    const at = Date.parse(main.dataset.refreshAt || "");
    let wait = 60000;
    if (!Number.isNaN(at)) wait = Math.min(wait, Math.max(1000, at - Date.now() + 1000));
    timer = setTimeout(refresh, wait);
  }

  async function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const response = await fetch(window.location.pathname, { cache: "no-store", headers: { Accept: "text/html" } });
      if (response.ok) {
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        const fresh = page.querySelector("[data-room-screen]");
        const freshContent = fresh && fresh.querySelector("[data-room-screen-content]");
        if (freshContent) {
          content.innerHTML = freshContent.innerHTML;
          main.dataset.refreshAt = fresh.dataset.refreshAt || "";
          main.dataset.refreshed = String(Number(main.dataset.refreshed || 0) + 1);
        }
      }
    } catch (error) {
      // offline for a moment: the next tick tries again
    } finally {
      busy = false;
      plan();
      if (again) { again = false; refresh(); }
    }
  }

  plan();
  if (typeof CrunchLive === "undefined") return;
  CrunchLive.on("schedule", (payload) => {
    if (payload && Number(payload.room) === room) refresh();
  });
  CrunchLive.onConnect((reconnected) => { if (reconnected) refresh(); });
  const status = document.querySelector("[data-live-status]");
  if (status) {
    CrunchLive.onStatus((state) => {
      status.dataset.state = state;
      const text = status.querySelector("[data-status-text]");
      if (text) text.textContent = status.dataset[state] || "";
    });
  }
})();
