// Camera scanning for the check-in page, with the browser's own BarcodeDetector API (Chrome on
// Android and macOS has it, Firefox does not). Without it the camera section stays hidden, and
// the form still takes pasted codes or the typed input of a handheld scanner.
(function () {
  "use strict";

  const section = document.querySelector("[data-scanner]");
  const form = document.getElementById("checkin-form");
  if (!section || !form || !("BarcodeDetector" in window) || !navigator.mediaDevices) {
    return;
  }

  const input = form.querySelector("input[name=payload]");
  const video = section.querySelector("[data-scanner-video]");
  const status = section.querySelector("[data-scanner-status]");
  const startButton = section.querySelector("[data-scanner-start]");
  const stopButton = section.querySelector("[data-scanner-stop]");
  // Remembered for the browser tab, so the camera comes back after each scan reloads the page.
  const storageKey = "checkin-camera-on";
  let stream = null;
  let detector = null;

  section.hidden = false;

  async function start() {
    try {
      detector = detector || new BarcodeDetector({ formats: ["qr_code"] });
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (error) {
      status.textContent = section.dataset.textFailed + " " + error.message;
      sessionStorage.removeItem(storageKey);
      return;
    }
    sessionStorage.setItem(storageKey, "1");
    video.srcObject = stream;
    await video.play();
    startButton.hidden = true;
    stopButton.hidden = false;
    status.textContent = section.dataset.textReady;
    requestAnimationFrame(scan);
  }

  function stop(forget) {
    if (stream) {
      stream.getTracks().forEach((track) => track.stop());
      stream = null;
    }
    if (forget) {
      sessionStorage.removeItem(storageKey);
    }
    startButton.hidden = false;
    stopButton.hidden = true;
    status.textContent = "";
  }

  async function scan() {
    if (!stream) {
      return;
    }
    try {
      const codes = await detector.detect(video);
      if (codes.length > 0 && codes[0].rawValue) {
        input.value = codes[0].rawValue;
        stop(false);
        form.requestSubmit();
        return;
      }
    } catch (error) {
      // A frame that is not ready yet fails to decode, so the loop goes on with the next one.
    }
    requestAnimationFrame(scan);
  }

  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", () => stop(true));
  if (sessionStorage.getItem(storageKey)) {
    start();
  }
})();
