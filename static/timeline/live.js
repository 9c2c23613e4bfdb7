/* The live view (timeline/live.html) without reloading: asks the updates
   address for what changed since its cursor, every LIVE_POLL_SECONDS at
   first and less often while nothing changes or the tab is hidden. New
   events wait behind a button; an event already shown that was corrected
   or withdrawn is replaced where it is and marked. Without this script the
   page is whole, with its link to check for new events. */
(function () {
  "use strict";
  var root = document.querySelector("[data-live-updates]");
  if (!root || !window.fetch || !("content" in document.createElement("template"))) return;
  var base = Math.max(1, Number(root.getAttribute("data-interval")) || 15) * 1000;
  var slowest = base * 4;
  var address = root.getAttribute("data-live-updates");
  var cursor = root.getAttribute("data-cursor");
  var latest = document.getElementById("live-latest");
  var status = root.querySelector(".live-status");
  var button = root.querySelector(".live-new");
  var waiting = {};
  var order = [];
  var delay = base;
  var timer = null;

  function parse(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    return holder.content.firstElementChild;
  }

  function shown(id) {
    return root.querySelectorAll('[data-event="' + Number(id) + '"]');
  }

  function announce(text) {
    // Emptied first, so that the same words are announced again.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function replace(item) {
    var replaced = 0;
    shown(item.id).forEach(function (node) {
      if (node.getAttribute("data-stamp") === item.stamp) return;
      var fresh = parse(item.html);
      var mark = document.createElement("p");
      mark.className = "live-mark";
      mark.textContent = root.getAttribute("data-updated");
      fresh.insertBefore(mark, fresh.firstChild);
      fresh.classList.add("is-updated");
      var focused = node.contains(document.activeElement);
      node.parentNode.replaceChild(fresh, node);
      if (focused) fresh.focus();
      replaced += 1;
    });
    return replaced;
  }

  function offer() {
    var count = order.length;
    button.hidden = count === 0;
    if (count === 0) return "";
    button.textContent = count === 1
      ? root.getAttribute("data-one")
      : root.getAttribute("data-many").replace("{n}", count);
    return button.textContent;
  }

  function apply(body) {
    var moved = body.cursor !== cursor;
    var offered = order.length;
    var replaced = 0;
    cursor = body.cursor;
    body.corrected.forEach(function (item) {
      if (waiting[item.id]) waiting[item.id] = item;
      replaced += replace(item);
    });
    body.withdrawn.forEach(function (item) {
      if (waiting[item.id]) {
        delete waiting[item.id];
        order.splice(order.indexOf(item.id), 1);
      }
      replaced += replace(item);
    });
    body.published.forEach(function (item) {
      if (shown(item.id).length) {
        replaced += replace(item);
      } else {
        if (!waiting[item.id]) order.push(item.id);
        waiting[item.id] = item;
      }
    });
    var words = offer();
    if (order.length !== offered && words) announce(words);
    else if (replaced) announce(root.getAttribute("data-changed"));
    return moved;
  }

  function schedule(wait) {
    window.clearTimeout(timer);
    timer = window.setTimeout(poll, wait);
  }

  function poll() {
    if (document.visibilityState === "hidden") {
      schedule(slowest);
      return;
    }
    // "no-cache": the browser revalidates what it kept (a 304 when nothing
    // changed); no credentials, so that a shared cache may answer.
    fetch(address + "?after=" + encodeURIComponent(cursor), {
      cache: "no-cache",
      credentials: "omit",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (body) {
        delay = apply(body) ? base : Math.min(delay * 2, slowest);
        schedule(delay);
      })
      .catch(function () {
        delay = slowest;
        schedule(delay);
      });
  }

  button.addEventListener("click", function () {
    var top = null;
    order.forEach(function (id) {
      top = parse(waiting[id].html);
      top.classList.add("is-new");
      latest.insertBefore(top, latest.firstElementChild);
    });
    waiting = {};
    order = [];
    offer();
    var empty = root.querySelector(".live-empty");
    if (empty) empty.parentNode.removeChild(empty);
    // The button is gone: the reader goes on from the newest event.
    if (top) top.focus();
  });

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      delay = base;
      schedule(1000);
    }
  });

  schedule(base);
})();
