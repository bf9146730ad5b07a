// "My requests": find every request a person opened, from roadmap.json, in the browser.
// Everything shown is set as text (never as HTML): titles and names come from strangers.
(function () {
  "use strict";

  // The words come from the page (data-words, written from the site's message catalog),
  // so this script shows them in the site's language; it holds no words of its own.
  function wordsOf(element) {
    var words = {};
    try { words = JSON.parse(element.getAttribute("data-words") || "{}"); } catch (error) { /* none */ }
    // A site's own template from before the words were on the page: keys, not a broken page.
    words.labels = words.labels || {};
    words.sorts = words.sorts || {};
    return words;
  }

  // A message with its %(name)s placeholders filled in.
  function fill(text, values) {
    return String(text || "").replace(/%\((\w+)\)s/g, function (whole, name) {
      return values.hasOwnProperty(name) ? String(values[name]) : whole;
    });
  }

  // A message that depends on a count: the text for the count's plural category.
  function plural(words, forms, count, values) {
    var category = new Intl.PluralRules(words.locale || "en").select(count);
    var number = new Intl.NumberFormat(words.locale || "en").format(count);
    forms = forms || {};
    return fill(forms[category] || forms.other, Object.assign({num: number}, values));
  }

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

  // The item's facts as the site's rows show them: roadmap.json carries them worded, in
  // the site's language, so this script only lays them out (as _macros.md.j2 does).
  function facts(item, base, byId) {
    var shown = document.createElement("span");
    shown.className = "rm-facts";
    (item.facts || []).forEach(function (fact, index, all) {
      if (index && all[index - 1].kind !== "reason") shown.appendChild(document.createTextNode(" · "));
      var span = document.createElement("span");
      span.className = "rm-fact rm-fact--" + fact.kind;
      span.textContent = fact.text;
      var other = fact.item && byId(fact.item);
      if (other) {
        var link = document.createElement("a");
        link.href = base + other.page;
        link.textContent = other.title;
        span.appendChild(document.createTextNode(" "));
        span.appendChild(link);
      }
      shown.appendChild(span);
    });
    return shown;
  }

  function row(item, base, words, byId) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = base + item.page;
    link.textContent = item.title;
    var badge = document.createElement("span");
    badge.className = "rm-status rm-status--" + item.status;
    badge.textContent = words.labels[item.status] || item.status;
    li.appendChild(link);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(badge);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(facts(item, base, byId));
    return li;
  }

  function summary(found, who, words) {
    var issue = who.charAt(0) === "#";
    if (!found.length) return fill(issue ? words.none_for : words.none_by, {who: who});
    var counts = ORDER.map(function (status) {
      var n = found.filter(function (item) { return item.status === status; }).length;
      return n ? fill(words.count, {num: n, status: words.labels[status]}) : "";
    }).filter(Boolean);
    return plural(words, issue ? words.found_for : words.found_by, found.length,
                  {who: who, counts: counts.join(words.list_separator)});
  }

  // A link to this very list (the address with ?who=), to bookmark or share: a reader
  // comes back to their requests without typing again.
  function bookmark(form, query, words) {
    var shown = form.parentNode.querySelector(".rm-lookup__bookmark");
    if (!shown) {
      shown = document.createElement("p");
      shown.className = "rm-lookup__bookmark";
      form.parentNode.querySelector(".rm-lookup__results").insertAdjacentElement("afterend", shown);
    }
    var url = new URL(window.location.href);
    url.searchParams.set("who", query.trim());
    url.hash = "";
    var link = document.createElement("a");
    link.href = url.href;
    link.textContent = words.bookmark || url.href;
    shown.replaceChildren(link);
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
    var words = wordsOf(form);
    var json = new URL(form.getAttribute("data-roadmap-json"), base);
    if (!query.trim()) {
      status.textContent = words.empty_query;
      list.replaceChildren();
      return Promise.resolve();
    }
    status.textContent = words.looking;
    return load(json.href).then(function (roadmap) {
      var started = performance.now();
      var match = matcher(query);
      var found = roadmap.items.filter(match.test);
      found.sort(function (a, b) {
        return ORDER.indexOf(a.status) - ORDER.indexOf(b.status) || a.title.localeCompare(b.title);
      });
      // A duplicate's fact names its original, looked up only when one is shown.
      function byId(id) { return roadmap.items.find(function (item) { return item.id === id; }); }
      var rows = document.createDocumentFragment();
      found.forEach(function (item) { rows.appendChild(row(item, base, words, byId)); });
      list.replaceChildren(rows);
      status.textContent = summary(found, match.describe, words);
      status.setAttribute("data-lookup-ms", (performance.now() - started).toFixed(2));
      bookmark(form, query, words);
    }).catch(function (error) {
      status.textContent = fill(words.failed, {error: error.message});
    });
  }

  // Sorting and filtering of listings, areas and the board. The page is complete
  // without it (the lists come in their default order); the choice is kept in the
  // address (?sort=votes&area=sync) so a sorted list can be shared.
  var SORTS = ["", "votes", "newest", "waiting"];

  function areasOf(entry) {
    return Array.prototype.map.call(entry.querySelectorAll(".rm-area"), function (chip) {
      return chip.getAttribute("data-area");
    });
  }

  function compare(sort) {
    function opened(entry) { return entry.getAttribute("data-opened") || ""; }
    return function (a, b) {
      var order = +a.getAttribute("data-order") - +b.getAttribute("data-order");
      if (sort === "votes") return (+b.getAttribute("data-votes") - +a.getAttribute("data-votes")) || order;
      if (sort === "newest") return opened(b).localeCompare(opened(a)) || order;
      if (sort === "waiting") {
        // Requests without an opening date go last.
        return (!opened(a) - !opened(b)) || opened(a).localeCompare(opened(b)) || order;
      }
      return order;
    };
  }

  function headingOf(list) {
    var heading = list.previousElementSibling;
    return heading && (/^H[2-4]$/.test(heading.tagName) || heading.classList.contains("rm-lane__group"))
      ? heading : null;
  }

  // A scope is what one order applies to: the whole page of a listing, each column of
  // the board. Sorted by anything but the default, a scope's groups (targets, versions,
  // areas) become one list, since the order no longer follows them; back to the
  // default, every entry returns to its group and place.
  function arrange(scopes, sort, area) {
    scopes.forEach(function (lists) {
      var entries = [];
      lists.forEach(function (list) { entries = entries.concat(Array.prototype.slice.call(list.children)); });
      var seen = {};
      entries.sort(compare(sort)).forEach(function (entry) {
        // In one list, a request listed under several areas is shown once.
        var href = sort && entry.querySelector("a").getAttribute("href");
        entry.hidden = (!!area && areasOf(entry).indexOf(area) < 0) || (!!href && seen[href]);
        if (href && !entry.hidden) seen[href] = true;
        (sort ? lists[0] : lists[+entry.getAttribute("data-list")]).appendChild(entry);
      });
      lists.forEach(function (list) {
        var empty = Array.prototype.every.call(list.children, function (entry) { return entry.hidden; });
        list.hidden = empty;
        var heading = headingOf(list);
        if (heading) heading.hidden = empty || (!!sort && lists.length > 1);
      });
    });
  }

  function select(id, label, options, chosen) {
    var wrap = document.createElement("span");
    wrap.className = "rm-sorter__pair";
    var text = document.createElement("label");
    text.setAttribute("for", id);
    text.textContent = label;
    var menu = document.createElement("select");
    menu.id = id;
    options.forEach(function (option) {
      var item = document.createElement("option");
      item.value = option[0];
      item.textContent = option[1];
      item.selected = option[0] === chosen;
      menu.appendChild(item);
    });
    wrap.appendChild(text);
    wrap.appendChild(menu);
    return [wrap, menu];
  }

  function startSorting() {
    var here = document.querySelector(".rm-sort-here");
    if (!here || here.getAttribute("data-ready")) return;
    here.setAttribute("data-ready", "yes");
    var columns = document.querySelectorAll(".rm-lanes--board .rm-lane");
    var scopes = Array.prototype.map.call(columns.length ? columns : [document], function (scope) {
      return Array.prototype.slice.call(scope.querySelectorAll("ol.rm-rows, ol.rm-cards"));
    }).filter(function (lists) { return lists.length; });
    if (!scopes.length) return;
    var names = {};
    scopes.forEach(function (lists) {
      var order = 0;
      lists.forEach(function (list, number) {
        Array.prototype.forEach.call(list.children, function (entry) {
          entry.setAttribute("data-order", order++);
          entry.setAttribute("data-list", number);
          entry.querySelectorAll(".rm-area").forEach(function (chip) {
            names[chip.getAttribute("data-area")] = chip.textContent;
          });
        });
      });
    });
    var areas = Object.keys(names).sort(function (a, b) { return names[a].localeCompare(names[b]); });
    var params = new URL(window.location.href).searchParams;
    var sort = params.get("sort") || "";
    var area = names.hasOwnProperty(params.get("area")) ? params.get("area") : "";
    var sorter = document.createElement("div");
    sorter.className = "rm-sorter";
    sorter.setAttribute("role", "group");
    var words = wordsOf(here);
    var sorts = words.sorts || {};
    sorter.setAttribute("aria-label", words.group || "");
    var bySort = select("rm-sort", words.sort, SORTS.map(function (key) { return [key, sorts[key] || key]; }), sort);
    var byArea = select("rm-area", words.area, [["", words.all_areas]].concat(areas.map(function (key) {
      return [key, names[key]];
    })), area);
    sorter.appendChild(bySort[0]);
    if (areas.length > 1) sorter.appendChild(byArea[0]);
    here.appendChild(sorter);
    function changed() {
      var url = new URL(window.location.href);
      [["sort", bySort[1].value], ["area", byArea[1].value]].forEach(function (pair) {
        if (pair[1]) url.searchParams.set(pair[0], pair[1]); else url.searchParams.delete(pair[0]);
      });
      window.history.replaceState(null, "", url);
      arrange(scopes, bySort[1].value, byArea[1].value);
    }
    bySort[1].addEventListener("change", changed);
    byArea[1].addEventListener("change", changed);
    if (sort || area) arrange(scopes, sort, area);
  }

  function start() {
    startSorting();
    var form = document.querySelector("form.rm-lookup:not(.rm-lookup--home)");
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
