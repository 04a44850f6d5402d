/* The debrief slides: arrow keys, Page Up/Down (a presenter's clicker), Space, Home/End.
   No inline script (the CSP forbids it); the deck is plain sections, one shown at a time. */
(function () {
  "use strict";
  var slides = Array.prototype.slice.call(document.querySelectorAll(".deck > .slide"));
  if (!slides.length) { return; }
  var current = document.querySelector("[data-current]");
  var index = 0;

  function show(next) {
    index = Math.max(0, Math.min(slides.length - 1, next));
    slides.forEach(function (slide, i) { slide.hidden = i !== index; });
    if (current) { current.textContent = String(index + 1); }
    if (history.replaceState) { history.replaceState(null, "", "#" + slides[index].id); }
  }

  var FORWARD = { ArrowRight: 1, ArrowDown: 1, PageDown: 1, " ": 1, Enter: 1 };
  var BACK = { ArrowLeft: 1, ArrowUp: 1, PageUp: 1, Backspace: 1 };

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey) { return; }
    var target = event.target;
    var onControl = target && target.closest && target.closest("a, button");
    if (event.key === "Enter" && onControl) { return; }
    if (FORWARD[event.key] && !(event.key === " " && event.shiftKey)) {
      show(index + 1);
    } else if (BACK[event.key] || (event.key === " " && event.shiftKey)) {
      show(index - 1);
    } else if (event.key === "Home") {
      show(0);
    } else if (event.key === "End") {
      show(slides.length - 1);
    } else {
      return;
    }
    event.preventDefault();
  });

  document.querySelectorAll("[data-move]").forEach(function (button) {
    button.addEventListener("click", function () {
      show(index + Number(button.getAttribute("data-move")));
    });
  });
  var full = document.querySelector("[data-fullscreen]");
  if (full) {
    if (!document.documentElement.requestFullscreen) { full.hidden = true; }
    full.addEventListener("click", function () {
      if (document.fullscreenElement) { document.exitFullscreen(); }
      else { document.documentElement.requestFullscreen().catch(function () {}); }
    });
  }

  function fromHash() {
    var found = slides.findIndex(function (slide) { return "#" + slide.id === location.hash; });
    show(found < 0 ? 0 : found);
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
}());
