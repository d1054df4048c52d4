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

  function show(summary) {
    stats.querySelector("[data-field=ranked]").textContent = summary.ranked;
    stats.querySelector("[data-field=students]").textContent = summary.students;
    for (const row of summary.challenges) {
      const tr = document.querySelector(`tr[data-code="${row.code}"]`);
      if (!tr) continue;
      tr.querySelector("[data-field=first]").textContent = row.first;
      tr.querySelector("[data-field=mentions]").textContent = row.mentions;
      tr.querySelector("[data-field=status]").textContent = labels[row.status];
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
