// Mirsad's page: hash routes over one JSON API. Data is rendered with DOM
// APIs (never innerHTML), except the server's snippet, from which only
// <mark> survives.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const form = $("search");
  let page = 1;

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) e.setAttribute(k, v);
    for (const k of kids) if (k !== undefined && k !== null) e.append(k);
    return e;
  }
  const dirOf = (lang) => (lang === "ar" ? "rtl" : "ltr");
  const day = (s) => (s ? new Date(s).toISOString().slice(0, 10) : "");

  async function api(path) {
    const r = await fetch(path);
    let body = {};
    try { body = await r.json(); } catch (e) { /* not JSON */ }
    if (!r.ok) throw new Error(body.error || `${r.status} ${r.statusText}`);
    return body;
  }

  function showError(target, e) {
    target.replaceChildren(el("span", { class: "error", role: "alert" }, "Error: " + e.message));
  }

  function safeSnippet(html) {
    const tpl = document.createElement("template");
    tpl.innerHTML = html || "";
    const out = document.createDocumentFragment();
    for (const n of tpl.content.childNodes) {
      out.append(n.nodeName === "MARK" ? el("mark", {}, n.textContent) : n.textContent);
    }
    return out;
  }

  function entityLink(e) {
    return el("a", { href: "#/entity/" + encodeURIComponent(e.id), dir: "auto", "data-entity": e.id }, e.name || e.id);
  }

  // ---- search ----
  function params() {
    const p = new URLSearchParams();
    for (const elm of form.elements) if (elm.name && elm.value) p.set(elm.name, elm.value);
    p.set("page", page);
    p.set("size", 10);
    return p;
  }

  function facetGroup(box, title, items, key, label) {
    if (!items || !items.length) return;
    box.append(el("h2", {}, title));
    const ul = el("ul");
    for (const it of items) {
      const active = form.elements[key].value === it.value;
      const b = el("button", { type: "button", class: "facet", "aria-pressed": String(active), "data-facet": key, "data-value": it.value },
        `${label ? label(it) : it.value} (${it.count})`);
      b.addEventListener("click", () => { form.elements[key].value = active ? "" : it.value; page = 1; runSearch(); });
      ul.append(el("li", {}, b));
    }
    box.append(ul);
  }

  function renderFacets(f) {
    const box = $("facets");
    box.replaceChildren();
    facetGroup(box, "Language", f.lang, "lang", (it) => ({ ar: "العربية", en: "English" })[it.value] || it.value);
    facetGroup(box, "Sources", f.sources, "source");
    for (const [type, title] of [["person", "People"], ["organization", "Organizations"], ["place", "Places"]]) {
      facetGroup(box, title, (f.entities || {})[type], "entity", (it) => it.name || it.value);
    }
    if (f.published_by_day && f.published_by_day.length) {
      box.append(el("h2", {}, "Per day"));
      const max = Math.max(...f.published_by_day.map((d) => d.count));
      const h = el("div", { class: "hist", role: "img", "aria-label": `results per day, ${f.published_by_day[0].value} to ${f.published_by_day[f.published_by_day.length - 1].value}` });
      for (const d of f.published_by_day) {
        const s = el("span", { title: `${d.value}: ${d.count}` });
        s.style.height = `${Math.max(4, (100 * d.count) / max)}%`;
        h.append(s);
      }
      box.append(h);
    }
  }

  function renderResults(res) {
    $("status").textContent = `${res.total} results · ${res.took_ms} ms`;
    const ol = $("results");
    ol.replaceChildren();
    for (const h of res.hits) {
      const dir = dirOf(h.lang);
      const li = el("li", { lang: h.lang, dir: dir, "data-id": h.id });
      li.append(el("h3", {}, el("a", { href: h.url, dir: "auto" }, h.title)));
      li.append(el("div", { class: "meta", dir: "ltr" }, `${h.source} · ${day(h.published)} · ${h.lang}`));
      li.append(el("p", { class: "snippet", dir: dir }, safeSnippet(h.snippet)));
      if (h.entities && h.entities.length) {
        const ul = el("ul", { class: "chips", "aria-label": "entities" });
        for (const e of h.entities.slice(0, 8)) ul.append(el("li", {}, entityLink(e)));
        li.append(ul);
      }
      if (h.claims && h.claims.length) {
        const ul = el("ul", { class: "hit-claims", "aria-label": "claims" });
        for (const c of h.claims.slice(0, 3)) ul.append(el("li", { dir: dir }, el("span", { class: "speaker" }, c.speaker + ": "), c.text));
        li.append(ul);
      }
      ol.append(li);
    }
    const pager = $("pager");
    pager.replaceChildren();
    if (page > 1) {
      const b = el("button", { type: "button" }, "← Previous");
      b.addEventListener("click", () => { page--; runSearch(); });
      pager.append(b);
    }
    if (page * 10 < res.total) {
      const b = el("button", { type: "button" }, "Next →");
      b.addEventListener("click", () => { page++; runSearch(); });
      pager.append(b);
    }
    renderFacets(res.facets);
    // Tells tests (and assistive tools) which query the list now shows.
    ol.dataset.q = form.elements.q.value;
    ol.dataset.page = page;
  }

  async function runSearch() {
    const p = params();
    history.replaceState(null, "", "?" + p.toString() + location.hash);
    $("status").textContent = "Searching…";
    try {
      renderResults(await api("/api/search?" + p.toString()));
    } catch (e) {
      showError($("status"), e);
      $("results").replaceChildren();
    }
  }

  // ---- claims ----
  function claimItem(c) {
    const li = el("li", { lang: c.lang, dir: dirOf(c.lang), "data-claim": c.id });
    const who = c.speaker.id ? entityLink({ id: c.speaker.id, name: c.speaker.name }) : el("span", {}, c.speaker.name);
    li.append(el("div", {}, el("span", { class: "speaker" }, who), " ", el("span", { class: "meta" }, `(${c.cue})`)));
    li.append(el("blockquote", { dir: dirOf(c.lang) }, c.kind === "direct" ? "«" + c.text + "»" : c.text));
    li.append(el("div", { class: "meta", dir: "ltr" }, el("a", { href: c.url }, c.source), ` · ${day(c.published)}`));
    if (c.group && c.group.reports > 1) {
      li.append(el("div", { class: "also", dir: "ltr" }, `first reported by ${c.group.first_source}; also reported by ${c.group.outlets - 1} other outlet(s), ${c.group.reports} reports in all`));
    }
    for (const o of (c.group && c.group.other_language) || []) {
      // The same statement as another language reported it, laid out in its own direction.
      li.append(el("div", { class: "xlang", lang: o.lang, dir: dirOf(o.lang), "data-other-language": o.lang },
        el("span", { class: "meta" }, o.lang === "ar" ? "بالعربية: " : "In English: "), o.text, " ",
        el("a", { href: o.url, class: "meta" }, o.source)));
    }
    return li;
  }

  async function runClaims(p) {
    const status = $("claims-status");
    status.textContent = "Searching…";
    try {
      const res = await api("/api/claims?" + p.toString());
      status.textContent = `${res.total} claims`;
      const ol = $("claims");
      ol.replaceChildren(...res.hits.map(claimItem));
      ol.dataset.q = p.toString();
    } catch (e) {
      showError(status, e);
    }
  }

  // ---- entity page ----
  async function showEntity(id) {
    const v = $("view-entity");
    v.replaceChildren(el("p", {}, "Loading…"));
    try {
      const [ents, docs, claims] = await Promise.all([
        api("/api/entities?q=" + encodeURIComponent(id)),
        api("/api/search?size=10&sort=newest&entity=" + encodeURIComponent(id)),
        api("/api/claims?size=10&speaker=" + encodeURIComponent(id)),
      ]);
      const e = ents.hits.find((x) => x.id === id) || { id: id, type: "", names: {} };
      const names = el("div", { class: "names" });
      for (const [lang, label] of [["ar", "العربية"], ["en", "English"]]) {
        const ul = el("ul", { lang: lang, dir: dirOf(lang) });
        for (const n of (e.names[lang] || [])) ul.append(el("li", {}, n));
        names.append(el("div", {}, el("h3", {}, label), ul));
      }
      const hist = el("div", { class: "hist", role: "img", "aria-label": "articles per day" });
      const days = docs.facets.published_by_day || [];
      const max = Math.max(1, ...days.map((d) => d.count));
      for (const d of days) {
        const s = el("span", { title: `${d.value}: ${d.count}` });
        s.style.height = `${Math.max(4, (100 * d.count) / max)}%`;
        hist.append(s);
      }
      const recent = el("ol", { class: "claims" }, ...claims.hits.map(claimItem));
      const articles = el("ul", {}, ...docs.hits.map((h) => el("li", { lang: h.lang, dir: dirOf(h.lang) }, el("a", { href: h.url }, h.title), " ", el("span", { class: "meta", dir: "ltr" }, `${h.source} · ${day(h.published)}`))));
      v.replaceChildren(
        el("h2", { "data-entity-page": id, dir: "auto" }, (e.names.en || [])[0] || (e.names.ar || [])[0] || id),
        el("p", { class: "meta" }, `${e.type || "entity"} · ${e.doc_count !== undefined ? e.doc_count : docs.total} articles · id ${id}`),
        names,
        el("h3", {}, "Timeline"), hist,
        el("h3", {}, `Recent claims (${claims.total})`), recent,
        el("h3", {}, `Articles (${docs.total})`), articles,
      );
    } catch (err) {
      showError(v, err);
    }
  }

  // ---- runs and subscriptions ----
  async function showRuns() {
    const v = $("view-runs");
    v.replaceChildren(el("h2", {}, "Ingest runs"));
    try {
      const res = await api("/api/runs");
      const t = el("table", {}, el("tr", {}, ...["started", "status", "source", "fetched", "new", "updated", "unchanged", "duplicates", "failed"].map((h) => el("th", {}, h))));
      for (const r of res.runs || []) {
        for (const s of r.sources || []) {
          t.append(el("tr", {}, ...[r.started, r.status, s.name, s.fetched, s.new, s.updated, s.unchanged, s.duplicates, s.failed].map((x) => el("td", {}, String(x)))));
        }
      }
      v.append(t);
    } catch (e) {
      v.append(el("p", {}, "Run history is not available: " + e.message));
    }
  }

  async function showSubscriptions() {
    const v = $("view-subscriptions");
    v.replaceChildren(el("h2", {}, "Subscriptions"));
    try {
      const res = await api("/api/subscriptions");
      const subs = res.subscriptions || res.hits || res || [];
      const ul = el("ul", { class: "subs" });
      for (const s of subs) {
        const id = encodeURIComponent(s.id);
        const what = [s.query, ...(s.entities || []).map((x) => "entity:" + x), ...(s.speaker || []).map((x) => "speaker:" + x)]
          .filter(Boolean).join(" ");
        const targets = (s.webhooks || []).map((w) => el("li", {}, el("code", {}, w.url), w.disabled ? el("span", { class: "error" }, " disabled (410 Gone)") : null));
        const box = el("div", { class: "deliveries", "data-deliveries": s.id });
        const btn = el("button", { type: "button", "data-show-deliveries": s.id }, "Deliveries");
        btn.addEventListener("click", () => showDeliveries(s.id, box));
        ul.append(el("li", { "data-sub": s.id }, el("strong", {}, s.name), " ", el("code", { dir: "auto" }, what),
          s.claims_only ? " (claims only) " : " ",
          el("a", { href: `/api/subscriptions/${id}/feed` }, "Atom feed"), " ", btn,
          targets.length ? el("ul", {}, ...targets) : null, box));
      }
      v.append(subs.length ? ul : el("p", {}, "No subscriptions yet: add them in the config or with `mirsad subscriptions add`."));
    } catch (e) {
      v.append(el("p", {}, "Subscriptions are not available: " + e.message));
    }
  }

  // showDeliveries lists a subscription's webhook deliveries and every
  // attempt at each, so an operator sees why an alert has not arrived.
  async function showDeliveries(id, box) {
    box.replaceChildren(el("p", {}, "Loading deliveries…"));
    try {
      const res = await api(`/api/subscriptions/${encodeURIComponent(id)}/deliveries`);
      const ds = res.deliveries || [];
      if (!ds.length) {
        box.replaceChildren(el("p", {}, "No deliveries yet."));
        return;
      }
      const t = el("table", {}, el("tr", {}, ...["created", "webhook-id", "target", "status", "attempts", "last attempt", "next attempt"].map((h) => el("th", {}, h))));
      for (const d of ds) {
        const at = d.attempts || [];
        const last = at.length ? at[at.length - 1] : null;
        const lastText = last ? `${new Date(last.at).toISOString()} ${last.status_code ? "HTTP " + last.status_code : ""}${last.error ? " " + last.error : ""} (${last.duration_ms} ms)` : "-";
        const all = el("details", {}, el("summary", {}, String(at.length)),
          el("ol", {}, ...at.map((a) => el("li", {}, `${new Date(a.at).toISOString()} ${a.status_code ? "HTTP " + a.status_code : ""}${a.error ? " " + a.error : ""} (${a.duration_ms} ms)`))));
        t.append(el("tr", { "data-delivery": d.id, "data-status": d.status },
          el("td", {}, d.created ? new Date(d.created).toISOString() : ""), el("td", {}, el("code", {}, d.id)),
          el("td", {}, el("code", {}, d.url)), el("td", { class: "status" }, d.status), el("td", {}, all),
          el("td", { class: "last" }, lastText), el("td", {}, d.next_attempt && d.status === "pending" ? new Date(d.next_attempt).toISOString() : "")));
      }
      box.replaceChildren(t);
    } catch (e) {
      showError(box, e);
    }
  }

  // ---- routing ----
  function route() {
    const h = location.hash || "#/";
    const [, view, arg] = h.match(/^#\/([a-z]*)\/?(.*)$/) || [null, "", ""];
    const name = ["entity", "claims", "runs", "subscriptions"].includes(view) ? view : "search";
    for (const s of document.querySelectorAll(".view")) s.hidden = s.id !== "view-" + name;
    for (const a of document.querySelectorAll("[data-nav]")) {
      if (a.dataset.nav === name) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    }
    if (name === "entity") showEntity(decodeURIComponent(arg));
    if (name === "runs") showRuns();
    if (name === "subscriptions") showSubscriptions();
    if (name === "claims") {
      const p = new URLSearchParams(arg);
      for (const [k, val] of p) if ($("claims-form").elements[k]) $("claims-form").elements[k].value = val;
      runClaims(p);
    }
  }

  form.addEventListener("submit", (e) => { e.preventDefault(); page = 1; runSearch(); });
  $("claims-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    for (const elm of e.target.elements) if (elm.name && elm.value) p.set(elm.name, elm.value);
    location.hash = "#/claims/" + p.toString();
  });
  window.addEventListener("hashchange", route);
  const init = new URLSearchParams(location.search);
  for (const [k, v] of init) if (form.elements[k]) form.elements[k].value = v;
  page = parseInt(init.get("page") || "1", 10) || 1;
  runSearch();
  route();
})();
