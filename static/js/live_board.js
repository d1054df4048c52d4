// Live boards: the big screen (/live), the organisers' room and a company's challenges.
// Each board view arrives whole over CrunchLive (event "board", one per room); this file only
// draws it. Movement arrows compare with the previous view and stay for ARROW_MS. Numbers
// are written in the page's language (Intl, <html lang>). On the big screen, when the top of
// the ranking does not fit the screen it pages through, one page every data-rotate-seconds.
(function () {
  "use strict";
  const root = document.querySelector("[data-live-board]");
  const words = (document.querySelector("[data-live-labels]") || {}).dataset || {};
  if (!root || typeof CrunchLive === "undefined") return;
  const ARROW_MS = 60000;
  const kind = root.dataset.liveBoard;
  const lang = document.documentElement.lang || "fr";
  const plurals = new Intl.PluralRules(lang);
  const formats = {};

  function number(value, digits) {
    if (value === null || value === undefined || value === "") return "—";
    const key = String(digits || 0);
    formats[key] = formats[key] || new Intl.NumberFormat(lang, { minimumFractionDigits: digits || 0, maximumFractionDigits: digits || 0 });
    return formats[key].format(value);
  }
  function score(value, estimator) { return number(value, estimator === "zscore" ? 2 : 1); }
  function fill(template, values) {
    return (template || "").replace(/%\((\w+)\)s/g, (m, key) => (key in values ? values[key] : ""));
  }
  // The "-one" or "-other" form of a message, chosen by the count `n`.
  function plural(name, n, values) {
    return fill(words[name + (plurals.select(n) === "one" ? "One" : "Other")], values);
  }
  function cell(row, text, className) {
    const td = document.createElement("td");
    td.textContent = text === null || text === undefined ? "—" : String(text);
    if (className) td.className = className;
    row.append(td);
    return td;
  }
  function part(name) { return root.querySelector(`[data-part="${name}"]`); }
  function field(name, scope) { return (scope || root).querySelector(`[data-field="${name}"]`); }
  function camel(code) { return code.replace(/_(\w)/g, (m, c) => c.toUpperCase()); }

  // The judging's state, one sentence (crunchtime/services/live/state.py).
  function showState(view) {
    const state = view.state || { code: "before_judging" };
    const text = fill(words["state" + camel("_" + state.code)], { round: state.round || "" });
    ["state", "round"].forEach((name) => { const target = field(name); if (target) target.textContent = text; });
  }

  function showProgress(progress, scope) {
    const bar = field("bar", scope);
    const text = field("progress", scope);
    if (!progress || !bar) return;
    const share = progress.expected ? Math.round((100 * progress.recorded) / progress.expected) : 0;
    bar.style.width = share + "%";
    bar.parentElement.setAttribute("aria-valuenow", String(share));
    text.textContent = plural("scores", progress.expected, { recorded: number(progress.recorded), expected: number(progress.expected) })
      + " · " + plural("teams", progress.teams, { complete: number(progress.teams_complete), teams: number(progress.teams) });
  }

  // Movement: team code -> {rank, arrow, until}; nothing moves on the first view.
  const moves = {};
  let seenRanking = false;
  function movement(row, now) {
    const before = moves[row.team];
    let arrow = before && before.until > now ? before.arrow : "";
    if (!before) arrow = seenRanking ? "new" : "";
    else if (row.rank < before.rank) arrow = "up";
    else if (row.rank > before.rank) arrow = "down";
    moves[row.team] = { rank: row.rank, arrow, until: arrow && (!before || before.rank !== row.rank) ? now + ARROW_MS : (before ? before.until : 0) };
    return arrow;
  }

  function rankingRow(row, frozen, estimator, now) {
    const tr = document.createElement("tr");
    tr.dataset.team = row.team;
    tr.dataset.rank = row.rank;
    cell(tr, number(row.rank), "live-rank");
    const arrow = frozen ? "" : movement(row, now);
    const mark = cell(tr, "", "live-move live-" + (arrow || "same"));
    if (arrow) {
      const sign = document.createElement("span");
      sign.setAttribute("aria-hidden", "true");
      sign.textContent = arrow === "up" ? "▲" : arrow === "down" ? "▼" : "●";
      const said = document.createElement("span");
      said.className = "visually-hidden";
      said.textContent = words[arrow] || arrow;
      mark.append(sign, said);
    }
    const team = cell(tr, row.name, "live-team");
    if (row.name !== row.team) {
      const code = document.createElement("span");
      code.className = "live-code";
      code.textContent = " " + row.team;
      team.append(code);
    }
    const challenge = cell(tr, row.challenge_title || row.challenge, "live-challenge");
    challenge.title = challenge.textContent;
    cell(tr, score(row.score, estimator), "num live-score");
    return tr;
  }

  function drawRanking(view) {
    const rows = view.ranking || [];
    const body = root.querySelector("[data-rows]");
    const now = Date.now();
    body.replaceChildren(...rows.map((row) => rankingRow(row, view.frozen, view.estimator, now)));
    if (!view.frozen) seenRanking = true;
    field("frozen").hidden = !view.frozen;
    pager.layout();
  }

  // Paging of the big screen's ranking: as many rows per page as the screen holds, pages of
  // equal size, a steady rotation (live updates redraw the current page, never restart it).
  const pager = (function () {
    const box = root.querySelector("[data-pager]");
    if (!box) return { layout() {} };
    const seconds = Math.max(1, Number(root.dataset.rotateSeconds) || 12);
    const label = field("page");
    const pause = box.querySelector("[data-pager-pause]");
    const next = box.querySelector("[data-pager-next]");
    const table = root.querySelector(".live-table");
    let page = 0, pages = 1, perPage = Infinity, paused = false, held = false, timer = null;

    function rows() { return Array.from(root.querySelectorAll("[data-rows] tr")); }
    function show() {
      rows().forEach((tr, i) => { tr.hidden = pages > 1 && Math.floor(i / perPage) !== page; });
      box.hidden = pages < 2;
      label.textContent = fill(words.page, { page: number(page + 1), pages: number(pages) });
      root.dataset.page = String(page + 1);
      root.dataset.pages = String(pages);
    }
    function turn() {
      if (pages < 2) return;
      page = (page + 1) % pages;
      const body = root.querySelector("[data-rows]");
      body.classList.remove("live-turn");
      void body.offsetWidth;  // restart the fade
      body.classList.add("live-turn");
      show();
    }
    function schedule() {
      const wanted = pages > 1 && !paused && !held;
      if (wanted && !timer) timer = setInterval(turn, seconds * 1000);
      else if (!wanted && timer) { clearInterval(timer); timer = null; }
    }
    // Rows that fit: only when the screen layout fixes the table's height (not on phones).
    function layout() {
      const all = rows();
      all.forEach((tr) => { tr.hidden = false; });
      pages = 1; perPage = Infinity;
      if (table && getComputedStyle(table).overflowY === "hidden" && all.length) {
        const head = table.querySelector("thead").offsetHeight;
        const tall = Math.max(...all.map((tr) => tr.offsetHeight));
        const fit = Math.max(1, Math.floor((table.clientHeight - head) / tall));
        if (all.length > fit) {
          pages = Math.ceil(all.length / fit);
          perPage = Math.ceil(all.length / pages);
        }
      }
      page = Math.min(page, pages - 1);
      show();
      schedule();
    }
    pause.addEventListener("click", () => {
      paused = !paused;
      pause.setAttribute("aria-pressed", String(paused));  // its name stays "Pause"
      schedule();
    });
    next.addEventListener("click", turn);
    // A keyboard user inside the ranking holds the rotation: nothing moves under the focus.
    const section = part("ranking");
    section.addEventListener("focusin", () => { held = true; schedule(); });
    section.addEventListener("focusout", (event) => {
      if (!section.contains(event.relatedTarget)) { held = false; schedule(); }
    });
    let resizing = null;
    window.addEventListener("resize", () => { clearTimeout(resizing); resizing = setTimeout(layout, 150); });
    return { layout };
  })();

  function showLegend(display, view) {
    root.querySelectorAll('[data-legend="ranking"]').forEach((item) => { item.hidden = display !== "ranking"; });
    root.querySelectorAll('[data-legend="frozen"]').forEach((item) => { item.hidden = display !== "ranking" || !view.frozen; });
    const meaning = field("meaning");
    if (meaning && view.estimator && words["meaning" + camel("_" + view.estimator)]) {
      meaning.textContent = words["meaning" + camel("_" + view.estimator)];
    }
  }

  function drawScreen(view) {
    showState(view);
    const display = view.display || "hidden";
    part("waiting").hidden = display !== "hidden";
    part("progress").hidden = display === "hidden";
    part("ranking").hidden = display !== "ranking";
    showLegend(display, view);
    if (display !== "hidden") showProgress(view.progress);
    if (display === "ranking") drawRanking(view);
    else { root.querySelector("[data-rows]").replaceChildren(); pager.layout(); }  // stops the rotation
  }

  function juriesDone(line) {
    return plural("juriesDone", line.juries_assigned, { done: number(line.juries_done), assigned: number(line.juries_assigned) });
  }

  function drawOrganizers(view) {
    showState(view);
    showProgress(view.progress);
    const anomalies = field("anomalies");
    const items = (view.anomalies || []).slice().reverse().map((a) => {
      const li = document.createElement("li");
      li.textContent = a.kind === "same_score"
        ? fill(words.sameScore, { jury: a.jury, teams: number(a.teams) })
        : fill(words.fast, { jury: a.jury, team: a.team, seconds: number(a.seconds) });
      return li;
    });
    if (!items.length) { const li = document.createElement("li"); li.textContent = words.none; items.push(li); }
    anomalies.replaceChildren(...items);
    field("juries").replaceChildren(...(view.juries || []).map((j) => {
      const tr = document.createElement("tr");
      [j.jury, number(j.remaining), number(j.done), number(j.absent), number(j.assigned)].forEach((v, i) => cell(tr, v, i ? "num" : ""));
      return tr;
    }));
    field("teams").replaceChildren(...(view.teams || []).map((t) => {
      const tr = document.createElement("tr");
      tr.dataset.team = t.team;
      cell(tr, number(t.rank), "num");
      cell(tr, t.name === t.team ? t.team : t.team + " · " + t.name);
      cell(tr, t.challenge);
      cell(tr, score(t.score, view.estimator), "num");
      cell(tr, juriesDone(t));
      cell(tr, t.missing.join(", ") || "—");
      return tr;
    }));
  }

  const sections = {};
  function drawChallenge(room, view) {
    let section = sections[room];
    if (!section) {
      const template = root.querySelector("[data-challenge-template]");
      section = template.content.firstElementChild.cloneNode(true);
      section.dataset.room = room;
      // Each challenge's table is a region named by its own heading (unique landmarks).
      const heading = field("title", section);
      heading.id = "challenge-" + room.replace(/[^A-Za-z0-9_-]/g, "-");
      const region = section.querySelector("[role=region]");
      if (region) {
        region.removeAttribute("aria-label");
        region.setAttribute("aria-labelledby", heading.id);
      }
      root.append(section);
      sections[room] = section;
      field("empty").hidden = true;
    }
    field("title", section).textContent = view.challenge.code + " — " + view.challenge.title;
    field("teams", section).replaceChildren(...view.teams.map((t) => {
      const tr = document.createElement("tr");
      tr.dataset.team = t.team;
      cell(tr, number(t.rank), "num");
      cell(tr, number(t.overall), "num");
      cell(tr, t.name === t.team ? t.team : t.team + " · " + t.name);
      cell(tr, score(t.score, view.estimator), "num");
      cell(tr, juriesDone(t));
      return tr;
    }));
  }

  // The page came with the board its viewers had (templates/live/board.html): page it now.
  if (kind === "screen") {
    const bar = field("bar");
    if (bar && bar.dataset.share) bar.style.width = bar.dataset.share + "%";
    pager.layout();
  }

  CrunchLive.on("board", (view, meta) => {
    if (!meta) return;
    if (kind === "screen" && meta.room === root.dataset.room) drawScreen(view);
    else if (kind === "organizers" && meta.room === "organizers") drawOrganizers(view);
    else if (kind === "company" && meta.room.startsWith("challenge:")) drawChallenge(meta.room, view);
  });
  const status = document.querySelector("[data-live-status]");
  CrunchLive.onStatus((state) => {
    if (!status) return;
    const text = status.querySelector("[data-status-text]") || status;
    text.textContent = status.dataset[state];
    status.dataset.state = state;
  });
})();
