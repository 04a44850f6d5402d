/* Wellspring participant form: the people as a short list on a phone.
 * Each card is a <details> whose summary shows the nickname and what the card still
 * needs before Submit; this keeps one card open at a time and the marks up to date.
 * Without it the cards still open and close (natively), with the marks the server drew.
 * participant.js calls WellspringCards.openOnly(card) and .refresh(card).
 */
(function () {
  "use strict";
  var form = document.getElementById("map-form");
  var container = document.getElementById("contacts");
  if (!form || !container) { return; }
  var REQUIRED = (form.dataset.required || "").split(" ").filter(Boolean);

  function cards() { return Array.prototype.slice.call(container.querySelectorAll(".contact-card")); }
  function value(card, name) {
    var selector = '[name="c' + card.dataset.row + "." + name + '"]';
    var checked = card.querySelector(selector + ":checked");
    if (checked) { return checked.value; }
    var input = card.querySelector(selector);
    return input && input.type !== "radio" && input.type !== "checkbox" ? input.value.trim() : "";
  }

  function refresh(card) {
    var mark = card.querySelector(".card-state");
    if (!mark) { return; }
    var missing = REQUIRED.filter(function (name) { return !value(card, name); }).length;
    var span = document.createElement("span");
    if (missing === 0) {
      span.className = "mark mark-complete";
      span.textContent = mark.dataset.complete;
    } else if (missing === REQUIRED.length) {
      span.className = "mark mark-empty";
      span.textContent = mark.dataset.empty;
    } else {
      span.className = "mark mark-missing";
      span.textContent = mark.dataset.missing.replace("{n}", String(missing));
    }
    mark.replaceChildren(span);
  }

  function openOnly(card) {
    cards().forEach(function (other) { if (other !== card && other.open) { other.open = false; } });
    if (!card.open) { card.open = true; }
  }

  container.addEventListener("toggle", function (event) {
    var card = event.target;
    if (card.classList && card.classList.contains("contact-card") && card.open) { openOnly(card); }
  }, true);
  function onEdit(event) {
    var card = event.target.closest && event.target.closest(".contact-card");
    if (card) { refresh(card); }
  }
  container.addEventListener("input", onEdit);
  container.addEventListener("change", onEdit);

  window.WellspringCards = { openOnly: openOnly, refresh: refresh };
}());
