// The staff's scanner: reads students' personal QR codes with the browser's BarcodeDetector
// where it exists (typing the code works everywhere), and sends each one to the server
// (the form's own POST, answered in JSON); a code just sent is not sent again for a while.
(function () {
  "use strict";
  const form = document.querySelector("[data-presence-scan]");
  if (!form) return;
  const input = form.querySelector("#scan-code");
  const result = form.querySelector("[data-result]");
  const log = form.querySelector("[data-log]");
  const startButton = form.querySelector("[data-start-camera]");
  const cameraBox = form.querySelector("[data-camera]");
  const video = form.querySelector("[data-video]");
  const recent = new Map();
  const REPEAT_MS = 4000;

  function say(text, ok) {
    result.textContent = text;
    result.classList.toggle("flash-success", ok);
    result.classList.toggle("flash-error", !ok);
    result.classList.add("flash");
  }

  function send(code) {
    const now = Date.now();
    if (recent.has(code) && now - recent.get(code) < REPEAT_MS) return;
    recent.set(code, now);
    const data = new FormData(form);
    data.set("code", code);
    fetch(form.action, { method: "POST", body: data, headers: { Accept: "application/json" } })
      .then((response) => response.json().catch(() => ({ message: form.dataset.failed })))
      .then((answer) => {
        say(answer.message || form.dataset.failed, Boolean(answer.ok));
        if (answer.ok) {
          const item = document.createElement("li");
          item.textContent = answer.name;
          log.prepend(item);
          if (navigator.vibrate) navigator.vibrate(80);
        }
      })
      .catch(() => say(form.dataset.failed, false));
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const code = input.value.trim();
    if (!code) return;
    recent.delete(code);
    send(code);
    input.value = "";
    input.focus();
  });

  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) {
    say(form.dataset.unsupported, true);
    result.classList.remove("flash-success", "flash");
    return;
  }
  startButton.hidden = false;
  startButton.addEventListener("click", async () => {
    let detector;
    try {
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      video.srcObject = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "environment" }, audio: false });
      await video.play();
    } catch (error) {
      say(form.dataset.cameraError, false);
      return;
    }
    cameraBox.hidden = false;
    startButton.hidden = true;
    const tick = async () => {
      try {
        const codes = await detector.detect(video);
        if (codes.length) send(codes[0].rawValue.trim());
      } catch (error) {
        /* a frame that could not be read: try the next one */
      }
      setTimeout(tick, 250);
    };
    tick();
  });
})();
