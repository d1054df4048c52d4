// Team pages: a teammate's save, a finished stage or new feedback show up at once
// (Socket.IO namespace /live; the server puts members in their team's room). After a
// reconnection the page asks for its counters again and says when it is out of date.
// Every page is complete without this file.
(function () {
  "use strict";

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, (match, key) => (key in values ? values[key] : ""));
  }

  // Countdowns: "in 3 hours", in the page's language, refreshed every 30 seconds.
  const countdowns = document.querySelectorAll("[data-countdown]");
  if (countdowns.length && typeof Intl !== "undefined" && Intl.RelativeTimeFormat) {
    const words = new Intl.RelativeTimeFormat(document.documentElement.lang || "fr", { numeric: "auto" });
    const tick = () => {
      for (const element of countdowns) {
        const seconds = (Date.parse(element.dataset.countdown) - Date.now()) / 1000;
        if (seconds <= 0) { element.textContent = "(" + element.dataset.passed + ")"; continue; }
        const [value, unit] = seconds >= 86400 ? [seconds / 86400, "day"]
          : seconds >= 3600 ? [seconds / 3600, "hour"] : [Math.max(1, seconds / 60), "minute"];
        element.textContent = "(" + words.format(Math.floor(value), unit) + ")";
      }
    };
    tick();
    setInterval(tick, 30000);
  }

  const marker = document.querySelector("[data-team-live]");
  const notice = document.querySelector("[data-live-notice]");
  if (!marker || !notice || typeof CrunchLive === "undefined") return;
  const seen = {
    version: Number(marker.dataset.version),
    feedback: Number(marker.dataset.feedback),
    done: Number(marker.dataset.done),
  };
  const editing = document.querySelector("[data-submission-form]");

  function say(text) {
    notice.textContent = text + " ";
    if (editing && notice.dataset.editingHint) {
      notice.append(notice.dataset.editingHint + " ");
    } else {
      const link = document.createElement("a");
      link.href = window.location.pathname + window.location.search;
      link.textContent = notice.dataset.reload;
      notice.append(link);
    }
    notice.hidden = false;
  }

  function showFeedback(data) {
    const list = document.querySelector(`[data-feedback-for="${Number(data.stage)}"]`);
    if (!list) return;
    const quote = document.createElement("blockquote");
    quote.className = "feedback feedback-new";
    const text = document.createElement("p");
    text.className = "challenge-text";
    text.textContent = data.text;
    const footer = document.createElement("footer");
    footer.className = "small";
    footer.textContent = data.author;
    quote.append(text, footer);
    list.append(quote);
  }

  function resync() {
    fetch(marker.dataset.state, { headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((state) => {
        if (!state) return;
        if (state.version !== seen.version || state.feedback !== seen.feedback || state.done !== seen.done) {
          say(notice.dataset.templateStale);
        }
      });
  }

  CrunchLive.onConnect((again) => {
    if (again) resync();
  });
  CrunchLive.on("submission", (data) => {
    if (data.version <= seen.version) return;
    seen.version = data.version;
    say(fill(notice.dataset.templateSubmission, { name: data.author, n: data.version }));
  });
  CrunchLive.on("stage", (data) => {
    seen.done += 1;
    say(fill(notice.dataset.templateStage, { name: data.author }));
  });
  CrunchLive.on("feedback", (data) => {
    seen.feedback += 1;
    showFeedback(data);
    say(fill(notice.dataset.templateFeedback, { name: data.author }));
  });
})();
