/* Wellspring facilitator pages: copy buttons, confirmations, live progress.
   No inline script (the CSP forbids it); everything hooks onto data- attributes. */
(function () {
  "use strict";

  // The time of a refresh, 24-hour, in the cohort's zone with its name (e.g. 18:05:03 CET).
  function updatedAt(lang, zone) {
    var options = {hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false,
                   timeZoneName: "short"};
    try {
      return new Date().toLocaleTimeString(lang, Object.assign({timeZone: zone || "UTC"}, options));
    } catch (e) {
      return new Date().toLocaleTimeString(lang, options);
    }
  }

  // --- the facilitator's time zone, the default of a new cohort when the program has none
  Array.prototype.forEach.call(document.querySelectorAll("[data-browser-time-zone]"), function (field) {
    try { field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { field.value = ""; }
  });

  // --- copy a personal link ------------------------------------------------------------
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) { return; }
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) { return; }
    var original = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", original);
    copyText(source.textContent.trim()).then(function () {
      button.textContent = button.getAttribute("data-copied-label") || "Copied";
      button.classList.add("copied");
      setTimeout(function () { button.textContent = original; button.classList.remove("copied"); }, 2000);
    }, function () {
      selectText(source);  // at least leave it selected for Ctrl+C
    });
  });

  // --- confirmations -------------------------------------------------------------------
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-confirm-button]");
    if (button && !window.confirm(button.getAttribute("data-confirm-button"))) {
      event.preventDefault();
    }
  });

  // --- live progress on the session dashboard -------------------------------------------
  var panel = document.querySelector("[data-progress-url]");
  if (!panel) { return; }
  var url = panel.getAttribute("data-progress-url");
  var seconds = parseInt(panel.getAttribute("data-poll-seconds"), 10) || 10;
  var initialSubmitted = parseInt(panel.getAttribute("data-initial-submitted"), 10) || 0;
  var table = document.querySelector("table[data-status-labels]");
  var labels = {};
  try { labels = JSON.parse(table ? table.getAttribute("data-status-labels") : "{}"); } catch (e) { labels = {}; }
  var lang = document.documentElement.lang || "en";
  var failures = 0;

  function setText(selector, value) {
    var element = panel.querySelector(selector);
    if (element) { element.textContent = value; }
  }

  function update(data) {
    var counts = data.progress;
    ["submitted", "draft", "opened", "not_opened"].forEach(function (key) {
      setText('[data-count="' + key + '"]', String(counts[key]));
    });
    var meter = panel.querySelector("[data-meter]");
    if (meter) {
      meter.style.width = (counts.invited ? Math.round(100 * counts.submitted / counts.invited) : 0) + "%";
    }
    var countText = panel.querySelector("[data-count-text]");
    if (countText) {
      countText.textContent = countText.textContent.replace(/\d+/, String(counts.submitted))
        .replace(/(\d+)(\D*)$/, String(counts.invited) + "$2");
    }
    setText("[data-updated]", (lang === "it" ? "Aggiornato alle " : "Updated at ") +
      updatedAt(lang, panel.getAttribute("data-time-zone")));
    data.participants.forEach(function (p) {
      var row = document.querySelector('tr[data-participant-id="' + p.participant_id + '"]');
      if (!row || row.getAttribute("data-status-row") === p.status) { return; }
      row.setAttribute("data-status-row", p.status);
      var badge = row.querySelector("[data-status]");
      if (badge) {
        badge.setAttribute("data-status", p.status);
        badge.className = "badge badge-" + p.status.replace("_", "-");
        badge.textContent = labels[p.status] || p.status;
      }
      var report = row.querySelector("[data-report-link]");
      if (report) { report.hidden = p.status !== "submitted"; }
      row.classList.add("just-changed");
    });
    var stale = panel.querySelector("[data-summary-stale]");
    if (stale && counts.submitted !== initialSubmitted) { stale.hidden = false; }
  }

  function poll() {
    if (document.hidden) { schedule(); return; }
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) { failures = 0; update(data); })
      .catch(function () { failures += 1; })
      .then(schedule);
  }

  function schedule() {
    // Back off gently while the server is unreachable; never poll faster than every 10 s.
    setTimeout(poll, seconds * 1000 * Math.min(1 + failures, 6));
  }

  schedule();
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { poll(); } });
})();
