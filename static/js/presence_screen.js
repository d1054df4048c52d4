// A door screen: shows the QR code of the check-in link for this point and the session in
// progress. The server signs a new code every 30 seconds; this script fetches it from
// code.json just after the change (the previous code stays valid 30 more seconds, so a
// student scanning at the change is not refused), and counts the seconds down.
(function () {
  "use strict";
  const root = document.querySelector("[data-presence-screen]");
  if (!root) return;
  const field = (name) => root.querySelector(`[data-field="${name}"]`);
  const part = (name) => root.querySelector(`[data-part="${name}"]`);
  let deadline = Date.now() + parseFloat(root.dataset.secondsLeft || "30") * 1000;
  let timer = null;

  function show(data) {
    const open = Boolean(data.svg);
    part("code").hidden = !open;
    part("closed").hidden = open;
    field("session").textContent = data.session || "";
    field("next").textContent = data.next || "";
    field("short_code").textContent = data.short_code || "";
    const box = field("qr");
    if (open) {
      // Parsed as HTML (as the page's first code was), so the <svg> lands in its namespace.
      const svg = new DOMParser().parseFromString(data.svg, "text/html").querySelector("svg");
      box.replaceChildren(document.importNode(svg, true));
    } else {
      box.replaceChildren();
    }
    field("status").textContent = "";
    deadline = Date.now() + data.seconds_left * 1000;
  }

  function schedule(delayMs) {
    clearTimeout(timer);
    timer = setTimeout(refresh, Math.max(200, delayMs));
  }

  function refresh() {
    fetch(root.dataset.source, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then((response) => {
        if (response.status === 401 || response.redirected) {
          window.location.reload();
          return null;
        }
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then((data) => {
        if (!data) return;
        show(data);
        schedule(data.seconds_left * 1000 + 300);
      })
      .catch(() => {
        field("status").textContent = root.dataset.stale;
        schedule(3000);
      });
  }

  setInterval(() => {
    const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    field("countdown").textContent = String(left);
  }, 500);
  schedule(deadline - Date.now() + 300);
})();
