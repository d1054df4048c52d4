// Live boards: the big screen (/live), the organisers' room and a company's challenges.
// Each board view arrives whole over CrunchLive (event "board", one per room); this file only
// draws it. Movement arrows compare with the previous view and stay for ARROW_MS.
(function () {
  "use strict";
  const root = document.querySelector("[data-live-board]");
  const words = (document.querySelector("[data-live-labels]") || {}).dataset || {};
  if (!root || typeof CrunchLive === "undefined") return;
  const ARROW_MS = 60000;
  const kind = root.dataset.liveBoard;

  function fill(template, values) {
    return (template || "").replace(/%\((\w+)\)s/g, (m, key) => (key in values ? values[key] : ""));
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

  function showRound(view) {
    const target = field("round");
    if (!target) return;
    target.textContent = view.round
      ? fill(words.round, { name: view.round.name, status: words["status" + view.round.status.charAt(0).toUpperCase() + view.round.status.slice(1)] || view.round.status })
      : words.noRound || "";
  }

  function showProgress(progress, scope) {
    const bar = field("bar", scope);
    const text = field("progress", scope);
    if (!progress || !bar) return;
    const share = progress.expected ? Math.round((100 * progress.recorded) / progress.expected) : 0;
    bar.style.width = share + "%";
    bar.parentElement.setAttribute("aria-valuenow", String(share));
    text.textContent = fill(words.progress, { recorded: progress.recorded, expected: progress.expected,
                                             complete: progress.teams_complete, teams: progress.teams });
  }

  // Movement: team code -> {rank, arrow, until}
  const moves = {};
  function movement(row, now) {
    const before = moves[row.team];
    let arrow = before && before.until > now ? before.arrow : "";
    if (!before) arrow = Object.keys(moves).length ? "new" : "";
    else if (row.rank < before.rank) arrow = "up";
    else if (row.rank > before.rank) arrow = "down";
    moves[row.team] = { rank: row.rank, arrow, until: arrow && (!before || before.rank !== row.rank) ? now + ARROW_MS : (before ? before.until : 0) };
    return arrow;
  }

  function drawRanking(rows, frozen) {
    const body = root.querySelector("[data-rows]");
    const now = Date.now();
    body.replaceChildren(...rows.map((row) => {
      const tr = document.createElement("tr");
      tr.dataset.team = row.team;
      cell(tr, row.rank, "live-rank");
      const arrow = frozen ? "" : movement(row, now);
      const mark = cell(tr, arrow === "up" ? "▲" : arrow === "down" ? "▼" : arrow === "new" ? "●" : "", "live-move live-" + (arrow || "same"));
      if (arrow) mark.setAttribute("aria-label", words[arrow] || arrow);
      const team = cell(tr, row.name, "live-team");
      const code = document.createElement("span");
      code.className = "live-code";
      code.textContent = " " + row.team;
      team.append(code);
      cell(tr, row.challenge_title || row.challenge, "live-challenge");
      cell(tr, row.score, "num live-score");
      return tr;
    }));
    field("frozen").hidden = !frozen;
  }

  function drawScreen(view) {
    showRound(view);
    const display = view.display || "hidden";
    part("waiting").hidden = display !== "hidden";
    part("progress").hidden = display === "hidden";
    part("ranking").hidden = display !== "ranking";
    if (display !== "hidden") showProgress(view.progress);
    if (display === "ranking") drawRanking(view.ranking || [], view.frozen);
  }

  function drawOrganizers(view) {
    showRound(view);
    showProgress(view.progress);
    const anomalies = field("anomalies");
    const items = (view.anomalies || []).slice().reverse().map((a) => {
      const li = document.createElement("li");
      li.textContent = a.kind === "same_score"
        ? fill(words.sameScore, { jury: a.jury, teams: a.teams })
        : fill(words.fast, { jury: a.jury, team: a.team, seconds: a.seconds });
      return li;
    });
    if (!items.length) { const li = document.createElement("li"); li.textContent = words.none; items.push(li); }
    anomalies.replaceChildren(...items);
    field("juries").replaceChildren(...(view.juries || []).map((j) => {
      const tr = document.createElement("tr");
      [j.jury, j.remaining, j.done, j.absent, j.assigned].forEach((v, i) => cell(tr, v, i ? "num" : ""));
      return tr;
    }));
    field("teams").replaceChildren(...(view.teams || []).map((t) => {
      const tr = document.createElement("tr");
      tr.dataset.team = t.team;
      cell(tr, t.rank, "num");
      cell(tr, t.team + " · " + t.name);
      cell(tr, t.challenge);
      cell(tr, t.score, "num");
      cell(tr, fill(words.juriesDone, { done: t.juries_done, assigned: t.juries_assigned }));
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
      root.append(section);
      sections[room] = section;
      field("empty").hidden = true;
    }
    field("title", section).textContent = view.challenge.code + " — " + view.challenge.title;
    field("teams", section).replaceChildren(...view.teams.map((t) => {
      const tr = document.createElement("tr");
      tr.dataset.team = t.team;
      cell(tr, t.rank, "num");
      cell(tr, t.overall, "num");
      cell(tr, t.team + " · " + t.name);
      cell(tr, t.score, "num");
      cell(tr, fill(words.juriesDone, { done: t.juries_done, assigned: t.juries_assigned }));
      return tr;
    }));
  }

  CrunchLive.on("board", (view, meta) => {
    if (!meta) return;
    if (kind === "screen" && meta.room === root.dataset.room) drawScreen(view);
    else if (kind === "organizers" && meta.room === "organizers") drawOrganizers(view);
    else if (kind === "company" && meta.room.startsWith("challenge:")) drawChallenge(meta.room, view);
  });
  const status = document.querySelector("[data-live-status]");
  CrunchLive.onStatus((state) => {
    if (status) { status.textContent = status.dataset[state]; status.dataset.state = state; }
  });
})();
