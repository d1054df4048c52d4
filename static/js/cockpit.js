// The organisers' dashboard: its charts are drawn by the server (cockpit.panels). The page
// fetches them once loaded, then again on each live event of the organisers' room that may
// change them (and once after a reconnection or a resync that could not replay what was
// missed), at most once every two seconds. It never polls. Without this file the page
// offers a link to the charts.
(function () {
  "use strict";
  const panels = document.querySelector("[data-cockpit-panels]");
  if (!panels) return;
  const status = document.querySelector("[data-cockpit-status]");
  const EVENTS = ["cockpit", "demand", "score", "phase", "results", "teams_published"];
  const MIN_GAP_MS = 2000;
  let last = 0;
  let timer = null;

  function refresh() {
    timer = null;
    last = Date.now();
    fetch(panels.dataset.source, { headers: { Accept: "text/html" } })
      .then((response) => (response.ok ? response.text() : null))
      .then((html) => {
        if (html === null) return;
        panels.removeAttribute("aria-busy");
        const open = Array.from(panels.querySelectorAll("details[open]"), (d) => d.closest("figure")?.getAttribute("aria-labelledby"));
        const scrolled = Array.from(panels.querySelectorAll(".chart-scroll"), (region) => [region.getAttribute("aria-labelledby"), region.scrollTop]);
        panels.innerHTML = html;
        for (const [id, top] of scrolled) {
          const region = panels.querySelector(`.chart-scroll[aria-labelledby="${id}"]`);
          if (region) region.scrollTop = top;
        }
        for (const id of open) {
          const details = panels.querySelector(`figure[aria-labelledby="${id}"] details`);
          if (details) details.open = true;
        }
      });
  }

  function soon() {
    if (timer) return;
    timer = setTimeout(refresh, Math.max(0, MIN_GAP_MS - (Date.now() - last)));
  }

  refresh();
  if (typeof CrunchLive === "undefined") return;
  CrunchLive.onStatus((state) => {
    if (status) status.textContent = status.dataset[state] || "";
  });
  CrunchLive.onConnect((again) => {
    if (status) status.textContent = status.dataset.connected;
    if (again) soon();
  });
  for (const name of EVENTS) CrunchLive.on(name, soon);
})();
