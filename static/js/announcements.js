// Announcements arrive live on every signed-in page, through the page's one connection
// (CrunchLive, live.js): the server puts each connection in the rooms of its role and team, so
// a page only hears what is meant for its user. A new one shows in the layout's banner
// (templates/announcements/_live.html, aria-live) with a link to the list, and on top of every
// list of the page ([data-announcement-list]: the announcements page, the team space). After
// each (re)connection the page asks for those published since it was drawn, so nothing is
// missed. Every page is complete without this file.
(function () {
  "use strict";
  const banner = document.querySelector("[data-announcement-banner]");
  if (!banner || typeof CrunchLive === "undefined") return;
  const lists = Array.from(document.querySelectorAll("[data-announcement-list]"));
  const seen = new Set(Array.from(document.querySelectorAll("[data-announcement]"),
    (element) => Number(element.dataset.announcement)));
  const lang = banner.dataset.lang || document.documentElement.lang || "fr";
  const onListPage = window.location.pathname === new URL(banner.dataset.list, window.location.href).pathname;

  function textOf(item) {
    return lang === "en" && item.text_en ? item.text_en : item.text_fr;
  }

  function when(iso) {
    const date = new Date(iso);
    return isNaN(date) ? "" : date.toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" });
  }

  function article(item) {
    const node = document.createElement("article");
    node.className = "announcement announcement-new";
    node.dataset.announcement = item.id;
    const stamp = document.createElement("p");
    stamp.className = "small";
    const time = document.createElement("time");
    time.dateTime = item.published_at;
    time.textContent = when(item.published_at);
    stamp.append(time);
    const text = document.createElement("p");
    text.className = "challenge-text";
    text.textContent = textOf(item);
    node.append(stamp, text);
    return node;
  }

  function announce(item) {
    banner.textContent = "";
    const title = document.createElement("strong");
    title.textContent = banner.dataset.title + " — ";
    const text = document.createElement("span");
    text.textContent = textOf(item);
    banner.append(title, text);
    if (!onListPage) {
      const link = document.createElement("a");
      link.href = banner.dataset.list;
      link.textContent = banner.dataset.listLabel;
      banner.append(" ", link);
    }
    banner.hidden = false;
  }

  function show(item) {
    if (seen.has(item.id)) return;
    seen.add(item.id);
    for (const list of lists) {
      const empty = list.querySelector("[data-announcement-empty]");
      if (empty) empty.remove();
      list.prepend(article(item));
    }
    announce(item);
  }

  CrunchLive.on("announcement", show);
  CrunchLive.onStatus((state) => { banner.dataset.live = state; });
  // After every (re)connection: what was published since the page was drawn and not heard.
  CrunchLive.onConnect(() => {
    banner.dataset.live = "connected";
    const feed = banner.dataset.feed + "?since=" + encodeURIComponent(banner.dataset.since || "");
    fetch(feed, { headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => data && data.announcements.slice().reverse().forEach(show));
  });
})();
