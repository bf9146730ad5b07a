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
  // address (?sort=votes&area=sync) so a sorted list can be shared, and the links to the
  // other pages of a split listing carry it.
  //
  // A split listing (data-pages on .rm-sort-here) is sorted and filtered as a whole, not
  // one page at a time: once a choice is made, the script fetches the listing's other
  // pages (the same HTML the site serves, so the rows are the site's own, in its
  // language) and joins their rows to this page's, a group split across two pages
  // becoming one again; the page then shows the whole listing, and its "page N of M"
  // and page links step aside. Fetching rather than rebuilding rows from roadmap.json
  // keeps one way of writing a row (_macros.md.j2). If a page cannot be fetched, this
  // page's rows alone are sorted and the page links stay.
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
    // An area's heading on the areas page has its "Follow this area" line between.
    if (heading && heading.classList.contains("rm-follow")) heading = heading.previousElementSibling;
    // A board column's own title stays, with its count, when the filter leaves it empty.
    if (heading && heading.classList.contains("rm-lane__title")) return null;
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
        // What belongs to a group goes with its heading: the follow line above, "And N more" below.
        var before = list.previousElementSibling;
        var after = list.nextElementSibling;
        if (before && before.classList.contains("rm-follow")) before.hidden = empty || (!!sort && lists.length > 1);
        if (after && after.classList.contains("rm-more")) after.hidden = empty || (!!sort && lists.length > 1);
        if (heading) {
          heading.hidden = empty || (!!sort && lists.length > 1);
          // The table of contents names only the headings left on screen.
          // (Material makes their addresses absolute, so they are matched by the part after #.)
          document.querySelectorAll(".md-nav--secondary a.md-nav__link").forEach(function (link) {
            if (heading.id && link.hash === "#" + heading.id) link.parentNode.hidden = heading.hidden;
          });
        }
      });
    });
    recount(sort, area);
  }

  // The board's column counts and "All N" links say how many requests of the column are
  // in the chosen area (all of them, not only the cards shown); its subtitles name the
  // default order, so they step aside while another order is chosen.
  function recount(sort, area) {
    var here = document.querySelector(".rm-sort-here");
    var locale = (here && wordsOf(here).locale) || "en";
    document.querySelectorAll(".rm-lane").forEach(function (lane) {
      var count = lane.querySelector(".rm-lane__count");
      if (!count || !count.hasAttribute("data-areas")) return;
      if (!count.hasAttribute("data-all")) count.setAttribute("data-all", count.textContent);
      var totals = {};
      try { totals = JSON.parse(count.getAttribute("data-areas")) || {}; } catch (error) { /* none */ }
      var total = area ? (totals[area] || 0) : null;
      count.textContent = area ? new Intl.NumberFormat(locale).format(total) : count.getAttribute("data-all");
      var subtitle = lane.querySelector(".rm-lane__subtitle");
      if (subtitle) subtitle.hidden = !!sort;
      var more = lane.querySelector(".rm-lane__more");
      var link = more && more.querySelector("a");
      if (!link) return;
      if (!link.hasAttribute("data-all")) {
        link.setAttribute("data-all", link.textContent);
        link.setAttribute("data-href", link.getAttribute("href"));
      }
      var shown = lane.querySelectorAll("li.rm-entry:not([hidden])").length;
      more.hidden = !!area && total <= shown;
      var url = new URL(link.getAttribute("data-href"), window.location.href);
      if (area) url.searchParams.set("area", area);
      link.href = url.href;
      link.textContent = area
        ? link.getAttribute("data-all").replace(more.getAttribute("data-total"),
                                                 new Intl.NumberFormat(locale).format(total))
        : link.getAttribute("data-all");
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

  // What a page of a listing holds: the nodes after .rm-sort-here, up to its page links
  // (the notes about stale data are the same on every page, and are left out).
  function bodyOf(here, pageLinks) {
    var nodes = [];
    for (var node = here.nextElementSibling; node && node !== pageLinks; node = node.nextElementSibling) {
      if (!node.classList.contains("admonition")) nodes.push(node);
    }
    return nodes;
  }

  // The paragraph of links to the listing's pages ("Pages: 1 · 2 · 3").
  // `address` is the page's own (a fetched page's links are relative to where it was served).
  function pageLinksOf(here, pages, address) {
    var base = address || window.location.href;
    var wanted = pages.map(function (page) { return new URL(page, base).href; });
    for (var node = here.nextElementSibling; node; node = node.nextElementSibling) {
      var links = node.tagName === "P" ? node.querySelectorAll("a") : [];
      if (links.length && Array.prototype.every.call(links, function (a) {
        var url = new URL(a.getAttribute("href"), base);
        url.search = "";  // once carry() has added the reader's choice
        return wanted.indexOf(url.href) >= 0;
      })) {
        return node;
      }
    }
    return null;
  }

  // Every page of a split listing on this one (see above); resolves when done.
  function gather(here) {
    if (here.getAttribute("data-gathered")) return Promise.resolve(false);
    var pages = (here.getAttribute("data-pages") || "").split(" ").filter(Boolean);
    var number = +here.getAttribute("data-page");
    if (pages.length < 2) return Promise.resolve(false);
    here.setAttribute("data-gathered", "yes");
    var pageLinks = pageLinksOf(here, pages);
    var fetched = pages.map(function (page, index) {
      if (index + 1 === number) return Promise.resolve(null);
      var address = new URL(page, window.location.href).href;
      return fetch(address).then(function (answer) {
        if (!answer.ok) throw new Error(answer.status + " " + answer.statusText);
        return answer.text();
      }).then(function (text) {
        var doc = new DOMParser().parseFromString(text, "text/html");
        doc.address = address;
        return doc;
      });
    });
    return Promise.all(fetched).then(function (docs) {
      var own = bodyOf(here, pageLinks);
      var after = own.length ? own[own.length - 1] : here;
      var before = document.createDocumentFragment();
      var later = document.createDocumentFragment();
      docs.forEach(function (doc, index) {
        if (!doc) return;
        var theirs = doc.querySelector(".rm-sort-here");
        if (!theirs) return;
        var theirPages = (theirs.getAttribute("data-pages") || "").split(" ").filter(Boolean);
        bodyOf(theirs, pageLinksOf(theirs, theirPages, doc.address)).forEach(function (node) {
          // Heading ids repeat across pages; the anchor links stay on their own page.
          var copy = document.importNode(node, true);
          if (copy.id) copy.removeAttribute("id");
          copy.querySelectorAll("[id]").forEach(function (e) { e.removeAttribute("id"); });
          // Its links were written relative to its own address (../../items/x/ on page 3).
          copy.querySelectorAll("a[href]").forEach(function (a) {
            a.setAttribute("href", new URL(a.getAttribute("href"), doc.address).href);
          });
          (index + 1 < number ? before : later).appendChild(copy);
        });
      });
      here.parentNode.insertBefore(before, own.length ? own[0] : here.nextSibling);
      after.parentNode.insertBefore(later, after.nextSibling);
      // A group split across pages is one group again: a continued list joins the one before.
      // (A group may run over three pages or more: the list kept is the one joined to.)
      var kept = null;
      here.parentNode.querySelectorAll("ol.rm-rows").forEach(function (list) {
        if (!kept || !list.hasAttribute("data-continued")) {
          kept = list;
          return;
        }
        while (list.firstElementChild) kept.appendChild(list.firstElementChild);
        var heading = headingOf(list);
        if (heading) heading.remove();
        list.remove();
      });
      if (pageLinks) pageLinks.hidden = true;
      document.querySelectorAll("h1 .rm-page-of").forEach(function (span) { span.hidden = true; });
      return true;
    }).catch(function () { return false; });
  }

  function scopesOf() {
    var columns = document.querySelectorAll(".rm-lanes--board .rm-lane");
    var scopes = Array.prototype.map.call(columns.length ? columns : [document], function (scope) {
      return Array.prototype.slice.call(scope.querySelectorAll("ol.rm-rows, ol.rm-cards"));
    }).filter(function (lists) { return lists.length; });
    // Each entry's place in the default order, and its group, for the way back to it.
    scopes.forEach(function (lists) {
      var order = 0;
      lists.forEach(function (list, number) {
        Array.prototype.forEach.call(list.children, function (entry) {
          if (!entry.hasAttribute("data-order")) {
            entry.setAttribute("data-order", order);
            entry.setAttribute("data-list", number);
          }
          order++;
        });
      });
    });
    return scopes;
  }

  // The links to the other pages of a split listing keep the reader's choice.
  function carry(here) {
    var pages = (here.getAttribute("data-pages") || "").split(" ").filter(Boolean);
    var links = pages.length > 1 ? pageLinksOf(here, pages) : null;
    if (!links) return;
    var query = new URL(window.location.href).search;
    links.querySelectorAll("a").forEach(function (a) {
      var url = new URL(a.href);
      url.search = query;
      a.href = url.href;
    });
  }

  function startSorting() {
    var here = document.querySelector(".rm-sort-here");
    if (!here || here.getAttribute("data-ready")) return;
    here.setAttribute("data-ready", "yes");
    var scopes = scopesOf();
    if (!scopes.length) return;
    // A page of a split listing names the areas of all its pages; chips name the rest.
    var names = {};
    try { names = JSON.parse(here.getAttribute("data-area-names") || "{}") || {}; } catch (error) { names = {}; }
    scopes.forEach(function (lists) {
      lists.forEach(function (list) {
        list.querySelectorAll(".rm-area").forEach(function (chip) {
          names[chip.getAttribute("data-area")] = chip.textContent;
        });
      });
    });
    var areas = Object.keys(names).sort(function (a, b) { return names[a].localeCompare(names[b]); });
    var params = new URL(window.location.href).searchParams;
    var sort = SORTS.indexOf(params.get("sort")) > 0 ? params.get("sort") : "";
    var area = params.get("area") || "";
    var sorter = document.createElement("div");
    sorter.className = "rm-sorter";
    sorter.setAttribute("role", "group");
    var words = wordsOf(here);
    var sorts = words.sorts || {};
    sorter.setAttribute("aria-label", words.group || "");
    var bySort = select("rm-sort", words.sort, SORTS.map(function (key) { return [key, sorts[key] || key]; }), sort);
    sorter.appendChild(bySort[0]);
    here.appendChild(sorter);
    var byArea = null;
    // The area menu lists the areas of the whole listing, so it is made once its pages are in.
    function areaMenu() {
      if (byArea) return;
      var known = names.hasOwnProperty(area) ? area : "";
      byArea = select("rm-area", words.area, [["", words.all_areas]].concat(areas.map(function (key) {
        return [key, names[key]];
      })), known);
      if (areas.length > 1) sorter.appendChild(byArea[0]);
      byArea[1].addEventListener("change", changed);
    }
    // The other pages are fetched once; a choice made while they load is the one shown
    // when they are in (the menus are read then, not when the fetch began).
    var gathering = null;
    function refresh(chosenSort, chosenArea) {
      if (here.hasAttribute("data-pages") && (chosenSort || chosenArea) && !gathering) gathering = gather(here);
      return (gathering || Promise.resolve(false)).then(function (grown) {
        if (byArea) {
          chosenSort = bySort[1].value;
          chosenArea = byArea[1].value;
        }
        if (grown && !scopes.gathered) {
          scopes = scopesOf();
          scopes.gathered = true;
          scopes[0].forEach(function (list) {
            list.querySelectorAll(".rm-area").forEach(function (chip) {
              names[chip.getAttribute("data-area")] = chip.textContent;
            });
          });
          var before = areas.length;
          areas = Object.keys(names).sort(function (a, b) { return names[a].localeCompare(names[b]); });
          // Rebuilt only if the other pages brought new areas (it would take the reader's focus).
          if (byArea && areas.length !== before) {
            var chosen = byArea[1].value;
            byArea[0].remove();
            byArea = null;
            area = chosen;
          }
        }
        areaMenu();
        var known = names.hasOwnProperty(chosenArea) ? chosenArea : "";
        byArea[1].value = known;
        arrange(scopes, chosenSort, known);
        here.setAttribute("data-arranged", chosenSort + "|" + known);
      });
    }
    function changed() {
      var url = new URL(window.location.href);
      [["sort", bySort[1].value], ["area", byArea ? byArea[1].value : ""]].forEach(function (pair) {
        if (pair[1]) url.searchParams.set(pair[0], pair[1]); else url.searchParams.delete(pair[0]);
      });
      window.history.replaceState(null, "", url);
      carry(here);
      return refresh(bySort[1].value, byArea ? byArea[1].value : "");
    }
    bySort[1].addEventListener("change", changed);
    carry(here);
    refresh(sort, area);
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

  // Material's bundle reads every <link rel="alternate"> when the page is ready, takes it
  // for another language's copy of the site, and fetches "sitemap.xml" beside it: for an
  // item's or area's feed (items/x/feed.xml) that is items/x/sitemap.xml, which does not
  // exist, so every such page cost two 404s. The feed links are for feed readers, which
  // read the page as served; so only while Material looks (it looks once, on
  // DOMContentLoaded, registered before this script) are the links not under the site's
  // root marked as plain feeds ("alternate feed"), then given back their own rel.
  // (After an instant navigation Material adds the next page's links and looks at once,
  // before any script can; each such feed costs one 404 per visit, not per page.)
  (function keepFeedLinksFromMaterial() {
    if (document.readyState !== "loading") return;
    var sitemap = new URL("sitemap.xml", siteRoot()).href;
    var moved = Array.prototype.filter.call(document.querySelectorAll("link[rel=alternate]"), function (link) {
      return /(atom|rss|feed)\+(xml|json)$/.test(link.type) && new URL("sitemap.xml", link.href).href !== sitemap;
    });
    moved.forEach(function (link) { link.rel = "alternate feed"; });
    document.addEventListener("DOMContentLoaded", function () {
      moved.forEach(function (link) { link.rel = "alternate"; });
    }, {once: true});
  })();

  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(start); // Material's instant navigation swaps pages in place
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
