// Camera and microphone test on the video join page (/m/<token>/). Progressive: without
// JavaScript the section explains that the browser asks when joining.
(function () {
  "use strict";
  var box = document.getElementById("meeting-check");
  if (!box) return;
  box.hidden = false;
  var start = document.getElementById("meeting-check-start");
  var video = document.getElementById("meeting-check-video");
  var level = document.getElementById("meeting-check-level");
  var meter = document.getElementById("meeting-check-meter");
  var status = document.getElementById("meeting-check-status");
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    status.textContent = status.dataset.unsupported;
    start.hidden = true;
    return;
  }
  start.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ video: true, audio: true }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      level.hidden = false;
      start.hidden = true;
      status.textContent = status.dataset.ok;
      var AudioContext = window.AudioContext || window.webkitAudioContext;
      if (!AudioContext) return;
      var context = new AudioContext();
      var analyser = context.createAnalyser();
      context.createMediaStreamSource(stream).connect(analyser);
      var data = new Uint8Array(analyser.fftSize);
      (function tick() {
        analyser.getByteTimeDomainData(data);
        var peak = 0;
        for (var i = 0; i < data.length; i++) peak = Math.max(peak, Math.abs(data[i] - 128));
        meter.value = Math.min(100, peak * 2);
        window.requestAnimationFrame(tick);
      })();
    }).catch(function () {
      status.textContent = status.dataset.error;
    });
  });
})();
