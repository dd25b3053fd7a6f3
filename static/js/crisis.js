/* Crisis mode, progressive enhancement only: the pages work without it.
   1. A live SMS segment counter under the message box (the server shows the same numbers
      after "Preview").
   2. The progress bar: polls the JSON endpoint every 2 s until every text is handled. */
(function () {
  "use strict";
  var BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var EXTENDED = "^{}\\[~]|€\f";

  function segments(text) {
    var gsm = true, septets = 0, i, ch;
    for (i = 0; i < text.length; i++) {
      ch = text.charAt(i);
      if (EXTENDED.indexOf(ch) >= 0) { septets += 2; }
      else if (BASIC.indexOf(ch) >= 0) { septets += 1; }
      else { gsm = false; break; }
    }
    var length = gsm ? septets : text.length; /* UTF-16 code units, like the server */
    var single = gsm ? 160 : 70, multi = gsm ? 153 : 67;
    if (!text.length) { return 0; }
    return length <= single ? 1 : Math.ceil(length / multi);
  }

  document.querySelectorAll("textarea[data-sms-counter]").forEach(function (box) {
    var out = document.getElementById(box.getAttribute("data-sms-counter"));
    if (!out) { return; }
    var format = out.getAttribute("data-format") || "%(chars)s / %(segments)s SMS";
    function update() {
      var text = box.value.trim(), n = segments(text);
      out.textContent = format.replace("%(chars)s", text.length).replace("%(segments)s", n);
      out.setAttribute("data-segments", String(n));
    }
    box.addEventListener("input", update);
  });

  var section = document.querySelector("[data-crisis-progress]");
  if (!section || section.getAttribute("data-done") === "1") { return; }
  var url = section.getAttribute("data-crisis-progress");
  function set(name, value) {
    var el = section.querySelector('[data-progress="' + name + '"]');
    if (el) { el.textContent = value; }
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var bar = document.getElementById("crisis-progress");
        bar.value = data.percent;
        bar.textContent = data.percent + " %";
        ["handled", "total", "percent", "bookings", "occurrences", "waiting", "sent",
          "delivered", "failed", "opted_out", "no_phone"].forEach(function (k) { set(k, data[k]); });
        if (data.done) {
          section.querySelector('[data-progress="done_text"]').hidden = false;
          section.querySelector('[data-progress="reload"]').hidden = false;
          section.setAttribute("data-done", "1");
        } else {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
