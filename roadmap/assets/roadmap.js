// "My requests": find every request a person opened, from roadmap.json, in the browser.
// Everything shown is set as text (never as HTML): titles and names come from strangers.
(function () {
  "use strict";

  var LABELS = {
    "planned": "Planned", "under-review": "Under review", "fixed": "Fixed",
    "wont-fix": "Won't fix", "duplicate": "Duplicate"
  };
  var ORDER = ["planned", "under-review", "fixed", "wont-fix", "duplicate"];
  var loaded = {};

  function load(url) {
    if (!loaded[url]) {
      loaded[url] = fetch(url).then(function (answer) {
        if (!answer.ok) throw new Error(answer.status + " " + answer.statusText);
        return answer.json();
      });
    }
    return loaded[url];
  }

  // "ada", "@Ada", "#123" or "123": who asked, or which issue.
  function matcher(query) {
    var text = query.trim().replace(/^@/, "");
    var number = /^#?(\d+)$/.exec(text);
    if (number) {
      var suffix = "#" + number[1];
      var path = new RegExp("/(issues|pull)/" + number[1] + "$");
      return {
        describe: "#" + number[1],
        test: function (item) {
          return (item.github && item.github.slice(-suffix.length) === suffix) ||
            (item.url && path.test(item.url));
        }
      };
    }
    var name = text.toLowerCase();
    return {
      describe: text,
      test: function (item) { return !!item.author && item.author.toLowerCase() === name; }
    };
  }

  function facts(item) {
    if (item.status === "planned") {
      var target = item.target ? "target " + item.target : "no date committed";
      return item.target_missed ? target + " (missed)" : target;
    }
    if (item.status === "fixed") {
      return "shipped" + (item.version ? " in " + item.version : "") + (item.shipped_on ? " on " + item.shipped_on : "");
    }
    if (item.status === "under-review") return "waiting " + item.waiting_days + " days for a decision";
    if (item.status === "wont-fix") return item.reason ? "with the reason on its page" : "closed without a stated reason";
    if (item.status === "duplicate") return "same as another request";
    return "";
  }

  function row(item, base) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = base + item.page;
    link.textContent = item.title;
    var badge = document.createElement("span");
    badge.className = "rm-status rm-status--" + item.status;
    badge.textContent = LABELS[item.status] || item.status;
    li.appendChild(link);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(badge);
    li.appendChild(document.createTextNode(" " + facts(item)));
    return li;
  }

  function summary(found, who) {
    if (!found.length) {
      return "No requests " + (who.charAt(0) === "#" ? "for " : "by ") + who + " on this roadmap. Names are matched exactly, without the @; " +
        "for an issue, type its number.";
    }
    var counts = ORDER.map(function (status) {
      var n = found.filter(function (item) { return item.status === status; }).length;
      return n ? n + " " + LABELS[status].toLowerCase() : "";
    }).filter(Boolean);
    var whose = who.charAt(0) === "#" ? "for " + who : "by " + who;
    return found.length + " request" + (found.length === 1 ? "" : "s") + " " + whose + ": " + counts.join(", ") + ".";
  }

  // The site's root as an absolute URL: Material says where it is, relative to this page.
  function siteRoot() {
    var config = document.getElementById("__config");
    var relative = ".";
    if (config) {
      try { relative = JSON.parse(config.textContent).base || "."; } catch (error) { /* keep "." */ }
    }
    return new URL(relative.replace(/\/?$/, "/"), window.location.href).href;
  }

  function lookup(form, query) {
    var status = form.parentNode.querySelector(".rm-lookup__status");
    var list = form.parentNode.querySelector(".rm-lookup__results");
    var base = siteRoot();
    var json = new URL(form.getAttribute("data-roadmap-json"), base);
    if (!query.trim()) {
      status.textContent = "Type a GitHub user name or an issue number.";
      list.replaceChildren();
      return Promise.resolve();
    }
    status.textContent = "Looking…";
    return load(json.href).then(function (roadmap) {
      var started = performance.now();
      var match = matcher(query);
      var found = roadmap.items.filter(match.test);
      found.sort(function (a, b) {
        return ORDER.indexOf(a.status) - ORDER.indexOf(b.status) || a.title.localeCompare(b.title);
      });
      var rows = document.createDocumentFragment();
      found.forEach(function (item) { rows.appendChild(row(item, base)); });
      list.replaceChildren(rows);
      status.textContent = summary(found, match.describe);
      status.setAttribute("data-lookup-ms", (performance.now() - started).toFixed(2));
    }).catch(function (error) {
      status.textContent = "The list of requests could not be loaded (" + error.message + ").";
    });
  }

  function start() {
    var form = document.querySelector("form.rm-lookup");
    if (!form || form.getAttribute("data-ready")) return;
    form.setAttribute("data-ready", "yes");
    var input = form.querySelector("input");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var url = new URL(window.location.href);
      url.searchParams.set("who", input.value.trim());
      window.history.replaceState(null, "", url);
      lookup(form, input.value);
    });
    var given = new URL(window.location.href).searchParams.get("who");
    if (given) {
      input.value = given;
      lookup(form, given);
    }
  }

  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(start); // Material's instant navigation swaps pages in place
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
