/* Wellspring participant form: makes the plain HTML form quicker.
 * - "Add a person" and "Remove" work in place (no reload).
 * - Who-knows-whom lists and commitment pickers follow the names as they are typed;
 *   ticking a pair on one card ticks it on the other.
 * - Drafts are saved automatically through the JSON API, with If-Match on the version;
 *   a change made in another tab or device is reported, never silently overwritten.
 * Without this file every action still works as an ordinary form post.
 */
(function () {
  "use strict";
  var form = document.getElementById("map-form");
  if (!form) { return; }
  var api = form.dataset.api;
  var msg = form.dataset;
  var container = document.getElementById("contacts");
  var template = document.getElementById("contact-template");
  var versionInput = document.getElementById("map-version");
  var rowsInput = document.getElementById("map-rows");
  var statusEl = document.getElementById("save-status");
  var autosave = form.dataset.status !== "submitted";
  var FIELDS = ["purpose", "origin", "organization", "function", "industry", "closeness", "last_contact"];
  var LISTS = ["roles", "qualities"];
  var BOOLS = ["i_helped", "they_helped", "introduced"];
  var timer = null, inflight = null, dirty = false, conflict = false, resubmitting = false;
  // Retries after a 429 or a lost connection: the server's Retry-After, else 2, 4, 8… s up to a minute.
  var retries = 0, MAX_BACKOFF = 60;

  function cards() { return Array.prototype.slice.call(container.querySelectorAll(".contact-card")); }
  function field(card, name) { return card.querySelector('[name="c' + card.dataset.row + "." + name + '"]'); }
  function value(card, name) {
    var checked = card.querySelector('[name="c' + card.dataset.row + "." + name + '"]:checked');
    if (checked) { return checked.value; }
    var input = field(card, name);
    return input && input.type !== "radio" && input.type !== "checkbox" ? input.value.trim() : "";
  }
  function values(card, name) {
    return Array.prototype.map.call(
      card.querySelectorAll('[name="c' + card.dataset.row + "." + name + '"]:checked'),
      function (el) { return el.value; });
  }
  function label(card) { return value(card, "label"); }
  function isBlank(card) {
    if (label(card)) { return false; }
    for (var i = 0; i < FIELDS.length; i++) { if (value(card, FIELDS[i])) { return false; } }
    for (var j = 0; j < LISTS.length; j++) { if (values(card, LISTS[j]).length) { return false; } }
    for (var k = 0; k < BOOLS.length; k++) { if (values(card, BOOLS[k]).length) { return false; } }
    return true;
  }
  function pairKey(a, b) { return a < b ? a + "\u0000" + b : b + "\u0000" + a; }

  // --- who knows whom ------------------------------------------------------------------
  var ties = new Set();
  cards().forEach(function (card) {
    values(card, "knows").forEach(function (other) { ties.add(pairKey(card.dataset.id, other)); });
  });

  function named() {
    return cards().filter(function (card) { return label(card); })
      .map(function (card) { return { id: card.dataset.id, label: label(card) }; });
  }

  function renderKnows() {
    var people = named();
    cards().forEach(function (card) {
      var list = card.querySelector(".knows-list");
      if (!list) { return; }
      var others = people.filter(function (p) { return p.id !== card.dataset.id; });
      var html = document.createDocumentFragment();
      if (!others.length || !label(card)) {
        var empty = document.createElement("p");
        empty.className = "muted knows-empty";
        empty.textContent = msg.msgKnowsEmpty;
        html.appendChild(empty);
      }
      if (label(card)) {
        others.forEach(function (p) {
          var wrap = document.createElement("label");
          wrap.className = "chip";
          var box = document.createElement("input");
          box.type = "checkbox";
          box.name = "c" + card.dataset.row + ".knows";
          box.value = p.id;
          box.checked = ties.has(pairKey(card.dataset.id, p.id));
          box.setAttribute("aria-describedby", "help-ties");
          var text = document.createElement("span");
          text.textContent = p.label;
          wrap.appendChild(box);
          wrap.appendChild(text);
          html.appendChild(wrap);
        });
      }
      list.replaceChildren(html);
    });
  }

  function renderCommitmentPickers() {
    var people = named();
    form.querySelectorAll(".commitment-contact").forEach(function (select) {
      var chosen = select.value;
      var none = document.createElement("option");
      none.value = "";
      none.textContent = msg.msgNone;
      var options = [none];
      people.forEach(function (p) {
        var option = document.createElement("option");
        option.value = p.id;
        option.textContent = p.label;
        option.selected = p.id === chosen;
        options.push(option);
      });
      select.replaceChildren.apply(select, options);
    });
  }

  // One card open at a time, and each summary's mark: participant-cards.js.
  var cardList = window.WellspringCards || { openOnly: function () {}, refresh: function () {} };
  function renderState(card) { cardList.refresh(card); }
  function openOnly(card) { cardList.openOnly(card); }

  function renderTitles() {
    cards().forEach(function (card, position) {
      var name = card.querySelector(".card-name");
      var number = card.querySelector(".card-number .n");
      if (name) { name.textContent = label(card); }
      if (number) { number.textContent = String(position + 1); }
      renderState(card);
    });
  }

  var renderTimer = null;
  function scheduleRender() {
    clearTimeout(renderTimer);
    renderTimer = setTimeout(function () { renderTitles(); renderKnows(); renderCommitmentPickers(); }, 250);
  }

  // --- adding and removing cards -------------------------------------------------------
  function nextRow() {
    var top = -1;
    cards().forEach(function (card) { top = Math.max(top, parseInt(card.dataset.row, 10)); });
    return Math.max(top + 1, parseInt(rowsInput.value, 10) || 0);
  }
  function newId() {
    var taken = new Set(cards().map(function (card) { return card.dataset.id; }));
    var id;
    do { id = "n" + Math.random().toString(16).slice(2, 8); } while (taken.has(id));
    return id;
  }
  function addCard() {
    if (cards().length >= parseInt(form.dataset.maxContacts, 10)) { return null; }
    var row = nextRow();
    var html = template.innerHTML.split("__i__").join(String(row)).split("__id__").join(newId());
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var card = holder.firstElementChild;
    container.appendChild(card);
    rowsInput.value = String(row + 1);
    enhanceCard(card);
    openOnly(card);
    renderTitles();
    renderKnows();
    return card;
  }
  function removeCard(card) {
    var id = card.dataset.id;
    Array.from(ties).forEach(function (key) { if (key.split("\u0000").indexOf(id) >= 0) { ties.delete(key); } });
    var next = card.nextElementSibling || card.previousElementSibling;
    card.remove();
    renderTitles(); renderKnows(); renderCommitmentPickers();
    var focusTarget = next ? next.querySelector("summary") : document.getElementById("add-contact");
    if (focusTarget) { focusTarget.focus(); }
    changed();
  }
  function enhanceCard(card) {
    var remove = card.querySelector(".remove");
    if (remove && !card.querySelector(".remove-button")) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "remove-button";
      button.textContent = msg.msgRemove;
      button.addEventListener("click", function () { removeCard(card); });
      remove.replaceWith(button);
    }
    // Enter in a card's text field adds the next person instead of posting the form.
    card.querySelectorAll("input[type=text]").forEach(function (input) {
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
          var following = card.nextElementSibling;
          var target = following && isBlank(following) ? following : addCard();
          if (target) { openOnly(target); target.querySelector(".contact-label").focus(); }
        }
      });
    });
  }

  // --- building the map and saving it --------------------------------------------------
  function buildMap() {
    var contacts = [], sent = [], ids = new Set();
    cards().forEach(function (card) {
      // A card with answers but no nickname yet is a draft too: it is saved, never dropped.
      if (isBlank(card) || ids.has(card.dataset.id)) { return; }
      ids.add(card.dataset.id);
      var contact = { id: card.dataset.id, label: label(card) };
      FIELDS.forEach(function (name) { contact[name] = value(card, name) || null; });
      if (contact.closeness) { contact.closeness = parseInt(contact.closeness, 10); }
      LISTS.forEach(function (name) { contact[name] = values(card, name); });
      BOOLS.forEach(function (name) { contact[name] = values(card, name).length > 0; });
      contacts.push(contact);
      sent.push(card);
    });
    var pairs = [];
    ties.forEach(function (key) {
      var pair = key.split("\u0000");
      if (ids.has(pair[0]) && ids.has(pair[1])) { pairs.push(pair); }
    });
    var commitments = [];
    for (var k = 0; k < 3; k++) {
      var text = form.querySelector('[name="m' + k + '.text"]');
      var who = form.querySelector('[name="m' + k + '.contact"]');
      if (text && text.value.trim()) {
        commitments.push({ text: text.value.trim(), contact: who && ids.has(who.value) ? who.value : null });
      }
    }
    var data = { contacts: contacts, ties: pairs, commitments: commitments };
    var review = form.querySelectorAll(".review fieldset");
    if (review.length) {
      data.commitment_review = Array.prototype.map.call(review, function (set) {
        var checked = set.querySelector("input:checked");
        return checked && checked.value === "kept" ? true : checked && checked.value === "not_kept" ? false : null;
      });
    }
    return { data: data, cards: sent };
  }

  function setStatus(text, kind, extra) {
    statusEl.className = "save-status" + (kind ? " is-" + kind : "");
    statusEl.textContent = text;
    if (extra) { extra.forEach(function (el) { statusEl.appendChild(el); }); }
  }
  function button(text, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "secondary";
    b.textContent = text;
    b.addEventListener("click", onClick);
    return b;
  }

  function clearErrors() {
    cards().forEach(function (card) { card.classList.remove("card-error"); });
    form.querySelectorAll(".field-error.js-error").forEach(function (el) {
      var key = el.id.replace(/-error$/, "");
      var target = document.getElementById(key);
      if (target) { target.removeAttribute("aria-invalid"); }
      el.remove();
    });
  }
  function showErrors(errors, sentCards) {
    clearErrors();
    (errors || []).forEach(function (line) {
      var match = /^contacts\[(\d+)\]\.(\w+)(?:\[\d+\])?: (.*)$/.exec(line);
      if (!match || !sentCards[+match[1]]) { return; }
      var key = "c" + sentCards[+match[1]].dataset.row + "-" + match[2];
      var target = document.getElementById(key);
      if (!target || document.getElementById(key + "-error")) { return; }
      var p = document.createElement("p");
      p.className = "field-error js-error";
      p.id = key + "-error";
      p.textContent = match[3];
      target.setAttribute("aria-invalid", "true");
      (target.closest(".field, .group") || target.parentNode).appendChild(p);
      // A collapsed card shows that it holds a problem in its one-line summary.
      sentCards[+match[1]].classList.add("card-error");
    });
  }

  function save(options) {
    options = options || {};
    clearTimeout(timer);
    if (inflight) { dirty = true; return inflight; }
    dirty = false;
    var built = buildMap();
    setStatus(msg.msgSaving, "");
    inflight = fetch(api + "/map", {
      method: "PUT",
      headers: { "Content-Type": "application/json", "If-Match": '"' + versionInput.value + '"' },
      body: JSON.stringify(built.data),
      credentials: "same-origin",
      keepalive: !!options.keepalive
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) {
          retries = 0;
          versionInput.value = String(body.version);
          conflict = false;
          clearErrors();
          setStatus(msg.msgSaved, "ok");
        } else if (response.status === 412) {
          conflict = true;
          setStatus(msg.msgConflict, "error", [
            button(msg.msgReload, function () { window.location.reload(); }),
            button(msg.msgKeep, function () {
              versionInput.value = String(body.current_version);
              conflict = false;
              save();
            })
          ]);
        } else if (response.status === 422) {
          showErrors(body.errors, built.cards);
          setStatus(msg.msgInvalid, "error");
        } else if (response.status === 403) {
          autosave = false;
          setStatus(msg.msgClosed, "error");
        } else if (response.status === 429 || response.status >= 500) {
          retryLater(parseInt(response.headers.get("Retry-After") || "", 10));
        } else {
          setStatus(msg.msgOffline, "error");
        }
      });
    }).catch(function () {
      retryLater(NaN);
    }).then(function () {
      inflight = null;
      if (dirty && !conflict && !retrying) { schedule(); }
    });
    return inflight;
  }

  var retrying = false;
  function retryLater(retryAfter) {
    // Nothing was saved: say so, keep the page as it is, and try again on a backoff.
    retries += 1;
    var wait = retryAfter > 0 ? retryAfter : Math.min(MAX_BACKOFF, Math.pow(2, retries));
    dirty = true;
    retrying = true;
    setStatus(msg.msgRetry.replace("{seconds}", String(wait)), "error");
    clearTimeout(timer);
    timer = setTimeout(function () { retrying = false; save(); }, wait * 1000);
  }

  function schedule() {
    if (!autosave || conflict || retrying) { return; }
    clearTimeout(timer);
    timer = setTimeout(save, 1200);
  }
  function changed() { dirty = true; schedule(); }

  // --- events --------------------------------------------------------------------------
  form.addEventListener("input", function (event) {
    if (event.target.type === "file") { return; }
    if (event.target.classList.contains("contact-label")) { scheduleRender(); }
    changed();
  });
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.type === "file") { return; }
    if (target.name && /\.knows$/.test(target.name)) {
      var card = target.closest(".contact-card");
      var key = pairKey(card.dataset.id, target.value);
      if (target.checked) { ties.add(key); } else { ties.delete(key); }
      cards().forEach(function (other) {
        if (other.dataset.id !== target.value) { return; }
        var mirror = other.querySelector('input[name$=".knows"][value="' + CSS.escape(card.dataset.id) + '"]');
        if (mirror) { mirror.checked = target.checked; }
      });
    }
    changed();
  });
  form.addEventListener("submit", function (event) {
    // Let an autosave in flight finish first, so the post carries the latest version.
    clearTimeout(timer);
    if (inflight && !resubmitting) {
      event.preventDefault();
      var submitter = event.submitter;
      inflight.then(function () { resubmitting = true; form.requestSubmit(submitter); });
    }
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && dirty && autosave && !conflict) { save({ keepalive: true }); }
  });

  cards().forEach(enhanceCard);
  var addRows = document.getElementById("add-rows");
  var addContact = document.getElementById("add-contact");
  if (addRows) { addRows.hidden = true; }
  if (addContact) {
    addContact.hidden = false;
    addContact.addEventListener("click", function () {
      var card = addCard();
      if (card) { card.querySelector(".contact-label").focus(); }
    });
  }
  renderKnows();
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
}());
