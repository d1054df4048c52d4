// Organisers' demand page: figures pushed live over Socket.IO (namespace /live).
// After any (re)connection the page fetches the figures again, so nothing is missed.
(function () {
  "use strict";
  const stats = document.querySelector("[data-live-demand]");
  if (!stats || typeof CrunchLive === "undefined") return;
  const status = document.querySelector("[data-live-status]");
  const labels = {
    over: stats.dataset.labelOver,
    under: stats.dataset.labelUnder,
    balanced: stats.dataset.labelBalanced,
  };

  // Numbers written as the server writes them, in the page's language ("1 700" in French).
  const number = new Intl.NumberFormat(document.documentElement.lang || undefined);
  const table = document.querySelector("#demand-table");

  function show(summary) {
    stats.querySelector("[data-field=ranked]").textContent = number.format(summary.ranked);
    stats.querySelector("[data-field=students]").textContent = number.format(summary.students);
    // The bars share one scale: it only grows, so a bar never jumps back and forth.
    let scale = table ? Number(table.dataset.scale) || 1 : 1;
    for (const row of summary.challenges) scale = Math.max(scale, row.first, row.capacity);
    if (table) table.dataset.scale = String(scale);
    for (const row of summary.challenges) {
      const tr = document.querySelector(`tr[data-code="${row.code}"]`);
      if (!tr) continue;
      tr.querySelector("[data-field=first]").textContent = number.format(row.first);
      tr.querySelector("[data-field=mentions]").textContent = number.format(row.mentions);
      tr.querySelector("[data-field=status]").textContent = labels[row.status];
      // SVG attributes, not styles: the Content-Security-Policy forbids inline styles.
      const bar = tr.querySelector("[data-field=bar]");
      if (bar) bar.setAttribute("width", (100 * row.first / scale).toFixed(2));
      const mark = tr.querySelector("[data-field=mark]");
      if (mark) mark.setAttribute("x", Math.max(0, 100 * row.capacity / scale - 0.5).toFixed(2));
      tr.className = "demand-" + row.status;
    }
  }

  function refresh() {
    fetch(stats.dataset.source, { headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((summary) => summary && show(summary));
  }

  CrunchLive.onStatus((state) => {
    if (status) status.textContent = status.dataset[state];
  });
  CrunchLive.onConnect(refresh);
  CrunchLive.on("demand", show);
})();
